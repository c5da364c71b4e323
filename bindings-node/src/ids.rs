//! The ids of a `resignUserBatch` call as they cross from JavaScript: one string.
//!
//! Converting a JS array of 50 strings costs 50 element reads and, per string, a
//! length pass, a zeroed allocation and a copy, each through Node-API: about a tenth
//! of the JS thread's time per call. `lib/validate.js` joins the checked ids with
//! U+0000 instead, and one string is converted. An id that holds a U+0000 itself (the
//! core refuses control characters, naming the id's index) would split into other ids:
//! then the string has more parts than the array has ids, and the array is converted
//! element by element as before, so the core sees the ids as given.

use napi::bindgen_prelude::{FromNapiValue, Unknown};
use napi::{Env, JsValue, Result};

/// What separates the ids in the joined string (the same in `lib/validate.js`).
const SEPARATOR: u8 = 0;

/// A batch's ids, owned by the call's future.
pub(crate) enum BatchIds {
    /// `count` ids joined by [`SEPARATOR`], none containing it.
    Joined { joined: String, count: usize },
    /// The ids one by one (some id contains the separator).
    Each(Vec<String>),
}

impl BatchIds {
    /// Takes `joined` when it splits into exactly `count` ids; otherwise converts
    /// `user_ids`, the array the string was joined from.
    pub(crate) fn new(
        env: &Env,
        joined: String,
        count: u32,
        user_ids: Unknown<'_>,
    ) -> Result<Self> {
        let count = count as usize;
        if parts(&joined, count) == count {
            return Ok(Self::Joined { joined, count });
        }
        let each = unsafe { Vec::<String>::from_napi_value(env.raw(), user_ids.raw()) }?;
        Ok(Self::Each(each))
    }

    /// The ids, borrowed.
    pub(crate) fn as_strs(&self) -> Vec<&str> {
        match self {
            Self::Joined { count: 0, .. } => Vec::new(),
            Self::Joined { joined, count } => {
                let mut ids = Vec::with_capacity(*count);
                let mut start = 0;
                // `memchr`, not `str::split`: a vector search instead of a byte loop
                // (about 1,300 bytes a call). A separator is one byte of UTF-8 of its
                // own, so every slice is at char boundaries.
                for end in memchr::memchr_iter(SEPARATOR, joined.as_bytes()) {
                    ids.push(&joined[start..end]);
                    start = end + 1;
                }
                ids.push(&joined[start..]);
                ids
            }
            Self::Each(ids) => ids.iter().map(String::as_str).collect(),
        }
    }
}

/// How many ids `joined` holds, as `as_strs` splits it: none when empty and none are
/// expected (an empty batch), else one more than its separators.
fn parts(joined: &str, expected: usize) -> usize {
    if joined.is_empty() && expected == 0 {
        return 0;
    }
    1 + memchr::memchr_iter(SEPARATOR, joined.as_bytes()).count()
}
