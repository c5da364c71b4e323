//! `resign_users`: any number of users, chunked, concurrent, with a per-user report.
//!
//! The public types below are the contract every binding codes against. The work is in
//! private modules: `job` (the entry points; [`plan()`]), `plan` (validation,
//! duplicates, resumed users, chunks), `run` (sending, splitting, stopping), `triage`
//! (what a failed call means for the job), `ledger` (the per-user record), `journal`
//! (the write-ahead record on disk, public for its reader), `resume` (reading an
//! earlier run's journal or report once: [`EarlierRun`]) and `earlier` (the compact set
//! of the users it resigned).

mod compact;
mod earlier;
mod job;
pub mod journal;
mod ledger;
mod plan;
mod report_file;
mod resume;
mod run;
pub(crate) mod table;
mod triage;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::error::{Argument, Error, Result};
use crate::request::{UserIdType, MAX_BATCH_SIZE};

pub use compact::CompactReport;
pub use job::{plan, plan_compact};
pub use report_file::write_replacing;
pub use resume::{resume_file_is_journal, EarlierRun};
pub use table::UserLine;

/// A progress callback, called after each chunk (from a tokio task; keep it quick).
pub type ProgressCallback = Arc<dyn Fn(&BulkProgressEvent) + Send + Sync>;

/// The former name of [`BulkProgressEvent`], kept working (renamed so that uniffi can
/// declare the core's type as it is beside the foreign `BulkProgress` callback).
pub type BulkProgress = BulkProgressEvent;

/// Options of [`ManagementClient::resign_users`].
#[derive(Clone)]
pub struct BulkOptions {
    /// Ids per call, 1..=50 (default 50).
    pub chunk_size: usize,
    /// Calls in flight at once, >= 1 (default 4).
    pub concurrency: usize,
    /// Return the plan without sending anything (default false).
    pub dry_run: bool,
    /// Deadline of the whole job, from the start of the call: chunks not started by
    /// then are `not_attempted`; calls still in flight are cut and their users
    /// `unknown` with a `timeout` error (the server may or may not have acted).
    /// At most [`MAX_JOB_DEADLINE`] (30 days).
    pub deadline: Option<Duration>,
    /// Cancels the job before the next chunk; in-flight chunks finish.
    pub cancel: Option<CancellationToken>,
    /// Called after each chunk.
    pub on_progress: Option<ProgressCallback>,
    /// After sending, read the `resigned` and `unknown` users back
    /// (`GET /api/v3/get-user-batch`, `chunk_size` ids a call, same auth, retries,
    /// concurrency and deadline) and record `verified` and `status` for each (default
    /// false). `unknown` seen `Resigned` becomes `resigned`; `resigned` or `unknown`
    /// seen with another status becomes `failed`; a user the lookup does not return
    /// stays as it was, `verified: false`.
    pub verify: bool,
    /// Resign nobody: look the valid ids up and report each one's `status` (outcome
    /// `not_attempted`, `verified` true when seen) — the audit run after a job
    /// (default false). Not with `dry_run`.
    pub verify_only: bool,
    /// Write-ahead journal: a new file (never an existing one, unless it is also
    /// `resume_from`, which the job then continues). Every call is recorded before it
    /// is sent and its outcome synced to disk before its users are counted; see
    /// [`journal`]. A job whose journal cannot be created sends nothing
    /// ([`Error::Journal`]); one whose journal fails mid-way stops like on a transport
    /// failure, with the error in `stopped_early`.
    pub journal: Option<PathBuf>,
    /// An earlier run's journal (or a JSON report of this project): its resigned users
    /// are skipped (`resigned`, `earlier_run`), everything else is sent (again). It must
    /// record this client's host, access key id and tenant, else
    /// [`Error::ResumeMismatch`] names what differs, and the same id type.
    pub resume_from: Option<PathBuf>,
    /// Accept a `resume_from` of another (or an unrecorded) host, access key id or
    /// tenant. Never another id type.
    pub resume_force: bool,
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self {
            chunk_size: 50,
            concurrency: 4,
            dry_run: false,
            deadline: None,
            cancel: None,
            on_progress: None,
            verify: false,
            verify_only: false,
            journal: None,
            resume_from: None,
            resume_force: false,
        }
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
            .field("verify", &self.verify)
            .field("verify_only", &self.verify_only)
            .field("journal", &self.journal)
            .field("resume_from", &self.resume_from)
            .field("resume_force", &self.resume_force)
            .finish()
    }
}

/// The longest accepted [`BulkOptions::deadline`]: 30 days. A job that needs longer
/// should run without a deadline; the cap keeps `now + deadline` far from the
/// clock's overflow on every platform.
pub const MAX_JOB_DEADLINE: Duration = Duration::from_secs(30 * 24 * 3600);

