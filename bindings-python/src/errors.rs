//! The one place core errors become Python exceptions.
//!
//! The exception classes live in `authing_resign/errors.py` (so they are ordinary,
//! picklable Python classes); here they are instantiated with structured fields.

use authing_resign::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

/// Python class name in `authing_resign.errors` for each core error code.
fn class_name(err: &Error) -> &'static str {
    match err {
        Error::InvalidArgument { .. } => "InvalidArgumentError",
        Error::Config { .. } => "ConfigError",
        Error::Api { .. } => "ApiError",
        Error::Timeout { .. } => "TimeoutError",
        Error::Transport { .. } => "TransportError",
        Error::Decode { .. } => "DecodeError",
        Error::Cancelled => "CancelledError",
        Error::Journal { .. } => "JournalError",
        Error::ResumeMismatch { .. } => "ResumeMismatchError",
        // The core may grow variants; the base class still carries `code`.
        _ => "AuthingError",
    }
}

fn error_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let module =
        MODULE.get_or_try_init(py, || py.import("authing_resign.errors").map(Bound::unbind))?;
    Ok(module.bind(py).getattr(name)?.cast_into::<PyType>()?)
}

fn fields<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyDict>> {
    let kw = PyDict::new(py);
    match err {
        Error::InvalidArgument {
            field,
            index,
            reason,
        } => {
            kw.set_item("field", field)?;
            kw.set_item("index", index)?;
            kw.set_item("reason", reason)?;
        }
        Error::Config { option, reason } => {
            kw.set_item("option", option)?;
            kw.set_item("reason", reason)?;
        }
        Error::Api {
            status_code,
            api_code,
            message,
            request_id,
            http_status,
        } => {
            kw.set_item("status_code", status_code)?;
            kw.set_item("api_code", api_code)?;
            kw.set_item("message", message)?;
            kw.set_item("request_id", request_id)?;
            kw.set_item("http_status", http_status)?;
        }
        Error::Timeout { phase } => kw.set_item("phase", phase.as_str())?,
        Error::Transport { message } => kw.set_item("message", message)?,
        Error::Decode {
            http_status,
            reason,
            snippet,
        } => {
            kw.set_item("http_status", http_status)?;
            kw.set_item("reason", reason)?;
            kw.set_item("snippet", snippet)?;
        }
        Error::Journal { path, reason } => {
            kw.set_item("path", path)?;
            kw.set_item("reason", reason)?;
        }
        Error::ResumeMismatch {
            path,
            field,
            earlier,
            now,
        } => {
            kw.set_item("path", path)?;
            kw.set_item("field", field)?;
            kw.set_item("earlier", earlier)?;
            kw.set_item("now", now)?;
        }
        _ => {}
    }
    Ok(kw)
}

/// The Python keyword name of an argument or option the core names by its wire name
/// (`userIds`) or its Rust builder name (`root_certificate_pem`), so that
/// `InvalidArgumentError.field` and `ConfigError.option` always name something a Python
/// caller can find in the signature.
fn python_name(core: &str) -> String {
    match core {
        // The only TLS input of the Python constructor is `ca_cert` (the core's `tls`
        // failure is the HTTP client refusing the configured certificates).
        "root_certificate_pem" | "root_certificates_pem" | "tls" => "ca_cert".into(),
        "accept_invalid_certs" => "use_unverified_ssl".into(),
        // Everything else is the same word, camelCase on the wire: userIds -> user_ids.
        _ => snake_case(core),
    }
}

fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `err` with its argument/option named as in Python (the message too, which quotes it).
fn pythonic(err: &Error) -> Error {
    match err {
        Error::InvalidArgument {
            field,
            index,
            reason,
        } => Error::InvalidArgument {
            field: python_name(field),
            index: *index,
            reason: reason.clone(),
        },
        Error::Config { option, reason } => Error::Config {
            option: python_name(option),
            reason: reason.clone(),
        },
        other => other.clone(),
    }
}

/// Builds the Python exception for a core error (the GIL is needed to instantiate it).
pub(crate) fn to_pyerr(py: Python<'_>, err: &Error) -> PyErr {
    let err = &pythonic(err);
    let build = || -> PyResult<PyErr> {
        let class = error_class(py, class_name(err))?;
        let exc = class.call((err.to_string(),), Some(&fields(py, err)?))?;
        exc.setattr("code", err.code())?;
        exc.setattr("is_retryable", err.is_retryable())?;
        exc.setattr("is_auth", err.is_auth())?;
        Ok(PyErr::from_value(exc))
    };
    // If the errors module itself cannot be used, the failure to build the exception
    // is the more useful thing to raise.
    build().unwrap_or_else(|e| e)
}

/// [`to_pyerr`] for code that does not hold the GIL (async completions).
pub(crate) fn to_pyerr_attached(err: &Error) -> PyErr {
    Python::attach(|py| to_pyerr(py, err))
}

/// A configuration problem found by the binding itself (e.g. a negative timeout).
pub(crate) fn config_error(py: Python<'_>, option: &str, reason: impl Into<String>) -> PyErr {
    let err = Error::Config {
        option: option.to_string(),
        reason: reason.into(),
    };
    to_pyerr(py, &err)
}

/// Bad input found by the binding itself (e.g. a non-positive `concurrency`).
pub(crate) fn invalid_argument(py: Python<'_>, field: &str, reason: impl Into<String>) -> PyErr {
    let err = Error::InvalidArgument {
        field: field.to_string(),
        index: None,
        reason: reason.into(),
    };
    to_pyerr(py, &err)
}
