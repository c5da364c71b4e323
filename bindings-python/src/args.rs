//! Python arguments to core types. Wrong Python *types* are `TypeError`s naming the
//! argument; wrong *values* are left to the core (or reported as its typed errors), so
//! the rules live in one place.

use std::str::FromStr;
use std::time::Duration;

use authing_resign::{Argument, UserIdType};
use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFrozenSet, PyList, PyMapping, PySet, PyString, PyTuple};
use pyo3::Borrowed;

use crate::errors::{invalid_argument, to_pyerr};

/// `user_ids`: a list, tuple or any iterable of `str` — but not a bare `str`, which
/// would otherwise be iterated character by character, nor a mapping (its keys are
/// rarely the ids meant) or a set (its order is arbitrary, so the indexes in errors and
/// reports would point at nothing the caller can see). Collected into `T`: a
/// `Vec<String>` (a bulk job owns its ids) or an [`IdBatch`] (a single call).
pub(crate) fn user_ids<T: IdSink>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "user_ids must be a list of str, not a single {} (wrap it: [user_id])",
            type_name(obj)
        )));
    }
    // Lists and tuples are by far the common case: index them without the iterator
    // protocol (see `borrowed_items`).
    if let Ok(list) = obj.cast::<PyList>() {
        return borrowed_items(obj, list.len(), ffi::PyList_GetItem);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return borrowed_items(obj, tuple.len(), ffi::PyTuple_GetItem);
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
    let mut ids = T::default();
    let iter = obj.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "user_ids must be a list of str, not {}",
            type_name(obj)
        ))
    })?;
    for (i, v) in iter.enumerate() {
        push_id(&mut ids, i, &v?)?;
    }
    Ok(ids)
}

/// The ids of a list or tuple `seq` of `len` items, read with `get_item`
/// (`PyList_GetItem` / `PyTuple_GetItem`), each item borrowed rather than referenced
/// anew: under abi3, pyo3's iterators call `PyList_Size`, `Py_IncRef` and `Py_DecRef`
/// as functions for every item. Sound because nothing from reading an item to being
/// done with it runs Python code (reading a `str`'s UTF-8 does not), so no other
/// thread can change the list meanwhile; `get_item` checks the index all the same.
fn borrowed_items<T: IdSink>(
    seq: &Bound<'_, PyAny>,
    len: usize,
    get_item: unsafe extern "C" fn(*mut ffi::PyObject, ffi::Py_ssize_t) -> *mut ffi::PyObject,
) -> PyResult<T> {
    let mut ids = T::default();
    ids.reserve(len);
    for i in 0..len {
        let at = ffi::Py_ssize_t::try_from(i).unwrap_or(ffi::Py_ssize_t::MAX);
        // SAFETY: `seq` is a live list or tuple (the GIL is held); a null answer is the
        // IndexError `get_item` set.
        let item = unsafe { Borrowed::from_ptr_or_err(seq.py(), get_item(seq.as_ptr(), at)) }?;
        push_id(&mut ids, i, &item)?;
    }
    Ok(ids)
}

/// Item `i` of `user_ids`, which must be a `str`.
fn push_id<T: IdSink>(ids: &mut T, i: usize, v: &Bound<'_, PyAny>) -> PyResult<()> {
    match v.cast::<PyString>() {
        Ok(s) => with_text(s, Argument::UserIds, Some(i), |t| ids.push(t)),
        Err(_) => Err(PyTypeError::new_err(format!(
            "user_ids[{i}] must be str, not {}",
            type_name(v)
        ))),
    }
}

/// Where [`user_ids`] puts the ids' text.
pub(crate) trait IdSink: Default {
    fn reserve(&mut self, ids: usize);
    fn push(&mut self, id: &str);
}

impl IdSink for Vec<String> {
    fn reserve(&mut self, ids: usize) {
        Vec::reserve(self, ids);
    }
    fn push(&mut self, id: &str) {
        Vec::push(self, id.to_owned());
    }
}

