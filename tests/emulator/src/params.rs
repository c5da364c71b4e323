//! Query-string parameters the way qs (`k[]=a&k[]=b`) and requests (`k=a&k=b`) send them.

use std::collections::BTreeMap;

use serde_json::Value;

/// Query parameters by name (without `[]`), each with every value in order.
#[derive(Debug, Default)]
pub(crate) struct QueryParams {
    values: BTreeMap<String, Vec<String>>,
    // Names that arrived as `k[]`: always an array, even with one value.
    arrays: Vec<String>,
}

impl QueryParams {
    pub(crate) fn parse(query: &str) -> QueryParams {
        let mut params = QueryParams::default();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let (name, is_array) = match name.strip_suffix("[]") {
                Some(base) => (base.to_owned(), true),
                None => (name.into_owned(), false),
            };
            if is_array && !params.arrays.contains(&name) {
                params.arrays.push(name.clone());
            }
            params
                .values
                .entry(name)
                .or_default()
                .push(value.into_owned());
        }
        params
    }

    fn is_array(&self, name: &str, values: &[String]) -> bool {
        values.len() > 1 || self.arrays.iter().any(|a| a == name)
    }

    /// Signature parameters: arrays as compact JSON arrays of strings, others raw.
    pub(crate) fn canonical(&self) -> BTreeMap<String, String> {
        self.values
            .iter()
            .map(|(name, values)| {
                let text = if self.is_array(name, values) {
                    Value::from(values.clone()).to_string()
                } else {
                    values[0].clone()
                };
                (name.clone(), text)
            })
            .collect()
    }

    /// A single-valued parameter.
    pub(crate) fn one(&self, name: &str) -> Option<&str> {
        match self.values.get(name) {
            Some(values) if !self.is_array(name, values) => Some(values[0].as_str()),
            _ => None,
        }
    }

    /// Whether the parameter is present at all.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// Every value of a parameter (one or many).
    pub(crate) fn all(&self, name: &str) -> Option<&[String]> {
        self.values.get(name).map(Vec::as_slice)
    }
}
