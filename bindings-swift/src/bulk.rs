//! `resignUsers` types: options with a cancellation token, the progress callback
//! interface, and the report (mirrored where the core uses `usize`, which uniffi lacks).

use std::sync::Arc;

use authing_resign::{OutcomeError, UserIdType, UserOutcome};

use crate::errors::AuthingError;
use crate::interval::Interval;

/// Cancels a running `resignUsers` job: no chunk starts after `cancel()`; chunks in
/// flight finish and the remaining users are reported `notAttempted`.
#[derive(uniffi::Object, Default)]
pub struct CancellationToken(authing_resign::CancellationToken);

#[uniffi::export]
impl CancellationToken {
    /// A fresh, not yet cancelled token.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Requests cancellation (idempotent, callable from any thread).
    pub fn cancel(&self) {
        self.0.cancel();
    }

    /// Whether `cancel()` was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

/// Options of `resignUsers`; every field has a default.
#[derive(uniffi::Record)]
pub struct BulkOptions {
    /// Ids per call, 1..=50.
    #[uniffi(default = 50)]
    pub chunk_size: u32,
    /// Calls in flight at once, at least 1.
    #[uniffi(default = 4)]
    pub concurrency: u32,
    /// Return the plan without sending anything.
    #[uniffi(default = false)]
    pub dry_run: bool,
    /// Deadline of the whole job; chunks not started by then are `notAttempted`.
    #[uniffi(default = None)]
    pub deadline: Option<Interval>,
    /// Cancels the job before its next chunk.
    #[uniffi(default = None)]
    pub cancel: Option<Arc<CancellationToken>>,
    /// Write-ahead journal file (a path): every call is recorded before it is sent and
    /// every outcome before it counts, so a process killed at any moment can resume.
    /// Never overwritten (an existing file is refused unless it is `resumeFrom`).
    #[uniffi(default = None)]
    pub journal: Option<String>,
    /// An earlier run's journal (or JSON report): users it records as resigned are
    /// skipped (`earlierRun`), everyone else is sent. It must record this client's host,
    /// access key id and tenant (else `ResumeMismatch`) and the same id type.
    #[uniffi(default = None)]
    pub resume_from: Option<String>,
    /// Accept a `resumeFrom` of another (or an unrecorded) host, key or tenant; never
    /// another id type.
    #[uniffi(default = false)]
    pub resume_force: bool,
}

/// Counts per outcome; they add up to the number of input ids.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct BulkTotals {
    /// `resigned` users.
    pub resigned: u64,
    /// `failed` users.
    pub failed: u64,
    /// `invalid` users.
    pub invalid: u64,
    /// `duplicate` users.
    pub duplicate: u64,
    /// `notAttempted` users.
    pub not_attempted: u64,
}

/// A progress event, delivered after each chunk.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct BulkProgressEvent {
    /// Users decided so far (invalid and duplicate included).
    pub done: u64,
    /// Users in the input.
    pub total: u64,
    /// Counts so far.
    pub totals: BulkTotals,
}

/// Receives progress events, implemented in Swift or Kotlin. Called on an SDK thread:
/// keep it quick. An exception it throws is ignored and the job goes on.
#[uniffi::export(callback_interface)]
pub trait BulkProgress: Send + Sync {
    /// Called after each chunk.
    fn on_progress(&self, progress: BulkProgressEvent) -> Result<(), AuthingError>;
}

/// The result of `resignUsers`: one entry per input id, in input order.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
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
}

impl From<authing_resign::BulkTotals> for BulkTotals {
    fn from(t: authing_resign::BulkTotals) -> Self {
        Self {
            resigned: t.resigned as u64,
            failed: t.failed as u64,
            invalid: t.invalid as u64,
            duplicate: t.duplicate as u64,
            not_attempted: t.not_attempted as u64,
        }
    }
}

impl From<&authing_resign::BulkProgress> for BulkProgressEvent {
    fn from(p: &authing_resign::BulkProgress) -> Self {
        Self {
            done: p.done as u64,
            total: p.total as u64,
            totals: p.totals.clone().into(),
        }
    }
}

impl From<authing_resign::BulkReport> for BulkReport {
    fn from(r: authing_resign::BulkReport) -> Self {
        Self {
            user_id_type: r.user_id_type,
            dry_run: r.dry_run,
            users: r.users,
            totals: r.totals.into(),
            chunks: r.chunks,
            http_calls: r.http_calls,
            elapsed_ms: r.elapsed_ms,
            stopped_early: r.stopped_early,
        }
    }
}

/// Builds the core's options. Sizes beyond `usize` cannot occur on 32/64-bit targets;
/// range checks (chunk size 1..=50, concurrency >= 1) are the core's. A deadline that is
/// no duration (negative, NaN, infinite) is `InvalidArgument` naming `deadline`.
pub(crate) fn core_options(
    o: BulkOptions,
    progress: Option<Box<dyn BulkProgress>>,
) -> Result<authing_resign::BulkOptions, AuthingError> {
    let deadline = o
        .deadline
        .map(Interval::to_duration)
        .transpose()
        .map_err(|reason| AuthingError::InvalidArgument {
            field: "deadline".into(),
            index: None,
            reason,
        })?;
    let on_progress = progress.map(|cb| {
        let cb: Arc<dyn BulkProgress> = Arc::from(cb);
        Arc::new(move |p: &authing_resign::BulkProgress| {
            // Progress is advisory: a throwing callback must not fail or abort the job.
            let _ = cb.on_progress(p.into());
        }) as authing_resign::bulk::ProgressCallback
    });
    Ok(authing_resign::BulkOptions {
        chunk_size: o.chunk_size as usize,
        concurrency: o.concurrency as usize,
        dry_run: o.dry_run,
        deadline,
        cancel: o.cancel.map(|c| c.0.clone()),
        on_progress,
        journal: o.journal.map(Into::into),
        resume_from: o.resume_from.map(Into::into),
        resume_force: o.resume_force,
        ..Default::default()
    })
}
