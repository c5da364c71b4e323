//! Running a core future to completion from a blocking Python call, on the calling
//! thread's own current-thread runtime ([`crate::local`]): the call and its connection
//! make progress on this thread alone, with no hand-off to another.
//!
//! The GIL is released while waiting (other Python threads run, and 32 threads can share
//! one client), and the wait is cut into slices so `KeyboardInterrupt` (and any other
//! pending signal handler) is seen promptly: on an interrupt the future is dropped, which
//! cancels its in-flight requests, and the signal's exception is raised.

use std::future::Future;
use std::task::Poll;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::local::ThreadRuntime;

/// How often pending signals are checked while a blocking call waits.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// How soon after a blocking call a thread's next one skips letting its connections
/// settle first (see [`wait`]).
const SETTLED_FOR: Duration = Duration::from_millis(1);

/// The one multi-thread tokio runtime of the process, the asyncio client's (a reqwest
/// connection pool belongs to the runtime that opened its connections).
pub(crate) fn runtime() -> &'static tokio::runtime::Runtime {
    pyo3_async_runtimes::tokio::get_runtime()
}

/// Refuses a blocking call made from inside a runtime (this thread's, while one of its
/// calls runs, or the asyncio client's): block_on there would panic. This happens when a
/// sync client is used from code a call runs (an on_progress callback, a log handler).
fn refuse_inside_runtime() -> PyResult<()> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(PyRuntimeError::new_err(
            "a blocking ManagementClient call cannot run inside the SDK's own runtime \
             (e.g. from an on_progress callback); use AsyncManagementClient or call it from another thread",
        ));
    }
    Ok(())
}

/// Waits for `fut` on `rt`, this thread's runtime ([`crate::local::client`]), with the
/// GIL released; `on_interrupt` runs before a signal's exception is raised (the bulk job
/// uses it to cancel its token).
pub(crate) fn wait<F, T>(
    py: Python<'_>,
    rt: &ThreadRuntime,
    fut: F,
    on_interrupt: impl FnOnce(),
) -> PyResult<T>
where
    F: Future<Output = T> + Send,
    T: Send,
{
    refuse_inside_runtime()?;
    let thread_rt = rt;
    let rt = rt.get();
    let mut fut = std::pin::pin!(fut);
    // This thread's pooled connections are only polled while it is inside a call: let
    // them see what happened while it was away (a server closing an idle connection)
    // before the call takes one from the pool. A yielded task is resumed after the
    // runtime has polled its I/O driver; the second lets the woken connections run.
    // Done in the first slice's block_on: one GIL release and runtime entry per call.
    // Skipped when the thread left the runtime less than SETTLED_FOR ago (calls made
    // one after the other): its last step then polled the driver, and a server closes
    // an idle connection after a keep-alive timeout of seconds, not within a millisecond
    // of answering (one that did would have its close race the next request, as it can
    // with any client: an error, or a retry when retries are on).
    let mut settle = thread_rt.away().is_none_or(|away| away >= SETTLED_FOR);
    loop {
        // Whether the runtime polled its driver in this slice (it does before polling a
        // pending future again): only then does leaving count as having just polled.
        let mut polled = settle;
        let slice = py.detach(|| {
            rt.block_on(async {
                // The timer must be created inside block_on (it needs the runtime's
                // context), and is registered before the settling yields: the runtime
                // then parks with it in its timer wheel, so the timers registered after
                // (this one, the core's attempt timeout) are never earlier than the
                // wheel's next expiry, and registering them does not wake the driver
                // (an eventfd write and an extra epoll_wait each, on this very thread).
                let mut signal_poll = std::pin::pin!(tokio::time::sleep(SIGNAL_POLL));
                std::future::poll_fn(|cx| {
                    let _registered = signal_poll.as_mut().poll(cx);
                    Poll::Ready(())
                })
                .await;
                if std::mem::take(&mut settle) {
                    tokio::task::yield_now().await;
                    tokio::task::yield_now().await;
                }
                std::future::poll_fn(|cx| match fut.as_mut().poll(cx) {
                    Poll::Ready(out) => Poll::Ready(Some(out)),
                    Poll::Pending => {
                        polled = true;
                        signal_poll.as_mut().poll(cx).map(|()| None)
                    }
                })
                .await
            })
        });
        if polled {
            thread_rt.leave();
        }
        match slice {
            Some(out) => return Ok(out),
            None => {
                if let Err(signal) = py.check_signals() {
                    on_interrupt();
                    return Err(signal);
                }
            }
        }
    }
}

/// [`wait`] for a bulk job that can hand back what it did: on a first signal
/// `on_interrupt` cancels the job (no new chunks) and the wait goes on until the calls in
/// flight finish; the signal's exception is then raised with `attach` having put the
/// job's outcome on it (`KeyboardInterrupt().report`). A second signal stops waiting:
/// the exception is raised without a report (the calls in flight are cut; the journal,
/// if any, has every outcome recorded so far).
pub(crate) fn wait_reporting<F, T>(
    py: Python<'_>,
    rt: &ThreadRuntime,
    fut: F,
    on_interrupt: impl FnOnce(),
    attach: impl FnOnce(Python<'_>, &PyErr, T),
) -> PyResult<T>
where
    F: Future<Output = T> + Send,
    T: Send,
{
    let mut fut = std::pin::pin!(fut);
    let first = match wait(py, rt, fut.as_mut(), on_interrupt) {
        Ok(out) => return Ok(out),
        Err(signal) => signal,
    };
    // The job is cancelled: it ends once its calls in flight are back.
    if let Ok(out) = wait(py, rt, fut.as_mut(), || ()) {
        attach(py, &first, out);
    }
    Err(first)
}
