//! `resignUsers`: the bulk options, cancellation and progress delivery.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use authing_resign::{
    Argument, BulkOptions, BulkProgressEvent, CancellationToken, Error, ManagementClient,
    UserIdType,
};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};

use crate::report::{BulkProgress, NativeReport};

/// The progress callback as the native side holds it: called on the JS thread with
/// one `BulkProgress`, its return value ignored. The JS wrapper passes a function
/// that never throws (it turns an exception into cancellation).
pub type ProgressFn = ThreadsafeFunction<BulkProgress, (), BulkProgress, Status, false>;

/// The bulk options of `resignUsers`, without the JS-only `onProgress` and `signal`.
#[napi(object)]
pub struct ResignUsersRequest {
    /// Any number of ids of one type; invalid ones are reported, never sent.
    pub user_ids: Vec<String>,
    /// How `userIds` are interpreted (default `user_id`).
    #[napi(ts_type = "import('./lib/index').UserIdType")]
    pub user_id_type: Option<String>,
    /// Ids per call, 1 to 50 (default 50).
    pub chunk_size: Option<f64>,
    /// Calls in flight at once, at least 1 (default 4).
    pub concurrency: Option<f64>,
    /// Return the plan without sending anything (default false).
    pub dry_run: Option<bool>,
    /// Deadline of the whole job in milliseconds; chunks not started by then are
    /// `not_attempted`.
    pub deadline: Option<f64>,
    /// Write-ahead journal file: every call is recorded before it is sent and every
    /// outcome before it counts, so a process killed at any moment can resume from it.
    /// Never overwritten (an existing file is refused unless it is `resumeFrom`).
    pub journal: Option<String>,
    /// An earlier run's journal (or JSON report): users it records as resigned are
    /// skipped (`earlierRun`), everyone else is sent. It must record this client's
    /// host, access key id and tenant (else `ResumeMismatchError`) and the same id type.
    pub resume_from: Option<String>,
    /// Accept a `resumeFrom` of another (or an unrecorded) host, key or tenant; never
    /// another id type (default false).
    pub resume_force: Option<bool>,
    /// After sending, read the `resigned` and `unknown` users back
    /// (`GET /api/v3/get-user-batch`) and record `verified` and `status` for each:
    /// `unknown` seen `Resigned` becomes `resigned`, `resigned` seen otherwise becomes
    /// `failed`, a user the lookup does not return stays as it was (default false).
    pub verify: Option<bool>,
    /// Resign nobody: look the valid ids up and report each one's `status` (outcome
    /// `not_attempted`, `verified` true when seen) — the audit run after a job
    /// (default false). Not with `dryRun`.
    pub verify_only: Option<bool>,
}

/// What the native `resignUsers` resolves to: the report, and how many progress
/// events were queued so the wrapper can wait until all were delivered before it
/// resolves (they travel on a different queue than the promise).
#[napi(object, object_from_js = false)]
pub struct NativeBulkResult {
    /// The report as the job keeps it.
    pub report: NativeReport,
    /// Progress events queued for the JS thread.
    pub progress_events: u32,
}

/// Cancels a running `resignUsers` job before its next chunk (in-flight chunks finish).
#[napi]
pub struct CancelToken {
    pub(crate) inner: CancellationToken,
}

#[napi]
impl CancelToken {
    /// A token that is not cancelled.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            inner: CancellationToken::new(),
        }
    }

    /// Requests cancellation; idempotent.
    #[napi]
    pub fn cancel(&self) {
        self.inner.cancel();
    }

    /// Whether cancellation was requested.
    #[napi(getter)]
    pub fn cancelled(&self) -> bool {
        self.inner.is_cancelled()
    }
}

/// Runs the job on the core; the report stays the core's compact one.
pub(crate) async fn run(
    client: ManagementClient,
    req: ResignUsersRequest,
    on_progress: Option<ProgressFn>,
    cancel: CancellationToken,
) -> std::result::Result<NativeBulkResult, Error> {
    let id_type = crate::types::id_type(req.user_id_type.as_deref())?.unwrap_or(UserIdType::UserId);
    let mut options = BulkOptions {
        cancel: Some(cancel),
        ..BulkOptions::default()
    };
    if let Some(n) = req.chunk_size {
        options.chunk_size = count(Argument::ChunkSize, n)?;
    }
    if let Some(n) = req.concurrency {
        options.concurrency = count(Argument::Concurrency, n)?;
    }
    options.dry_run = req.dry_run.unwrap_or(false);
    options.journal = req.journal.map(Into::into);
    options.resume_from = req.resume_from.map(Into::into);
    options.resume_force = req.resume_force.unwrap_or(false);
    options.verify = req.verify.unwrap_or(false);
    options.verify_only = req.verify_only.unwrap_or(false);
    if let Some(ms) = req.deadline {
        options.deadline = Some(
            crate::options::millis(ms)
                .map_err(|reason| Error::invalid(Argument::Deadline, None, reason))?,
        );
    }
    let queued = Arc::new(AtomicU32::new(0));
    if let Some(tsfn) = on_progress {
        let queued = Arc::clone(&queued);
        options.on_progress = Some(Arc::new(move |p: &BulkProgressEvent| {
            // NonBlocking: the queue is unbounded, and a tokio worker must never wait on JS.
            if tsfn.call(p.into(), ThreadsafeFunctionCallMode::NonBlocking) == Status::Ok {
                queued.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    // The job's own compact report, kept as is: `lib/report.js` builds the users from
    // its columns (`cancel` lets calls in flight finish: no abort token, as before).
    // The ids converted from JS are handed over: the job keeps them, not a copy.
    let report = client
        .resign_users_compact_owned(req.user_ids, id_type, options, None)
        .await?;
    Ok(NativeBulkResult {
        report: NativeReport {
            inner: Arc::new(report),
        },
        progress_events: queued.load(Ordering::SeqCst),
    })
}

/// A bulk count option; its range (e.g. chunkSize 1..=50) is the core's to check.
fn count(field: Argument, n: f64) -> std::result::Result<usize, Error> {
    crate::options::whole(n)
        .map(|n| n as usize)
        .map_err(|reason| Error::invalid(field, None, reason))
}
