//! The bulk report and progress events as JavaScript objects (camelCase mirrors of
//! the core's `BulkReport`, `UserOutcome`, `OutcomeError`, `BulkTotals`, `BulkProgress`).

use napi::bindgen_prelude::{Either, Null};

use authing_resign::{
    BulkProgress as CoreProgress, BulkReport as CoreReport, BulkTotals as CoreTotals,
    OutcomeError as CoreOutcomeError, UserOutcome as CoreUserOutcome,
};

/// The error attached to a user's outcome.
#[napi(object)]
pub struct OutcomeError {
    /// The error class's code (`api_error`, `invalid_argument`, `transport`, …).
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// Envelope statusCode (or HTTP status), if any.
    pub status_code: Option<u32>,
    /// Envelope apiCode, if any.
    pub api_code: Option<u32>,
    /// Whether retrying may succeed (as `AuthingError.isRetryable()`).
    pub retryable: bool,
    /// Whether it is an authentication failure (as `AuthingError.isAuth()`).
    pub auth: bool,
}

/// One user's line in the report.
#[napi(object)]
pub struct UserOutcome {
    /// The id as given.
    pub user_id: String,
    /// What happened: one of the core's outcomes (`outcomes()`, the `Outcome` constants).
    #[napi(ts_type = "import('./lib/index').Outcome")]
    pub outcome: String,
    /// Why, for `failed`, `invalid`, `duplicate` and `not_attempted`.
    pub error: Option<OutcomeError>,
    /// Request id of the call that decided the outcome, if any.
    pub request_id: Option<String>,
    /// Whether `verify` / `verifyOnly` confirmed the outcome by reading the user back:
    /// `true` (seen; the outcome follows the status seen), `false` (looked for, not
    /// confirmed: see `verifyNote`), `null` (not checked).
    #[napi(ts_type = "boolean | null")]
    pub verified: Either<bool, Null>,
    /// The user's `status` the lookup showed (`Resigned`, `Activated`, ...), or null.
    #[napi(ts_type = "string | null")]
    pub status: Either<String, Null>,
    /// What `verify` noted: why the user could not be verified (`verified` false), or
    /// how a lost answer was settled by the lookup; else null.
    #[napi(ts_type = "string | null")]
    pub verify_note: Either<String, Null>,
    /// Resigned by an earlier run this job resumed (`resumeFrom`), not by this one.
    pub earlier_run: bool,
}

/// Counts per outcome; they always add up to the number of input ids.
#[napi(object)]
pub struct BulkTotals {
    /// `resigned` users.
    pub resigned: u32,
    /// `failed` users.
    pub failed: u32,
    /// `unknown` users (answer lost after sending).
    pub unknown: u32,
    /// `invalid` users.
    pub invalid: u32,
    /// `duplicate` users.
    pub duplicate: u32,
    /// `not_attempted` users.
    pub not_attempted: u32,
}

/// The result of `resignUsers`: one entry per input id, in input order.
#[napi(object)]
pub struct BulkReport {
    /// The id type used.
    #[napi(ts_type = "import('./lib/index').UserIdType")]
    pub user_id_type: String,
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
    pub http_calls: i64,
    /// Wall time of the job, in milliseconds.
    pub elapsed_ms: i64,
    /// Why the job stopped early, if it did (`code` `cancelled` after an abort).
    pub stopped_early: Option<OutcomeError>,
    /// Whether this was a `verifyOnly` run (nobody resigned).
    pub verify_only: bool,
    /// HTTP requests made to `get-user-batch` by `verify` / `verifyOnly`.
    pub lookup_calls: i64,
}

/// A progress event, delivered to `onProgress` after each chunk.
#[napi(object)]
pub struct BulkProgress {
    /// Users decided so far (every outcome counts, invalid and duplicate included).
    pub done: u32,
    /// Users in the input.
    pub total: u32,
    /// Counts so far.
    pub totals: BulkTotals,
}

/// JavaScript numbers hold counts far beyond any real job; saturate instead of wrapping.
fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `null` rather than a missing property: "not checked" is a value of these fields.
fn nullable<T>(value: Option<T>) -> Either<T, Null> {
    value.map_or(Either::B(Null), Either::A)
}

fn big(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl From<&CoreTotals> for BulkTotals {
    fn from(t: &CoreTotals) -> Self {
        Self {
            resigned: count(t.resigned),
            failed: count(t.failed),
            unknown: count(t.unknown),
            invalid: count(t.invalid),
            duplicate: count(t.duplicate),
            not_attempted: count(t.not_attempted),
        }
    }
}

impl From<CoreOutcomeError> for OutcomeError {
    fn from(e: CoreOutcomeError) -> Self {
        Self {
            code: e.code,
            message: e.message,
            status_code: e.status_code.map(u32::from),
            api_code: e.api_code,
            retryable: e.retryable,
            auth: e.auth,
        }
    }
}

impl From<CoreUserOutcome> for UserOutcome {
    fn from(u: CoreUserOutcome) -> Self {
        Self {
            user_id: u.user_id,
            outcome: u.outcome.as_str().to_string(),
            error: u.error.map(Into::into),
            request_id: u.request_id,
            verified: nullable(u.verified),
            status: nullable(u.status),
            verify_note: nullable(u.verify_note),
            earlier_run: u.earlier_run,
        }
    }
}

impl From<CoreReport> for BulkReport {
    fn from(r: CoreReport) -> Self {
        Self {
            user_id_type: r.user_id_type.as_str().to_string(),
            dry_run: r.dry_run,
            totals: (&r.totals).into(),
            users: r.users.into_iter().map(Into::into).collect(),
            chunks: r.chunks,
            http_calls: big(r.http_calls),
            elapsed_ms: big(r.elapsed_ms),
            stopped_early: r.stopped_early.map(Into::into),
            verify_only: r.verify_only,
            lookup_calls: big(r.lookup_calls),
        }
    }
}

impl From<&CoreProgress> for BulkProgress {
    fn from(p: &CoreProgress) -> Self {
        Self {
            done: count(p.done),
            total: count(p.total),
            totals: (&p.totals).into(),
        }
    }
}
