//! Client configuration: [`ClientOptions`] and its builder.
//!
//! Options are checked once, in [`ClientOptionsBuilder::build`]: a bad host, an empty
//! key or plain `http://` to a non-loopback host is a [`Error::Config`] before any
//! network call.

mod debug;
mod validate;

use std::fmt;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Default Authing host.
pub const DEFAULT_HOST: &str = "https://api.authing.cn";
/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on a response body: 1 MiB (an envelope is a few hundred bytes).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 1024 * 1024;
/// Bounds of [`ClientOptionsBuilder::max_response_bytes`]: 1 KiB to 1 GiB.
pub const MAX_RESPONSE_BYTES_RANGE: std::ops::RangeInclusive<u64> = 1024..=(1 << 30);
/// Longest accepted per-call duration (`timeout`, `connect_timeout`, the retry policy's
/// `base_delay`, `max_delay` and `total_deadline`): one day. Longer values are a
/// [`Error::Config`] naming the option, since deadlines computed from them could
/// overflow the clock.
pub const MAX_CALL_DURATION: Duration = Duration::from_secs(24 * 60 * 60);

/// A secret string (access key secret, token): redacted in `Debug` and `Display`,
/// zeroed in memory when dropped.
#[derive(Clone)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(Zeroizing::new(secret.into()))
    }
    /// The secret itself. Call only where it is put on the wire or into a MAC.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(\"***\")")
    }
}

impl From<String> for SecretString {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

impl From<&str> for SecretString {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

/// How requests are authenticated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AuthScheme {
    /// HMAC-SHA1 request signatures (the Node SDK 4.x scheme): no token round trip.
    #[default]
    Signature,
    /// A management token fetched with the access key, cached and refreshed
    /// (the Python/Java/Go SDK scheme).
    ManagementToken,
}

impl AuthScheme {
    /// Every scheme, in the order tools list them.
    pub const ALL: [AuthScheme; 2] = [Self::Signature, Self::ManagementToken];

    /// The scheme's name in options and on command lines: `signature` or `token`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Signature => "signature",
            Self::ManagementToken => "token",
        }
    }

    /// Other spellings [`AuthScheme::parse`] accepts for this scheme (lowercase).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Signature => &["sign"],
            Self::ManagementToken => &["management_token", "managementtoken", "management-token"],
        }
    }

    /// Parses `signature` or `token` / `management_token` (case-insensitive).
    pub fn parse(s: &str) -> Result<Self> {
        let wanted = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == wanted || a.aliases().contains(&wanted.as_str()))
            .ok_or_else(|| {
                Error::config(
                    crate::error::OptionKey::Auth,
                    format!("unknown auth scheme {s:?}; expected \"signature\" or \"token\""),
                )
            })
    }
}

impl fmt::Display for AuthScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When and how failed attempts are retried.
///
/// Retried: HTTP or envelope status 429, 500, 502, 503, 504, connect errors, resets
/// and per-attempt timeouts. Delays are exponential with full jitter, and a
/// `Retry-After` header (seconds or HTTP date) is honoured up to `max_delay`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 3, so 4 attempts). 0 disables retries.
    pub max_retries: u32,
    /// Base of the exponential backoff (default 200 ms).
    pub base_delay: Duration,
    /// Cap of any single delay, `Retry-After` included (default 10 s).
    pub max_delay: Duration,
    /// Overall deadline for one call, all attempts and delays included (default none).
    pub total_deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            total_deadline: None,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }
}

/// Validated options of a [`crate::ManagementClient`]. Build with [`ClientOptions::builder`].
///
/// `Debug` hides the secret, extra header values (they may be gateway keys) and any
/// credentials in the proxy URL.
#[derive(Clone)]
pub struct ClientOptions {
    pub(crate) access_key_id: String,
    pub(crate) access_key_secret: SecretString,
    /// Normalized base URL: scheme, host, port and optional path prefix, no trailing slash.
    pub(crate) host: url::Url,
    pub(crate) auth: AuthScheme,
    pub(crate) lang: Option<String>,
    pub(crate) tenant_id: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) accept_invalid_certs: bool,
    pub(crate) root_certificates_pem: Vec<Vec<u8>>,
    pub(crate) proxy: Option<String>,
    pub(crate) sdk_version: String,
    pub(crate) allow_http: bool,
    pub(crate) max_response_bytes: u64,
}

