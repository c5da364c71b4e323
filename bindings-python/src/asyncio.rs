//! `AsyncManagementClient`: the same constructor and methods as coroutines, run on the
//! one global tokio runtime (pyo3-async-runtimes), so many calls can be awaited under
//! `asyncio.gather`. Cancelling the asyncio task drops the Rust future, which aborts
//! its in-flight requests.

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use pyo3_async_runtimes::tokio::future_into_py;

use crate::calls::{self, BulkArgs, Handle};
use crate::errors::to_pyerr_attached;
use crate::options::{build_client, ClientArgs};
use crate::progress::Job;
use crate::report::BulkReport;
use crate::response::ResignUserResponse;

/// asyncio client; every method returns an awaitable.
#[pyclass(frozen, module = "authing_resign")]
pub(crate) struct AsyncManagementClient {
    handle: Handle,
}

#[pymethods]
impl AsyncManagementClient {
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (access_key_id, access_key_secret, host=None, timeout=Some(10.0), lang=None,
        use_unverified_ssl=false, websocket_host=None, websocket_endpoint=None, *, tenant_id=None, auth="signature".to_string(), max_retries=3,
        connect_timeout=None, ca_cert=None, proxy=None, headers=None),
        text_signature = "(access_key_id, access_key_secret, host=None, timeout=10.0, lang=None, \
            use_unverified_ssl=False, websocket_host=None, websocket_endpoint=None, *, tenant_id=None, auth='signature', max_retries=3, \
            connect_timeout=None, ca_cert=None, proxy=None, headers=None)")]
    fn new<'py>(
        py: Python<'py>,
        access_key_id: String,
        access_key_secret: String,
        host: Option<String>,
        timeout: Option<f64>,
        lang: Option<String>,
        use_unverified_ssl: bool,
        websocket_host: Option<Bound<'py, PyAny>>,
        websocket_endpoint: Option<Bound<'py, PyAny>>,
        tenant_id: Option<String>,
        auth: String,
        max_retries: i64,
        connect_timeout: Option<f64>,
        ca_cert: Option<Bound<'py, PyAny>>,
        proxy: Option<String>,
        headers: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Self> {
        // Accepted only so that the official client's positional call shape migrates
        // unchanged; this SDK has no event socket, so they have no effect.
        let _ = (websocket_host, websocket_endpoint);
        let args = ClientArgs {
            access_key_id,
            access_key_secret,
            host,
            timeout,
            lang,
            use_unverified_ssl,
            tenant_id,
            auth,
            max_retries,
            connect_timeout,
            ca_cert,
            proxy,
            headers,
        };
        Ok(Self {
            handle: Handle::new(build_client(py, args)?),
        })
    }

    /// Resigns up to 50 users in one call; a coroutine.
    #[pyo3(signature = (user_ids, user_id_type=None))]
    fn resign_user_batch<'py>(
        &self,
        user_ids: &Bound<'py, PyAny>,
        user_id_type: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let fut = calls::batch(&self.handle, user_ids, user_id_type)?;
        future_into_py(user_ids.py(), async move {
            fut.await
                .map(ResignUserResponse::from)
                .map_err(|e| to_pyerr_attached(&e))
        })
    }

    /// Resigns one user; a coroutine.
    #[pyo3(signature = (user_id, user_id_type=None))]
    fn resign_user<'py>(
        &self,
        user_id: &Bound<'py, PyAny>,
        user_id_type: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let fut = calls::single(&self.handle, user_id, user_id_type)?;
        future_into_py(user_id.py(), async move {
            fut.await
                .map(ResignUserResponse::from)
                .map_err(|e| to_pyerr_attached(&e))
        })
    }

    /// Resigns any number of users and reports each one's outcome; a coroutine.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (user_ids, user_id_type=None, *, chunk_size=50, concurrency=4, dry_run=false,
        on_progress=None, deadline=None, journal=None, resume_from=None, resume_force=false))]
    fn resign_users<'py>(
        &self,
        user_ids: &Bound<'py, PyAny>,
        user_id_type: Option<&Bound<'py, PyAny>>,
        chunk_size: i64,
        concurrency: i64,
        dry_run: bool,
        on_progress: Option<Py<PyAny>>,
        deadline: Option<f64>,
        journal: Option<std::path::PathBuf>,
        resume_from: Option<std::path::PathBuf>,
        resume_force: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let args = BulkArgs {
            chunk_size,
            concurrency,
            dry_run,
            on_progress,
            deadline,
            journal,
            resume_from,
            resume_force,
        };
        let job = calls::bulk(&self.handle, user_ids, user_id_type, args)?;
        future_into_py(user_ids.py(), async move {
            let result = job.future.await;
            Python::attach(|py| {
                Job::finish(py, &job.callback_error, result)
                    .map(BulkReport::from)
                    .map_err(|f| f.into_pyerr(py))
            })
        })
    }

    /// Releases the connection pool; later calls raise `RuntimeError`. A coroutine.
    fn aclose<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.handle.close();
        future_into_py(py, async { Ok(()) })
    }

    fn __aenter__<'py>(slf: Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let me = slf.unbind();
        future_into_py(py, async move { Ok(me) })
    }

    #[pyo3(signature = (*_exc))]
    fn __aexit__<'py>(
        &self,
        py: Python<'py>,
        _exc: &Bound<'py, PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.aclose(py)
    }

    fn __repr__(&self) -> String {
        self.handle.repr("AsyncManagementClient")
    }
}
