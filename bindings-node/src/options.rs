//! `ClientOptions`: the constructor options, named as in the official
//! `authing-node-sdk` 4.0.1, and their conversion to the core's builder.

use std::collections::HashMap;
use std::time::Duration;

use authing_resign::{AuthScheme, ClientOptions as CoreOptions, Error, OptionKey};

/// Options of `new ManagementClient(options)`. Names follow the official
/// `authing-node-sdk` 4.0.1 (`accessKeyId`, `accessKeySecret`, `host`, `timeout` in
/// milliseconds, `lang`, `tenantId`, `rejectUnauthorized`), so migrating is an import
/// change.
#[napi(object)]
#[derive(Default)]
pub struct ClientOptions {
    /// Access key id of the user pool (required).
    pub access_key_id: String,
    /// Access key secret of the user pool (required). Never logged, printed or
    /// included in an error.
    pub access_key_secret: String,
    /// API host, default `https://api.authing.cn`. Plain `http://` is refused unless
    /// the host is loopback or `allowHttp` is set.
    pub host: Option<String>,
    /// Per-attempt timeout in milliseconds (default 10000).
    pub timeout: Option<f64>,
    /// TCP/TLS connect timeout in milliseconds (default: bounded by `timeout`).
    pub connect_timeout: Option<f64>,
    /// Language of server messages: `zh-CN` (default), `en-US`, `ja-JP`, `zh-TW`.
    pub lang: Option<String>,
    /// Tenant id, sent as `x-authing-tenant-id`.
    pub tenant_id: Option<String>,
    /// Verify the server's TLS certificate (default true). `false` is only for tests
    /// against a self-signed server.
    pub reject_unauthorized: Option<bool>,
    /// Authentication scheme, one of the core's (`authSchemes()`): `signature`
    /// (default, HMAC-SHA1 per request, as the official Node SDK) or `token` (a cached
    /// management token).
    #[napi(ts_type = "import('./lib/index').AuthScheme")]
    pub auth: Option<String>,
    /// Retries after the first attempt for 429, 5xx, timeouts and connection
    /// failures (default 3; 0 disables retries).
    pub max_retries: Option<f64>,
    /// Base of the exponential retry backoff in milliseconds (default 200).
    pub retry_base_delay: Option<f64>,
    /// Cap of one retry delay in milliseconds, `Retry-After` included (default 10000).
    pub retry_max_delay: Option<f64>,
    /// Deadline of one call in milliseconds, all attempts and delays included
    /// (default none).
    pub total_timeout: Option<f64>,
    /// An extra trusted root certificate (PEM), e.g. a private deployment's CA.
    pub ca_cert: Option<String>,
    /// Proxy URL for every request (the standard proxy environment variables are
    /// honoured when unset).
    pub proxy: Option<String>,
    /// Extra headers sent on every request (signed when the name starts with
    /// `x-authing-`).
    pub headers: Option<HashMap<String, String>>,
    /// Allow plain `http://` to a non-loopback host (default false).
    pub allow_http: Option<bool>,
    /// Cap on a response body in bytes (default 1 MiB; the core's range is 1 KiB to
    /// 1 GiB). A larger answer is a `DecodeError` naming the cap, read no further.
    pub max_response_bytes: Option<f64>,
    /// Accepted for compatibility with `authing-node-sdk`; unused (no event socket).
    pub socket_uri: Option<String>,
    /// Accepted for compatibility with `authing-node-sdk` (its websocket reconnect
    /// count); unused: HTTP retries are `maxRetries`.
    pub retry_times: Option<u32>,
}

/// The JavaScript type of an option's value, from its Rust type: what `lib/validate.js`
/// checks before the value reaches napi (whose own errors do not name the option).
trait JsKind {
    const KIND: &'static str;
}

impl JsKind for String {
    const KIND: &'static str = "string";
}
impl JsKind for f64 {
    const KIND: &'static str = "number";
}
impl JsKind for u32 {
    const KIND: &'static str = "number";
}
impl JsKind for bool {
    const KIND: &'static str = "boolean";
}
impl JsKind for HashMap<String, String> {
    const KIND: &'static str = "object";
}
impl<T: JsKind> JsKind for Option<T> {
    const KIND: &'static str = T::KIND;
}

fn kind_of<T: JsKind>(_: &T) -> &'static str {
    T::KIND
}

