//! The one place core errors become Python exceptions.
//!
//! The exception classes live in `authing_resign/errors.py` (so they are ordinary,
//! picklable Python classes); `errors._from_native` instantiates the class of the
//! core's code with the core's payload ([`authing_resign::Error::payload`]). Nothing
//! here lists a variant's fields: only how Python names options and arguments.

use std::borrow::Cow;

use authing_resign::{
    Argument, Error, ErrorPayload, Field, FieldValue, Naming, OptionKey, ResumeKey,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};

/// How Python names the core's options, arguments and fields: as the keyword arguments
/// of `ManagementClient(...)` and of its methods, and the attributes of its exceptions.
pub(crate) struct PythonNaming;

impl Naming for PythonNaming {
    fn option(&self, key: OptionKey) -> Cow<'_, str> {
        crate::options::option_name(key).into()
    }

    fn argument(&self, arg: Argument) -> Cow<'_, str> {
        // Every argument is the core's name in snake_case (`userIds` is `user_ids`).
        let mut name = String::with_capacity(arg.as_str().len() + 2);
        for c in arg.as_str().chars() {
            if c.is_ascii_uppercase() {
                name.push('_');
            }
            name.push(c.to_ascii_lowercase());
        }
        name.into()
    }

    fn field(&self, field: Field) -> Cow<'_, str> {
        // Python attributes are the core's (snake_case) field names.
        field.as_str().into()
    }
}

/// `errors._from_native`, imported once.
fn factory(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let f = FACTORY.get_or_try_init(py, || {
        py.import("authing_resign.errors")?
            .getattr("_from_native")
            .map(Bound::unbind)
    })?;
    Ok(f.bind(py))
}

/// The payload's fields as keyword arguments.
fn fields<'py>(py: Python<'py>, payload: &ErrorPayload) -> PyResult<Bound<'py, PyDict>> {
    let kw = PyDict::new(py);
    for (key, value) in &payload.fields {
        match value {
            FieldValue::Null => kw.set_item(key, py.None())?,
            FieldValue::Number(n) => kw.set_item(key, n)?,
            FieldValue::Text(s) => kw.set_item(key, s)?,
        }
    }
    Ok(kw)
}

/// Builds the Python exception for a core error (the GIL is needed to instantiate it).
pub(crate) fn to_pyerr(py: Python<'_>, err: &Error) -> PyErr {
    let p = err.payload(&PythonNaming);
    let build = || -> PyResult<PyErr> {
        let args = (
            p.code,
            p.message.as_str(),
            p.retryable,
            p.auth,
            fields(py, &p)?,
        );
        Ok(PyErr::from_value(factory(py)?.call1(args)?))
    };
    // If the errors module itself cannot be used, the failure to build the exception
    // is the more useful thing to raise.
    build().unwrap_or_else(|e| e)
}

/// A configuration problem found by the binding itself (e.g. a negative timeout).
pub(crate) fn config_error(py: Python<'_>, option: OptionKey, reason: impl Into<String>) -> PyErr {
    to_pyerr(py, &Error::config(option, reason))
}

/// Bad input found by the binding itself (e.g. a non-positive `concurrency`).
pub(crate) fn invalid_argument(
    py: Python<'_>,
    field: Argument,
    reason: impl Into<String>,
) -> PyErr {
    to_pyerr(py, &Error::invalid(field, None, reason))
}

/// `{code: (field names...)}` of every core error, as Python names them: what a test
/// holds the classes of `errors.py` to.
#[pyfunction]
pub(crate) fn error_fields(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    for e in Error::examples() {
        let p = e.payload(&PythonNaming);
        let names = PyTuple::new(py, p.fields.iter().map(|(k, _)| k.as_str()))?;
        out.set_item(p.code, names)?;
    }
    Ok(out)
}

/// Every `ResumeMismatchError.field`, as Python names them (the keyword argument
/// compared), in the order the core checks them.
pub(crate) fn resume_fields() -> Vec<String> {
    ResumeKey::ALL
        .iter()
        .map(|&k| PythonNaming.resume_key(k).into_owned())
        .collect()
}
