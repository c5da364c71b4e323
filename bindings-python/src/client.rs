//! `Client`: the one native client behind both public classes of
//! `authing_resign/client.py` (`ManagementClient` and `AsyncManagementClient`, written
//! in Python as lancedb does). It is made blocking or not: each method converts its
//! arguments at once (with the GIL, so a wrong type raises before anything is awaited)
//! and then either runs the call on the calling thread with the GIL released and
//! returns its result (blocking), or returns an asyncio awaitable of it.
//!
//! (Before, each method returned a prepared `Call` object that the Python class then
//! `wait()`ed or `awaitable()`d: one more Python frame, native call and object per
//! call, a boxed closure and a boxed future; a blocking call now builds its response
//! directly from the core's.)

use std::future::Future;
use std::sync::Mutex;

use authing_resign::{CompactReport, ManagementClient, UserIdType};
use pyo3::prelude::*;

use crate::args;
use crate::awaitable::Finish;
use crate::calls::{self, BulkArgs, Handle};
use crate::errors::to_pyerr;
use crate::options::{build_client, ClientArgs};
use crate::progress::Job;
use crate::report::BulkReport;
use crate::response::ResignUserResponse;

type CoreResult = authing_resign::Result<authing_resign::ResignUserResponse>;

/// The core client, shared by every call made through it.
#[pyclass(frozen, module = "authing_resign._native")]
pub(crate) struct Client {
    handle: Handle,
    /// `ManagementClient`'s: calls run to completion on the calling thread. Otherwise
    /// (`AsyncManagementClient`'s) they return asyncio awaitables.
    blocking: bool,
}

#[pymethods]
impl Client {
    /// Validates the constructor arguments of `ManagementClient` (a dict of them, keyed
    /// by their Python names) and builds the core client; `blocking` says which of the
    /// two public classes it is for.
    #[new]
    fn new(py: Python<'_>, args: ClientArgs<'_>, blocking: bool) -> PyResult<Self> {
        Ok(Self {
            handle: Handle::new(build_client(py, args)?),
            blocking,
        })
    }

    /// `resign_user_batch(user_ids, user_id_type=None)`: its response (blocking) or
    /// an awaitable of it.
    #[pyo3(signature = (user_ids, user_id_type=None))]
    fn resign_user_batch(
        &self,
        user_ids: &Bound<'_, PyAny>,
        user_id_type: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        self.single(
            user_ids,
            args::user_ids::<args::IdBatch>,
            user_id_type,
            |c, ids, t| async move { c.resign_user_batch(&ids.as_strs(), t).await },
        )
    }

    /// `resign_user(user_id, user_id_type=None)`: its response (blocking) or an
    /// awaitable of it.
    #[pyo3(signature = (user_id, user_id_type=None))]
    fn resign_user(
        &self,
        user_id: &Bound<'_, PyAny>,
        user_id_type: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        self.single(
            user_id,
            args::user_id,
            user_id_type,
            |c, id, t| async move { c.resign_user(&id, t).await },
        )
    }

