//! `Client`: the one native client behind both public classes of
//! `authing_resign/client.py` (`ManagementClient` and `AsyncManagementClient`, written
//! in Python as lancedb does). Each method converts its arguments at once (with the GIL,
//! so a wrong type raises before anything is awaited) and returns a [`Call`], which the
//! blocking class `wait()`s and the asyncio class `awaitable()`s.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use authing_resign::{CancellationToken, ManagementClient, UserIdType};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::args;
use crate::awaitable::Finish;
use crate::calls::{self, BulkArgs, Handle};
use crate::errors::to_pyerr;
use crate::local::Open;
use crate::options::{build_client, ClientArgs};
use crate::progress::Job;
use crate::report::BulkReport;
use crate::response::ResignUserResponse;

type BoxedCall = Pin<Box<dyn Future<Output = Finish> + Send>>;
/// A prepared call, given the core client to run it with: the thread's own for a
/// blocking call ([`crate::local`]), the shared one for an asyncio awaitable.
type Prepared = Box<dyn FnOnce(ManagementClient) -> BoxedCall + Send>;

/// The core client, shared by every call made through it.
#[pyclass(frozen, module = "authing_resign._native")]
pub(crate) struct Client {
    handle: Handle,
}

#[pymethods]
impl Client {
    /// Validates the constructor arguments of `ManagementClient` (a dict of them, keyed
    /// by their Python names) and builds the core client.
    #[new]
    fn new(py: Python<'_>, args: ClientArgs<'_>) -> PyResult<Self> {
        Ok(Self {
            handle: Handle::new(build_client(py, args)?),
        })
    }

    /// `resign_user_batch(user_ids, user_id_type=None)`, prepared.
    #[pyo3(signature = (user_ids, user_id_type=None))]
    fn resign_user_batch(
        &self,
        user_ids: &Bound<'_, PyAny>,
        user_id_type: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Call> {
        self.single(
            user_ids,
            args::user_ids::<args::IdBatch>,
            user_id_type,
            |c, ids, t| async move { c.resign_user_batch(&ids.as_strs(), t).await },
        )
    }

    /// `resign_user(user_id, user_id_type=None)`, prepared.
    #[pyo3(signature = (user_id, user_id_type=None))]
    fn resign_user(
        &self,
        user_id: &Bound<'_, PyAny>,
        user_id_type: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Call> {
        self.single(
            user_id,
            args::user_id,
            user_id_type,
            |c, id, t| async move { c.resign_user(&id, t).await },
        )
    }

    /// `resign_users(...)`, prepared; the call's cancellation token stops the job when
    /// a blocking wait is interrupted.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (user_ids, user_id_type=None, *, chunk_size=50, concurrency=4, dry_run=false,
        on_progress=None, deadline=None, journal=None, resume_from=None, resume_force=false,
        verify=false, verify_only=false))]
    fn resign_users(
        &self,
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
    ) -> PyResult<Call> {
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
        let prepared: Prepared = Box::new(move |client| {
            Box::pin(async move {
                let result = job.run(client).await;
                let finish: Finish = Box::new(move |py| {
                    Job::finish(py, &callback_error, result)
                        .map(BulkReport::from)
                        .map_err(|f| f.into_pyerr(py))
                        .and_then(|r| Ok(Py::new(py, r)?.into_any()))
                });
                finish
            })
        });
        Ok(Call::new(open, prepared, Some(cancel)))
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
    /// A single call (`resign_user_batch`, `resign_user`), prepared: the client, then
    /// the ids (`convert`) and `user_id_type`, in that order, with the GIL; `send` makes
    /// the core's request.
    fn single<I, F>(
        &self,
        ids: &Bound<'_, PyAny>,
        convert: fn(&Bound<'_, PyAny>) -> PyResult<I>,
        user_id_type: Option<&Bound<'_, PyAny>>,
        send: impl FnOnce(ManagementClient, I, Option<UserIdType>) -> F + Send + 'static,
    ) -> PyResult<Call>
    where
        I: Send + 'static,
        F: Future<Output = authing_resign::Result<authing_resign::ResignUserResponse>>
            + Send
            + 'static,
    {
        crate::logging::refresh(ids.py());
        let open = self.handle.get()?;
        let ids = convert(ids)?;
        let id_type = args::user_id_type(user_id_type)?;
        let prepared: Prepared = Box::new(move |client| Call::response(send(client, ids, id_type)));
        Ok(Call::new(open, prepared, None))
    }
}

/// A prepared call: run it once, blocking (`wait`) or as an asyncio awaitable.
#[pyclass(frozen, module = "authing_resign._native")]
pub(crate) struct Call {
    /// The client it was prepared on (checked open then).
    open: Open,
    prepared: Mutex<Option<Prepared>>,
    /// Cancels a bulk job when a blocking wait is interrupted (Ctrl-C).
    cancel: Option<CancellationToken>,
}

impl Call {
    fn new(open: Open, prepared: Prepared, cancel: Option<CancellationToken>) -> Self {
        Self {
            open,
            prepared: Mutex::new(Some(prepared)),
            cancel,
        }
    }

    /// A single call's future (`resign_user_batch`, `resign_user`): its response or its
    /// error.
    fn response(
        fut: impl Future<Output = authing_resign::Result<authing_resign::ResignUserResponse>>
            + Send
            + 'static,
    ) -> BoxedCall {
        Box::pin(async move {
            let result = fut.await.map(ResignUserResponse::from);
            let finish: Finish = Box::new(move |py| match result {
                Ok(r) => Ok(Py::new(py, r)?.into_any()),
                Err(e) => Err(to_pyerr(py, &e)),
            });
            finish
        })
    }

    fn take(&self) -> PyResult<Prepared> {
        self.prepared
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or_else(|| PyRuntimeError::new_err("this call was already run"))
    }
}

#[pymethods]
impl Call {
    /// Runs the call to completion on this thread (its own runtime and connections, see
    /// [`crate::local`]) with the GIL released; a signal (Ctrl-C) drops a single call
    /// (cancelling its request) and cancels a bulk job, then raises.
    fn wait(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let prepared = self.take()?;
        let (rt, client) = crate::local::client(py, &self.open)?;
        let fut = prepared(client);
        let finish = match self.cancel.clone() {
            None => crate::blocking::wait(py, &rt, fut, || ())?,
            // A bulk job: a first Ctrl-C stops new chunks, the calls in flight finish and
            // the KeyboardInterrupt carries the report (`.report`), so every user the
            // server resigned is in it; a second one stops waiting.
            Some(cancel) => crate::blocking::wait_reporting(
                py,
                &rt,
                fut,
                move || cancel.cancel(),
                |py, signal, finish: Finish| {
                    if let Ok(report) = finish(py) {
                        let _ = signal.value(py).setattr("report", report);
                    }
                },
            )?,
        };
        finish(py)
    }

    /// The call as an asyncio awaitable on the one global runtime; cancelling the
    /// awaiting task drops the Rust future, which aborts its requests.
    fn awaitable<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::awaitable::spawn(py, self.take()?(self.open.client.clone()))
    }
}
