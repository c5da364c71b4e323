//! User routes: create-users-batch, get-user, get-user-batch, list-users.

use serde_json::{json, Value};

use crate::envelope::Reply;
use crate::locks::{read, write};
use crate::messages::{user_exists, Lang, Msg};
use crate::model::{NewUser, STATUSES};
use crate::params::QueryParams;
use crate::routes::{bad, check_id, id_type};
use crate::state::Shared;
use crate::time::now_iso;
use crate::MAX_BATCH;

/// Largest `limit` list-users accepts.
const MAX_PAGE: u64 = 50;

pub(crate) fn create_batch(shared: &Shared, body: &Value, lang: Lang) -> Result<Value, Reply> {
    let Some(Value::Array(list)) = body.get("list") else {
        return Err(bad(lang, "list", Some(("必须是数组", "must be an array"))));
    };
    if list.is_empty() || list.len() > MAX_BATCH {
        return Err(bad(
            lang,
            "list",
            Some(("应有 1 到 50 项", "must hold 1 to 50 users")),
        ));
    }
    if !matches!(body.get("options"), None | Some(Value::Object(_))) {
        return Err(bad(
            lang,
            "options",
            Some(("必须是对象", "must be an object")),
        ));
    }
    let mut users = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        users.push(new_user(lang, i, item)?);
    }
    let mut store = write(&shared.store);
    // Conflicts are checked for the whole batch before anything is inserted.
    if let Some(c) = store.conflict(&users) {
        return Err(Reply::fail(409, None, user_exists(lang, c.field, &c.value)));
    }
    let now = now_iso();
    let created: Vec<_> = users.into_iter().map(|u| store.insert(u, &now)).collect();
    Ok(json!(created))
}

fn new_user(lang: Lang, i: usize, item: &Value) -> Result<NewUser, Reply> {
    let invalid = |zh: String, en: String| bad(lang, "list", Some((&zh, &en)));
    if !item.is_object() {
        return Err(invalid(
            format!("第 {i} 项不是对象"),
            format!("item {i} is not an object"),
        ));
    }
    let mut user: NewUser = serde_json::from_value(item.clone())
        .map_err(|e| invalid(format!("第 {i} 项：{e}"), format!("item {i}: {e}")))?;
    // The real API assigns ids itself.
    user.user_id = None;
    // Authing's own rule: email, phone or username, at least one.
    if [&user.username, &user.email, &user.phone]
        .iter()
        .all(|v| v.is_none())
    {
        return Err(invalid(
            format!("第 {i} 项须至少包含 email、phone 或 username"),
            format!("item {i} needs an email, phone or username"),
        ));
    }
    let ids = [&user.username, &user.email, &user.phone, &user.external_id];
    for value in ids.into_iter().flatten() {
        check_id(lang, "list", Some(i), value)?;
    }
    if let Some(status) = &user.status {
        if !STATUSES.contains(&status.as_str()) {
            return Err(invalid(
                format!("第 {i} 项 status 无效"),
                format!("item {i} has an unknown status"),
            ));
        }
    }
    Ok(user)
}

pub(crate) fn get(shared: &Shared, query: &QueryParams, lang: Lang) -> Result<Value, Reply> {
    let Some(id) = query.one("userId") else {
        return Err(bad(
            lang,
            "userId",
            Some(("缺失或重复", "is missing or repeated")),
        ));
    };
    check_id(lang, "userId", None, id)?;
    let id_type = id_type(lang, query_type(query, lang)?)?;
    let store = read(&shared.store);
    let user = store
        .resolve(id, id_type)
        .and_then(|user_id| store.get(user_id))
        .ok_or_else(|| Reply::msg(404, Some(2004), Msg::UserNotFound, lang))?;
    Ok(json!(user))
}

/// `userIds` comes comma-separated in one value (`userIds=a,b`, as the official Java,
/// Go, C# and Python SDKs send it), or as `userIds[]=a&userIds[]=b` (qs), or repeated.
pub(crate) fn get_batch(shared: &Shared, query: &QueryParams, lang: Lang) -> Result<Value, Reply> {
    let joined: Vec<String>;
    let ids = match query.one("userIds") {
        Some(one) => {
            joined = one.split(',').map(str::to_owned).collect();
            joined.as_slice()
        }
        None => query.all("userIds").unwrap_or_default(),
    };
    if ids.is_empty() || ids.len() > MAX_BATCH {
        return Err(bad(lang, "userIds", None));
    }
    for (i, id) in ids.iter().enumerate() {
        check_id(lang, "userIds", Some(i), id)?;
    }
    let id_type = id_type(lang, query_type(query, lang)?)?;
    let store = read(&shared.store);
    let users: Vec<_> = ids
        .iter()
        .filter_map(|id| store.resolve(id, id_type).and_then(|u| store.get(u)))
        .collect();
    Ok(json!(users))
}

fn query_type(query: &QueryParams, lang: Lang) -> Result<Option<&str>, Reply> {
    match query.one("userIdType") {
        None if query.has("userIdType") => {
            Err(bad(lang, "userIdType", Some(("重复", "is repeated"))))
        }
        other => Ok(other),
    }
}

pub(crate) fn list(shared: &Shared, body: &Value, lang: Lang) -> Result<Value, Reply> {
    let pagination = match body.get("options") {
        None => None,
        Some(Value::Object(options)) => match options.get("pagination") {
            None => None,
            Some(p @ Value::Object(_)) => Some(p),
            Some(_) => {
                return Err(bad(
                    lang,
                    "options.pagination",
                    Some(("必须是对象", "must be an object")),
                ))
            }
        },
        Some(_) => {
            return Err(bad(
                lang,
                "options",
                Some(("必须是对象", "must be an object")),
            ))
        }
    };
    let number = |name: &str, default: u64, max: u64| -> Result<u64, Reply> {
        match pagination.and_then(|p| p.get(name)) {
            None => Ok(default),
            Some(v) => v.as_u64().filter(|n| (1..=max).contains(n)).ok_or_else(|| {
                let field = format!("options.pagination.{name}");
                bad(
                    lang,
                    &field,
                    Some((
                        &format!("应为 1 到 {max} 的整数"),
                        &format!("must be an integer from 1 to {max}"),
                    )),
                )
            }),
        }
    };
    let page = number("page", 1, u64::from(u32::MAX))?;
    let limit = number("limit", 10, MAX_PAGE)?;
    let store = read(&shared.store);
    let skip = (page - 1).saturating_mul(limit) as usize;
    Ok(json!({
        "totalCount": store.len(),
        "list": store.slice(skip, limit as usize),
    }))
}
