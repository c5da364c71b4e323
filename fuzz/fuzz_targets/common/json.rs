//! Arbitrary JSON for structured fuzzing: values of every type, with the envelope's
//! own field names favoured as keys so the decoders' interesting paths are reached.

use arbitrary::Arbitrary;
use serde_json::{Map, Number, Value};

/// An object key: one of the names the decoders look for, or any string.
#[derive(Arbitrary, Debug)]
pub enum Key {
    StatusCode,
    Message,
    ApiCode,
    RequestId,
    Data,
    Success,
    AccessToken,
    ExpiresIn,
    Other(String),
}

impl Key {
    pub fn name(&self) -> String {
        match self {
            Key::StatusCode => "statusCode".into(),
            Key::Message => "message".into(),
            Key::ApiCode => "apiCode".into(),
            Key::RequestId => "requestId".into(),
            Key::Data => "data".into(),
            Key::Success => "success".into(),
            Key::AccessToken => "access_token".into(),
            Key::ExpiresIn => "expires_in".into(),
            Key::Other(s) => s.clone(),
        }
    }
}

/// A JSON value; numbers as u64, i64 or any finite f64.
#[derive(Arbitrary, Debug)]
pub enum Json {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(Key, Json)>),
}

impl Json {
    pub fn value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::U64(n) => Value::from(*n),
            Json::I64(n) => Value::from(*n),
            Json::F64(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Json::Str(s) => Value::String(s.clone()),
            Json::Array(items) => Value::Array(items.iter().map(Json::value).collect()),
            Json::Object(fields) => object(fields),
        }
    }
}

/// An object from key/value pairs (a repeated key keeps the last value).
pub fn object(fields: &[(Key, Json)]) -> Value {
    let mut map = Map::new();
    for (key, value) in fields {
        map.insert(key.name(), value.value());
    }
    Value::Object(map)
}
