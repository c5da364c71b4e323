//! `on_progress` and cancellation of a bulk job: a Python callable called from the
//! core with `(done, total)`; if it raises, the job is cancelled and the exception is
//! what the caller sees.

use std::sync::{Arc, Mutex};

use authing_resign::{BulkOptions, BulkProgress, CancellationToken, CompactReport};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

/// What a bulk call needs besides the ids: the options, the token that cancels the job,
/// and the slot where a failing callback leaves its exception.
pub(crate) struct Job {
    pub options: BulkOptions,
    pub cancel: CancellationToken,
    callback_error: Arc<Mutex<Option<PyErr>>>,
}

impl Job {
    /// Wires `on_progress` (if any) and a fresh cancellation token into `options`.
    pub(crate) fn new(mut options: BulkOptions, on_progress: Option<Py<PyAny>>) -> Self {
        let cancel = CancellationToken::new();
        let callback_error = Arc::new(Mutex::new(None));
        options.cancel = Some(cancel.clone());
        if let Some(callback) = on_progress {
            let (slot, token) = (Arc::clone(&callback_error), cancel.clone());
            options.on_progress = Some(Arc::new(move |p: &BulkProgress| {
                // After the callback has raised once, chunks still in flight report
                // progress too; the caller is not called again.
                if token.is_cancelled() {
                    return;
                }
                // Not called once the interpreter is exiting (see `crate::gil`).
                crate::gil::attach(|py| {
                    if let Err(e) = callback
                        .call1(py, (p.done, p.total))
                        .and_then(|r| not_awaitable(r.bind(py)))
                    {
                        let mut slot = slot.lock().unwrap_or_else(|p| p.into_inner());
                        slot.get_or_insert(e);
                        token.cancel();
                    }
                });
            }));
        }
        Self {
            options,
            cancel,
            callback_error,
        }
    }

    /// The callback's exception if it raised (it wins over the report, which it then
    /// carries as `.report`), else the report.
    pub(crate) fn finish(
        py: Python<'_>,
        slot: &Mutex<Option<PyErr>>,
        result: authing_resign::Result<CompactReport>,
    ) -> Result<CompactReport, Finish> {
        if let Some(e) = slot.lock().unwrap_or_else(|p| p.into_inner()).take() {
            if let Ok(report) = result {
                attach_report(py, &e, report);
            }
            return Err(Finish::Callback(e));
        }
        result.map_err(Finish::Core)
    }

    /// The slot to read after the job ends.
    pub(crate) fn error_slot(&self) -> Arc<Mutex<Option<PyErr>>> {
        Arc::clone(&self.callback_error)
    }
}

/// Why an `async` `on_progress` is refused (up front, or when a call returns an awaitable).
pub(crate) const ASYNC_CALLBACK: &str =
    "on_progress must be a plain function on_progress(done, total); async callbacks are not \
     supported (it is called from the SDK's worker threads, where nothing awaits it): \
     use a regular def, e.g. one that calls loop.call_soon_threadsafe(...)";

/// Refuses an `on_progress` that is not callable, or is a coroutine function, up front.
pub(crate) fn check_callback(py: Python<'_>, on_progress: Option<&Py<PyAny>>) -> PyResult<()> {
    if let Some(cb) = on_progress {
        if !cb.bind(py).is_callable() {
            return Err(PyTypeError::new_err(format!(
                "on_progress must be callable as on_progress(done, total), not {}",
                crate::args::type_name(cb.bind(py))
            )));
        }
        // Called from Rust, a coroutine function would only make a coroutine that nobody
        // awaits: no progress, a RuntimeWarning and any exception lost.
        let inspect = py.import("inspect")?;
        if inspect
            .call_method1("iscoroutinefunction", (cb.bind(py),))?
            .is_truthy()?
        {
            return Err(PyTypeError::new_err(ASYNC_CALLBACK));
        }
    }
    Ok(())
}

/// Refuses what `on_progress` returned if it is awaitable (e.g. an object whose
/// `__call__` is `async def`, which the up-front check cannot see): nothing would ever
/// await it. A coroutine is closed first so Python does not warn that it was never awaited.
fn not_awaitable(returned: &Bound<'_, PyAny>) -> PyResult<()> {
    if !returned.hasattr("__await__")? {
        return Ok(());
    }
    if returned.hasattr("close")? {
        returned.call_method0("close")?;
    }
    Err(PyTypeError::new_err(ASYNC_CALLBACK))
}

/// Puts a job's report on the exception that ended it, as `.report`. An exception type
/// that takes no attributes (a C type without `__dict__`) goes without: the journal,
/// if any, still has every outcome.
pub(crate) fn attach_report(py: Python<'_>, e: &PyErr, report: CompactReport) {
    if let Ok(r) = Py::new(py, crate::report::BulkReport::from(report)) {
        let _ = e.value(py).setattr("report", r);
    }
}

/// How a bulk call failed.
pub(crate) enum Finish {
    /// `on_progress` raised.
    Callback(PyErr),
    /// The core refused the job (bad options).
    Core(authing_resign::Error),
}

impl Finish {
    /// The Python exception to raise.
    pub(crate) fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self {
            Self::Callback(e) => e,
            Self::Core(e) => crate::errors::to_pyerr(py, &e),
        }
    }
}
