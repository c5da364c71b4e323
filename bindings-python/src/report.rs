//! The result of `resign_users`: a frozen `BulkReport` with per-user outcomes, totals,
//! `to_dict()`, `to_json()` and `write_json()`. It holds the core's `CompactReport`
//! (~20 bytes per user besides the ids); `UserOutcome`s are made only when asked for.

use std::path::PathBuf;

use authing_resign::CompactReport;
use pyo3::exceptions::{PyIndexError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};

use crate::response::{py_bool, py_str};

/// Why a user failed, was invalid, duplicate or not attempted (the core's flattened
/// error, as it is).
#[pyclass(frozen, eq, module = "authing_resign")]
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct OutcomeError(authing_resign::OutcomeError);

#[pymethods]
impl OutcomeError {
    /// The error code (`api_error`, `invalid_argument`, `transport`, ...).
    #[getter]
    fn code(&self) -> &str {
        &self.0.code
    }

    /// The error's message.
    #[getter]
    fn message(&self) -> &str {
        &self.0.message
    }

    /// Envelope statusCode (or HTTP status), if any.
    #[getter]
    fn status_code(&self) -> Option<u16> {
        self.0.status_code
    }

    /// Envelope apiCode, if any.
    #[getter]
    fn api_code(&self) -> Option<u32> {
        self.0.api_code
    }

    /// Whether retrying may succeed (as `AuthingError.is_retryable`).
    #[getter]
    fn is_retryable(&self) -> bool {
        self.0.retryable
    }

    /// Whether it is an authentication failure (as `AuthingError.is_auth`).
    #[getter]
    fn is_auth(&self) -> bool {
        self.0.auth
    }

    fn __repr__(&self) -> String {
        error_repr(Some(&self.0))
    }

    /// The `to_json` shape of the error: `{"code", "message", "status_code"?,
    /// "api_code"?, "retryable"?, "auth"?}` (the last two only when true).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        json_dict(py, &self.0)
    }
}

/// One user's line of the report: the core's `UserOutcome`, as it is (its fields are
/// read through getters and its dict form is the core's serialization, so a field the
/// core adds reaches `to_dict()` and `to_json()` alike).
#[pyclass(frozen, eq, module = "authing_resign")]
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct UserOutcome(authing_resign::UserOutcome);

#[pymethods]
impl UserOutcome {
    /// The id as given.
    #[getter]
    fn user_id(&self) -> &str {
        &self.0.user_id
    }

    /// `resigned`, `failed`, `unknown`, `invalid`, `duplicate` or `not_attempted` (compares equal to `Outcome`).
    #[getter]
    fn outcome(&self) -> &'static str {
        self.0.outcome.as_str()
    }

    /// Why, for every outcome but `resigned`.
    #[getter]
    fn error(&self) -> Option<OutcomeError> {
        self.0.error.clone().map(OutcomeError)
    }

    /// Request id of the call that decided the outcome, if any.
    #[getter]
    fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// Whether `verify` / `verify_only` read the user back: `True` (seen; the outcome
    /// follows the status seen), `False` (looked for, not confirmed: see
    /// `verify_note`), `None` (not checked).
    #[getter]
    fn verified(&self) -> Option<bool> {
        self.0.verified
    }

    /// The user's `status` the lookup showed (`Resigned`, `Activated`, ...), if seen.
    #[getter]
    fn status(&self) -> Option<&str> {
        self.0.status.as_deref()
    }

    /// Why the user could not be verified (or how an `unknown` one was settled).
    #[getter]
    fn verify_note(&self) -> Option<&str> {
        self.0.verify_note.as_deref()
    }

    /// Resigned by an earlier run this job resumed (`resume_from`), not by this one.
    #[getter]
    fn earlier_run(&self) -> bool {
        self.0.earlier_run
    }

    fn __repr__(&self) -> String {
        let u = &self.0;
        let error = error_repr(u.error.as_ref());
        let mut out = format!(
            "UserOutcome(user_id={}, outcome={}, error={error}",
            py_str(&u.user_id),
            py_str(u.outcome.as_str())
        );
        // Only a looked-up line shows what the lookup saw.
        if let Some(verified) = u.verified {
            let status = u.status.as_deref().map_or_else(|| "None".into(), py_str);
            out.push_str(&format!(
                ", verified={}, status={status}",
                py_bool(verified)
            ));
        }
        out.push(')');
        out
    }

    /// The `to_json` shape of the line: `{"user_id", "outcome", "error"?,
    /// "request_id"?, "verified"?, "status"?, "verify_note"?, "earlier_run"?}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        json_dict(py, &self.0)
    }
}

