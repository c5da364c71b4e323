//! The one place where core errors become JavaScript errors.
//!
//! A napi rejection can only carry a status and a message, so the structured fields
//! travel as JSON after a fixed marker; `lib/errors.js` turns that payload into the
//! matching `AuthingError` subclass. Nothing on the JS side parses prose.

use authing_resign::Error;
use napi::Status;
use serde_json::{json, Map, Value};

/// Prefix of every structured error message; must equal `MARKER` in `lib/errors.js`.
pub(crate) const MARKER: &str = "authing-resign-error:";

/// Converts a core error into a napi error carrying the structured payload.
pub(crate) fn to_napi(err: Error) -> napi::Error {
    napi::Error::new(Status::GenericFailure, format!("{MARKER}{}", payload(&err)))
}

/// Builds the payload: `code`, `message` and the variant's fields in camelCase.
fn payload(err: &Error) -> Value {
    let mut fields = Map::new();
    match err {
        Error::InvalidArgument {
            field,
            index,
            reason,
        } => {
            fields.insert("field".into(), json!(js_name(field)));
            fields.insert("index".into(), json!(index));
            fields.insert("reason".into(), json!(reason));
        }
        Error::Config { option, reason } => {
            fields.insert("option".into(), json!(js_name(option)));
            fields.insert("reason".into(), json!(reason));
        }
        Error::Api {
            status_code,
            api_code,
            message,
            request_id,
            http_status,
        } => {
            fields.insert("statusCode".into(), json!(status_code));
            fields.insert("apiCode".into(), json!(api_code));
            fields.insert("apiMessage".into(), json!(message));
            fields.insert("requestId".into(), json!(request_id));
            fields.insert("httpStatus".into(), json!(http_status));
        }
        Error::Timeout { phase } => {
            fields.insert("phase".into(), json!(phase.as_str()));
        }
        Error::Decode {
            http_status,
            reason,
            snippet,
        } => {
            fields.insert("httpStatus".into(), json!(http_status));
            fields.insert("reason".into(), json!(reason));
            fields.insert("snippet".into(), json!(snippet));
        }
        // Transport and Cancelled carry nothing beyond their message; variants added
        // to the core later still map to the base class through their `code`.
        _ => {}
    }
    fields.insert("code".into(), json!(err.code()));
    fields.insert("message".into(), json!(message(err)));
    fields.insert("retryable".into(), json!(err.is_retryable()));
    fields.insert("auth".into(), json!(err.is_auth()));
    Value::Object(fields)
}

/// The error's message, with option and field names as a JavaScript user writes them.
fn message(err: &Error) -> String {
    match err {
        Error::Config { option, reason } => {
            format!("invalid client option `{}`: {reason}", js_name(option))
        }
        Error::InvalidArgument {
            field,
            index,
            reason,
        } => {
            let field = js_name(field);
            match index {
                Some(i) => format!("invalid argument `{field}[{i}]`: {reason}"),
                None => format!("invalid argument `{field}`: {reason}"),
            }
        }
        other => other.to_string(),
    }
}

/// Maps a core (Rust, snake_case) option or field name to this binding's option name.
pub(crate) fn js_name(name: &str) -> String {
    match name {
        // Options whose Node name is not just the camelCase of the Rust one.
        "accept_invalid_certs" => "rejectUnauthorized".into(),
        "root_certificate_pem" | "root_certificates_pem" => "caCert".into(),
        "total_deadline" => "totalTimeout".into(),
        "base_delay" => "retryBaseDelay".into(),
        "max_delay" => "retryMaxDelay".into(),
        _ => camel_case(name),
    }
}

fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
