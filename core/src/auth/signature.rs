//! The HMAC-SHA1 request signature of the Node SDK 4.x, byte for byte.
//!
//! Pure functions, so the official SDK's vectors can pin them down in unit tests:
//! string to sign = `METHOD\n` + canonical headers + canonical resource, where the
//! canonical headers are every sent `x-authing-*` header plus `date`, sorted, as
//! `name:value\n`, and the canonical resource is the path plus `?k=v&...` over the
//! request parameters (for a POST, the top-level fields of the JSON body), keys
//! sorted, nothing URL-encoded.

use base64::Engine as _;

use crate::headers;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// `x-authing-signature-method` value.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// `x-authing-signature-version` value.
pub const SIGNATURE_VERSION: &str = "1.0";

/// Builds the string to sign.
///
/// `headers` are all headers that will be sent (any case, any order); only `date` and
/// `x-authing-*` ones are used. `canonical_query` is the already-canonical parameter
/// string (see [`canonical_query`]); empty means no `?`.
pub fn string_to_sign<'a, I>(method: &str, headers: I, path: &str, canonical_query: &str) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut signed: Vec<(String, String)> = headers
        .into_iter()
        .filter_map(|(name, value)| {
            let name = name.to_ascii_lowercase();
            headers::is_signed(&name).then(|| (name, canonical_header_value(value)))
        })
        .collect();
    // Byte order of the lower-case name, as the Node SDK's `sort()` on ASCII names.
    signed.sort();
    let mut out = String::with_capacity(256 + path.len() + canonical_query.len());
    out.push_str(&method.to_ascii_uppercase());
    out.push('\n');
    for (name, value) in &signed {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push_str(path);
    if !canonical_query.is_empty() {
        out.push('?');
        out.push_str(canonical_query);
    }
    out
}

/// Whitespace control characters become spaces, then the value is trimmed.
fn canonical_header_value(value: &str) -> String {
    value
        .replace(['\t', '\n', '\r', '\u{c}'], " ")
        .trim()
        .to_string()
}

/// The canonical parameter string of a JSON object: `k=v` pairs sorted by key, joined
/// by `&`; strings raw, everything else compact JSON (non-ASCII not escaped); `null`
/// fields skipped (the SDK never sends them). Nothing is URL-encoded.
///
/// Nested objects are written in the map's key order, which for a `serde_json::Map`
/// is sorted, while the Node SDK keeps insertion order: sign such bodies from their
/// original text. Resignation bodies (strings and string arrays) are not affected.
pub fn canonical_query(params: &serde_json::Map<String, serde_json::Value>) -> String {
    let mut pairs: Vec<(&String, &serde_json::Value)> =
        params.iter().filter(|(_, v)| !v.is_null()).collect();
    // Sorted here, not trusted to the map: serde_json's `preserve_order` feature,
    // switched on by any crate in a build, would keep insertion order instead.
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::new();
    for (i, (key, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        match value {
            serde_json::Value::String(s) => out.push_str(s),
            other => out.push_str(&other.to_string()),
        }
    }
    out
}

/// `base64(HMAC-SHA1(secret, string_to_sign))`, standard alphabet with padding.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    let mut mac =
        Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// A fresh nonce: 128 random bits from the OS-seeded CSPRNG as 32 lower-case hex
/// characters, so nonces are unique across threads and processes.
pub fn new_nonce() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Reseeds the calling thread's nonce generator from the OS. For a child process forked
/// with the parent's state (Python's `os.fork`, `multiprocessing`): its generator is a
/// copy of the parent's, which rand does not reseed after a fork, so the two would send
/// the same nonces and Authing would refuse the second of each as a replay (401,
/// apiCode 1306). Call it in the child, on the thread that forked (the only one there).
/// On failure (no OS randomness) the generator goes on from the copied state.
pub fn reseed_after_fork() {
    let _ = rand::rng().reseed();
}

/// The `authorization` header value: `authing <accessKeyId>:<signature>`.
pub fn authorization(access_key_id: &str, signature: &str) -> String {
    format!("authing {access_key_id}:{signature}")
}

/// What signing adds to a request: `date`, `x-authing-signature-nonce` and
/// `authorization` (plus the constant [`SIGNATURE_METHOD`] and [`SIGNATURE_VERSION`]
/// headers). `Debug` hides the authorization.
#[derive(Clone)]
pub struct SignedHeaders {
    /// `date`, IMF-fixdate.
    pub date: String,
    /// `x-authing-signature-nonce`.
    pub nonce: String,
    /// `authorization: authing <accessKeyId>:<signature>`. A credential: never log it.
    pub authorization: String,
}

impl SignedHeaders {
    /// The headers signing adds, names and values, exactly those that were signed
    /// (plus `authorization`, which carries the signature): the request adds these.
    pub fn headers(&self) -> [(&'static str, &str); 5] {
        let [date, method, version, nonce] = signed_extras(&self.date, &self.nonce);
        [
            date,
            method,
            version,
            nonce,
            (headers::AUTHORIZATION, &self.authorization),
        ]
    }
}

/// The headers signing adds that the signature covers.
fn signed_extras<'a>(date: &'a str, nonce: &'a str) -> [(&'static str, &'a str); 4] {
    [
        (headers::DATE, date),
        (headers::SIGNATURE_METHOD, SIGNATURE_METHOD),
        (headers::SIGNATURE_VERSION, SIGNATURE_VERSION),
        (headers::SIGNATURE_NONCE, nonce),
    ]
}

impl std::fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedHeaders")
            .field("date", &self.date)
            .field("nonce", &self.nonce)
            .field("authorization", &"***")
            .finish()
    }
}

