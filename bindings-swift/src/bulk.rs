//! `resignUsers` types: options with a cancellation token and the progress callback
//! interface. The report and progress event are the core's (remote records, `types`).

use std::sync::Arc;

use authing_resign::{Argument, BulkProgressEvent, Error};

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
    /// After sending, read the users back and record `verified` and `status`.
    #[uniffi(default = false)]
    pub verify: bool,
    /// Resign nobody: look the ids up and report each one's status.
    #[uniffi(default = false)]
    pub verify_only: bool,
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

/// Receives progress events, implemented in Swift or Kotlin. Called on the SDK's one I/O
/// thread: keep it quick (hand anything slow to your own thread or dispatcher), since
/// every call of the SDK waits while it runs. An exception it throws is ignored and the
/// job goes on.
#[uniffi::export(callback_interface)]
pub trait BulkProgress: Send + Sync {
    /// Called after each chunk.
    fn on_progress(&self, progress: BulkProgressEvent) -> Result<(), AuthingError>;
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
        .map_err(|reason| Error::invalid(Argument::Deadline, None, reason))?;
    let on_progress = progress.map(|cb| {
        let cb: Arc<dyn BulkProgress> = Arc::from(cb);
        Arc::new(move |p: &BulkProgressEvent| {
            // Progress is advisory: a throwing callback must not fail or abort the job.
            let _ = cb.on_progress(p.clone());
        }) as authing_resign::bulk::ProgressCallback
    });
    Ok(authing_resign::BulkOptions {
        chunk_size: o.chunk_size as usize,
        concurrency: o.concurrency as usize,
        dry_run: o.dry_run,
        deadline,
        cancel: o.cancel.map(|c| c.0.clone()),
        on_progress,
        verify: o.verify,
        verify_only: o.verify_only,
        journal: o.journal.map(Into::into),
        resume_from: o.resume_from.map(Into::into),
        resume_force: o.resume_force,
    })
}
