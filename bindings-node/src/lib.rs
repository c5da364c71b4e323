//! Node binding of `authing-resign` (npm package `authing-resign`).
//!
//! Thin by design: convert JavaScript values to core types, forward to the core on
//! napi's tokio runtime, and map errors in one place (`errors.rs`). The public
//! JavaScript API, argument type checks and error classes live in `lib/`.

#[macro_use]
extern crate napi_derive;

mod bulk;
mod client;
mod completion;
mod dispatch;
mod errors;
mod ids;
mod logging;
mod options;
mod report;
mod report_file;
mod types;

use authing_resign::{AuthScheme, Outcome, UserIdType};

/// The `x-authing-sdk-version` this binding sends: `authing-resign-node:<version>`.
fn sdk_version() -> String {
    format!("authing-resign-node:{}", env!("CARGO_PKG_VERSION"))
}

/// The binding's version (the crate's, kept equal to `package.json`'s).
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The string forms of one of the core's `ALL` lists, in its order.
fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|&v| name(v).to_string()).collect()
}

/// Every `UserIdType` wire value, in the core's order; the JS `UserIdType` object is
/// built from this list so it cannot drift from the core.
#[napi]
pub fn user_id_types() -> Vec<String> {
    names(&UserIdType::ALL, UserIdType::as_str)
}

/// Every bulk outcome (`resigned`, `failed`, ...), in the core's order; the JS
/// `Outcome` object is built from this list, so a new outcome is spelled only in the core.
#[napi]
pub fn outcomes() -> Vec<String> {
    names(&Outcome::ALL, Outcome::as_str)
}

/// Every authentication scheme's name (`signature`, `token`), in the core's order; the
/// JS `AuthScheme` object is built from this list.
#[napi]
pub fn auth_schemes() -> Vec<String> {
    names(&AuthScheme::ALL, AuthScheme::as_str)
}

/// The logger methods log records are delivered to (`debug`, `info`, `warn`, `error`),
/// lowest level first.
#[napi]
pub fn log_levels() -> Vec<String> {
    logging::LEVELS.map(String::from).to_vec()
}

/// A client option's JavaScript name and the type of its value.
#[napi(object)]
pub struct ClientOptionKind {
    /// The option's name (`accessKeyId`).
    pub name: String,
    /// The type `lib/validate.js` checks.
    #[napi(ts_type = "'string' | 'number' | 'boolean' | 'object'")]
    pub kind: String,
}

/// Every `ClientOptions` field with the type of its value, in declaration order, from
/// the Rust declaration: what `lib/validate.js` checks and copies, so an option is
/// declared once.
#[napi]
pub fn client_option_kinds() -> Vec<ClientOptionKind> {
    options::option_kinds()
        .into_iter()
        .map(|(name, kind)| ClientOptionKind {
            name,
            kind: kind.to_string(),
        })
        .collect()
}

/// The structured fields of each core error code, as this package names them (the
/// properties an error object carries besides `code`, `retryable` and `auth`).
#[napi]
pub fn error_fields() -> std::collections::HashMap<String, Vec<String>> {
    errors::error_fields()
}

/// What a `ResumeMismatchError`'s `field` may be, as the core checks them: the client
/// option or argument compared, named as this package names it (`tenantId`).
#[napi]
pub fn resume_fields() -> Vec<String> {
    errors::resume_fields()
}

/// The name of the property (set to `true`) that marks an error object built from a
/// core error; its other own properties are the structured fields.
#[napi]
pub fn error_marker() -> String {
    errors::MARKER.to_string()
}
