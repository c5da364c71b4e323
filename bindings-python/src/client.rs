//! `ManagementClient`: the blocking client (the official SDK's name and signature).

use pyo3::prelude::*;

use crate::calls::{self, BulkArgs, Handle};
use crate::errors::to_pyerr;
use crate::options::{build_client, ClientArgs};
use crate::progress::Job;
use crate::report::BulkReport;
use crate::response::ResignUserResponse;

/// Blocking client. Calls release the GIL; one instance is safe to share between threads.
#[pyclass(frozen, module = "authing_resign")]
pub(crate) struct ManagementClient {
    handle: Handle,
}

#[pymethods]
impl ManagementClient {
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

    /// Resigns up to 50 users in one call (`POST /api/v3/resign-user-batch`).
    #[pyo3(signature = (user_ids, user_id_type=None))]
    fn resign_user_batch(
        &self,
        user_ids: &Bound<'_, PyAny>,
        user_id_type: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ResignUserResponse> {
        let py = user_ids.py();
        let fut = calls::batch(&self.handle, user_ids, user_id_type)?;
        crate::blocking::wait(py, fut, || ())?
            .map(Into::into)
            .map_err(|e| to_pyerr(py, &e))
    }

    /// Resigns one user (`POST /api/v3/resign-user`).
    #[pyo3(signature = (user_id, user_id_type=None))]
    fn resign_user(
        &self,
        user_id: &Bound<'_, PyAny>,
        user_id_type: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ResignUserResponse> {
        let py = user_id.py();
        let fut = calls::single(&self.handle, user_id, user_id_type)?;
        crate::blocking::wait(py, fut, || ())?
            .map(Into::into)
            .map_err(|e| to_pyerr(py, &e))
    }

    /// Resigns any number of users of one id type and reports each one's outcome.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (user_ids, user_id_type=None, *, chunk_size=50, concurrency=4, dry_run=false,
        on_progress=None, deadline=None, journal=None, resume_from=None, resume_force=false))]
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
    ) -> PyResult<BulkReport> {
        let py = user_ids.py();
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
        let cancel = job.cancel;
        // Ctrl-C: no new chunks; the calls in flight finish and the KeyboardInterrupt
        // carries the report (`.report`), so every user the server resigned is in it.
        let result = crate::blocking::wait_reporting(
            py,
            job.future,
            move || cancel.cancel(),
            |py, signal, result| {
                if let Ok(report) = result {
                    crate::progress::attach_report(py, signal, report);
                }
            },
        )?;
        Job::finish(py, &job.callback_error, result)
            .map(BulkReport::from)
            .map_err(|f| f.into_pyerr(py))
    }

    /// Releases the connection pool; later calls raise `RuntimeError`.
    fn close(&self) {
        self.handle.close();
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, pyo3::types::PyTuple>) {
        self.handle.close();
    }

    fn __repr__(&self) -> String {
        self.handle.repr("ManagementClient")
    }
}