/// A field's JavaScript name, as `#[napi(object)]` derives it: snake_case to camelCase.
pub(crate) fn js_name(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        match (c, upper) {
            ('_', _) => upper = true,
            (c, true) => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

/// Lists every field of [`ClientOptions`] with the core option(s) it sets, if any; from
/// the one list come its JavaScript names and kinds ([`option_kinds`]) and how
/// JavaScript names each core option ([`option_name`]). The destructuring has no `..`
/// and the `match` no `_`, so a field added to the struct, or an option to the core,
/// fails to compile until it is listed here.
macro_rules! client_options {
    (
        $( $field:ident $(=> $($key:ident)|+)?, )*
        ; not taken: $($other:ident),+ $(,)?
    ) => {
        /// `(name, kind)` of every client option: the one list `lib/validate.js` reads.
        pub(crate) fn option_kinds() -> Vec<(String, &'static str)> {
            let ClientOptions { $($field),* } = ClientOptions::default();
            vec![$((js_name(stringify!($field)), kind_of(&$field))),*]
        }

        /// How JavaScript names a core option: as the field of [`ClientOptions`] that
        /// sets it, or by the core's name in camelCase if none does (`sdkVersion`).
        pub(crate) fn option_name(key: OptionKey) -> String {
            match key {
                $($( $(OptionKey::$key)|+ => js_name(stringify!($field)), )?)*
                $(OptionKey::$other)|+ => js_name(key.as_str()),
            }
        }
    };
}

client_options! {
    access_key_id => AccessKeyId,
    access_key_secret => AccessKeySecret,
    host => Host,
    timeout => Timeout,
    connect_timeout => ConnectTimeout,
    lang => Lang,
    tenant_id => TenantId,
    reject_unauthorized => AcceptInvalidCerts,
    auth => Auth,
    max_retries => MaxRetries,
    retry_base_delay => BaseDelay,
    retry_max_delay => MaxDelay,
    total_timeout => TotalDeadline,
    ca_cert => RootCertificatePem,
    proxy => Proxy,
    headers => Headers,
    allow_http => AllowHttp,
    max_response_bytes => MaxResponseBytes,
    socket_uri,
    retry_times,
    ; not taken: Tls, SdkVersion,
}

/// Builds validated core options; every failure is a `Config` error naming the option.
pub(crate) fn to_core(opts: ClientOptions, sdk_version: String) -> Result<CoreOptions, Error> {
    let mut b =
        CoreOptions::builder(opts.access_key_id, opts.access_key_secret).sdk_version(sdk_version);
    if let Some(host) = opts.host {
        b = b.host(host);
    }
    if let Some(ms) = opts.timeout {
        b = b.timeout(option_millis(OptionKey::Timeout, ms)?);
    }
    if let Some(ms) = opts.connect_timeout {
        b = b.connect_timeout(option_millis(OptionKey::ConnectTimeout, ms)?);
    }
    if let Some(lang) = opts.lang {
        b = b.lang(lang);
    }
    if let Some(tenant) = opts.tenant_id {
        b = b.tenant_id(tenant);
    }
    if let Some(reject) = opts.reject_unauthorized {
        b = b.accept_invalid_certs(!reject);
    }
    if let Some(auth) = opts.auth {
        b = b.auth(AuthScheme::parse(&auth)?);
    }
    let mut retry = authing_resign::RetryPolicy::default();
    if let Some(n) = opts.max_retries {
        retry.max_retries =
            whole(n).map_err(|reason| Error::config(OptionKey::MaxRetries, reason))?;
    }
    if let Some(ms) = opts.retry_base_delay {
        retry.base_delay = option_millis(OptionKey::BaseDelay, ms)?;
    }
    if let Some(ms) = opts.retry_max_delay {
        retry.max_delay = option_millis(OptionKey::MaxDelay, ms)?;
    }
    if let Some(ms) = opts.total_timeout {
        retry.total_deadline = Some(option_millis(OptionKey::TotalDeadline, ms)?);
    }
    b = b.retry(retry);
    if let Some(pem) = opts.ca_cert {
        b = b.root_certificate_pem(pem.into_bytes());
    }
    if let Some(proxy) = opts.proxy {
        b = b.proxy(proxy);
    }
    // Sorted so that the request headers do not depend on the object's key order.
    let mut headers: Vec<_> = opts.headers.unwrap_or_default().into_iter().collect();
    headers.sort();
    for (name, value) in headers {
        b = b.header(name, value);
    }
    if let Some(allow) = opts.allow_http {
        b = b.allow_http(allow);
    }
    if let Some(n) = opts.max_response_bytes {
        b = b.max_response_bytes(bytes(n)?);
    }
    b.build()
}

/// A duration given in milliseconds: finite, not negative and representable (zero is
/// left to the core, which knows which settings may be zero). The error is the rule.
pub(crate) fn millis(ms: f64) -> Result<Duration, String> {
    if ms.is_finite() && ms >= 0.0 {
        if let Ok(d) = Duration::try_from_secs_f64(ms / 1000.0) {
            return Ok(d);
        }
    }
    Err(format!(
        "must be a finite number of milliseconds >= 0, got {ms}"
    ))
}

/// [`millis`] for a client option.
fn option_millis(option: OptionKey, ms: f64) -> Result<Duration, Error> {
    millis(ms).map_err(|reason| Error::config(option, reason))
}

/// `maxResponseBytes` as the core takes it: a whole number of bytes (the range is the
/// core's rule; only what a `u64` cannot hold is refused here).
fn bytes(n: f64) -> Result<u64, Error> {
    // 2^53: beyond it a JavaScript number no longer holds every whole number.
    if n.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&n) {
        Ok(n as u64)
    } else {
        Err(Error::config(
            OptionKey::MaxResponseBytes,
            format!("must be a whole number of bytes >= 0, got {n}"),
        ))
    }
}

/// A count given as a JavaScript number: a whole number from 0 to 2^32 - 1 (napi's own
/// `u32` conversion would wrap -1 to 4294967295). The error is the rule.
pub(crate) fn whole(n: f64) -> Result<u32, String> {
    if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) {
        Ok(n as u32)
    } else {
        Err(format!("must be a whole number >= 0, got {n}"))
    }
}