/// Signs a `POST` to `path` whose other headers are `headers`, at `date` (an
/// IMF-fixdate, e.g. from `httpdate::fmt_http_date`) with `nonce` (see [`new_nonce`]).
pub fn sign_post<'a, I>(
    access_key_id: &str,
    secret: &str,
    headers: I,
    path: &str,
    canonical_query: &str,
    date: String,
    nonce: String,
) -> SignedHeaders
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    sign_request(
        "POST",
        access_key_id,
        secret,
        headers,
        path,
        canonical_query,
        date,
        nonce,
    )
}

/// [`sign_post`] for any method: a `GET`'s `canonical_query` is its query parameters,
/// unencoded (`userIds=a,b&userIdType=user_id`).
#[allow(clippy::too_many_arguments)]
pub fn sign_request<'a, I>(
    method: &str,
    access_key_id: &str,
    secret: &str,
    headers: I,
    path: &str,
    canonical_query: &str,
    date: String,
    nonce: String,
) -> SignedHeaders
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut all: Vec<(&str, &str)> = Vec::with_capacity(12);
    for pair in headers {
        all.push(pair);
    }
    all.extend(signed_extras(&date, &nonce));
    let string_to_sign = string_to_sign(method, all, path, canonical_query);
    let authorization = authorization(access_key_id, &sign(secret, &string_to_sign));
    SignedHeaders {
        date,
        nonce,
        authorization,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: &str = "Mon, 01 Jan 2024 00:00:00 GMT";
    const NONCE: &str = "0123456789abcdef0123456789abcdef";
    const SECRET: &str = "test-secret-0123456789abcdef";

    fn headers() -> Vec<(&'static str, &'static str)> {
        vec![
            ("accept", "application/json"),
            ("content-type", "application/json"),
            ("x-authing-signature-nonce", NONCE),
            ("date", DATE),
            ("x-authing-lang", "zh-CN"),
            ("x-authing-sdk-version", "authing-node-sdk:4.0.1"),
            ("x-authing-signature-method", SIGNATURE_METHOD),
            ("x-authing-signature-version", SIGNATURE_VERSION),
        ]
    }

    fn query(body: &str) -> String {
        canonical_query(&serde_json::from_str(body).unwrap())
    }

    #[test]
    fn official_batch_vector() {
        let q = query(
            r#"{"userIds":["6229ffaxxxxxxxxcade3e3d9","62a1b2c3d4e5f60718293a4b"],"userIdType":"user_id"}"#,
        );
        let s = string_to_sign("POST", headers(), "/api/v3/resign-user-batch", &q);
        assert_eq!(
            s,
            "POST\ndate:Mon, 01 Jan 2024 00:00:00 GMT\nx-authing-lang:zh-CN\n\
             x-authing-sdk-version:authing-node-sdk:4.0.1\nx-authing-signature-method:HMAC-SHA1\n\
             x-authing-signature-nonce:0123456789abcdef0123456789abcdef\n\
             x-authing-signature-version:1.0\n/api/v3/resign-user-batch?userIdType=user_id&\
             userIds=[\"6229ffaxxxxxxxxcade3e3d9\",\"62a1b2c3d4e5f60718293a4b\"]"
        );
        assert_eq!(sign(SECRET, &s), "lQ7FbNqsmxfE8ldW5nzTtpQCHQk=");
    }

    #[test]
    fn sign_post_matches_the_official_vector() {
        let sent = [
            ("x-authing-lang", "zh-CN"),
            ("x-authing-sdk-version", "authing-node-sdk:4.0.1"),
        ];
        let q = query(
            r#"{"userIds":["6229ffaxxxxxxxxcade3e3d9","62a1b2c3d4e5f60718293a4b"],"userIdType":"user_id"}"#,
        );
        let signed = sign_post(
            "62a0000000000000000000aa",
            SECRET,
            sent,
            "/api/v3/resign-user-batch",
            &q,
            DATE.into(),
            NONCE.into(),
        );
        assert_eq!(
            signed.authorization,
            "authing 62a0000000000000000000aa:lQ7FbNqsmxfE8ldW5nzTtpQCHQk="
        );
        assert!(!format!("{signed:?}").contains("lQ7F"));
    }

    #[test]
    fn official_single_vector() {
        let q = query(r#"{"userId":"6229ffaxxxxxxxxcade3e3d9"}"#);
        let s = string_to_sign("POST", headers(), "/api/v3/resign-user", &q);
        assert!(s.ends_with("\n/api/v3/resign-user?userId=6229ffaxxxxxxxxcade3e3d9"));
        assert_eq!(sign(SECRET, &s), "/1S1E663rpaYt7FvOsgKEPpSF50=");
    }

    #[test]
    fn non_ascii_is_not_escaped_and_nothing_is_url_encoded() {
        let q = query(r#"{"userIds":["张三 a&b=c","x"],"n":50,"b":true}"#);
        assert_eq!(q, r#"b=true&n=50&userIds=["张三 a&b=c","x"]"#);
    }

    #[test]
    fn no_params_means_no_question_mark() {
        let s = string_to_sign("get", [("Date", DATE)], "/api/v3/x", "");
        assert_eq!(s, format!("GET\ndate:{DATE}\n/api/v3/x"));
    }

    #[test]
    fn header_values_are_canonicalized() {
        let s = string_to_sign("POST", [("X-Authing-Tenant-Id", " a\tb ")], "/p", "");
        assert_eq!(s, "POST\nx-authing-tenant-id:a b\n/p");
    }

    #[test]
    fn nonces_are_128_bit_hex_and_distinct() {
        let a = new_nonce();
        let b = new_nonce();
        assert_eq!(a.len(), 32);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }
}
