//! `POST /api/v3/get-management-token`: access key pair in, JWT out.

use serde_json::{json, Value};

use crate::envelope::Reply;
use crate::messages::{Lang, Msg};
use crate::routes::bad;
use crate::state::Shared;
use crate::time::unix_ms;
use crate::token;

pub(crate) fn issue(shared: &Shared, body: &Value, lang: Lang) -> Result<Value, Reply> {
    let field = |name: &str| match body.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.as_str()),
        _ => Err(bad(
            lang,
            name,
            Some(("必须是非空字符串", "must be a non-empty string")),
        )),
    };
    let key_id = field("accessKeyId")?;
    let secret = field("accessKeySecret")?;
    let (ok, pool, ttl) = shared.with_settings(|s| {
        (
            s.access_key_id == key_id && s.access_key_secret == secret,
            s.userpool_id.clone(),
            s.token_ttl.as_secs().max(1),
        )
    });
    if !ok {
        return Err(Reply::msg(401, None, Msg::BadCredentials, lang));
    }
    let now = unix_ms() / 1000;
    // Saturating: `Settings` set through the library are not bounded like the control API's.
    let jwt = token::issue(
        &shared.token_key(),
        &pool,
        key_id,
        now,
        now.saturating_add(ttl),
    );
    Ok(json!({ "access_token": jwt, "expires_in": ttl }))
}
