//! Core types that cross the FFI unchanged, declared to uniffi as remote types (the
//! declarations must match the core's field for field; the compiler checks it).

use authing_resign::{
    AuthScheme, BulkProgressEvent, BulkReport, BulkTotals, Outcome, OutcomeError, ResignUserData,
    ResignUserResponse, TimeoutPhase, UserIdType, UserOutcome,
};

/// How the ids of a call are interpreted (wire values `user_id`, `external_id`, ...).
#[uniffi::remote(Enum)]
pub enum UserIdType {
    /// Authing user id (the server default).
    UserId,
    /// The user's `externalId`.
    ExternalId,
    /// Phone number.
    Phone,
    /// Email address.
    Email,
    /// Username.
    Username,
    /// External identity, `<extIdpId>:<userIdInIdp>`.
    Identity,
    /// Sync relation, `<provider>:<userIdInProvider>`.
    SyncRelation,
    /// A custom field value.
    CustomField,
}

/// How requests are authenticated.
#[uniffi::remote(Enum)]
pub enum AuthScheme {
    /// HMAC-SHA1 request signatures (the default): no token round trip.
    Signature,
    /// A management token fetched with the access key, cached and refreshed.
    ManagementToken,
}

/// Which deadline expired.
#[uniffi::remote(Enum)]
pub enum TimeoutPhase {
    /// Establishing the TCP/TLS connection.
    Connect,
    /// One attempt.
    Attempt,
    /// The overall deadline of a call, retries included.
    Total,
    /// The deadline of a bulk job.
    Job,
}

/// What happened to one user of a bulk job.
#[uniffi::remote(Enum)]
pub enum Outcome {
    /// Resigned (or already resigned) by a successful call.
    Resigned,
    /// A call naming this user failed; see the error.
    Failed,
    /// The request may have been acted on but its answer was lost: send it again or
    /// verify it.
    Unknown,
    /// Rejected locally; never sent.
    Invalid,
    /// An exact repeat of an earlier id in the input; not sent again.
    Duplicate,
    /// Not sent: the job stopped early, was cancelled, or was a dry run.
    NotAttempted,
}

/// `data` of a resignation response.
#[uniffi::remote(Record)]
pub struct ResignUserData {
    /// Whether the operation succeeded.
    pub success: bool,
}

/// A successful resignation response (the official `ResignUserRespDto` shape).
/// Failures are thrown as `AuthingError.api`, never returned as this type.
#[uniffi::remote(Record)]
pub struct ResignUserResponse {
    /// Envelope `statusCode` (200).
    pub status_code: u16,
    /// Envelope `message`.
    pub message: String,
    /// Envelope `apiCode`, if any.
    pub api_code: Option<u32>,
    /// Envelope `requestId`, if any.
    pub request_id: Option<String>,
    /// `data`.
    pub data: ResignUserData,
}

/// The error attached to one user's outcome (a flattened `AuthingError`).
#[uniffi::remote(Record)]
pub struct OutcomeError {
    /// The error code (`api_error`, `invalid_argument`, ...).
    pub code: String,
    /// The error's message.
    pub message: String,
    /// Envelope statusCode (or HTTP status), if any.
    pub status_code: Option<u16>,
    /// Envelope apiCode, if any.
    pub api_code: Option<u32>,
    /// Whether retrying may succeed (the core's `isRetryable` of the error).
    pub retryable: bool,
    /// Whether it is an authentication failure (the core's `isAuth` of the error).
    pub auth: bool,
}

/// One user's line in a bulk report.
#[uniffi::remote(Record)]
pub struct UserOutcome {
    /// The id as given.
    pub user_id: String,
    /// What happened.
    pub outcome: Outcome,
    /// Why, for `failed`, `invalid`, `duplicate` and `notAttempted`.
    pub error: Option<OutcomeError>,
    /// Request id of the call that decided the outcome, if any.
    pub request_id: Option<String>,
    /// Whether `verify` confirmed the outcome by reading the user back (null: not checked).
    pub verified: Option<bool>,
    /// The user's `status` the lookup showed, if seen.
    pub status: Option<String>,
    /// Why the user could not be verified, when `verified` is false.
    pub verify_note: Option<String>,
    /// Resigned by an earlier run this job resumed (`resumeFrom`), not by this one.
    pub earlier_run: bool,
}

/// Counts per outcome; they add up to the number of input ids.
#[uniffi::remote(Record)]
pub struct BulkTotals {
    /// `resigned` users.
    pub resigned: u64,
    /// `failed` users.
    pub failed: u64,
    /// `unknown` users.
    pub unknown: u64,
    /// `invalid` users.
    pub invalid: u64,
    /// `duplicate` users.
    pub duplicate: u64,
    /// `notAttempted` users.
    pub not_attempted: u64,
}

/// A progress event, delivered after each chunk.
#[uniffi::remote(Record)]
pub struct BulkProgressEvent {
    /// Users decided so far (invalid and duplicate included).
    pub done: u64,
    /// Users in the input.
    pub total: u64,
    /// Counts so far.
    pub totals: BulkTotals,
}

/// The result of `resignUsers`: one entry per input id, in input order.
#[uniffi::remote(Record)]
pub struct BulkReport {
    /// The id type used.
    pub user_id_type: UserIdType,
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// One entry per input id, in input order.
    pub users: Vec<UserOutcome>,
    /// Counts per outcome.
    pub totals: BulkTotals,
    /// The chunks planned (ids per chunk, in order), before any splitting.
    pub chunks: Vec<Vec<String>>,
    /// HTTP requests made to the resignation endpoint (retries and split calls
    /// included; a call cut by the job deadline counts as one).
    pub http_calls: u64,
    /// Wall time of the job, in milliseconds.
    pub elapsed_ms: u64,
    /// Why the job stopped early, if it did.
    pub stopped_early: Option<OutcomeError>,
    /// Whether this was a verify-only run (nobody resigned).
    pub verify_only: bool,
    /// HTTP requests made to `get-user-batch` by verification.
    pub lookup_calls: u64,
}
