//! An error as data: what every binding turns into its native exception, produced once.
//!
//! [`crate::Error::payload`] gives the code, the classification, the message and the
//! variant's fields, with option, argument and field names spelled by a [`Naming`]
//! that the binding supplies. A binding's exception construction is then generic: it
//! never lists a variant's fields itself.

use std::borrow::Cow;

use serde::Serialize;

use super::names::{Argument, OptionKey, ResumeKey};

/// A field of an error variant. Exhaustive, so a binding that renames fields (Node's
/// camelCase) names a new one before it compiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "&'static str")]
pub enum Field {
    /// `InvalidArgument`: the argument.
    Field,
    /// `InvalidArgument`: the index in a list argument.
    Index,
    /// `InvalidArgument`, `Config`, `Decode`: the rule broken, or why decoding failed.
    Reason,
    /// `Config`: the option.
    Option,
    /// `Api`: the envelope `statusCode`.
    StatusCode,
    /// `Api`: the envelope `apiCode`.
    ApiCode,
    /// `Api`: the server's message.
    Message,
    /// `Api`: the envelope `requestId`.
    RequestId,
    /// `Api`, `Decode`: the HTTP status.
    HttpStatus,
    /// `Timeout`: which deadline.
    Phase,
    /// `Transport`: what failed (the core field `message`).
    Detail,
    /// `Decode`: the first characters of the body.
    Snippet,
    /// `Journal`, `ResumeMismatch`: the file.
    Path,
    /// `ResumeMismatch`: the value the file records.
    Earlier,
    /// `ResumeMismatch`: this job's value.
    Now,
}

impl Field {
    /// The core's name: the Rust field of the variant (snake_case).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Field => "field",
            Self::Index => "index",
            Self::Reason => "reason",
            Self::Option => "option",
            Self::StatusCode => "status_code",
            Self::ApiCode => "api_code",
            Self::Message => "message",
            Self::RequestId => "request_id",
            Self::HttpStatus => "http_status",
            Self::Phase => "phase",
            Self::Detail => "message",
            Self::Snippet => "snippet",
            Self::Path => "path",
            Self::Earlier => "earlier",
            Self::Now => "now",
        }
    }
}

impl From<Field> for &'static str {
    fn from(f: Field) -> Self {
        f.as_str()
    }
}

/// The value of a field: absent (`None` of an optional field), a number or text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// An optional field that is not set.
    Null,
    /// A number (status codes, api codes, indexes).
    Number(u64),
    /// Text (names, reasons, messages).
    Text(String),
}

impl From<Option<u64>> for FieldValue {
    fn from(v: Option<u64>) -> Self {
        v.map_or(Self::Null, Self::Number)
    }
}

impl From<Option<String>> for FieldValue {
    fn from(v: Option<String>) -> Self {
        v.map_or(Self::Null, Self::Text)
    }
}

/// How a binding spells the names the core owns. Implement all three with an
/// exhaustive `match` (or return the core's `as_str()` where the binding keeps it).
pub trait Naming {
    /// The option's name in this language (e.g. Node's `caCert` for
    /// [`OptionKey::RootCertificatePem`]).
    fn option(&self, key: OptionKey) -> Cow<'_, str>;
    /// The argument's name in this language (e.g. Python's `user_ids`).
    fn argument(&self, arg: Argument) -> Cow<'_, str>;
    /// The key of a field in this language's error object (e.g. Node's `statusCode`).
    fn field(&self, field: Field) -> Cow<'_, str>;
    /// What a resumed job differs in: by default the option or argument it compares,
    /// as [`Naming::option`] and [`Naming::argument`] name them ([`ResumeKey::named`]).
    fn resume_key(&self, key: ResumeKey) -> Cow<'_, str> {
        key.named(self)
    }
}

/// The core's own names (`as_str()` of each), as Rust's `Display` prints them.
#[derive(Clone, Copy, Debug, Default)]
pub struct CoreNaming;

impl Naming for CoreNaming {
    fn option(&self, key: OptionKey) -> Cow<'_, str> {
        key.as_str().into()
    }
    fn argument(&self, arg: Argument) -> Cow<'_, str> {
        arg.as_str().into()
    }
    fn field(&self, field: Field) -> Cow<'_, str> {
        field.as_str().into()
    }
    fn resume_key(&self, key: ResumeKey) -> Cow<'_, str> {
        // The journal header's names, which the core's messages have always printed.
        key.as_str().into()
    }
}

/// An error as a binding raises it: code, classification, message and fields, named
/// by the binding's [`Naming`]. Serializable (`fields` as an object).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorPayload {
    /// [`crate::Error::code`].
    pub code: &'static str,
    /// [`crate::Error::is_retryable`].
    pub retryable: bool,
    /// [`crate::Error::is_auth`].
    pub auth: bool,
    /// The message, naming options and arguments as the binding does.
    pub message: String,
    /// The variant's fields in declaration order, keyed by the binding's names.
    #[serde(serialize_with = "as_map")]
    pub fields: Vec<(String, FieldValue)>,
}

fn as_map<S: serde::Serializer>(fields: &[(String, FieldValue)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(fields.iter().map(|(k, v)| (k, v)))
}
