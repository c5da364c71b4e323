//! The result of `resign_users`: a frozen `BulkReport` with per-user outcomes, totals,
//! `to_dict()` and `to_json()`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};

use crate::response::{py_bool, py_str};

/// The largest `indent` of `BulkReport.to_json` (the `json` module has no limit).
const MAX_INDENT: usize = 16;

/// Why a user failed, was invalid, duplicate or not attempted (a flattened core error).
#[pyclass(frozen, eq, get_all, module = "authing_resign")]
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct OutcomeError {
    /// The error code (`api_error`, `invalid_argument`, `transport`, ...).
    code: String,
    /// The error's message.
    message: String,
    /// Envelope statusCode (or HTTP status), if any.
    status_code: Option<u16>,
    /// Envelope apiCode, if any.
    api_code: Option<u32>,
}

impl From<&authing_resign::OutcomeError> for OutcomeError {
    fn from(e: &authing_resign::OutcomeError) -> Self {
        Self {
            code: e.code.clone(),
            message: e.message.clone(),
            status_code: e.status_code,
            api_code: e.api_code,
        }
    }
}

#[pymethods]
impl OutcomeError {
    fn __repr__(&self) -> String {
        format!(
            "OutcomeError(code={}, status_code={}, api_code={}, message={})",
            py_str(&self.code),
            opt(self.status_code),
            opt(self.api_code),
            py_str(&self.message)
        )
    }

    /// `{"code", "message", "status_code"?, "api_code"?}` (the `to_json` shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("code", &self.code)?;
        d.set_item("message", &self.message)?;
        if let Some(s) = self.status_code {
            d.set_item("status_code", s)?;
        }
        if let Some(c) = self.api_code {
            d.set_item("api_code", c)?;
        }
        Ok(d)
    }
}

/// One user's line of the report.
#[pyclass(frozen, eq, get_all, module = "authing_resign")]
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct UserOutcome {
    /// The id as given.
    user_id: String,
    /// `resigned`, `failed`, `invalid`, `duplicate` or `not_attempted` (compares equal to `Outcome`).
    outcome: &'static str,
    /// Why, for every outcome but `resigned`.
    error: Option<OutcomeError>,
    /// Request id of the call that decided the outcome, if any.
    request_id: Option<String>,
    /// Resigned by an earlier run this job resumed (`resume_from`), not by this one.
    earlier_run: bool,
}

impl From<&authing_resign::UserOutcome> for UserOutcome {
    fn from(u: &authing_resign::UserOutcome) -> Self {
        Self {
            user_id: u.user_id.clone(),
            outcome: u.outcome.as_str(),
            error: u.error.as_ref().map(OutcomeError::from),
            request_id: u.request_id.clone(),
            earlier_run: u.earlier_run,
        }
    }
}

#[pymethods]
impl UserOutcome {
    fn __repr__(&self) -> String {
        let error = self
            .error
            .as_ref()
            .map_or_else(|| "None".into(), OutcomeError::__repr__);
        format!(
            "UserOutcome(user_id={}, outcome={}, error={error})",
            py_str(&self.user_id),
            py_str(self.outcome)
        )
    }

    /// `{"user_id", "outcome", "error"?, "request_id"?, "earlier_run"?}` (the `to_json` shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("user_id", &self.user_id)?;
        d.set_item("outcome", self.outcome)?;
        if let Some(e) = &self.error {
            d.set_item("error", e.to_dict(py)?)?;
        }
        if let Some(id) = &self.request_id {
            d.set_item("request_id", id)?;
        }
        if self.earlier_run {
            d.set_item("earlier_run", true)?;
        }
        Ok(d)
    }
}

/// Counts per outcome; they add up to the number of input ids.
#[pyclass(frozen, eq, get_all, module = "authing_resign")]
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct BulkTotals {
    /// `resigned` users.
    resigned: usize,
    /// `failed` users.
    failed: usize,
    /// `invalid` users.
    invalid: usize,
    /// `duplicate` users.
    duplicate: usize,
    /// `not_attempted` users.
    not_attempted: usize,
}

