//! `Debug` of the options: the secret, extra header values and proxy credentials
//! never show.

use std::fmt;

use super::{ClientOptions, ClientOptionsBuilder};

/// Extra headers as `name: "***"`: their values may be gateway keys.
struct RedactedHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, _)| (name, "***")))
            .finish()
    }
}

/// The options and the builder share their fields but for `host`, which only the
/// builder may hold unvalidated (with user info).
macro_rules! debug_options {
    ($f:expr, $name:literal, $o:expr, $host:expr) => {
        $f.debug_struct($name)
            .field("access_key_id", &$o.access_key_id)
            .field("access_key_secret", &$o.access_key_secret)
            .field("host", &$host)
            .field("auth", &$o.auth)
            .field("lang", &$o.lang)
            .field("tenant_id", &$o.tenant_id)
            .field("headers", &RedactedHeaders(&$o.headers))
            .field("connect_timeout", &$o.connect_timeout)
            .field("timeout", &$o.timeout)
            .field("retry", &$o.retry)
            .field("accept_invalid_certs", &$o.accept_invalid_certs)
            .field("root_certificates", &$o.root_certificates_pem.len())
            .field("proxy", &$o.proxy.as_deref().map(crate::redact::proxy))
            .field("sdk_version", &$o.sdk_version)
            .field("allow_http", &$o.allow_http)
            .field("max_response_bytes", &$o.max_response_bytes)
            .finish()
    };
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Validated: never holds user info.
        debug_options!(f, "ClientOptions", self, self.host())
    }
}

impl fmt::Debug for ClientOptionsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = self.host.as_deref().map(crate::redact::userinfo);
        debug_options!(f, "ClientOptionsBuilder", self, host)
    }
}