/// Counts per outcome; they add up to the number of input ids.
#[pyclass(frozen, eq, get_all, module = "authing_resign")]
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct BulkTotals {
    /// `resigned` users.
    resigned: u64,
    /// `failed` users.
    failed: u64,
    /// `unknown` users (answer lost after sending).
    unknown: u64,
    /// `invalid` users.
    invalid: u64,
    /// `duplicate` users.
    duplicate: u64,
    /// `not_attempted` users.
    not_attempted: u64,
}

impl From<&authing_resign::BulkTotals> for BulkTotals {
    fn from(t: &authing_resign::BulkTotals) -> Self {
        Self {
            resigned: t.resigned,
            failed: t.failed,
            unknown: t.unknown,
            invalid: t.invalid,
            duplicate: t.duplicate,
            not_attempted: t.not_attempted,
        }
    }
}

#[pymethods]
impl BulkTotals {
    fn __repr__(&self) -> String {
        format!(
            "BulkTotals(resigned={}, failed={}, unknown={}, invalid={}, duplicate={}, not_attempted={})",
            self.resigned,
            self.failed,
            self.unknown,
            self.invalid,
            self.duplicate,
            self.not_attempted
        )
    }

    /// `{"resigned": n, "failed": n, "unknown": n, "invalid": n, "duplicate": n, "not_attempted": n}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("resigned", self.resigned)?;
        d.set_item("failed", self.failed)?;
        d.set_item("unknown", self.unknown)?;
        d.set_item("invalid", self.invalid)?;
        d.set_item("duplicate", self.duplicate)?;
        d.set_item("not_attempted", self.not_attempted)?;
        Ok(d)
    }
}

/// The per-user report of `resign_users`.
#[pyclass(frozen, module = "authing_resign")]
pub(crate) struct BulkReport {
    inner: CompactReport,
    /// `users` is built once, on first access: a million-user report costs its compact
    /// lines until someone looks at them, and repeated `report.users[i]` stays O(1).
    users: PyOnceLock<Py<PyTuple>>,
}

impl From<CompactReport> for BulkReport {
    fn from(inner: CompactReport) -> Self {
        Self {
            inner,
            users: PyOnceLock::new(),
        }
    }
}

