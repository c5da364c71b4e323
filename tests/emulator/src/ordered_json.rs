//! JSON parsed with object keys in document order. Signatures cover nested objects as
//! the client's `JSON.stringify` wrote them, and `serde_json::Value` (without the
//! workspace-wide `preserve_order` feature) would sort their keys.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum OJson {
    Null,
    Bool(bool),
    Num(Number),
    Str(String),
    Arr(Vec<OJson>),
    Obj(Vec<(String, OJson)>),
}

impl OJson {
    /// Compact JSON as JavaScript's `JSON.stringify` writes it (non-ASCII unescaped).
    pub(crate) fn to_compact(&self) -> String {
        let mut out = String::new();
        self.write_compact(&mut out);
        out
    }

    fn write_compact(&self, out: &mut String) {
        match self {
            OJson::Null => out.push_str("null"),
            OJson::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            OJson::Num(n) => out.push_str(&js_number(n)),
            OJson::Str(s) => out.push_str(&Value::String(s.clone()).to_string()),
            OJson::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_compact(out);
                }
                out.push(']');
            }
            OJson::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    v.write_compact(out);
                }
                out.push('}');
            }
        }
    }

    /// The value as a parameter of the canonical resource: strings raw, everything else
    /// as JSON text (`null`, `true`, `50`, `["a","b"]`).
    pub(crate) fn to_param(&self) -> String {
        match self {
            OJson::Str(s) => s.clone(),
            other => other.to_compact(),
        }
    }

    pub(crate) fn into_value(self) -> Value {
        match self {
            OJson::Null => Value::Null,
            OJson::Bool(b) => Value::Bool(b),
            OJson::Num(n) => Value::Number(n),
            OJson::Str(s) => Value::String(s),
            OJson::Arr(items) => Value::Array(items.into_iter().map(OJson::into_value).collect()),
            OJson::Obj(fields) => {
                let mut map = Map::new();
                for (k, v) in fields {
                    map.insert(k, v.into_value());
                }
                Value::Object(map)
            }
        }
    }
}

// JavaScript prints integral doubles without a fraction (`1.0` -> `1`).
fn js_number(n: &Number) -> String {
    match n.as_f64() {
        Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 1e21 => {
            format!("{}", f as i128)
        }
        _ => n.to_string(),
    }
}

struct OJsonVisitor;

impl<'de> Visitor<'de> for OJsonVisitor {
    type Value = OJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<OJson, E> {
        Ok(OJson::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<OJson, E> {
        Ok(OJson::Num(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<OJson, E> {
        Ok(OJson::Num(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<OJson, E> {
        Ok(Number::from_f64(v).map_or(OJson::Null, OJson::Num))
    }
    fn visit_str<E>(self, v: &str) -> Result<OJson, E> {
        Ok(OJson::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<OJson, E> {
        Ok(OJson::Str(v))
    }
    fn visit_unit<E>(self) -> Result<OJson, E> {
        Ok(OJson::Null)
    }
    fn visit_none<E>(self) -> Result<OJson, E> {
        Ok(OJson::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<OJson, D::Error> {
        OJson::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OJson, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(OJson::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OJson, A::Error> {
        let mut fields: Vec<(String, OJson)> = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, OJson>()? {
            // A repeated key keeps its first position and its last value, like JSON.parse.
            if let Some(slot) = fields.iter_mut().find(|(key, _)| *key == k) {
                slot.1 = v;
            } else {
                fields.push((k, v));
            }
        }
        Ok(OJson::Obj(fields))
    }
}

impl<'de> Deserialize<'de> for OJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OJson, D::Error> {
        d.deserialize_any(OJsonVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_and_writes_like_json_stringify() {
        let text = r#"{ "z": 1, "a": {"y": [1, 2.0, "中\n"], "b": null}, "t": true }"#;
        let parsed: OJson = serde_json::from_str(text).unwrap();
        assert_eq!(
            parsed.to_compact(),
            r#"{"z":1,"a":{"y":[1,2,"中\n"],"b":null},"t":true}"#
        );
        let OJson::Obj(fields) = parsed.clone() else {
            panic!("object expected")
        };
        assert_eq!(fields[0].1.to_param(), "1");
        assert_eq!(fields[2].1.to_param(), "true");
        assert_eq!(
            parsed.into_value(),
            serde_json::json!({"z":1,"a":{"y":[1,2.0,"中\n"],"b":null},"t":true})
        );
    }
}
