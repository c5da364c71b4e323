//! Authing's HMAC-SHA1 request signature (protocol doc §3a), as a pure function.
//!
//! String to sign = `METHOD\n` + canonical headers (`x-authing-*` and `date`, sorted,
//! `name:value\n`) + canonical resource (path, then `?k=v&...` with keys sorted and
//! nothing URL-encoded). Public so tests and load generators can sign requests the way
//! the official Node SDK does.

use std::collections::BTreeMap;

use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Whether a header takes part in the signature (`date` and every `x-authing-*`).
pub fn is_signed_header(lower_name: &str) -> bool {
    lower_name == "date" || lower_name.starts_with("x-authing-")
}

/// The canonical headers block: signed headers sorted by name, each `name:value\n`,
/// values with tab, newline, carriage return and form feed turned into spaces, then trimmed.
pub fn canonical_headers<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut signed: Vec<(String, String)> = headers
        .into_iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value))
        .filter(|(name, _)| is_signed_header(name))
        .map(|(name, value)| {
            let clean = value.replace(['\t', '\n', '\r', '\x0c'], " ");
            (name, clean.trim().to_owned())
        })
        .collect();
    signed.sort();
    signed
        .into_iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect()
}

/// The canonical resource: `path`, then `?key=value&...` in key byte order when there are
/// parameters. `params` values are already in wire form (strings raw, others JSON text).
pub fn canonical_resource(path: &str, params: &BTreeMap<String, String>) -> String {
    if params.is_empty() {
        return path.to_owned();
    }
    let pairs: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{path}?{}", pairs.join("&"))
}

/// The full string to sign.
pub fn string_to_sign<'a>(
    method: &str,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    path: &str,
    params: &BTreeMap<String, String>,
) -> String {
    format!(
        "{}\n{}{}",
        method.to_ascii_uppercase(),
        canonical_headers(headers),
        canonical_resource(path, params)
    )
}

/// `base64(HMAC-SHA1(secret, string_to_sign))`, standard alphabet with padding.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(mac(secret, string_to_sign))
}

fn mac(secret: &str, string_to_sign: &str) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(string_to_sign.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Checks a base64 signature against the expected one in constant time.
pub fn verify(secret: &str, string_to_sign: &str, signature_b64: &str) -> bool {
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(signature_b64) else {
        return false;
    };
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(string_to_sign.as_bytes());
    mac.verify_slice(&given).is_ok()
}

/// The canonical parameters of a JSON body: its top-level fields, strings raw and
/// everything else as compact JSON (`JSON.stringify`), keys sorted. Returns `None` when
/// `body` is not a JSON object.
pub fn body_params(body: &str) -> Option<BTreeMap<String, String>> {
    match serde_json::from_str::<crate::ordered_json::OJson>(body).ok()? {
        crate::ordered_json::OJson::Obj(fields) => {
            Some(fields.into_iter().map(|(k, v)| (k, v.to_param())).collect())
        }
        _ => None,
    }
}

/// The canonical parameters of a query string: `k[]=a&k[]=b` (or a repeated `k`) becomes
/// `k=["a","b"]`, a single `k=v` stays `v`; names and values are percent-decoded.
pub fn query_params(query: &str) -> BTreeMap<String, String> {
    crate::params::QueryParams::parse(query).canonical()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "test-secret-0123456789abcdef";

    fn doc_headers() -> Vec<(&'static str, &'static str)> {
        vec![
            ("accept", "application/json"),
            ("content-type", "application/json"),
            ("date", "Mon, 01 Jan 2024 00:00:00 GMT"),
            ("x-authing-lang", "zh-CN"),
            ("x-authing-sdk-version", "authing-node-sdk:4.0.1"),
            ("x-authing-signature-method", "HMAC-SHA1"),
            ("x-authing-signature-version", "1.0"),
            (
                "x-authing-signature-nonce",
                "0123456789abcdef0123456789abcdef",
            ),
            ("user-agent", "ignored"),
        ]
    }

    // The protocol doc's batch vector is the first of tests/data/signature-vectors.json,
    // which tests/signature_vectors.rs checks in full; here, what those cannot show.
    #[test]
    fn verify_refuses_another_secret() {
        let params = body_params(r#"{"userIds":["a"],"userIdType":"user_id"}"#).unwrap();
        let sts = string_to_sign("POST", doc_headers(), "/api/v3/resign-user-batch", &params);
        let signature = sign(SECRET, &sts);
        assert!(verify(SECRET, &sts, &signature));
        assert!(!verify("other", &sts, &signature));
    }

    #[test]
    fn protocol_doc_vector_single() {
        let params = body_params(r#"{"userId":"6229ffaxxxxxxxxcade3e3d9"}"#).unwrap();
        let sts = string_to_sign("POST", doc_headers(), "/api/v3/resign-user", &params);
        assert!(sts.ends_with("\n/api/v3/resign-user?userId=6229ffaxxxxxxxxcade3e3d9"));
        assert_eq!(sign(SECRET, &sts), "/1S1E663rpaYt7FvOsgKEPpSF50=");
    }

    #[test]
    fn header_values_are_cleaned_and_unsigned_headers_skipped() {
        let block = canonical_headers([("X-Authing-Lang", " en\tUS \n"), ("Authorization", "x")]);
        assert_eq!(block, "x-authing-lang:en US\n");
        assert_eq!(canonical_resource("/p", &BTreeMap::new()), "/p");
    }

    #[test]
    fn get_arrays_are_signed_as_json_arrays() {
        let params = query_params("userIds%5B%5D=a&userIds[]=b%20c&userIdType=user_id&flag=false");
        assert_eq!(params["userIds"], r#"["a","b c"]"#);
        assert_eq!(params["userIdType"], "user_id");
        assert_eq!(params["flag"], "false");
    }
}
