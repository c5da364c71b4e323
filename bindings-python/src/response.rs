//! The result of `resign_user_batch` / `resign_user`: frozen typed objects whose
//! `to_dict()` is the official SDK's JSON shape.

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// `data` of a resignation response.
#[pyclass(frozen, eq, module = "authing_resign")]
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ResignUserData {
    /// Whether the operation succeeded.
    #[pyo3(get)]
    success: bool,
}

#[pymethods]
impl ResignUserData {
    fn __repr__(&self) -> String {
        format!("ResignUserData(success={})", py_bool(self.success))
    }

    /// `{"success": bool}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("success", self.success)?;
        Ok(d)
    }
}

/// A successful resignation response (failures are raised as `ApiError`).
#[pyclass(frozen, eq, module = "authing_resign")]
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ResignUserResponse {
    /// Envelope `statusCode` (200).
    #[pyo3(get)]
    status_code: u16,
    /// Envelope `message`.
    #[pyo3(get)]
    message: String,
    /// Envelope `apiCode`, if any.
    #[pyo3(get)]
    api_code: Option<u32>,
    /// Envelope `requestId`, if any.
    #[pyo3(get)]
    request_id: Option<String>,
    /// `data`.
    #[pyo3(get)]
    data: ResignUserData,
}

impl From<authing_resign::ResignUserResponse> for ResignUserResponse {
    fn from(r: authing_resign::ResignUserResponse) -> Self {
        Self {
            status_code: r.status_code,
            message: r.message,
            api_code: r.api_code,
            request_id: r.request_id,
            data: ResignUserData {
                success: r.data.success,
            },
        }
    }
}

#[pymethods]
impl ResignUserResponse {
    fn __repr__(&self) -> String {
        format!(
            "ResignUserResponse(status_code={}, message={}, api_code={}, request_id={}, data={})",
            self.status_code,
            py_str(&self.message),
            self.api_code
                .map_or_else(|| "None".into(), |c| c.to_string()),
            self.request_id
                .as_deref()
                .map_or_else(|| "None".into(), py_str),
            self.data.__repr__()
        )
    }

    /// The official JSON shape: `{"statusCode", "message", "apiCode"?, "requestId"?, "data": {"success"}}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("statusCode", self.status_code)?;
        d.set_item("message", &self.message)?;
        if let Some(code) = self.api_code {
            d.set_item("apiCode", code)?;
        }
        if let Some(id) = &self.request_id {
            d.set_item("requestId", id)?;
        }
        d.set_item("data", self.data.to_dict(py)?)?;
        Ok(d)
    }
}

/// A Python-style quoted string for `__repr__` (single quotes, like `repr(str)`).
pub(crate) fn py_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `True` / `False`.
pub(crate) fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}
