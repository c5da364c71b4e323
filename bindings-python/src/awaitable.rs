//! A Rust future as an asyncio future, in place of `pyo3_async_runtimes`'
//! `future_into_py`, whose result delivery attaches to Python from the blocking pool
//! outside our exit gate (`crate::gil`) and could crash the process at exit.
//!
//! The asyncio future comes from the running loop (`loop.create_future()`); the Rust
//! future runs on the one global runtime; its result is built and handed to the loop
//! (`call_soon_threadsafe`) from the blocking pool, through the gate, and set only if the
//! asyncio future is not done yet. Cancelling the awaiting task cancels the asyncio
//! future, whose done callback drops the Rust future, which aborts its requests.

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::task::Poll;

use authing_resign::CancellationToken;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// Builds a call's Python result once the GIL is held.
pub(crate) type Finish = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// `fut` as an asyncio future of the running loop (`RuntimeError` if none is running).
pub(crate) fn spawn<'py>(
    py: Python<'py>,
    fut: impl Future<Output = Finish> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>> {
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let future = event_loop.call_method0("create_future")?;
    let cancel = CancellationToken::new();
    future.call_method1("add_done_callback", (OnDone(cancel.clone()),))?;
    let (event_loop, target) = (event_loop.unbind(), future.clone().unbind());
    crate::blocking::runtime().spawn(async move {
        let mut fut = std::pin::pin!(fut);
        // A panic becomes the awaiter's exception instead of an awaitable that never ends.
        let outcome = std::future::poll_fn(|cx| {
            match panic::catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
                Ok(Poll::Pending) => Poll::Pending,
                Ok(Poll::Ready(finish)) => Poll::Ready(Ok(finish)),
                Err(payload) => Poll::Ready(Err(payload)),
            }
        });
        let outcome = tokio::select! {
            biased;
            // Cancelled: leaving drops `fut`, which aborts its requests.
            () = cancel.cancelled() => return,
            outcome = outcome => outcome,
        };
        // Holding the GIL on a runtime worker would stall the other tasks.
        tokio::task::spawn_blocking(move || {
            crate::gil::attach(move |py| {
                deliver(py, event_loop.bind(py), target.bind(py), outcome);
            })
        });
    });
    Ok(future)
}

/// Hands the result (or exception) to the loop, unless the future is already done.
fn deliver(
    py: Python<'_>,
    event_loop: &Bound<'_, PyAny>,
    future: &Bound<'_, PyAny>,
    outcome: std::thread::Result<Finish>,
) {
    if is_done(future) {
        return;
    }
    let result = outcome
        .and_then(|finish| panic::catch_unwind(AssertUnwindSafe(|| finish(py))))
        .unwrap_or_else(|payload| Err(panicked(payload.as_ref())));
    let complete = Complete {
        future: future.clone().unbind(),
        outcome: result.map_err(|e| e.into_value(py).into_any()),
    };
    // Fails only once the loop is closed: nobody is left to await the result.
    let _ = event_loop.call_method1("call_soon_threadsafe", (complete,));
}

/// The exception for a panic of the Rust side of a call (a bug; the process goes on).
fn panicked(payload: &(dyn std::any::Any + Send)) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic");
    PyRuntimeError::new_err(format!("authing_resign internal error (panic): {what}"))
}

fn is_done(future: &Bound<'_, PyAny>) -> bool {
    future
        .call_method0("done")
        .and_then(|d| d.is_truthy())
        .unwrap_or(true)
}

/// Done callback of the asyncio future: stops the Rust future (a no-op once it finished).
#[pyclass(frozen, module = "authing_resign._native")]
struct OnDone(CancellationToken);

#[pymethods]
impl OnDone {
    fn __call__(&self, _future: &Bound<'_, PyAny>) {
        self.0.cancel();
    }
}

/// Runs on the loop's thread: sets the result or exception if the future is not done
/// (it may have been cancelled since the result was sent).
#[pyclass(frozen, module = "authing_resign._native")]
struct Complete {
    future: Py<PyAny>,
    outcome: Result<Py<PyAny>, Py<PyAny>>,
}

#[pymethods]
impl Complete {
    fn __call__(&self, py: Python<'_>) -> PyResult<()> {
        let future = self.future.bind(py);
        if is_done(future) {
            return Ok(());
        }
        match &self.outcome {
            Ok(value) => future.call_method1("set_result", (value,))?,
            Err(exc) => future.call_method1("set_exception", (exc,))?,
        };
        Ok(())
    }
}
