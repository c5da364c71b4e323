//! The management-token answer and the JWT payload: arbitrary bytes, and structured
//! envelopes holding a JWT built from arbitrary claims (`scoped_userpool_id`, padding,
//! base64 alphabets) and an arbitrary `expires_in`. Never a panic; an accepted token
//! is non-empty with a finite lifetime the cache can add to a clock, a refresh margin
//! inside it, and the pool id the payload holds.
#![no_main]

#[path = "common/json.rs"]
mod json;

use std::time::Instant;

use arbitrary::Arbitrary;
use authing_resign::fuzzing;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

#[derive(Arbitrary, Debug)]
enum Payload {
    /// Claims as JSON, base64url without padding (what servers send).
    Claims(Vec<(json::Key, json::Json)>, Option<String>),
    /// Claims with padding, or in the standard alphabet.
    Encoded(Vec<(json::Key, json::Json)>, Option<String>, bool, bool),
    /// Any segment text.
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Input {
    Raw(u16, Vec<u8>),
    Token {
        http_status: u16,
        head: String,
        payload: Payload,
        tail: Option<String>,
        expires_in: json::Json,
        extra: Vec<(json::Key, json::Json)>,
    },
}

fuzz_target!(|input: Input| {
    match input {
        Input::Raw(status, bytes) => check(status, &bytes, None),
        Input::Token {
            http_status,
            head,
            payload,
            tail,
            expires_in,
            extra,
        } => {
            let (segment, pool) = match payload {
                Payload::Claims(claims, pool) => encode(&claims, pool, false, false),
                Payload::Encoded(claims, pool, pad, standard) => {
                    encode(&claims, pool, pad, standard)
                }
                Payload::Raw(text) => (text, None),
            };
            let mut jwt = format!("{head}.{segment}");
            if let Some(tail) = tail {
                jwt.push('.');
                jwt.push_str(&tail);
            }
            let mut data = json::object(&extra);
            data["access_token"] = Value::String(jwt);
            data["expires_in"] = expires_in.value();
            let body = json!({"statusCode": 200, "message": "", "data": data});
            check(http_status, body.to_string().as_bytes(), pool);
        }
    }
});

/// A payload segment holding `claims` (plus `scoped_userpool_id` when given).
fn encode(
    claims: &[(json::Key, json::Json)],
    pool: Option<String>,
    pad: bool,
    standard: bool,
) -> (String, Option<String>) {
    let mut value = json::object(claims);
    if let Some(pool) = &pool {
        value["scoped_userpool_id"] = Value::String(pool.clone());
    }
    let text = value.to_string();
    let engine = if standard {
        &base64::engine::general_purpose::STANDARD
    } else {
        &base64::engine::general_purpose::URL_SAFE
    };
    let mut segment = engine.encode(text);
    if !pad {
        segment = segment.trim_end_matches('=').to_owned();
    }
    (segment, pool)
}

fn check(status: u16, body: &[u8], pool: Option<String>) {
    let Ok(answer) = fuzzing::decode_token(status, body) else {
        return;
    };
    assert!((200..300).contains(&status));
    assert!(!answer.token.is_empty());
    assert!(answer.refresh_margin <= answer.lifetime);
    assert!(answer.refresh_margin.as_secs() <= 300);
    assert!(
        Instant::now().checked_add(answer.lifetime).is_some(),
        "{:?}",
        answer.lifetime
    );
    if let Some(pool) = pool {
        assert_eq!(answer.userpool_id.as_deref(), Some(pool.as_str()));
    }
    assert_eq!(
        fuzzing::scoped_userpool_id(&answer.token).ok(),
        Some(answer.userpool_id)
    );
}
