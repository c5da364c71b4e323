//! The one place where core errors become JavaScript errors.
//!
//! Each core error is rejected (or thrown) as a JavaScript `Error` object built on the
//! JS thread, whose own properties are the structured fields (`code`, `retryable`,
//! `auth` and the variant's fields in camelCase) plus a marker property;
//! `lib/errors.js` turns it into the matching `AuthingError` subclass by reading those
//! properties. No message text is parsed anywhere.

use authing_resign::Error;
use napi::bindgen_prelude::{JsObjectValue, JsValue};
use napi::{Env, Status};
use serde_json::{json, Map, Value};

/// Name of the property (set to `true`) that marks an error object built here; must
/// equal what `lib/errors.js` reads through `errorMarker()`.
pub(crate) const MARKER: &str = "authingResignError";

/// Converts a core error into a napi error holding a JavaScript `Error` object that
/// carries the fields as properties. Must run on the JS thread (it creates JS values).
pub(crate) fn to_js(env: &Env, err: Error) -> napi::Error {
    let message = message(&err);
    build(env, &err, &message)
        // Only reachable when the environment cannot create values (teardown): the
        // message alone still says what failed.
        .unwrap_or_else(|_| napi::Error::new(Status::GenericFailure, message))
}

fn build(env: &Env, err: &Error, message: &str) -> napi::Result<napi::Error> {
    let mut object = env.create_error(napi::Error::new(Status::GenericFailure, message))?;
    for (key, value) in payload(err) {
        object.set_named_property(&key, env.to_js_value(&value)?)?;
    }
    object.set_named_property(MARKER, true)?;
    Ok(napi::Error::from(object.to_unknown()))
}

/// The error's fields: `code`, `retryable`, `auth` and the variant's fields in camelCase.
fn payload(err: &Error) -> Map<String, Value> {
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
        Error::Journal { path, reason } => {
            fields.insert("path".into(), json!(path));
            fields.insert("reason".into(), json!(reason));
        }
        Error::ResumeMismatch {
            path,
            field,
            earlier,
            now,
        } => {
            fields.insert("path".into(), json!(path));
            fields.insert("field".into(), json!(js_name(field)));
            fields.insert("earlier".into(), json!(earlier));
            fields.insert("now".into(), json!(now));
        }
        // Transport and Cancelled carry nothing beyond their message; variants added
        // to the core later still map to the base class through their `code`.
        _ => {}
    }
    fields.insert("code".into(), json!(err.code()));
    fields.insert("retryable".into(), json!(err.is_retryable()));
    fields.insert("auth".into(), json!(err.is_auth()));
    fields
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