/// A progress event. Counts are `u64` so that every binding (uniffi included) takes
/// it as it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkProgressEvent {
    /// Users decided so far (every outcome counts, invalid and duplicate included).
    pub done: u64,
    /// Users in the input.
    pub total: u64,
    /// Counts so far.
    pub totals: BulkTotals,
}

/// What happened to one user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Named in a call that succeeded: the server accepted the batch holding this id.
    /// It does not prove the account existed: a server that ignores unknown ids in a
    /// batch (instead of rejecting the batch with 404 / apiCode 2004) makes an unknown
    /// id `resigned` too. Already-resigned users are `resigned` again (idempotent).
    Resigned,
    /// The server said no (a failure envelope, `success: false`), or the request never
    /// left (connection refused, local checks); see the error. Re-sending may succeed.
    Failed,
    /// The request may have been acted on, but its answer was lost: the connection
    /// closed after sending, an attempt timed out after sending, a 2xx that could not
    /// be decoded (or was larger than the cap), a call cut by the job deadline or an
    /// abort. Not known to be resigned, not known not to be: re-send it, or `verify`.
    Unknown,
    /// Rejected locally; never sent.
    Invalid,
    /// An exact repeat of an earlier id in the input; not sent again.
    Duplicate,
    /// Not sent: the job stopped early (auth failure, throttling, transport failure,
    /// cancellation, deadline) or it was a dry run.
    NotAttempted,
}

impl Outcome {
    /// Every outcome, in the order reports list them: what bindings build their
    /// outcome constants from, so that a new outcome is spelled only here.
    pub const ALL: [Outcome; 6] = [
        Self::Resigned,
        Self::Failed,
        Self::Unknown,
        Self::Invalid,
        Self::Duplicate,
        Self::NotAttempted,
    ];

    /// Stable lower-case name (`resigned`, `failed`, `unknown`, `invalid`, `duplicate`,
    /// `not_attempted`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resigned => "resigned",
            Self::Failed => "failed",
            Self::Unknown => "unknown",
            Self::Invalid => "invalid",
            Self::Duplicate => "duplicate",
            Self::NotAttempted => "not_attempted",
        }
    }
}

/// The error attached to a user's outcome (a flattened [`crate::Error`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeError {
    /// [`crate::Error::code`], or [`crate::verify::NOT_RESIGNED`] when `verify` saw
    /// the user with a status other than `Resigned`.
    pub code: String,
    /// The error's message.
    pub message: String,
    /// Envelope statusCode (or HTTP status), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// Envelope apiCode, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_code: Option<u32>,
    /// [`crate::Error::is_retryable`] of the error (in JSON only when true).
    #[serde(default, skip_serializing_if = "is_false")]
    pub retryable: bool,
    /// [`crate::Error::is_auth`] of the error (in JSON only when true): the CLI's
    /// exit code for authentication failures reads it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub auth: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl From<&crate::Error> for OutcomeError {
    fn from(e: &crate::Error) -> Self {
        Self {
            code: e.code().to_string(),
            message: e.to_string(),
            status_code: e.status_code(),
            api_code: e.api_code(),
            retryable: e.is_retryable(),
            auth: e.is_auth(),
        }
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
    /// Whether `verify` confirmed the outcome by reading the user back: `true` (seen;
    /// the outcome follows the status seen), `false` (looked for, not confirmed: see
    /// `verify_note`), absent (not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// The user's `status` the lookup showed (`Resigned`, `Activated`, ...), if seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Why the user could not be verified, when `verified` is `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_note: Option<String>,
    /// `resigned` by an earlier run this job resumed (`BulkOptions::resume_from`),
    /// not by this one.
    #[serde(default, skip_serializing_if = "is_false")]
    pub earlier_run: bool,
}

impl UserOutcome {
    /// A line not (yet) verified.
    pub fn new(
        user_id: &str,
        outcome: Outcome,
        error: Option<OutcomeError>,
        request_id: Option<String>,
    ) -> Self {
        Self {
            user_id: user_id.to_string(),
            outcome,
            error,
            request_id,
            verified: None,
            status: None,
            verify_note: None,
            earlier_run: false,
        }
    }
}

/// Counts per outcome; they always add up to the number of input ids. `u64`, so that
/// every binding (uniffi included) takes them as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkTotals {
    /// `resigned` users.
    pub resigned: u64,
    /// `failed` users.
    pub failed: u64,
    /// `unknown` users.
    #[serde(default)]
    pub unknown: u64,
    /// `invalid` users.
    pub invalid: u64,
    /// `duplicate` users.
    pub duplicate: u64,
    /// `not_attempted` users.
    pub not_attempted: u64,
}