impl ClientOptions {
    /// Starts a builder with the two required keys.
    pub fn builder(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<SecretString>,
    ) -> ClientOptionsBuilder {
        ClientOptionsBuilder {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            host: None,
            auth: AuthScheme::default(),
            lang: None,
            tenant_id: None,
            headers: Vec::new(),
            connect_timeout: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            accept_invalid_certs: false,
            root_certificates_pem: Vec::new(),
            proxy: None,
            sdk_version: None,
            allow_http: false,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    /// The normalized host URL.
    pub fn host(&self) -> &str {
        self.host.as_str().trim_end_matches('/')
    }
    /// The authentication scheme.
    pub fn auth(&self) -> AuthScheme {
        self.auth
    }
    /// The retry policy.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }
    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
    /// The connect timeout, when set apart from the per-attempt timeout.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }
    /// The language sent as `x-authing-lang`, when set (the SDK sends `zh-CN` otherwise).
    pub fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
    /// The tenant id sent as `x-authing-tenant-id`, when set.
    pub fn tenant_id(&self) -> Option<&str> {
        self.tenant_id.as_deref()
    }
    /// The `x-authing-sdk-version` value.
    pub fn sdk_version(&self) -> &str {
        &self.sdk_version
    }
    /// Whether plain `http://` to a non-loopback host was allowed.
    pub fn allow_http(&self) -> bool {
        self.allow_http
    }
    /// The cap on a response body, in bytes.
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }
}

/// Builder of [`ClientOptions`]; every setter is optional. `Debug` redacts like
/// [`ClientOptions`]'s.
#[derive(Clone)]
pub struct ClientOptionsBuilder {
    pub(crate) access_key_id: String,
    pub(crate) access_key_secret: SecretString,
    pub(crate) host: Option<String>,
    pub(crate) auth: AuthScheme,
    pub(crate) lang: Option<String>,
    pub(crate) tenant_id: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) accept_invalid_certs: bool,
    pub(crate) root_certificates_pem: Vec<Vec<u8>>,
    pub(crate) proxy: Option<String>,
    pub(crate) sdk_version: Option<String>,
    pub(crate) allow_http: bool,
    pub(crate) max_response_bytes: u64,
}

/// The builder's setters that assign one field, one line each:
/// `name(arg: Type) => field = value;` with its rustdoc. Each takes and returns the builder.
macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident($arg:ident: $ty:ty) => $($field:ident).+ = $value:expr;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, $arg: $ty) -> Self {
                self.$($field).+ = $value;
                self
            }
        )*
    };
}

impl ClientOptionsBuilder {
    setters! {
        /// API host (default `https://api.authing.cn`); a trailing slash is tolerated and a
        /// path prefix (private deployments) is kept.
        host(host: impl Into<String>) => host = Some(host.into());
        /// Authentication scheme (default [`AuthScheme::Signature`]).
        auth(auth: AuthScheme) => auth = auth;
        /// Language of server messages, sent as `x-authing-lang` (`zh-CN`, `en-US`, `ja-JP`, `zh-TW`).
        lang(lang: impl Into<String>) => lang = Some(lang.into());
        /// Tenant id, sent as `x-authing-tenant-id`.
        tenant_id(tenant_id: impl Into<String>) => tenant_id = Some(tenant_id.into());
        /// TCP/TLS connect timeout (default: bounded by the per-attempt timeout).
        connect_timeout(timeout: Duration) => connect_timeout = Some(timeout);
        /// Per-attempt timeout (default 10 s).
        timeout(timeout: Duration) => timeout = timeout;
        /// Retry policy (default [`RetryPolicy::default`]).
        retry(retry: RetryPolicy) => retry = retry;
        /// Shorthand for the number of retries of the retry policy.
        max_retries(max_retries: u32) => retry.max_retries = max_retries;
        /// Accept any TLS certificate. Dangerous: only for tests against a self-signed server.
        accept_invalid_certs(accept: bool) => accept_invalid_certs = accept;
        /// Send requests through this proxy URL (the standard proxy environment variables
        /// are honoured when no proxy is set).
        proxy(proxy: impl Into<String>) => proxy = Some(proxy.into());
        /// Full `x-authing-sdk-version` value (`<name>:<version>`); bindings set
        /// `authing-resign-python:<version>` and the like. Default `authing-resign-rust:<crate version>`.
        sdk_version(sdk_version: impl Into<String>) => sdk_version = Some(sdk_version.into());
        /// Allow plain `http://` to a non-loopback host (refused by default).
        allow_http(allow: bool) => allow_http = allow;
        /// Cap on a response body (default 1 MiB, 1 KiB to 1 GiB): a larger answer is a
        /// `decode` error naming the cap, is read no further and its connection is closed.
        max_response_bytes(bytes: u64) => max_response_bytes = bytes;
    }

    /// An extra header on every request (signed when its name starts with `x-authing-`);
    /// a later value for the same name replaces an earlier one.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    /// Trust an extra root certificate (PEM), e.g. a private deployment's CA.
    pub fn root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates_pem.push(pem.into());
        self
    }

    /// Checks every option and returns the validated [`ClientOptions`].
    pub fn build(self) -> Result<ClientOptions> {
        validate::validate(self)
    }
}