impl From<&authing_resign::BulkTotals> for BulkTotals {
    fn from(t: &authing_resign::BulkTotals) -> Self {
        Self {
            resigned: t.resigned,
            failed: t.failed,
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
            "BulkTotals(resigned={}, failed={}, invalid={}, duplicate={}, not_attempted={})",
            self.resigned, self.failed, self.invalid, self.duplicate, self.not_attempted
        )
    }

    /// `{"resigned": n, "failed": n, "invalid": n, "duplicate": n, "not_attempted": n}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("resigned", self.resigned)?;
        d.set_item("failed", self.failed)?;
        d.set_item("invalid", self.invalid)?;
        d.set_item("duplicate", self.duplicate)?;
        d.set_item("not_attempted", self.not_attempted)?;
        Ok(d)
    }
}

/// The per-user report of `resign_users`.
#[pyclass(frozen, module = "authing_resign")]
pub(crate) struct BulkReport {
    inner: authing_resign::BulkReport,
    /// `users` is built once, on first access: a 10,000-user report costs nothing
    /// until someone looks at it, and repeated `report.users[i]` stays O(1).
    users: PyOnceLock<Py<PyTuple>>,
}

impl From<authing_resign::BulkReport> for BulkReport {
    fn from(inner: authing_resign::BulkReport) -> Self {
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
            let items = self.inner.users.iter().map(UserOutcome::from);
            PyTuple::new(py, items).map(Bound::unbind)
        })?;
        Ok(users.bind(py).clone())
    }

    /// Counts per outcome.
    #[getter]
    fn totals(&self) -> BulkTotals {
        BulkTotals::from(&self.inner.totals)
    }

    /// The planned chunks (ids per call, in order), before any splitting.
    #[getter]
    fn chunks(&self) -> Vec<Vec<String>> {
        self.inner.chunks.clone()
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
        self.inner.stopped_early.as_ref().map(OutcomeError::from)
    }

    /// Whether every input user ended `resigned`.
    #[getter]
    fn all_resigned(&self) -> bool {
        self.inner.all_resigned()
    }

    fn __len__(&self) -> usize {
        self.inner.users.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "BulkReport(user_id_type={}, dry_run={}, users={}, totals={}, http_calls={}, elapsed_ms={}, stopped_early={})",
            py_str(self.inner.user_id_type.as_str()),
            py_bool(self.inner.dry_run),
            self.inner.users.len(),
            BulkTotals::from(&self.inner.totals).__repr__(),
            self.inner.http_calls,
            self.inner.elapsed_ms,
            self.inner.stopped_early.as_ref().map_or_else(|| "None".into(), |e| OutcomeError::from(e).__repr__()),
        )
    }

    /// The report as JSON (snake_case keys, as `to_dict()`); `indent` (0 to 16 spaces)
    /// pretty-prints.
    #[pyo3(signature = (indent=None))]
    fn to_json(&self, py: Python<'_>, indent: Option<i64>) -> PyResult<String> {
        let json = match indent {
            None => serde_json::to_string(&self.inner),
            Some(n) => {
                // The indent is repeated on every line of a report that may hold
                // millions of users: an unbounded one is a way to exhaust memory.
                let n = usize::try_from(n)
                    .ok()
                    .filter(|n| *n <= MAX_INDENT)
                    .ok_or_else(|| {
                        crate::errors::invalid_argument(
                            py,
                            "indent",
                            format!("must be between 0 and {MAX_INDENT}, got {n}"),
                        )
                    })?;
                let indent = vec![b' '; n];
                let mut out = Vec::new();
                let fmt = serde_json::ser::PrettyFormatter::with_indent(&indent);
                let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
                serde::Serialize::serialize(&self.inner, &mut ser)
                    .map(|_| String::from_utf8_lossy(&out).into_owned())
            }
        };
        json.map_err(|e| {
            pyo3::exceptions::PyValueError::new_err(format!("cannot serialize the report: {e}"))
        })
    }

    /// The report as plain dicts and lists (JSON-compatible).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (self.to_json(py, None)?,))
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "None".into(), |v| v.to_string())
}
