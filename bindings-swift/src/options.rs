//! [`ClientOptions`]: a Record with defaults for everything but the two keys, turned into
//! the core's validated options in one place.

use authing_resign::{AuthScheme, ClientOptionsBuilder as Builder, Error, OptionKey, SecretString};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::errors::AuthingError;
use crate::interval::Interval;

/// The access key secret, kept out of `toString()`/`description` of the options record
/// (a Kotlin data class or Swift struct would otherwise print it).
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct AccessKeySecret(SecretString);

#[uniffi::export]
impl AccessKeySecret {
    /// Wraps the secret.
    #[uniffi::constructor]
    pub fn new(secret: String) -> Arc<Self> {
        Arc::new(Self(SecretString::new(secret)))
    }
}

impl std::fmt::Debug for AccessKeySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessKeySecret(***)")
    }
}

/// Printed as `Debug` is, never the secret (uniffi exports both to Swift and Kotlin).
impl std::fmt::Display for AccessKeySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

/// Options of a `ManagementClient`. Only the two keys are required.
#[derive(uniffi::Record)]
pub struct ClientOptions {
    /// Access key id of the user pool.
    pub access_key_id: String,
    /// Access key secret (never printed, logged or sent in clear).
    pub access_key_secret: Arc<AccessKeySecret>,
    /// API host, default `https://api.authing.cn`; plain `http://` only to loopback
    /// unless `allow_http`.
    #[uniffi(default = None)]
    pub host: Option<String>,
    /// Authentication scheme, default `Signature`.
    #[uniffi(default = None)]
    pub auth: Option<AuthScheme>,
    /// Language of server messages (`zh-CN` default, `en-US`, `ja-JP`, `zh-TW`).
    #[uniffi(default = None)]
    pub lang: Option<String>,
    /// Tenant id, sent as `x-authing-tenant-id`.
    #[uniffi(default = None)]
    pub tenant_id: Option<String>,
    /// Extra headers on every request (signed when named `x-authing-*`).
    #[uniffi(default)]
    pub headers: HashMap<String, String>,
    /// TCP/TLS connect timeout (default: bounded by `timeout`).
    #[uniffi(default = None)]
    pub connect_timeout: Option<Interval>,
    /// Per-attempt timeout (default 10 s).
    #[uniffi(default = None)]
    pub timeout: Option<Interval>,
    /// Retries after the first attempt (default 3); 0 disables retries.
    #[uniffi(default = None)]
    pub max_retries: Option<u32>,
    /// Base of the exponential backoff (default 200 ms).
    #[uniffi(default = None)]
    pub retry_base_delay: Option<Interval>,
    /// Cap of one backoff delay, `Retry-After` included (default 10 s).
    #[uniffi(default = None)]
    pub retry_max_delay: Option<Interval>,
    /// Deadline of one call, retries included (default none).
    #[uniffi(default = None)]
    pub total_deadline: Option<Interval>,
    /// Accept any TLS certificate. Dangerous: only for tests against a self-signed server.
    #[uniffi(default = false)]
    pub accept_invalid_certs: bool,
    /// Extra trusted root certificates (PEM), e.g. a private deployment's CA.
    #[uniffi(default)]
    pub root_certificates_pem: Vec<String>,
    /// Proxy URL (the standard proxy environment variables apply when unset).
    #[uniffi(default = None)]
    pub proxy: Option<String>,
    /// Full `x-authing-sdk-version` value; default `authing-resign-swift:<version>` on
    /// Apple platforms and `authing-resign-kotlin:<version>` elsewhere (JVM, Android).
    #[uniffi(default = None)]
    pub sdk_version: Option<String>,
    /// Allow plain `http://` to a non-loopback host (refused by default).
    #[uniffi(default = false)]
    pub allow_http: bool,
    /// Largest answer read, in bytes (default 1 MiB; the core accepts 1 KiB to 1 GiB): a
    /// larger one is a `Decode` error naming the cap, read no further.
    #[uniffi(default = None)]
    pub max_response_bytes: Option<u64>,
}

impl TryFrom<ClientOptions> for authing_resign::ClientOptions {
    type Error = AuthingError;

    fn try_from(o: ClientOptions) -> Result<Self, AuthingError> {
        let d = authing_resign::RetryPolicy::default();
        let retry = authing_resign::RetryPolicy {
            max_retries: o.max_retries.unwrap_or(d.max_retries),
            base_delay: seconds(OptionKey::BaseDelay, o.retry_base_delay)?.unwrap_or(d.base_delay),
            max_delay: seconds(OptionKey::MaxDelay, o.retry_max_delay)?.unwrap_or(d.max_delay),
            total_deadline: seconds(OptionKey::TotalDeadline, o.total_deadline)?,
        };
        let connect_timeout = seconds(OptionKey::ConnectTimeout, o.connect_timeout)?;
        let timeout = seconds(OptionKey::Timeout, o.timeout)?;
        // Sorted so that the request headers do not depend on hash-map order.
        let mut headers: Vec<_> = o.headers.into_iter().collect();
        headers.sort();
        let b = Self::builder(o.access_key_id, o.access_key_secret.0.clone())
            .auth(o.auth.unwrap_or(AuthScheme::Signature))
            .accept_invalid_certs(o.accept_invalid_certs)
            .allow_http(o.allow_http)
            .sdk_version(o.sdk_version.unwrap_or_else(default_sdk_version))
            .retry(retry)
            .with_each(o.host, Builder::host)
            .with_each(o.lang, Builder::lang)
            .with_each(o.tenant_id, Builder::tenant_id)
            .with_each(headers, |b, (name, value)| b.header(name, value))
            .with_each(connect_timeout, Builder::connect_timeout)
            .with_each(timeout, Builder::timeout)
            .with_each(o.root_certificates_pem, |b, pem| {
                b.root_certificate_pem(pem.into_bytes())
            })
            .with_each(o.proxy, Builder::proxy)
            .with_each(o.max_response_bytes, Builder::max_response_bytes);
        Ok(b.build()?)
    }
}

/// Sets an option on the core's builder once per value given (an `Option` or a list):
/// what is not given keeps the core's default.
trait WithEach: Sized {
    fn with_each<T>(
        self,
        values: impl IntoIterator<Item = T>,
        set: impl FnMut(Self, T) -> Self,
    ) -> Self {
        values.into_iter().fold(self, set)
    }
}

impl WithEach for Builder {}

/// An optional duration option, checked: a bad value is `Config` naming the option.
fn seconds(option: OptionKey, v: Option<Interval>) -> Result<Option<Duration>, AuthingError> {
    v.map(|v| v.to_duration())
        .transpose()
        .map_err(|reason| Error::config(option, reason).into())
}

/// The library cannot see which language loaded it; Apple targets are linked by the
/// Swift package and every other target by the Kotlin bindings.
fn default_sdk_version() -> String {
    let lang = if cfg!(target_vendor = "apple") {
        "swift"
    } else {
        "kotlin"
    };
    format!("authing-resign-{lang}:{}", crate::version())
}