/// The ids of one `resign_user_batch` call, their text in one buffer: two allocations
/// for the whole batch rather than one `String` per id, each allocated here and freed
/// after the call.
#[derive(Default)]
pub(crate) struct IdBatch {
    text: String,
    /// Where each id ends in `text`.
    ends: Vec<usize>,
}

impl IdBatch {
    /// The ids, in order, as the core's calls take them.
    pub(crate) fn as_strs(&self) -> Vec<&str> {
        let mut start = 0;
        self.ends
            .iter()
            .map(|&end| {
                let id = &self.text[start..end];
                start = end;
                id
            })
            .collect()
    }
}

impl IdSink for IdBatch {
    fn reserve(&mut self, ids: usize) {
        // Ids are usually short (a 24-character ObjectId, an email address).
        self.text.reserve(ids * 32);
        self.ends.reserve(ids);
    }
    fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }
}

/// The text of a `str` id. A `str` holding a lone surrogate (`"x\ud800"`) has no UTF-8
/// form: it is refused as an `InvalidArgumentError` naming the field and index, before
/// anything is sent, rather than a bare `UnicodeEncodeError` that names neither.
fn text(s: &Bound<'_, PyString>, field: Argument, index: Option<usize>) -> PyResult<String> {
    with_text(s, field, index, str::to_owned)
}

/// [`text`], lent to `f` rather than copied.
fn with_text<R>(
    s: &Bound<'_, PyString>,
    field: Argument,
    index: Option<usize>,
    f: impl FnOnce(&str) -> R,
) -> PyResult<R> {
    let read = match utf8_in_place(s) {
        Some(read) => read.map(f),
        None => s.to_cow().map(|t| f(&t)),
    };
    read.map_err(|_| {
        let err = authing_resign::Error::InvalidArgument {
            field,
            index,
            reason: "holds a lone surrogate (not valid Unicode): it cannot be sent unaltered"
                .to_owned(),
        };
        to_pyerr(s.py(), &err)
    })
}

// Part of the stable ABI from Python 3.10 (and exported by CPython since 3.3); pyo3 binds
// it only for builds above our abi3-py39 floor, so it is declared here and called only
// on 3.10+ ([`utf8_in_place`]). Unix only: there the symbol is looked up in the running
// interpreter, which has it on every version; a Windows wheel links python3.dll, whose
// 3.9 release does not export it, so importing the module there would fail.
#[cfg(unix)]
extern "C" {
    fn PyUnicode_AsUTF8AndSize(
        unicode: *mut pyo3::ffi::PyObject,
        size: *mut pyo3::ffi::Py_ssize_t,
    ) -> *const std::ffi::c_char;
}

/// The UTF-8 text of `s` read in place (`PyUnicode_AsUTF8AndSize`: an ASCII `str` is
/// its own UTF-8, other text is encoded once and kept by the `str`), on Python 3.10+;
/// `None` on 3.9, where pyo3's `to_cow` encodes into a temporary `bytes` (an object
/// allocated and freed per id).
#[cfg(unix)]
fn utf8_in_place<'a>(s: &'a Bound<'_, PyString>) -> Option<PyResult<&'a str>> {
    static IN_STABLE_ABI: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*IN_STABLE_ABI.get_or_init(|| s.py().version_info() >= (3, 10)) {
        return None;
    }
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a live `str` (the GIL is held through `Bound`); the buffer returned
    // belongs to it, is valid UTF-8 of `size` bytes and lives as long as `s` does.
    let data = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
    Some(if data.is_null() {
        Err(PyErr::fetch(s.py()))
    } else {
        let bytes = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), size as usize) };
        Ok(unsafe { std::str::from_utf8_unchecked(bytes) })
    })
}

/// Not on Windows: always `None` (see the `extern` block above).
#[cfg(not(unix))]
fn utf8_in_place<'a>(_: &'a Bound<'_, PyString>) -> Option<PyResult<&'a str>> {
    None
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