impl BulkTotals {
    /// Counts one more user with this outcome.
    pub fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Resigned => self.resigned += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Unknown => self.unknown += 1,
            Outcome::Invalid => self.invalid += 1,
            Outcome::Duplicate => self.duplicate += 1,
            Outcome::NotAttempted => self.not_attempted += 1,
        }
    }

    /// The sum of all counts (the number of users counted).
    pub fn sum(&self) -> u64 {
        self.resigned
            + self.failed
            + self.unknown
            + self.invalid
            + self.duplicate
            + self.not_attempted
    }

    /// The totals of a list of outcomes.
    pub fn of(users: &[UserOutcome]) -> Self {
        let mut t = Self::default();
        for u in users {
            t.add(u.outcome);
        }
        t
    }
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
    /// HTTP requests made to the resignation endpoint (retries and split calls
    /// included; a call cut by the job deadline counts as one).
    pub http_calls: u64,
    /// Wall time of the job, in milliseconds.
    pub elapsed_ms: u64,
    /// Why the job stopped early, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_early: Option<OutcomeError>,
    /// Whether this was a `verify_only` run (nobody resigned).
    #[serde(default)]
    pub verify_only: bool,
    /// HTTP requests made to `get-user-batch` by `verify` / `verify_only`.
    #[serde(default)]
    pub lookup_calls: u64,
}

impl BulkReport {
    /// Whether every input user ended `resigned`.
    pub fn all_resigned(&self) -> bool {
        self.totals.resigned == self.users.len() as u64
    }

    /// The report as JSON (snake_case keys); `indent` (0 to [`MAX_JSON_INDENT`] spaces)
    /// pretty-prints. A larger indent is an [`Error::InvalidArgument`] naming `indent`:
    /// it is repeated on every line of a report that may hold millions of users.
    /// (`indent` is signed so that a binding passes a caller's negative number on.)
    pub fn to_json(&self, indent: Option<i64>) -> Result<String> {
        let Some(indent) = json_indent(indent)? else {
            return Ok(serde_json::to_string(self).expect("a report always serializes"));
        };
        let mut out = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(&indent);
        let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
        Serialize::serialize(self, &mut ser).expect("a report always serializes");
        Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
    }
}

/// The indent of a pretty-printed report (`None`: compact), checked against
/// [`MAX_JSON_INDENT`].
fn json_indent(indent: Option<i64>) -> Result<Option<Vec<u8>>> {
    let Some(n) = indent else {
        return Ok(None);
    };
    let n = usize::try_from(n)
        .ok()
        .filter(|n| *n <= MAX_JSON_INDENT)
        .ok_or_else(|| {
            Error::invalid(
                Argument::Indent,
                None,
                format!("must be between 0 and {MAX_JSON_INDENT}, got {n}"),
            )
        })?;
    Ok(Some(vec![b' '; n]))
}

/// The largest indent of [`BulkReport::to_json`].
pub const MAX_JSON_INDENT: usize = 16;

impl BulkOptions {
    /// Checks `chunk_size` (1..=50), `concurrency` (>= 1) and `deadline`
    /// (at most [`MAX_JOB_DEADLINE`]).
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_BATCH_SIZE).contains(&self.chunk_size) {
            return Err(Error::invalid(
                Argument::ChunkSize,
                None,
                format!(
                    "is {}; it must be between 1 and {MAX_BATCH_SIZE}",
                    self.chunk_size
                ),
            ));
        }
        if self.concurrency == 0 {
            return Err(Error::invalid(
                Argument::Concurrency,
                None,
                "must be at least 1",
            ));
        }
        if self.verify_only && self.dry_run {
            return Err(Error::invalid(
                Argument::VerifyOnly,
                None,
                "cannot be combined with dry_run (a verify-only run sends no resignation)",
            ));
        }
        if let Some(d) = self.deadline.filter(|d| *d > MAX_JOB_DEADLINE) {
            return Err(Error::invalid(
                Argument::Deadline,
                None,
                format!(
                    "is {} s; it must be at most {} s (30 days), or absent for no deadline",
                    d.as_secs(),
                    MAX_JOB_DEADLINE.as_secs()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Outcome;

    #[test]
    fn outcome_all_lists_every_outcome_once_in_its_serialized_spelling() {
        for (i, outcome) in Outcome::ALL.into_iter().enumerate() {
            // Exhaustive: a new outcome does not compile here until it is placed in `ALL`.
            let position = match outcome {
                Outcome::Resigned => 0,
                Outcome::Failed => 1,
                Outcome::Unknown => 2,
                Outcome::Invalid => 3,
                Outcome::Duplicate => 4,
                Outcome::NotAttempted => 5,
            };
            assert_eq!(position, i, "{outcome:?}");
            assert_eq!(
                serde_json::to_string(&outcome).unwrap(),
                format!("\"{}\"", outcome.as_str())
            );
        }
    }
}
