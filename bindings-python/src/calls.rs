//! What both public clients share besides the single calls (`Client::single`): the
//! client handle and the preparation of a bulk job (argument conversion up front, with
//! the GIL, so that the returned future is plain Rust and runs either blocking or under
//! asyncio).

use std::sync::{Arc, Mutex, RwLock};

use authing_resign::{
    Argument, BulkOptions, CancellationToken, CompactReport, ManagementClient, Result, UserIdType,
};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::args;
use crate::local::Open;
use crate::progress::Job;

/// The core client behind a Python client; `close()` drops it (and its connection pool;
/// the threads' own pools, see [`crate::local`], go at each thread's next blocking call).
pub(crate) struct Handle(RwLock<Option<Open>>);

impl Handle {
    pub(crate) fn new(client: ManagementClient) -> Self {
        Self(RwLock::new(Some(Open::new(client))))
    }

    /// A clone of the open core client (an `Arc`), or an error once closed.
    pub(crate) fn get(&self) -> PyResult<Open> {
        self.0
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| PyRuntimeError::new_err("the client is closed"))
    }

    /// Releases the core client; calls in flight keep their own clone and finish.
    pub(crate) fn close(&self) {
        self.0.write().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// `repr()` of the Python client (never the secret).
    pub(crate) fn repr(&self, class: &str) -> String {
        match &*self.0.read().unwrap_or_else(|p| p.into_inner()) {
            Some(open) => crate::options::client_repr(class, &open.client),
            None => format!("{class}(<closed>)"),
        }
    }
}

/// Options of `resign_users`, as received from Python.
pub(crate) struct BulkArgs {
    pub chunk_size: i64,
    pub concurrency: i64,
    pub dry_run: bool,
    pub on_progress: Option<Py<PyAny>>,
    pub deadline: Option<f64>,
    /// `journal=` (str or os.PathLike).
    pub journal: Option<std::path::PathBuf>,
    /// `resume_from=` (str or os.PathLike).
    pub resume_from: Option<std::path::PathBuf>,
    pub resume_force: bool,
    /// `verify=`: read the users back after sending (the core's `BulkOptions::verify`).
    pub verify: bool,
    /// `verify_only=`: resign nobody, look the users up (`BulkOptions::verify_only`).
    pub verify_only: bool,
}

/// A prepared bulk job: the client, the job, the slot of a failing callback's exception
/// and the token that cancels the job.
pub(crate) struct Bulk {
    pub open: Open,
    pub job: BulkJob,
    pub callback_error: Arc<Mutex<Option<PyErr>>>,
    pub cancel: CancellationToken,
}

/// A bulk job's converted arguments, run by [`BulkJob::run`] on the client the call
/// runs with (the thread's own for a blocking call).
pub(crate) struct BulkJob {
    ids: Vec<String>,
    id_type: UserIdType,
    options: BulkOptions,
}

impl BulkJob {
    /// The compact report (~20 bytes per user besides the ids), the ids moved into the
    /// job rather than copied; no `abort` token: the job stops through
    /// `options.cancel`, letting calls in flight finish.
    pub(crate) async fn run(self, client: ManagementClient) -> Result<CompactReport> {
        client
            .resign_users_compact_owned(self.ids, self.id_type, self.options, None)
            .await
    }
}

/// `resign_users(user_ids, user_id_type=None, *, chunk_size, concurrency, dry_run,
/// on_progress, deadline, journal, resume_from, resume_force, verify, verify_only)`:
/// checks that `handle` is open, then converts the arguments.
pub(crate) fn bulk(
    handle: &Handle,
    user_ids: &Bound<'_, PyAny>,
    user_id_type: Option<&Bound<'_, PyAny>>,
    a: BulkArgs,
) -> PyResult<Bulk> {
    let py = user_ids.py();
    crate::logging::refresh(py);
    let open = handle.get()?;
    let ids = args::user_ids(user_ids)?;
    let id_type = args::user_id_type(user_id_type)?.unwrap_or_default();
    let mut options = BulkOptions {
        chunk_size: args::positive(py, Argument::ChunkSize, a.chunk_size)?,
        concurrency: args::positive(py, Argument::Concurrency, a.concurrency)?,
        dry_run: a.dry_run,
        journal: a.journal,
        resume_from: a.resume_from,
        resume_force: a.resume_force,
        verify: a.verify,
        verify_only: a.verify_only,
        ..BulkOptions::default()
    };
    if let Some(d) = a.deadline {
        options.deadline = Some(args::seconds(d, |r| {
            crate::errors::invalid_argument(py, Argument::Deadline, r)
        })?);
    }
    crate::progress::check_callback(py, a.on_progress.as_ref())?;
    let job = Job::new(options, a.on_progress);
    let (callback_error, cancel) = (job.error_slot(), job.cancel.clone());
    Ok(Bulk {
        open,
        job: BulkJob {
            ids,
            id_type,
            options: job.options,
        },
        callback_error,
        cancel,
    })
}
