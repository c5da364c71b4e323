//! The emulator's request parsing: query strings (`k[]=a&k[]=b`, repeated `k`,
//! percent-encoding, `+`) and JSON bodies, as arbitrary bytes and as structured
//! parameters encoded the way qs and requests send them. Never a panic; what a client
//! encodes reads back as the same canonical parameters the signature covers.
#![no_main]

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use authing_emulator::signature;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[derive(Arbitrary, Debug)]
enum Input {
    Query(String),
    Body(Vec<u8>),
    Params(Vec<(String, Vec<String>, bool)>),
    Object(Vec<(String, Vec<String>, bool)>),
}

fuzz_target!(|input: Input| {
    match input {
        Input::Query(text) => {
            let _ = signature::query_params(&text);
        }
        Input::Body(bytes) => {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                let _ = signature::body_params(text);
            }
        }
        Input::Params(params) => query(params),
        Input::Object(fields) => body(fields),
    }
});

/// Structured query parameters, each name once: arrays as `k[]=v` (qs) or a repeated
/// `k=v` (requests), single values as `k=v`.
fn query(params: Vec<(String, Vec<String>, bool)>) {
    let mut seen = std::collections::HashSet::new();
    let mut encoder = url::form_urlencoded::Serializer::new(String::new());
    let mut expected = BTreeMap::new();
    for (name, values, brackets) in params {
        if name.ends_with("[]") || values.is_empty() || !seen.insert(name.clone()) {
            continue;
        }
        let key = if brackets {
            format!("{name}[]")
        } else {
            name.clone()
        };
        for v in &values {
            encoder.append_pair(&key, v);
        }
        let canonical = if brackets || values.len() > 1 {
            Value::from(values).to_string()
        } else {
            values[0].clone()
        };
        expected.insert(name, canonical);
    }
    let text = encoder.finish();
    assert_eq!(signature::query_params(&text), expected, "{text}");
}

/// A flat JSON object of strings and string arrays: its canonical parameters are the
/// strings raw and the arrays as compact JSON.
fn body(fields: Vec<(String, Vec<String>, bool)>) {
    let mut object = serde_json::Map::new();
    for (name, values, as_array) in fields {
        let value = if as_array || values.is_empty() {
            Value::from(values)
        } else {
            Value::from(values[0].clone())
        };
        object.insert(name, value);
    }
    let expected: BTreeMap<String, String> = object
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            )
        })
        .collect();
    let text = Value::Object(object).to_string();
    assert_eq!(signature::body_params(&text), Some(expected), "{text}");
}
