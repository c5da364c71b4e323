//! The checks behind [`ClientOptionsBuilder::build`].

use std::time::Duration;

use crate::config::{
    ClientOptions, ClientOptionsBuilder, RetryPolicy, DEFAULT_HOST, MAX_CALL_DURATION,
    MAX_RESPONSE_BYTES_RANGE,
};
use crate::error::{Error, OptionKey, Result};

/// The rule [`is_header_text`] checks, as error messages state it.
const HEADER_TEXT_RULE: &str =
    "visible ASCII (spaces and tabs allowed inside, not at either end), since it is sent and signed as an HTTP header";

pub(crate) fn validate(b: ClientOptionsBuilder) -> Result<ClientOptions> {
    if b.access_key_id.trim().is_empty() {
        return Err(Error::config(OptionKey::AccessKeyId, "must not be empty"));
    }
    if b.access_key_secret.expose().trim().is_empty() {
        return Err(Error::config(
            OptionKey::AccessKeySecret,
            "must not be empty",
        ));
    }
    if !is_header_text(&b.access_key_id) || b.access_key_id.contains(':') {
        return Err(Error::config(
            OptionKey::AccessKeyId,
            "must be printable ASCII without ':' (it goes into the authorization header)",
        ));
    }
    let host = parse_host(b.host.as_deref().unwrap_or(DEFAULT_HOST), b.allow_http)?;
    check_duration(OptionKey::Timeout, b.timeout)?;
    if let Some(t) = b.connect_timeout {
        check_duration(OptionKey::ConnectTimeout, t)?;
    }
    check_retry(&b.retry)?;
    if !MAX_RESPONSE_BYTES_RANGE.contains(&b.max_response_bytes) {
        return Err(Error::config(
            OptionKey::MaxResponseBytes,
            format!(
                "is {}; it must be from {} (1 KiB) to {} (1 GiB)",
                b.max_response_bytes,
                MAX_RESPONSE_BYTES_RANGE.start(),
                MAX_RESPONSE_BYTES_RANGE.end()
            ),
        ));
    }
    for (name, value) in &b.headers {
        if crate::headers::is_reserved(name) {
            return Err(Error::config(
                OptionKey::Headers,
                format!("{name:?} is set by the SDK itself (authentication and framing headers cannot be overridden)"),
            ));
        }
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(Error::config(
                OptionKey::Headers,
                format!("{name:?} is not a valid header name"),
            ));
        }
        // The value itself is not quoted: it may be a gateway key.
        if !value.is_empty() && !is_header_text(value) {
            return Err(Error::config(
                OptionKey::Headers,
                format!("the value of {name:?} must be {HEADER_TEXT_RULE}"),
            ));
        }
    }
    for (field, value) in [
        (OptionKey::Lang, &b.lang),
        (OptionKey::TenantId, &b.tenant_id),
    ] {
        if let Some(v) = value {
            if !is_header_text(v) {
                return Err(Error::config(
                    field,
                    format!("must be non-empty {HEADER_TEXT_RULE}"),
                ));
            }
        }
    }
    if let Some(proxy) = &b.proxy {
        url::Url::parse(proxy)
            .map_err(|e| Error::config(OptionKey::Proxy, format!("not a valid URL: {e}")))?;
    }
    let sdk_version = b
        .sdk_version
        .unwrap_or_else(|| format!("authing-resign-rust:{}", crate::VERSION));
    if !is_header_text(&sdk_version) {
        return Err(Error::config(
            OptionKey::SdkVersion,
            format!("must be non-empty {HEADER_TEXT_RULE}"),
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
        max_response_bytes: b.max_response_bytes,
    })
}

/// Visible ASCII, with spaces and tabs allowed only inside. Anything else is either
/// dropped by HTTP parsers (leading/trailing whitespace) or cannot be read back as text
/// to be signed (bytes above 0x7E), so the server would see a different value than the
/// one signed.
fn is_header_text(value: &str) -> bool {
    let visible = |b: &u8| (0x21..=0x7E).contains(b);
    let bytes = value.as_bytes();
    bytes.first().is_some_and(visible)
        && bytes.last().is_some_and(visible)
        && bytes
            .iter()
            .all(|b| visible(b) || matches!(b, b' ' | b'\t'))
}

/// A per-call duration: above zero and at most [`MAX_CALL_DURATION`], so deadlines
/// computed from it can never overflow the clock.
fn check_duration(option: OptionKey, value: Duration) -> Result<()> {
    if value.is_zero() {
        return Err(Error::config(option, "must be greater than zero"));
    }
    if value > MAX_CALL_DURATION {
        return Err(Error::config(
            option,
            format!(
                "is {value:?}; the limit is {} s (1 day)",
                MAX_CALL_DURATION.as_secs()
            ),
        ));
    }
    Ok(())
}

/// The retry policy's durations: each at most [`MAX_CALL_DURATION`]; the delays may be
/// zero (retry at once), the deadline may not.
fn check_retry(retry: &RetryPolicy) -> Result<()> {
    for (option, value) in [
        (OptionKey::BaseDelay, retry.base_delay),
        (OptionKey::MaxDelay, retry.max_delay),
    ] {
        if !value.is_zero() {
            check_duration(option, value)?;
        }
    }
    if let Some(deadline) = retry.total_deadline {
        check_duration(OptionKey::TotalDeadline, deadline)?;
    }
    Ok(())
}

/// Parses and normalizes the host: scheme required to be http(s), no query or fragment,
/// a trailing slash removed, a path prefix kept; `http://` only to loopback or when allowed.
fn parse_host(raw: &str, allow_http: bool) -> Result<url::Url> {
    let trimmed = raw.trim();
    let mut url = url::Url::parse(trimmed).map_err(|e| {
        let shown = crate::redact::userinfo(trimmed);
        Error::config(
            OptionKey::Host,
            format!("{shown:?} is not a valid URL: {e}"),
        )
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        // Credentials in the URL would travel in every request line's authority and
        // show up in error messages; Authing takes none there.
        return Err(Error::config(
            OptionKey::Host,
            "must not contain user info (user:password@): pass the access key instead",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" => {
            if !allow_http && !is_loopback(&url) {
                return Err(Error::config(
                    OptionKey::Host,
                    "plain http:// is only allowed to a loopback host unless allow_http is set",
                ));
            }
        }
        other => {
            return Err(Error::config(
                OptionKey::Host,
                format!("scheme {other:?} is not supported; use https://"),
            ))
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::config(OptionKey::Host, "has no host name"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(
            OptionKey::Host,
            "must not have a query or fragment",
        ));
    }
    let path = url.path().trim_end_matches('/').to_string();
    url.set_path(&path);
    Ok(url)
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
