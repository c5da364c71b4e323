//! Running a core future to completion from a blocking Python call.
//!
//! The GIL is released while waiting (other Python threads run, and 32 threads can share
//! one client), and the wait is cut into slices so `KeyboardInterrupt` (and any other
//! pending signal handler) is seen promptly: on an interrupt the future is dropped, which
//! cancels its in-flight requests, and the signal's exception is raised.

use std::future::Future;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// How often pending signals are checked while a blocking call waits.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// The one tokio runtime of the process, shared with the asyncio client (a reqwest
/// connection pool belongs to the runtime that opened its connections).
pub(crate) fn runtime() -> &'static tokio::runtime::Runtime {
    pyo3_async_runtimes::tokio::get_runtime()
}

/// Waits for `fut` with the GIL released; `on_interrupt` runs before a signal's
/// exception is raised (the bulk job uses it to cancel its token).
pub(crate) fn wait<F, T>(py: Python<'_>, fut: F, on_interrupt: impl FnOnce()) -> PyResult<T>
where
    F: Future<Output = T> + Send,
    T: Send,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        // block_on inside the runtime would panic; this happens when a sync client is
        // used from code the runtime calls back (e.g. an on_progress callback).
        return Err(PyRuntimeError::new_err(
            "a blocking ManagementClient call cannot run inside the SDK's own runtime \
             (e.g. from an on_progress callback); use AsyncManagementClient or call it from another thread",
        ));
    }
    let rt = runtime();
    let mut fut = std::pin::pin!(fut);
    loop {
        // The timer must be created inside block_on: it needs the runtime's context.
        let slice = py.detach(|| {
            rt.block_on(async { tokio::time::timeout(SIGNAL_POLL, fut.as_mut()).await })
        });
        match slice {
            Ok(out) => return Ok(out),
            Err(_still_running) => {
                if let Err(signal) = py.check_signals() {
                    on_interrupt();
                    return Err(signal);
                }
            }
        }
    }
}
