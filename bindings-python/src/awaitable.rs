//! A Rust future as an asyncio future, in place of `pyo3_async_runtimes`'
//! `future_into_py`, whose result delivery attaches to Python from the blocking pool
//! outside our exit gate (`crate::gil`) and could crash the process at exit.
//!
//! The asyncio future comes from the running loop (`loop.create_future()`); the Rust
//! future runs on the one global runtime. Its outcome goes to the loop's completion
//! queue (`crate::completions`): the loop's own thread builds the result and sets it,
//! so no Rust thread takes the GIL. A loop without `add_reader` falls back to building
//! the result on the blocking pool, through the gate, and handing it over with
//! `call_soon_threadsafe`. Either way it is set only if the asyncio future is not done
//! yet. Cancelling the awaiting task cancels the asyncio future, whose done callback
//! drops the Rust future, which aborts its requests.

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::task::Poll;

use authing_resign::CancellationToken;
use pyo3::exceptions::PyRuntimeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::completions::{self, Delivery};

/// Builds a call's Python result once the GIL is held.
pub(crate) type Finish = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// What a finished Rust future hands to the loop: its `Finish`, or its panic.
pub(crate) type Outcome = std::thread::Result<Finish>;

static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `fut` as an asyncio future of the running loop (`RuntimeError` if none is running).
pub(crate) fn spawn<'py>(
    py: Python<'py>,
    fut: impl Future<Output = Finish> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>> {
    let event_loop = GET_RUNNING_LOOP
        .import(py, "asyncio", "get_running_loop")?
        .call0()?;
    let future = event_loop.call_method0(intern!(py, "create_future"))?;
    let cancel = CancellationToken::new();
    future.call_method1(intern!(py, "add_done_callback"), (OnDone(cancel.clone()),))?;
    let delivery = completions::for_loop(py, &event_loop);
    // Only the fallback needs the loop on the Rust side (kept, it would be one more
    // decref deferred from a Rust thread per call).
    let fallback_loop = matches!(delivery, Delivery::Fallback).then(|| event_loop.unbind());
    let target = future.clone().unbind();
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
        match (delivery, fallback_loop) {
            (Delivery::Queue(queue), _) => queue.push(target, outcome),
            // Holding the GIL on a runtime worker would stall the other tasks.
            (Delivery::Fallback, Some(event_loop)) => {
                drop(tokio::task::spawn_blocking(move || {
                    crate::gil::attach(move |py| {
                        hand_over(py, event_loop.bind(py), target.bind(py), outcome);
                    })
                }));
            }
            // Not made: a fallback always keeps its loop.
            (Delivery::Fallback, None) => {}
        }
    });
    Ok(future)
}

/// The call's result, or its exception (a panic of the Rust side included).
fn result(py: Python<'_>, outcome: Outcome) -> PyResult<Py<PyAny>> {
    outcome
        .and_then(|finish| panic::catch_unwind(AssertUnwindSafe(|| finish(py))))
        .unwrap_or_else(|payload| Err(panicked(payload.as_ref())))
}

/// On the loop's thread: sets the future's result or exception unless it is done
/// (cancelled while the call finished). Nothing to report if that fails: the future
/// is then done, and nobody awaits it any more.
pub(crate) fn settle(py: Python<'_>, future: &Bound<'_, PyAny>, outcome: Outcome) {
    if is_done(future) {
        return;
    }
    let _ = match result(py, outcome) {
        Ok(value) => future.call_method1(intern!(py, "set_result"), (value,)),
        Err(e) => future.call_method1(intern!(py, "set_exception"), (e.into_value(py),)),
    };
}

/// The fallback (a loop without `add_reader`): from a blocking-pool thread, hands the
/// result (or exception) to the loop, unless the future is already done.
fn hand_over(
    py: Python<'_>,
    event_loop: &Bound<'_, PyAny>,
    future: &Bound<'_, PyAny>,
    outcome: Outcome,
) {
    if is_done(future) {
        return;
    }
    let result = result(py, outcome);
    let complete = Complete {
        future: future.clone().unbind(),
        outcome: result.map_err(|e| e.into_value(py).into_any()),
    };
    // Fails only once the loop is closed: nobody is left to await the result.
    let _ = event_loop.call_method1("call_soon_threadsafe", (complete,));
}

/// The exception for a panic of the Rust side of a call (a bug; the process goes on).
fn panicked(payload: &(dyn std::any::Any + Send)) -> PyErr {
    let what = authing_resign::error::panic_text(payload);
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