    /// `resign_users(...)`: its report (blocking) or an awaitable of it. A blocking
    /// wait that is interrupted cancels the job through its token.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (user_ids, user_id_type=None, *, chunk_size=50, concurrency=4, dry_run=false,
        on_progress=None, deadline=None, journal=None, resume_from=None, resume_force=false,
        verify=false, verify_only=false))]
    fn resign_users(
        &self,
        py: Python<'_>,
        user_ids: &Bound<'_, PyAny>,
        user_id_type: Option<&Bound<'_, PyAny>>,
        chunk_size: i64,
        concurrency: i64,
        dry_run: bool,
        on_progress: Option<Py<PyAny>>,
        deadline: Option<f64>,
        journal: Option<std::path::PathBuf>,
        resume_from: Option<std::path::PathBuf>,
        resume_force: bool,
        verify: bool,
        verify_only: bool,
    ) -> PyResult<Py<PyAny>> {
        let args = BulkArgs {
            chunk_size,
            concurrency,
            dry_run,
            on_progress,
            deadline,
            journal,
            resume_from,
            resume_force,
            verify,
            verify_only,
        };
        let calls::Bulk {
            open,
            job,
            callback_error,
            cancel,
        } = calls::bulk(&self.handle, user_ids, user_id_type, args)?;
        if !self.blocking {
            return Ok(crate::awaitable::spawn(py, async move {
                let result = job.run(open.client).await;
                let finish: Finish = Box::new(move |py| bulk_report(py, &callback_error, result));
                finish
            })?
            .unbind());
        }
        let (rt, client) = crate::local::client(py, &open)?;
        // A first Ctrl-C stops new chunks, the calls in flight finish and the
        // KeyboardInterrupt carries the report (`.report`), so every user the server
        // resigned is in it; a second one stops waiting.
        let result = crate::blocking::wait_reporting(
            py,
            &rt,
            job.run(client),
            move || cancel.cancel(),
            |py, signal, result| {
                if let Ok(report) = bulk_report(py, &callback_error, result) {
                    let _ = signal.value(py).setattr("report", report);
                }
            },
        )?;
        bulk_report(py, &callback_error, result)
    }

    /// Releases the connection pool (the threads' own pools at their next call); later
    /// calls raise `RuntimeError`.
    fn close(&self) {
        self.handle.close();
    }

    /// `repr()` of the public client class `class_name` (never the secret).
    fn repr(&self, class_name: &str) -> String {
        self.handle.repr(class_name)
    }
}

impl Client {
    /// A single call (`resign_user_batch`, `resign_user`): the client, then the ids
    /// (`convert`) and `user_id_type`, in that order, with the GIL; `send` makes the
    /// core's request. Blocking: run on this thread ([`crate::local`]) with the GIL
    /// released, a signal (Ctrl-C) dropping the call (cancelling its request) and
    /// raising. Otherwise an awaitable on the one global runtime; cancelling the
    /// awaiting task drops the Rust future, which aborts its requests.
    fn single<I, F>(
        &self,
        ids: &Bound<'_, PyAny>,
        convert: fn(&Bound<'_, PyAny>) -> PyResult<I>,
        user_id_type: Option<&Bound<'_, PyAny>>,
        send: impl FnOnce(ManagementClient, I, Option<UserIdType>) -> F + Send + 'static,
    ) -> PyResult<Py<PyAny>>
    where
        I: Send + 'static,
        F: Future<Output = CoreResult> + Send + 'static,
    {
        let py = ids.py();
        crate::logging::refresh(py);
        let open = self.handle.get()?;
        let ids = convert(ids)?;
        let id_type = args::user_id_type(user_id_type)?;
        if !self.blocking {
            let call = send(open.client, ids, id_type);
            return Ok(crate::awaitable::spawn(py, async move {
                let result = call.await;
                let finish: Finish = Box::new(move |py| respond(py, result));
                finish
            })?
            .unbind());
        }
        let (rt, client) = crate::local::client(py, &open)?;
        let result = crate::blocking::wait(py, &rt, send(client, ids, id_type), || ())?;
        respond(py, result)
    }
}

/// A bulk job's report, or the exception of its callback (carrying the report) or
/// of the core.
fn bulk_report(
    py: Python<'_>,
    callback_error: &Mutex<Option<PyErr>>,
    result: authing_resign::Result<CompactReport>,
) -> PyResult<Py<PyAny>> {
    Job::finish(py, callback_error, result)
        .map(BulkReport::from)
        .map_err(|f| f.into_pyerr(py))
        .and_then(|r| Ok(Py::new(py, r)?.into_any()))
}

/// A single call's Python result: its response, or its error raised.
fn respond(py: Python<'_>, result: CoreResult) -> PyResult<Py<PyAny>> {
    match result {
        Ok(r) => Ok(Py::new(py, ResignUserResponse::from(r))?.into_any()),
        Err(e) => Err(to_pyerr(py, &e)),
    }
}
