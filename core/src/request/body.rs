//! [`PreparedBody`]: a validated request body, serialized once, with the canonical
//! parameter string signed from the very same JSON object.

use serde_json::{Map, Value};

use super::{validate_batch, validate_user_id, UserIdType};
use crate::auth::signature::canonical_query;
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

impl PreparedBody {
    /// Validates (see [`validate_batch`]) and serializes a `resign-user-batch` body.
    pub fn resign_user_batch<S: AsRef<str>>(
        user_ids: &[S],
        user_id_type: Option<UserIdType>,
    ) -> Result<Self> {
        validate_batch(user_ids, user_id_type.unwrap_or_default())?;
        let ids = user_ids
            .iter()
            .map(|s| Value::String(s.as_ref().to_owned()))
            .collect();
        let mut map = Map::new();
        map.insert("userIds".into(), Value::Array(ids));
        Ok(Self::from_map(RESIGN_USER_BATCH_PATH, map, user_id_type))
    }

    /// Validates (see [`validate_user_id`]) and serializes a `resign-user` body.
    pub fn resign_user(user_id: &str, user_id_type: Option<UserIdType>) -> Result<Self> {
        validate_user_id(user_id, user_id_type.unwrap_or_default(), "userId", None)?;
        let mut map = Map::new();
        map.insert("userId".into(), Value::String(user_id.to_owned()));
        Ok(Self::from_map(RESIGN_USER_PATH, map, user_id_type))
    }

    fn from_map(
        path: &'static str,
        mut map: Map<String, Value>,
        id_type: Option<UserIdType>,
    ) -> Self {
        if let Some(t) = id_type {
            map.insert("userIdType".into(), Value::String(t.as_str().into()));
        }
        let json = serde_json::to_vec(&map).expect("a map of strings always serializes");
        Self {
            path,
            canonical_query: canonical_query(&map),
            json,
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
