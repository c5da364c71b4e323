//! [`BulkJob`]: a running `resignUsers` job that outlives the coroutine or Task awaiting
//! it, so that cancelling the caller stops the job cooperatively (calls in flight finish,
//! their outcomes reach the journal) and the partial report can still be collected.
//!
//! Why a handle: uniffi's Kotlin ends a cancelled coroutine's call at once and drops the
//! Rust future, and uniffi's Swift never sees `Task.cancel()`; neither can hand a report
//! back through the cancelled call itself. The job therefore runs on the binding's
//! runtime, detached from any one await, and [`BulkJob::report`] can be awaited again
//! (Kotlin: `withContext(NonCancellable)`; the hand-written `BulkJob.await()` does it).

use std::sync::Arc;

use authing_resign::{BulkReport, CancellationToken, ManagementClient, UserIdType};
use tokio::sync::watch;

use crate::errors::AuthingError;
use crate::runtime::runtime;

type Outcome = Option<Result<BulkReport, AuthingError>>;

/// A bulk job started by `ManagementClient.startResignUsers`. It runs until it ends on its
/// own, `cancel()` or `abort()` stops it, or a wait in `report()` is abandoned (which
/// cancels it like `cancel()`).
#[derive(uniffi::Object)]
pub struct BulkJob {
    cancel: CancellationToken,
    abort: CancellationToken,
    done: watch::Receiver<Outcome>,
}

impl BulkJob {
    /// Starts the job on the binding's runtime. `cancel` is the job's own token (a child
    /// of the caller's `BulkOptions.cancel`, so cancelling the job never cancels the
    /// caller's token).
    pub(crate) fn start(
        client: ManagementClient,
        user_ids: Vec<String>,
        user_id_type: UserIdType,
        mut options: authing_resign::BulkOptions,
    ) -> Result<Arc<Self>, AuthingError> {
        let rt = runtime()?;
        let cancel = options
            .cancel
            .as_ref()
            .map_or_else(CancellationToken::new, CancellationToken::child_token);
        options.cancel = Some(cancel.clone());
        let abort = CancellationToken::new();
        let (tx, done) = watch::channel(None);
        let stop = abort.clone();
        let work = rt.spawn(async move {
            client
                .resign_users_abortable(&user_ids, user_id_type, options, stop)
                .await
                .map_err(AuthingError::from)
        });
        // A second task turns a panic of the job into a typed error, so `report()` always
        // gets an answer.
        rt.spawn(async move {
            let outcome = match work.await {
                Ok(result) => result,
                Err(e) if e.is_panic() => Err(AuthingError::from_panic(e.into_panic())),
                Err(_) => Err(AuthingError::Cancelled),
            };
            let _ = tx.send(Some(outcome));
        });
        Ok(Arc::new(Self {
            cancel,
            abort,
            done,
        }))
    }
}

#[uniffi::export]
impl BulkJob {
    /// Stops the job cooperatively: no chunk starts after this; calls in flight finish
    /// and their outcomes are journaled; unsent users are `notAttempted` and the report's
    /// `stoppedEarly.code` is `cancelled`. Idempotent.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// Emergency stop: calls in flight (and retry waits) are cut at once. Users of a cut
    /// call are `unknown` with a `cancelled` error, since the server may have acted.
    pub fn abort(&self) {
        self.cancel.cancel();
        self.abort.cancel();
    }

    /// Whether the job has ended (its report is ready).
    pub fn is_finished(&self) -> bool {
        self.done.borrow().is_some()
    }

    /// Waits for the job and returns its report (the same one to every caller, as often
    /// as asked). Throws what `resignUsers` throws before sending (bad options, journal,
    /// resume mismatch). If this wait is abandoned (a cancelled Kotlin coroutine), the
    /// job is cancelled as by `cancel()` and goes on to write its journal; call
    /// `report()` again to collect the partial report.
    pub async fn report(&self) -> Result<BulkReport, AuthingError> {
        let guard = CancelOnDrop(Some(self.cancel.clone()));
        let result = wait(self.done.clone()).await;
        guard.disarm();
        result
    }
}

/// The job's outcome, once it is there.
async fn wait(mut done: watch::Receiver<Outcome>) -> Result<BulkReport, AuthingError> {
    match done.wait_for(Option::is_some).await {
        Ok(outcome) => outcome.clone().unwrap_or_else(lost),
        // The sender lives in a task that always sends before ending; a dropped runtime
        // (process exit) is the only way here.
        Err(_) => lost(),
    }
}

fn lost() -> Result<BulkReport, AuthingError> {
    Err(AuthingError::Internal {
        reason: "the job's task ended without a report".into(),
    })
}

/// Cancels the job when a wait for it is dropped before it completed.
struct CancelOnDrop(Option<CancellationToken>);

impl CancelOnDrop {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(token) = self.0.take() {
            token.cancel();
        }
    }
}
