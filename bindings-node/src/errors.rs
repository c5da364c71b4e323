//! The one place where core errors become JavaScript errors.
//!
//! Each core error is rejected (or thrown) as a JavaScript `Error` object built on the
//! JS thread from the core's payload ([`authing_resign::Error::payload`]): its own
//! properties are `code`, `retryable`, `auth` and the variant's fields, named by
//! [`NodeNaming`], plus a marker property; `lib/errors.js` turns it into the matching
//! `AuthingError` subclass. No message text is parsed, and no field is listed here.

use std::borrow::Cow;
use std::collections::HashMap;

use authing_resign::{Argument, Error, Field, Naming, OptionKey, ResumeKey};
use napi::bindgen_prelude::{JsObjectValue, JsValue};
use napi::{Env, Status};

use crate::options::js_name;

/// Name of the property (set to `true`) that marks an error object built here; must
/// equal what `lib/errors.js` reads through `errorMarker()`.
pub(crate) const MARKER: &str = "authingResignError";

/// How JavaScript names the core's options, arguments and error fields: as the
/// official `authing-node-sdk` and this package's `ClientOptions` do (camelCase).
pub(crate) struct NodeNaming;

impl Naming for NodeNaming {
    fn option(&self, key: OptionKey) -> Cow<'_, str> {
        crate::options::option_name(key).into()
    }

    fn argument(&self, arg: Argument) -> Cow<'_, str> {
        // Every argument is the core's name in camelCase, as napi names the fields of
        // the request objects (`chunkSize`).
        js_name(arg.as_str()).into()
    }

    fn field(&self, field: Field) -> Cow<'_, str> {
        match field {
            // `message` of a JavaScript error is the whole message; the server's is apart.
            Field::Message => "apiMessage".into(),
            // Transport's `message` in the core, for the same reason.
            Field::Detail => "detail".into(),
            // The core's name in camelCase (`statusCode`). Listed rather than `_`, so a
            // new field fails to compile until it is named here.
            Field::Field
            | Field::Index
            | Field::Reason
            | Field::Option
            | Field::StatusCode
            | Field::ApiCode
            | Field::RequestId
            | Field::HttpStatus
            | Field::Phase
            | Field::Snippet
            | Field::Path
            | Field::Earlier
            | Field::Now => js_name(field.as_str()).into(),
        }
    }
}

/// Converts a core error into a napi error holding a JavaScript `Error` object that
/// carries the fields as properties. Must run on the JS thread (it creates JS values).
pub(crate) fn to_js(env: &Env, err: Error) -> napi::Error {
    let payload = err.payload(&NodeNaming);
    build(env, &payload)
        // Only reachable when the environment cannot create values (teardown): the
        // message alone still says what failed.
        .unwrap_or_else(|_| napi::Error::new(Status::GenericFailure, payload.message))
}

fn build(env: &Env, p: &authing_resign::ErrorPayload) -> napi::Result<napi::Error> {
    let mut object = env.create_error(napi::Error::new(Status::GenericFailure, &p.message))?;
    for (key, value) in &p.fields {
        object.set_named_property(key, env.to_js_value(value)?)?;
    }
    object.set_named_property("code", p.code)?;
    object.set_named_property("retryable", p.retryable)?;
    object.set_named_property("auth", p.auth)?;
    object.set_named_property(MARKER, true)?;
    Ok(napi::Error::from(object.to_unknown()))
}

/// `{code: [field names...]}` of every core error, as JavaScript names them: the
/// properties `lib/errors.js` copies, and what a test holds `index.d.ts` to.
pub(crate) fn error_fields() -> HashMap<String, Vec<String>> {
    Error::examples()
        .into_iter()
        .map(|e| {
            let p = e.payload(&NodeNaming);
            (
                p.code.to_string(),
                p.fields.into_iter().map(|(k, _)| k).collect(),
            )
        })
        .collect()
}

/// Every `ResumeMismatchError.field`, as JavaScript names them (the option or argument
/// compared), in the order the core checks them.
pub(crate) fn resume_fields() -> Vec<String> {
    ResumeKey::ALL
        .iter()
        .map(|&k| NodeNaming.resume_key(k).into_owned())
        .collect()
}
