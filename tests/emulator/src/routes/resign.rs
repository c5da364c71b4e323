//! `POST /api/v3/resign-user-batch` and `POST /api/v3/resign-user`.

use serde_json::{json, Value};

use crate::envelope::Reply;
use crate::locks::write;
use crate::messages::{Lang, Msg};
use crate::routes::{bad, body_id_type, check_id};
use crate::settings::UnknownIdPolicy;
use crate::state::Shared;
use crate::store::IdType;
use crate::time::now_iso;
use crate::MAX_BATCH;

pub(crate) fn batch(shared: &Shared, body: &Value, lang: Lang) -> Result<Value, Reply> {
    let Some(Value::Array(items)) = body.get("userIds") else {
        return Err(bad(lang, "userIds", None));
    };
    if items.is_empty() {
        return Err(bad(lang, "userIds", None));
    }
    if items.len() > MAX_BATCH {
        return Err(bad(lang, "userIds", Some(("最多 50 个", "at most 50 ids"))));
    }
    let mut ids = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Value::String(id) = item else {
            return Err(bad(
                lang,
                "userIds",
                Some((
                    &format!("第 {i} 项不是字符串"),
                    &format!("item {i} is not a string"),
                )),
            ));
        };
        check_id(lang, "userIds", Some(i), id)?;
        ids.push(id.as_str());
    }
    let id_type = body_id_type(lang, body)?;
    resign(shared, &ids, id_type, lang)
}

pub(crate) fn single(shared: &Shared, body: &Value, lang: Lang) -> Result<Value, Reply> {
    let Some(Value::String(id)) = body.get("userId") else {
        return Err(bad(
            lang,
            "userId",
            Some(("必须是字符串", "must be a string")),
        ));
    };
    check_id(lang, "userId", None, id)?;
    let id_type = body_id_type(lang, body)?;
    resign(shared, &[id.as_str()], id_type, lang)
}

/// Resolves every id first, so a rejected batch changes nothing (atomic).
fn resign(shared: &Shared, ids: &[&str], id_type: IdType, lang: Lang) -> Result<Value, Reply> {
    let policy = shared.with_settings(|s| s.unknown_ids);
    let now = now_iso();
    let mut store = write(&shared.store);
    let resolved: Vec<Option<String>> = ids
        .iter()
        .map(|id| store.resolve(id, id_type).map(str::to_owned))
        .collect();
    if policy == UnknownIdPolicy::Reject && resolved.iter().any(Option::is_none) {
        return Err(Reply::msg(404, Some(2004), Msg::UserNotFound, lang));
    }
    for user_id in resolved.into_iter().flatten() {
        store.resign(&user_id, &now);
    }
    Ok(json!({ "success": true }))
}
