//! `resign_users`: any number of users, chunked, concurrent, with a per-user report.
//!
//! The public types below are the contract every binding codes against. The work is in
//! private modules: `plan` (validation, duplicates, chunks; public as [`plan()`]),
//! `run` (sending, splitting, stopping), `triage` (what a failed call means for the
//! job) and `ledger` (the per-user record).

mod ledger;
mod plan;
mod run;
mod triage;

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::client::ManagementClient;
use crate::error::{Argument, Error, Result};
use crate::request::{UserIdType, MAX_BATCH_SIZE};

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
        let Some(n) = indent else {
            return Ok(serde_json::to_string(self).expect("a report always serializes"));
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
        let indent = vec![b' '; n];
        let mut out = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(&indent);
        let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
        Serialize::serialize(self, &mut ser).expect("a report always serializes");
        Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
    }
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

/// The plan of a job without a client: what [`ManagementClient::resign_users`] with
/// `dry_run` returns (invalid and duplicate ids decided, every other id
/// `not_attempted`, the chunks listed). No network, no credentials needed.
/// Errors only when `chunk_size` is not in 1..=50.
pub fn plan<S: AsRef<str>>(
    user_ids: &[S],
    user_id_type: UserIdType,
    chunk_size: usize,
) -> Result<BulkReport> {
    let options = BulkOptions {
        chunk_size,
        dry_run: true,
        ..BulkOptions::default()
    };
    options.validate()?;
    let started = std::time::Instant::now();
    let ids: Vec<String> = user_ids.iter().map(|s| s.as_ref().to_string()).collect();
    let plan = plan::Plan::new(&ids, user_id_type, chunk_size);
    let chunks = plan.chunk_ids(&ids);
    let (users, totals) = ledger::Ledger::new(plan.decided).finish(&ids, None, None);
    Ok(BulkReport {
        user_id_type,
        dry_run: true,
        users,
        totals,
        chunks,
        http_calls: 0,
        elapsed_ms: elapsed_ms(started.elapsed()),
        stopped_early: None,
        verify_only: false,
        lookup_calls: 0,
    })
}

fn elapsed_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl ManagementClient {
    /// Resigns any number of users of one id type and reports each one's outcome.
    ///
    /// Invalid ids are reported and never sent; exact duplicates are reported; the rest
    /// go in chunks of `chunk_size` with `concurrency` calls in flight, each through the
    /// client's retry logic. A chunk that fails with a 4xx that could be about one id
    /// (not 401/403/429, not a 404 without apiCode, i.e. an unknown route) is split in
    /// halves down to single ids, so the report names exactly who failed; if a single id
    /// then fails with exactly the first chunk failure's status, apiCode and message
    /// while no call of the job has succeeded, the request itself is being rejected and
    /// the job stops. Auth failures, throttling past the retry budget and transport
    /// failures stop the job: unsent users are `not_attempted`. Cancellation and the
    /// job deadline stop it before the next chunk (the deadline also cuts calls in
    /// flight). Errors only for bad options (`chunk_size`, `concurrency`, `deadline`);
    /// everything else is in the report.
    pub async fn resign_users<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: UserIdType,
        options: BulkOptions,
    ) -> Result<BulkReport> {
        self.run_bulk(user_ids, user_id_type, options, None).await
    }

    /// [`ManagementClient::resign_users`] with an emergency stop: when `abort` fires,
    /// calls in flight (including one waiting in retry backoff) are cut and the report
    /// comes back at once. Users of a cut call are `unknown` with a `cancelled` error,
    /// since the server may or may not have acted on it; users not yet sent are
    /// `not_attempted`. (`options.cancel`, by contrast, lets calls in flight finish.)
    pub async fn resign_users_abortable<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: UserIdType,
        options: BulkOptions,
        abort: CancellationToken,
    ) -> Result<BulkReport> {
        self.run_bulk(user_ids, user_id_type, options, Some(&abort))
            .await
    }

    async fn run_bulk<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: UserIdType,
        options: BulkOptions,
        abort: Option<&CancellationToken>,
    ) -> Result<BulkReport> {
        options.validate()?;
        if options.dry_run {
            return plan(user_ids, user_id_type, options.chunk_size);
        }
        let started = tokio::time::Instant::now();
        let ids: Vec<String> = user_ids.iter().map(|s| s.as_ref().to_string()).collect();
        let plan = plan::Plan::new(&ids, user_id_type, options.chunk_size);
        let chunks = plan.chunk_ids(&ids);
        let progress = options.on_progress.as_ref();
        let (mut users, stopped_early, http_calls) = if options.verify_only {
            let (users, _) = ledger::Ledger::new(plan.decided).finish(&ids, None, progress);
            (users, None, 0)
        } else {
            let job = run::Job {
                inner: &self.inner,
                ids: &ids,
                id_type: user_id_type,
                options: &options,
                abort,
            };
            let (ledger, stopped_early, http_calls) = job.execute(plan, started).await;
            let (users, _) = ledger.finish(&ids, stopped_early.as_ref(), progress);
            (users, stopped_early, http_calls)
        };
        let mut lookup_calls = 0;
        if options.verify || options.verify_only {
            let pass = crate::verify::Pass {
                inner: &self.inner,
                id_type: user_id_type,
                options: &options,
                deadline: options.deadline.and_then(|d| started.checked_add(d)),
                abort,
            };
            let check: fn(Outcome) -> bool = if options.verify_only {
                |o| o == Outcome::NotAttempted
            } else {
                |o| matches!(o, Outcome::Resigned | Outcome::Unknown)
            };
            lookup_calls = pass.run(&mut users, check).await;
        }
        Ok(BulkReport {
            user_id_type,
            dry_run: false,
            totals: BulkTotals::of(&users),
            users,
            chunks,
            http_calls,
            elapsed_ms: elapsed_ms(started.elapsed()),
            stopped_early,
            verify_only: options.verify_only,
            lookup_calls,
        })
    }
}
