//! Request bodies: read with a size cap, then parsed as the JSON object a POST must carry.

use std::collections::BTreeMap;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap};
use futures_util::StreamExt;
use serde_json::Value;

use crate::envelope::Reply;
use crate::messages::{Lang, Msg};
use crate::ordered_json::OJson;

// Past this much we stop draining and let the connection close: the 400 is still sent.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// A request body as read from the wire.
pub(crate) enum BodyRead {
    Bytes(Bytes),
    /// Longer than the limit; holds how many bytes were seen.
    TooLarge(usize),
    /// The client aborted mid-body.
    Failed,
}

/// Reads at most `limit` bytes. An oversized body is drained (up to a cap) rather than
/// abandoned, so the client gets its 400 instead of a reset connection.
pub(crate) async fn read_bounded(body: Body, limit: usize) -> BodyRead {
    let mut stream = body.into_data_stream();
    let mut buf: Vec<u8> = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return BodyRead::Failed;
        };
        seen += chunk.len();
        if seen > DRAIN_LIMIT {
            return BodyRead::TooLarge(seen);
        }
        if seen <= limit {
            buf.extend_from_slice(&chunk);
        }
    }
    if seen > limit {
        BodyRead::TooLarge(seen)
    } else {
        BodyRead::Bytes(Bytes::from(buf))
    }
}

/// The body as the journal shows it: JSON when it parses, else text, `null` when empty.
pub(crate) fn journal_body(body: &BodyRead) -> Value {
    match body {
        BodyRead::Bytes(b) if b.is_empty() => Value::Null,
        BodyRead::Bytes(b) => serde_json::from_slice(b)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(b).into_owned())),
        BodyRead::TooLarge(n) => Value::String(format!("<{n} bytes, over the limit>")),
        BodyRead::Failed => Value::String("<body read failed>".into()),
    }
}

/// A POST body: the object, and its top-level fields as signature parameters.
pub(crate) struct JsonBody {
    pub value: Value,
    pub params: BTreeMap<String, String>,
}

/// Checks content type, size and shape; every failure is statusCode 400.
pub(crate) fn parse_json(
    headers: &HeaderMap,
    body: &BodyRead,
    lang: Lang,
) -> Result<JsonBody, Reply> {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case("application/json")
        })
        .unwrap_or(false);
    if !json_type {
        return Err(Reply::msg(400, None, Msg::ContentType, lang));
    }
    let bytes = match body {
        BodyRead::Bytes(b) => b,
        BodyRead::TooLarge(_) => return Err(Reply::msg(400, None, Msg::BodyTooLarge, lang)),
        BodyRead::Failed => return Err(Reply::msg(400, None, Msg::BodyNotJson, lang)),
    };
    match serde_json::from_slice::<OJson>(bytes) {
        Ok(OJson::Obj(fields)) => {
            let params = fields
                .iter()
                .map(|(k, v)| (k.clone(), v.to_param()))
                .collect();
            Ok(JsonBody {
                value: OJson::Obj(fields).into_value(),
                params,
            })
        }
        Ok(_) => Err(Reply::msg(400, None, Msg::BodyNotObject, lang)),
        Err(_) => Err(Reply::msg(400, None, Msg::BodyNotJson, lang)),
    }
}
