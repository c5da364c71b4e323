//! The Management API routes the emulator serves, and the validation they share.

mod management_token;
mod resign;
mod users;

use serde_json::Value;

use crate::envelope::Reply;
use crate::messages::{bad_param, Lang, Msg};
use crate::params::QueryParams;
use crate::state::Shared;
use crate::store::IdType;

/// A known API route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    ManagementToken,
    ResignUserBatch,
    ResignUser,
    CreateUsersBatch,
    GetUser,
    GetUserBatch,
    ListUsers,
}

impl Route {
    /// The route for a method and path; unknown paths and wrong methods are `None`.
    pub(crate) fn find(method: &str, path: &str) -> Option<Route> {
        let route = match path {
            "/api/v3/get-management-token" => Route::ManagementToken,
            "/api/v3/resign-user-batch" => Route::ResignUserBatch,
            "/api/v3/resign-user" => Route::ResignUser,
            "/api/v3/create-users-batch" => Route::CreateUsersBatch,
            "/api/v3/get-user" => Route::GetUser,
            "/api/v3/get-user-batch" => Route::GetUserBatch,
            "/api/v3/list-users" => Route::ListUsers,
            _ => return None,
        };
        (method == route.method()).then_some(route)
    }

    pub(crate) fn method(self) -> &'static str {
        match self {
            Route::GetUser | Route::GetUserBatch => "GET",
            _ => "POST",
        }
    }

    /// Every route but the token exchange needs a signature or a token.
    pub(crate) fn needs_auth(self) -> bool {
        self != Route::ManagementToken
    }
}

/// A request's parameters: the JSON body of a POST, the query of a GET.
pub(crate) enum Input {
    Body(Value),
    Query(QueryParams),
}

/// Runs an authenticated (or auth-free) route.
pub(crate) fn dispatch(route: Route, shared: &Shared, input: &Input, lang: Lang) -> Reply {
    let result = match (route, input) {
        (Route::ManagementToken, Input::Body(b)) => management_token::issue(shared, b, lang),
        (Route::ResignUserBatch, Input::Body(b)) => resign::batch(shared, b, lang),
        (Route::ResignUser, Input::Body(b)) => resign::single(shared, b, lang),
        (Route::CreateUsersBatch, Input::Body(b)) => users::create_batch(shared, b, lang),
        (Route::ListUsers, Input::Body(b)) => users::list(shared, b, lang),
        (Route::GetUser, Input::Query(q)) => users::get(shared, q, lang),
        (Route::GetUserBatch, Input::Query(q)) => users::get_batch(shared, q, lang),
        _ => Err(Reply::msg(404, None, Msg::NotFound, lang)),
    };
    match result {
        Ok(data) => Reply::ok(lang, data),
        Err(reply) => reply,
    }
}

pub(crate) fn bad(lang: Lang, field: &str, reason: Option<(&str, &str)>) -> Reply {
    Reply::fail(400, None, bad_param(lang, field, reason))
}

/// Checks one id: a non-blank string without control characters.
pub(crate) fn check_id(
    lang: Lang,
    field: &str,
    index: Option<usize>,
    id: &str,
) -> Result<(), Reply> {
    let (at_zh, at_en) = match index {
        Some(i) => (format!("第 {i} 项"), format!("item {i}")),
        None => (String::new(), "the value".to_owned()),
    };
    if id.trim().is_empty() {
        return Err(bad(
            lang,
            field,
            Some((&format!("{at_zh}为空"), &format!("{at_en} is empty"))),
        ));
    }
    if id.chars().any(char::is_control) {
        return Err(bad(
            lang,
            field,
            Some((
                &format!("{at_zh}含有控制字符"),
                &format!("{at_en} contains a control character"),
            )),
        ));
    }
    Ok(())
}

/// Parses `userIdType` (absent = `user_id`).
pub(crate) fn id_type(lang: Lang, value: Option<&str>) -> Result<IdType, Reply> {
    match value {
        None => Ok(IdType::UserId),
        Some(wire) => IdType::parse(wire).ok_or_else(|| {
            bad(
                lang,
                "userIdType",
                Some((
                    "应为 user_id、external_id、phone、email、username、identity、sync_relation 或 custom_field",
                    "must be one of user_id, external_id, phone, email, username, identity, sync_relation, custom_field",
                )),
            )
        }),
    }
}

/// `userIdType` from a JSON body: absent or a known string.
pub(crate) fn body_id_type(lang: Lang, body: &Value) -> Result<IdType, Reply> {
    match body.get("userIdType") {
        None => Ok(IdType::UserId),
        Some(Value::String(s)) => id_type(lang, Some(s)),
        Some(_) => Err(bad(
            lang,
            "userIdType",
            Some(("必须是字符串", "must be a string")),
        )),
    }
}
