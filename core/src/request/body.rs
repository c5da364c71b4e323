//! [`PreparedBody`]: a validated request body, serialized once, with the canonical
//! parameter string signed from the very same JSON object.

use super::{validate_batch, validate_user_id, UserIdType};
use crate::error::Result;

/// Path of the batch call.
pub const RESIGN_USER_BATCH_PATH: &str = "/api/v3/resign-user-batch";
/// Path of the single-user call.
pub const RESIGN_USER_PATH: &str = "/api/v3/resign-user";

/// A validated body ready to send: the JSON bytes and the canonical parameter string
/// that signs them. Both come from one JSON object, so the body sent holds exactly
/// the fields signed; an absent `userIdType` is in neither.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreparedBody {
    path: &'static str,
    json: Vec<u8>,
    canonical_query: String,
}

/// One top-level body field: its JSON text and, for strings, the raw text that is
/// signed instead (the signature covers strings unquoted, everything else as JSON).
struct Field {
    key: &'static str,
    json: String,
    raw: Option<String>,
}

impl Field {
    fn string(key: &'static str, value: &str) -> Self {
        Self {
            key,
            json: to_json(&value),
            raw: Some(value.to_owned()),
        }
    }
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("strings and lists of strings always serialize")
}

/// The ids as a JSON array, exactly as `serde_json` writes it: an id with nothing to
/// escape (no `"`, `\\` or control character below U+0020) is copied as it is, the
/// rest go through `serde_json`. One allocation of the right size.
fn ids_json<S: AsRef<str>>(user_ids: &[S]) -> String {
    let len: usize = user_ids.iter().map(|s| s.as_ref().len() + 3).sum();
    let mut json = String::with_capacity(len + 2);
    json.push('[');
    for (i, id) in user_ids.iter().enumerate() {
        let id = id.as_ref();
        if i > 0 {
            json.push(',');
        }
        // No early exit: the compiler checks many bytes at a time.
        let plain = id
            .bytes()
            .fold(true, |ok, b| ok & (b >= b' ' && b != b'"' && b != b'\\'));
        if !plain {
            json.push_str(&to_json(id));
        } else {
            json.push('"');
            json.push_str(id);
            json.push('"');
        }
    }
    json.push(']');
    json
}

impl PreparedBody {
    /// Validates (see [`validate_batch`]) and serializes a `resign-user-batch` body.
    pub fn resign_user_batch<S: AsRef<str>>(
        user_ids: &[S],
        user_id_type: Option<UserIdType>,
    ) -> Result<Self> {
        validate_batch(user_ids, user_id_type.unwrap_or_default())?;
        let ids = Field {
            key: "userIds",
            json: ids_json(user_ids),
            raw: None,
        };
        Ok(Self::assemble(RESIGN_USER_BATCH_PATH, ids, user_id_type))
    }

    /// Validates (see [`validate_user_id`]) and serializes a `resign-user` body.
    pub fn resign_user(user_id: &str, user_id_type: Option<UserIdType>) -> Result<Self> {
        validate_user_id(
            user_id,
            user_id_type.unwrap_or_default(),
            crate::error::Argument::UserId,
            None,
        )?;
        Ok(Self::assemble(
            RESIGN_USER_PATH,
            Field::string("userId", user_id),
            user_id_type,
        ))
    }

    /// Builds the body and the canonical parameter string from the same serialized
    /// fields (each value is serialized once), so what is sent is what is signed.
    fn assemble(path: &'static str, first: Field, id_type: Option<UserIdType>) -> Self {
        let mut fields = vec![first];
        if let Some(t) = id_type {
            fields.push(Field::string("userIdType", t.as_str()));
        }
        let mut json = String::with_capacity(fields.iter().map(|f| f.json.len() + 16).sum());
        json.push('{');
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            // Keys are fixed ASCII names: nothing to escape.
            json.push('"');
            json.push_str(f.key);
            json.push_str("\":");
            json.push_str(&f.json);
        }
        json.push('}');
        fields.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
        let mut canonical_query = String::with_capacity(json.len());
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                canonical_query.push('&');
            }
            canonical_query.push_str(f.key);
            canonical_query.push('=');
            canonical_query.push_str(f.raw.as_deref().unwrap_or(&f.json));
        }
        Self {
            path,
            json: json.into_bytes(),
            canonical_query,
        }
    }

    /// The API path, e.g. `/api/v3/resign-user-batch` (without any host prefix).
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// The JSON body as sent.
    pub fn json(&self) -> &[u8] {
        &self.json
    }

    /// The canonical parameter string the signature covers.
    pub fn canonical_query(&self) -> &str {
        &self.canonical_query
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::signature::canonical_query;
    use serde_json::{Map, Value};

    #[test]
    fn ids_are_written_exactly_as_serde_json_writes_them() {
        let ids = [
            "a",
            "ada@x.io",
            "q\"uote",
            "back\\slash",
            "tab\tx",
            "del\u{7f}",
            "中文",
            "😀",
            "\u{2028}",
            "a/b",
            "",
        ];
        assert_eq!(ids_json(&ids), serde_json::to_string(&ids).unwrap());
        assert_eq!(ids_json::<&str>(&[]), "[]");
    }

    #[test]
    fn absent_id_type_is_neither_sent_nor_signed() {
        let p = PreparedBody::resign_user_batch(&["a", "b"], None).unwrap();
        assert_eq!(p.json(), br#"{"userIds":["a","b"]}"#);
        assert_eq!(p.canonical_query(), r#"userIds=["a","b"]"#);
    }

    #[test]
    fn body_and_signed_params_hold_the_same_fields() {
        let p =
            PreparedBody::resign_user_batch(&["张三@例子.cn"], Some(UserIdType::Email)).unwrap();
        let sent: Map<String, Value> = serde_json::from_slice(p.json()).unwrap();
        assert_eq!(canonical_query(&sent), p.canonical_query());
        assert_eq!(
            p.canonical_query(),
            r#"userIdType=email&userIds=["张三@例子.cn"]"#
        );
        assert_eq!(p.path(), RESIGN_USER_BATCH_PATH);
    }

    #[test]
    fn escaped_ids_are_valid_json_and_signed_as_json() {
        let ids = ["a\"b\\c", "张三", "x/y"];
        let p = PreparedBody::resign_user_batch(&ids, Some(UserIdType::Username)).unwrap();
        let sent: Map<String, Value> = serde_json::from_slice(p.json()).unwrap();
        assert_eq!(sent["userIds"], serde_json::json!(ids));
        assert_eq!(canonical_query(&sent), p.canonical_query());
        let single = PreparedBody::resign_user("q\"uote", None).unwrap();
        let sent: Map<String, Value> = serde_json::from_slice(single.json()).unwrap();
        assert_eq!(canonical_query(&sent), "userId=q\"uote");
        assert_eq!(single.canonical_query(), "userId=q\"uote");
    }

    #[test]
    fn single_user_body() {
        let p = PreparedBody::resign_user("u1", Some(UserIdType::UserId)).unwrap();
        let sent: Value = serde_json::from_slice(p.json()).unwrap();
        assert_eq!(
            sent,
            serde_json::json!({"userId": "u1", "userIdType": "user_id"})
        );
        assert_eq!(p.path(), RESIGN_USER_PATH);
        assert!(PreparedBody::resign_user(" ", None).is_err());
    }
}
