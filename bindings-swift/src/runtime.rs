//! The one tokio runtime behind every async export, and the guard that keeps panics and
//! abandoned calls from leaking across the FFI.
//!
//! Why not uniffi's `async_runtime = "tokio"`: that polls the core's future on the
//! foreign thread inside a compat shim; spawning on a runtime we own gives the core a
//! reactor of its own, turns a panic into a `JoinError` we can map to a typed error,
//! and lets us abort the task when the foreign side drops the future (Kotlin coroutine
//! cancellation; uniffi's Swift has no such path).
//!
//! The runtime is one thread with the current-thread scheduler (as the Node binding's):
//! a call from Kotlin or Swift pushes its task on the runtime's queue and writes tokio's
//! eventfd, and the call, the connections' tasks and the timers all run on that thread.
//! With the multi-thread scheduler a task spawned from outside woke a worker that woke
//! the second to search for work, and the two passed calls and connections between
//! them: 4.1 context switches per call on the runtime's threads at one call in flight,
//! 2.0 now (bindings-swift/README.md). Callbacks into Kotlin or Swift (a bulk job's
//! progress) run on that thread too, so they hold up every call while they run.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};

use tokio::runtime::Handle;
use tokio::task::JoinHandle;

use crate::errors::AuthingError;

static RUNTIME: OnceLock<Result<Handle, String>> = OnceLock::new();

/// The global runtime, created on first use. Failing to create it (out of threads) is a
/// typed error, not a panic.
pub(crate) fn runtime() -> Result<&'static Handle, AuthingError> {
    RUNTIME
        .get_or_init(|| authing_resign::runtime::start_background().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AuthingError::Internal {
            reason: format!("could not start the tokio runtime: {e}"),
        })
}

/// Runs `fut` on the global runtime and waits for it. A panic inside becomes
/// [`AuthingError::Internal`]; dropping the returned future aborts the task, which drops
/// any request in flight. Kotlin drops it when its coroutine is cancelled; uniffi's Swift
/// only when the call completes (`Task.cancel()` is not seen), so Swift relies on
/// `CancellationToken` and deadlines.
pub(crate) async fn spawn<T, F>(fut: F) -> Result<T, AuthingError>
where
    T: Send + 'static,
    F: Future<Output = Result<T, AuthingError>> + Send + 'static,
{
    let handle = AbortOnDrop(runtime()?.spawn(fut));
    match handle.await {
        Ok(result) => result,
        Err(e) if e.is_panic() => Err(AuthingError::from_panic(e.into_panic())),
        Err(_) => Err(AuthingError::Cancelled),
    }
}

/// Runs a synchronous closure inside the runtime's context (reqwest may need a reactor
/// handle at construction) with panics caught.
pub(crate) fn enter<T>(f: impl FnOnce() -> Result<T, AuthingError>) -> Result<T, AuthingError> {
    let _guard = runtime()?.enter();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(AuthingError::from_panic(p)))
}

/// A join handle that aborts its task when dropped before completion.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> Future for AbortOnDrop<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;

    /// Drives a future the way a foreign caller does: from outside the global runtime.
    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn a_panic_in_a_call_is_a_typed_internal_error() {
        let result = block_on(spawn(async {
            if true {
                panic!("boom in the core");
            }
            Ok(())
        }));
        match result {
            Err(AuthingError::Internal { reason }) => {
                assert!(reason.contains("boom in the core"), "{reason}")
            }
            other => panic!("expected Internal, got {other:?}"),
        }
    }

    #[test]
    fn a_panic_in_a_constructor_is_a_typed_internal_error() {
        let result: Result<(), _> = enter(|| panic!("bad construction"));
        assert!(
            matches!(result, Err(AuthingError::Internal { reason }) if reason.contains("bad construction"))
        );
    }

    #[test]
    fn dropping_the_call_aborts_the_rust_task() {
        let finished = Arc::new(AtomicBool::new(false));
        let flag = finished.clone();
        block_on(async move {
            let call = spawn(async move {
                tokio::time::sleep(Duration::from_millis(200)).await;
                flag.store(true, Ordering::SeqCst);
                Ok(())
            });
            // The foreign side gives up (coroutine cancelled): the future is dropped.
            assert!(tokio::time::timeout(Duration::from_millis(20), call)
                .await
                .is_err());
            tokio::time::sleep(Duration::from_millis(400)).await;
        });
        assert!(
            !finished.load(Ordering::SeqCst),
            "the task ran on after its caller went away"
        );
    }
}
