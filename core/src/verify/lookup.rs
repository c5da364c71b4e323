//! One `GET /api/v3/get-user-batch` call: the query as the official SDKs send it, and
//! the users it returns, keyed the way the ids were given.

use std::collections::HashMap;

use serde_json::Value;

use crate::client::ClientState;
use crate::error::Result;
use crate::request::UserIdType;
use crate::response::decode::{decode, decode_error, RawResponse};
use crate::response::MAX_MESSAGE_BYTES;
use crate::transport::{Call, Called, Payload};

/// Path of the lookup `verify` uses.
pub const GET_USER_BATCH_PATH: &str = "/api/v3/get-user-batch";

/// What the lookup returned: the status of each user, keyed by the id it was asked
/// for under the id type used.
pub(crate) type Seen = HashMap<String, String>;

/// Why an id cannot be looked up, if it cannot.
pub(crate) fn unlookable(id: &str, id_type: UserIdType) -> Option<String> {
    if id.contains(',') {
        return Some(
            "not verified: the id contains a comma, and the lookup takes ids \
             comma-separated (userIds=a,b)"
                .into(),
        );
    }
    if !matchable(id_type) {
        return Some(format!(
            "not verified: a lookup answer cannot be matched to `{}` ids",
            id_type.as_str()
        ));
    }
    None
}

/// Looks up `ids` (at most 50, none with a comma) under the client's retry policy.
pub(crate) async fn lookup(inner: &ClientState, ids: &[&str], id_type: UserIdType) -> Called<Seen> {
    let joined = ids.join(",");
    let canonical = format!("userIdType={}&userIds={joined}", id_type.as_str());
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("userIds", &joined)
        .append_pair("userIdType", id_type.as_str())
        .finish();
    let call = Call {
        path: GET_USER_BATCH_PATH,
        canonical_query: &canonical,
        payload: Payload::Query(&query),
    };
    // `unlookable` keeps other id types out.
    inner.execute(&call, &move |raw| parse(raw, id_type)).await
}

/// Whether a returned `UserDto` shows which ids of this type it answers to (sync
/// relations and custom fields are not in it).
fn matchable(id_type: UserIdType) -> bool {
    !matches!(id_type, UserIdType::SyncRelation | UserIdType::CustomField)
}

/// The ids of `id_type` a returned user answers to (none for the unmatchable types).
fn keys_of(user: &Value, id_type: UserIdType) -> Vec<String> {
    let field = |name: &str| user.get(name).and_then(Value::as_str).map(str::to_owned);
    match id_type {
        UserIdType::UserId => field("userId").into_iter().collect(),
        UserIdType::ExternalId => field("externalId").into_iter().collect(),
        UserIdType::Phone => field("phone").into_iter().collect(),
        UserIdType::Email => field("email").into_iter().collect(),
        UserIdType::Username => field("username").into_iter().collect(),
        UserIdType::Identity => user
            .get("identities")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|i| {
                        let idp = i.get("extIdpId")?.as_str()?;
                        let uid = i.get("userIdInIdp")?.as_str()?;
                        Some(format!("{idp}:{uid}"))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        UserIdType::SyncRelation | UserIdType::CustomField => Vec::new(),
    }
}

/// The envelope's `data`, a list of `UserDto`, as id → status.
fn parse(raw: &RawResponse<'_>, id_type: UserIdType) -> Result<Seen> {
    let env = decode(raw)?;
    let Some(Value::Array(users)) = env.data else {
        return Err(decode_error(
            raw,
            "the lookup's data is not a list of users",
        ));
    };
    let mut seen = Seen::new();
    for user in &users {
        let status = user
            .get("status")
            .and_then(Value::as_str)
            .map(|s| crate::response::scrub::cut(s, MAX_MESSAGE_BYTES / 16))
            .unwrap_or_else(|| "(no status)".into());
        for id in keys_of(user, id_type) {
            seen.insert(id, status.clone());
        }
    }
    Ok(seen)
}