#[pymethods]
impl BulkReport {
    /// The id type used (a wire value such as `email`).
    #[getter]
    fn user_id_type(&self) -> &'static str {
        self.inner.user_id_type.as_str()
    }

    /// Whether this was a dry run (nothing sent).
    #[getter]
    fn dry_run(&self) -> bool {
        self.inner.dry_run
    }

    /// One `UserOutcome` per input id, in input order.
    #[getter]
    fn users<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let users = self.users.get_or_try_init(py, || {
            let items = self.inner.users().map(|u| UserOutcome(u.to_outcome()));
            PyTuple::new(py, items).map(Bound::unbind)
        })?;
        Ok(users.bind(py).clone())
    }

    /// Counts per outcome.
    #[getter]
    fn totals(&self) -> BulkTotals {
        BulkTotals::from(&self.inner.totals)
    }

    /// The `UserOutcome` of input index `index` (negative counts from the end, as for
    /// `users`), made on its own: equal to `users[index]`, without building `users`.
    fn user(&self, index: isize) -> PyResult<UserOutcome> {
        let len = self.inner.len();
        let i = if index < 0 {
            len.checked_sub(index.unsigned_abs())
        } else {
            Some(index.unsigned_abs())
        };
        i.and_then(|i| self.inner.user(i))
            .map(|u| UserOutcome(u.to_outcome()))
            .ok_or_else(|| {
                PyIndexError::new_err(format!("user index {index} out of range for {len} users"))
            })
    }

    /// The planned chunks (ids per call, in order), before any splitting.
    #[getter]
    fn chunks(&self) -> Vec<Vec<&str>> {
        self.inner.chunks().collect()
    }

    /// HTTP requests made to the resignation endpoint (retries and split calls
    /// included; a call cut by the job deadline counts as one).
    #[getter]
    fn http_calls(&self) -> u64 {
        self.inner.http_calls
    }

    /// Wall time of the job in milliseconds.
    #[getter]
    fn elapsed_ms(&self) -> u64 {
        self.inner.elapsed_ms
    }

    /// Why the job stopped early (auth failure, throttling, transport, cancel, deadline), if it did.
    #[getter]
    fn stopped_early(&self) -> Option<OutcomeError> {
        self.inner.stopped_early.clone().map(OutcomeError)
    }

    /// Whether this was a `verify_only` run (nobody resigned).
    #[getter]
    fn verify_only(&self) -> bool {
        self.inner.verify_only
    }

    /// HTTP requests made to `get-user-batch` by `verify` / `verify_only`.
    #[getter]
    fn lookup_calls(&self) -> u64 {
        self.inner.lookup_calls
    }

    /// Whether every input user ended `resigned`.
    #[getter]
    fn all_resigned(&self) -> bool {
        self.inner.all_resigned()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "BulkReport(user_id_type={}, dry_run={}, verify_only={}, users={}, totals={}, http_calls={}, lookup_calls={}, elapsed_ms={}, stopped_early={})",
            py_str(self.inner.user_id_type.as_str()),
            py_bool(self.inner.dry_run),
            py_bool(self.inner.verify_only),
            self.inner.len(),
            BulkTotals::from(&self.inner.totals).__repr__(),
            self.inner.http_calls,
            self.inner.lookup_calls,
            self.inner.elapsed_ms,
            error_repr(self.inner.stopped_early.as_ref()),
        )
    }

    /// The report as JSON (snake_case keys, as `to_dict()`); `indent` (0 to 16 spaces)
    /// pretty-prints (the core's rule).
    #[pyo3(signature = (indent=None))]
    fn to_json(&self, py: Python<'_>, indent: Option<i64>) -> PyResult<String> {
        // The same serializer as `write_json`, into memory (with the GIL released: a
        // million users take a while).
        let mut out = Vec::new();
        match py.detach(|| self.inner.write_json(&mut out, indent)) {
            Err(e) => Err(crate::errors::to_pyerr(py, &e)),
            Ok(written) => {
                written?;
                String::from_utf8(out).map_err(|e| PyRuntimeError::new_err(e.to_string()))
            }
        }
    }

    /// Streams `to_json(indent)` to the file `path` (str or os.PathLike) through a
    /// buffer, with the GIL released, never holding the whole text in memory. A regular
    /// file is written beside `path` and renamed over it, so a failed write leaves no half
    /// report; a device or pipe is written in place. A bad `indent` raises as `to_json`;
    /// a failed open or write raises `OSError` naming `path`.
    #[pyo3(signature = (path, indent=None))]
    fn write_json(&self, py: Python<'_>, path: PathBuf, indent: Option<i64>) -> PyResult<()> {
        crate::report_file::write(py, &self.inner, &path, indent)
    }

    /// The report as plain dicts and lists (JSON-compatible).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (self.to_json(py, None)?,))
    }
}

/// A core value's serde form as a Python dict (what `to_json` writes for it).
fn json_dict<'py>(py: Python<'py>, value: &impl serde::Serialize) -> PyResult<Bound<'py, PyDict>> {
    let json = serde_json::to_string(value).expect("a report value serializes");
    Ok(py
        .import("json")?
        .call_method1("loads", (json,))?
        .cast_into()?)
}

/// `repr()` of an `OutcomeError`, or `None`.
fn error_repr(e: Option<&authing_resign::OutcomeError>) -> String {
    e.map_or_else(
        || "None".into(),
        |e| {
            format!(
                "OutcomeError(code={}, status_code={}, api_code={}, message={})",
                py_str(&e.code),
                opt(e.status_code),
                opt(e.api_code),
                py_str(&e.message)
            )
        },
    )
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "None".into(), |v| v.to_string())
}
