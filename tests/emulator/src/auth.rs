//! Authentication of API requests: HMAC-SHA1 signatures or management tokens.

use std::collections::BTreeMap;

use axum::http::{header, HeaderMap};

use crate::envelope::Reply;
use crate::journal::AuthKind;
use crate::messages::{Lang, Msg};
use crate::signature;
use crate::state::Shared;
use crate::time::unix_ms;
use crate::token::{self, TokenError};

/// What is needed to verify one request.
pub(crate) struct AuthInput<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub headers: &'a HeaderMap,
    /// The canonical parameters (body fields for POST, query for GET).
    pub params: &'a BTreeMap<String, String>,
    pub lang: Lang,
}

/// Authenticates a request; on failure returns the scheme attempted and the answer.
pub(crate) fn authenticate(
    shared: &Shared,
    input: &AuthInput<'_>,
) -> Result<AuthKind, (AuthKind, Reply)> {
    let raw = input.headers.get(header::AUTHORIZATION);
    let Some(raw) = raw else {
        return Err((
            AuthKind::None,
            Reply::msg(401, None, Msg::NoCredentials, input.lang),
        ));
    };
    let Ok(value) = raw.to_str().map(str::trim) else {
        return Err((
            AuthKind::Token,
            Reply::msg(401, None, Msg::BadToken, input.lang),
        ));
    };
    if value.is_empty() {
        return Err((
            AuthKind::None,
            Reply::msg(401, None, Msg::NoCredentials, input.lang),
        ));
    }
    if let Some(rest) = value.strip_prefix("authing ") {
        verify_signature(shared, input, rest.trim())
            .map(|()| AuthKind::Signature)
            .map_err(|r| (AuthKind::Signature, r))
    } else {
        let jwt = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .unwrap_or(value)
            .trim();
        verify_token(shared, input, jwt)
            .map(|()| AuthKind::Token)
            .map_err(|r| (AuthKind::Token, r))
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn sig_fail(api_code: u32, msg: Msg, lang: Lang) -> Reply {
    Reply::msg(401, Some(api_code), msg, lang)
}

fn verify_signature(shared: &Shared, input: &AuthInput<'_>, credential: &str) -> Result<(), Reply> {
    let lang = input.lang;
    let Some((key_id, given)) = credential.split_once(':') else {
        return Err(sig_fail(1300, Msg::BadAuthorization, lang));
    };
    let (expected_key, secret, skew_ms) = shared.with_settings(|s| {
        (
            s.access_key_id.clone(),
            s.access_key_secret.clone(),
            u64::try_from(s.clock_skew.as_millis()).unwrap_or(u64::MAX),
        )
    });
    if key_id != expected_key {
        return Err(sig_fail(1300, Msg::UnknownAccessKey, lang));
    }
    let headers = input.headers;
    if header(headers, "x-authing-signature-method") != Some("HMAC-SHA1") {
        return Err(sig_fail(1301, Msg::MethodMismatch, lang));
    }
    if header(headers, "x-authing-signature-version") != Some("1.0") {
        return Err(sig_fail(1302, Msg::VersionMismatch, lang));
    }
    let sent_ms = request_time_ms(headers).map_err(|(code, msg)| sig_fail(code, msg, lang))?;
    let now = unix_ms();
    if now.abs_diff(sent_ms) > skew_ms {
        return Err(sig_fail(1305, Msg::DateSkew, lang));
    }
    let Some(nonce) = header(headers, "x-authing-signature-nonce") else {
        return Err(sig_fail(1300, Msg::NoNonce, lang));
    };
    let pairs = headers
        .iter()
        .filter_map(|(name, value)| value.to_str().ok().map(|v| (name.as_str(), v)));
    let to_sign = signature::string_to_sign(input.method, pairs, input.path, input.params);
    if !signature::verify(&secret, &to_sign, given) {
        return Err(sig_fail(1300, Msg::BadSignature, lang));
    }
    // Recorded only once the signature holds, so forged requests cannot burn nonces.
    // A nonce must be remembered as long as its date would still be accepted.
    // Saturating: `Settings` set through the library are not bounded like the control API's.
    let forget_after = sent_ms
        .max(now)
        .saturating_add(skew_ms)
        .saturating_add(1000);
    if !shared.nonces.insert(nonce, now, forget_after) {
        return Err(sig_fail(1306, Msg::NonceReused, lang));
    }
    Ok(())
}

/// The request time from `x-authing-date` (epoch ms) or `date` (RFC 7231).
fn request_time_ms(headers: &HeaderMap) -> Result<u64, (u32, Msg)> {
    if let Some(ms) = header(headers, "x-authing-date") {
        return ms.parse::<u64>().map_err(|_| (1303, Msg::BadTimestamp));
    }
    let Some(date) = header(headers, "date") else {
        return Err((1304, Msg::NoDate));
    };
    let time = httpdate::parse_http_date(date).map_err(|_| (1303, Msg::BadTimestamp))?;
    let ms = time
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    Ok(ms)
}

fn verify_token(shared: &Shared, input: &AuthInput<'_>, jwt: &str) -> Result<(), Reply> {
    let lang = input.lang;
    let claims = match token::verify(&shared.token_key(), jwt, unix_ms() / 1000) {
        Ok(claims) => claims,
        Err(TokenError::Expired) => return Err(Reply::msg(401, None, Msg::TokenExpired, lang)),
        Err(TokenError::Invalid) => return Err(Reply::msg(401, None, Msg::BadToken, lang)),
    };
    let Some(pool) = header(input.headers, "x-authing-userpool-id") else {
        return Err(Reply::msg(401, None, Msg::NoUserpoolHeader, lang));
    };
    let current = shared.with_settings(|s| s.userpool_id == pool);
    if pool != claims.scoped_userpool_id || !current {
        return Err(Reply::msg(403, Some(2224), Msg::UserpoolNotFound, lang));
    }
    Ok(())
}
