//! The checks behind [`ClientOptionsBuilder::build`].

use crate::config::{ClientOptions, ClientOptionsBuilder, DEFAULT_HOST};
use crate::error::{Error, Result};

pub(crate) fn validate(b: ClientOptionsBuilder) -> Result<ClientOptions> {
    if b.access_key_id.trim().is_empty() {
        return Err(Error::config("access_key_id", "must not be empty"));
    }
    if b.access_key_secret.expose().trim().is_empty() {
        return Err(Error::config("access_key_secret", "must not be empty"));
    }
    if reqwest::header::HeaderValue::from_str(&b.access_key_id).is_err()
        || b.access_key_id.contains(':')
    {
        return Err(Error::config(
            "access_key_id",
            "must be printable ASCII without ':' (it goes into the authorization header)",
        ));
    }
    let host = parse_host(b.host.as_deref().unwrap_or(DEFAULT_HOST), b.allow_http)?;
    if b.timeout.is_zero() {
        return Err(Error::config("timeout", "must be greater than zero"));
    }
    if b.connect_timeout.is_some_and(|t| t.is_zero()) {
        return Err(Error::config(
            "connect_timeout",
            "must be greater than zero",
        ));
    }
    for (name, value) in &b.headers {
        if is_reserved_header(name) {
            return Err(Error::config(
                "headers",
                format!("{name:?} is set by the SDK itself (authentication and framing headers cannot be overridden)"),
            ));
        }
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(Error::config(
                "headers",
                format!("{name:?} is not a valid header name"),
            ));
        }
        if reqwest::header::HeaderValue::from_str(value).is_err() {
            return Err(Error::config(
                "headers",
                format!("the value of {name:?} is not a valid header value"),
            ));
        }
    }
    for (field, value) in [("lang", &b.lang), ("tenant_id", &b.tenant_id)] {
        if let Some(v) = value {
            if v.trim().is_empty() || reqwest::header::HeaderValue::from_str(v).is_err() {
                return Err(Error::config(
                    field,
                    "must be a non-empty, printable header value",
                ));
            }
        }
    }
    if let Some(proxy) = &b.proxy {
        url::Url::parse(proxy)
            .map_err(|e| Error::config("proxy", format!("not a valid URL: {e}")))?;
    }
    let sdk_version = b
        .sdk_version
        .unwrap_or_else(|| format!("authing-resign-rust:{}", crate::VERSION));
    if sdk_version.trim().is_empty()
        || reqwest::header::HeaderValue::from_str(&sdk_version).is_err()
    {
        return Err(Error::config(
            "sdk_version",
            "must be a non-empty, printable header value",
        ));
    }
    Ok(ClientOptions {
        access_key_id: b.access_key_id,
        access_key_secret: b.access_key_secret,
        host,
        auth: b.auth,
        lang: b.lang,
        tenant_id: b.tenant_id,
        headers: b.headers,
        connect_timeout: b.connect_timeout,
        timeout: b.timeout,
        retry: b.retry,
        accept_invalid_certs: b.accept_invalid_certs,
        root_certificates_pem: b.root_certificates_pem,
        proxy: b.proxy,
        sdk_version,
        allow_http: b.allow_http,
    })
}

/// Parses and normalizes the host: scheme required to be http(s), no query or fragment,
/// a trailing slash removed, a path prefix kept; `http://` only to loopback or when allowed.
fn parse_host(raw: &str, allow_http: bool) -> Result<url::Url> {
    let trimmed = raw.trim();
    let mut url = url::Url::parse(trimmed)
        .map_err(|e| Error::config("host", format!("{trimmed:?} is not a valid URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            if !allow_http && !is_loopback(&url) {
                return Err(Error::config(
                    "host",
                    "plain http:// is only allowed to a loopback host unless allow_http is set",
                ));
            }
        }
        other => {
            return Err(Error::config(
                "host",
                format!("scheme {other:?} is not supported; use https://"),
            ))
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::config("host", "has no host name"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config("host", "must not have a query or fragment"));
    }
    let path = url.path().trim_end_matches('/').to_string();
    url.set_path(&path);
    Ok(url)
}

/// Headers the SDK computes per request: overriding them would break authentication
/// or the body framing.
fn is_reserved_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization"
            | "date"
            | "host"
            | "content-length"
            | "content-type"
            | "x-authing-userpool-id"
    ) || name.starts_with("x-authing-signature-")
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
