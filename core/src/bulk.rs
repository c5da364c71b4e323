//! `resign_users`: any number of users, chunked, concurrent, with a per-user report.
// TODO(bulk): implement (issue 4). The public types below are the contract the
// bindings code against; extend them, don't rename them.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::client::ManagementClient;
use crate::error::Result;
use crate::request::UserIdType;

/// A progress callback, called after each chunk (from a tokio task; keep it quick).
pub type ProgressCallback = Arc<dyn Fn(&BulkProgress) + Send + Sync>;

/// Options of [`ManagementClient::resign_users`].
#[derive(Clone)]
pub struct BulkOptions {
    /// Ids per call, 1..=50 (default 50).
    pub chunk_size: usize,
    /// Calls in flight at once, >= 1 (default 4).
    pub concurrency: usize,
    /// Return the plan without sending anything (default false).
    pub dry_run: bool,
    /// Deadline of the whole job; chunks not started by then are `not_attempted`.
    pub deadline: Option<Duration>,
    /// Cancels the job before the next chunk; in-flight chunks finish.
    pub cancel: Option<CancellationToken>,
    /// Called after each chunk.
    pub on_progress: Option<ProgressCallback>,
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self { chunk_size: 50, concurrency: 4, dry_run: false, deadline: None, cancel: None, on_progress: None }
    }
}

impl std::fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkOptions")
            .field("chunk_size", &self.chunk_size)
            .field("concurrency", &self.concurrency)
            .field("dry_run", &self.dry_run)
            .field("deadline", &self.deadline)
            .field("cancel", &self.cancel.is_some())
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

/// A progress event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkProgress {
    /// Users decided so far (every outcome counts, invalid and duplicate included).
    pub done: usize,
    /// Users in the input.
    pub total: usize,
    /// Counts so far.
    pub totals: BulkTotals,
}

/// What happened to one user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Resigned (or already resigned) by a successful call.
    Resigned,
    /// A call naming this user failed; see the error.
    Failed,
    /// Rejected locally; never sent.
    Invalid,
    /// An exact repeat of an earlier id in the input; not sent again.
    Duplicate,
    /// Not sent: the job stopped early (auth failure, throttling, transport failure,
    /// cancellation, deadline) or it was a dry run.
    NotAttempted,
}

impl Outcome {
    /// Stable lower-case name (`resigned`, `failed`, `invalid`, `duplicate`, `not_attempted`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resigned => "resigned",
            Self::Failed => "failed",
            Self::Invalid => "invalid",
            Self::Duplicate => "duplicate",
            Self::NotAttempted => "not_attempted",
        }
    }
}

/// The error attached to a user's outcome (a flattened [`crate::Error`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeError {
    /// [`crate::Error::code`].
    pub code: String,
    /// The error's message.
    pub message: String,
    /// Envelope statusCode (or HTTP status), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// Envelope apiCode, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_code: Option<u32>,
}

impl From<&crate::Error> for OutcomeError {
    fn from(e: &crate::Error) -> Self {
        Self { code: e.code().to_string(), message: e.to_string(), status_code: e.status_code(), api_code: e.api_code() }
    }
}

/// One user's line in the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserOutcome {
    /// The id as given.
    pub user_id: String,
    /// What happened.
    pub outcome: Outcome,
    /// Why, for `failed`, `invalid`, `duplicate` (points to the first occurrence) and
    /// `not_attempted` (the reason the job stopped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<OutcomeError>,
    /// Request id of the call that decided the outcome, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Counts per outcome; they always add up to the number of input ids.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkTotals {
    /// `resigned` users.
    pub resigned: usize,
    /// `failed` users.
    pub failed: usize,
    /// `invalid` users.
    pub invalid: usize,
    /// `duplicate` users.
    pub duplicate: usize,
    /// `not_attempted` users.
    pub not_attempted: usize,
}

/// The result of [`ManagementClient::resign_users`]. Serializable to JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// HTTP requests made (retries and split calls included).
    pub http_calls: u64,
    /// Wall time of the job, in milliseconds.
    pub elapsed_ms: u64,
    /// Why the job stopped early, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_early: Option<OutcomeError>,
}

impl BulkReport {
    /// Whether every input user ended `resigned`.
    pub fn all_resigned(&self) -> bool {
        self.totals.resigned == self.users.len()
    }
}

impl ManagementClient {
    /// Resigns any number of users of one id type and reports each one's outcome.
    ///
    /// Invalid ids are reported and never sent; exact duplicates are reported; the rest
    /// go in chunks of `chunk_size` with `concurrency` calls in flight, each through the
    /// client's retry logic. A chunk that fails with a 4xx other than 401/403/429 is
    /// split in halves down to single ids, so the report names exactly who failed.
    /// Auth failures, throttling past the retry budget and transport failures stop the
    /// job: unsent users are `not_attempted`. Errors only for bad options
    /// (`chunk_size`, `concurrency`); everything else is in the report.
    pub async fn resign_users<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: UserIdType,
        options: BulkOptions,
    ) -> Result<BulkReport> {
        let _ = (user_ids, user_id_type, options);
        todo!("bulk: issue 4")
    }
}
