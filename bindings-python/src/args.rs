//! Python arguments to core types. Wrong Python *types* are `TypeError`s naming the
//! argument; wrong *values* are left to the core (or reported as its typed errors), so
//! the rules live in one place.

use std::str::FromStr;
use std::time::Duration;

use authing_resign::{Argument, UserIdType};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFrozenSet, PyList, PyMapping, PySet, PyString, PyTuple};

use crate::errors::{invalid_argument, to_pyerr};

/// `user_ids`: a list, tuple or any iterable of `str` — but not a bare `str`, which
/// would otherwise be iterated character by character, nor a mapping (its keys are
/// rarely the ids meant) or a set (its order is arbitrary, so the indexes in errors and
/// reports would point at nothing the caller can see).
pub(crate) fn user_ids(obj: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "user_ids must be a list of str, not a single {} (wrap it: [user_id])",
            type_name(obj)
        )));
    }
    let item = |i: usize, v: Bound<'_, PyAny>| -> PyResult<String> {
        match v.cast::<PyString>() {
            Ok(s) => text(s, Argument::UserIds, Some(i)),
            Err(_) => Err(PyTypeError::new_err(format!(
                "user_ids[{i}] must be str, not {}",
                type_name(&v)
            ))),
        }
    };
    // Lists and tuples are by far the common case: index them without the iterator protocol.
    if let Ok(list) = obj.cast::<PyList>() {
        return list.iter().enumerate().map(|(i, v)| item(i, v)).collect();
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return tuple.iter().enumerate().map(|(i, v)| item(i, v)).collect();
    }
    if obj.is_instance_of::<PySet>() || obj.is_instance_of::<PyFrozenSet>() {
        return Err(PyTypeError::new_err(format!(
            "user_ids must be a list of str, not a {} (its order is arbitrary; pass sorted(ids) or list(ids))",
            type_name(obj)
        )));
    }
    if obj.cast::<PyMapping>().is_ok() {
        return Err(PyTypeError::new_err(format!(
            "user_ids must be a list of str, not a mapping ({}); pass list(m) or list(m.values())",
            type_name(obj)
        )));
    }
    let iter = obj.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "user_ids must be a list of str, not {}",
            type_name(obj)
        ))
    })?;
    iter.enumerate().map(|(i, v)| item(i, v?)).collect()
}

/// The text of a `str` id. A `str` holding a lone surrogate (`"x\ud800"`) has no UTF-8
/// form: it is refused as an `InvalidArgumentError` naming the field and index, before
/// anything is sent, rather than a bare `UnicodeEncodeError` that names neither.
fn text(s: &Bound<'_, PyString>, field: Argument, index: Option<usize>) -> PyResult<String> {
    match s.to_cow() {
        Ok(text) => Ok(text.into_owned()),
        Err(_) => {
            let err = authing_resign::Error::InvalidArgument {
                field,
                index,
                reason: "holds a lone surrogate (not valid Unicode): it cannot be sent unaltered"
                    .to_owned(),
            };
            Err(to_pyerr(s.py(), &err))
        }
    }
}

/// One user id (`resign_user`).
pub(crate) fn user_id(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => text(s, Argument::UserId, None),
        Err(_) => Err(PyTypeError::new_err(format!(
            "user_id must be str, not {}",
            type_name(obj)
        ))),
    }
}

/// `user_id_type`: `None`, a `UserIdType` member or a plain wire string. An unknown
/// string is the core's `InvalidArgumentError`, which lists the allowed values.
pub(crate) fn user_id_type(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<UserIdType>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    // `UserIdType` is a `str` subclass, so its members take this path too.
    let s = obj.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "user_id_type must be a UserIdType or str, not {}",
            type_name(obj)
        ))
    })?;
    UserIdType::from_str(&s.to_cow()?)
        .map(Some)
        .map_err(|e| to_pyerr(obj.py(), &e))
}

/// Seconds (`float`/`int`) to a `Duration`; negative, NaN and infinite values are
/// refused with `make_err(reason)`.
pub(crate) fn seconds(value: f64, make_err: impl FnOnce(String) -> PyErr) -> PyResult<Duration> {
    if !value.is_finite() || value <= 0.0 {
        return Err(make_err(format!(
            "must be a positive, finite number of seconds, got {value}"
        )));
    }
    Duration::try_from_secs_f64(value).map_err(|e| make_err(format!("{value} seconds: {e}")))
}

/// A positive count option of `resign_users` (`chunk_size`, `concurrency`).
pub(crate) fn positive(py: Python<'_>, field: Argument, value: i64) -> PyResult<usize> {
    usize::try_from(value)
        .ok()
        .filter(|v| *v >= 1)
        .ok_or_else(|| invalid_argument(py, field, format!("must be at least 1, got {value}")))
}

/// The Python type name of `obj`, for messages.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}
