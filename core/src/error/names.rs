//! The names the core owns that a binding spells its own way: client options
//! ([`OptionKey`]), call arguments ([`Argument`]) and what a resumed job must share
//! with its record ([`ResumeKey`]).
//!
//! Both enums are exhaustive on purpose: each binding maps them with one `match` and no
//! wildcard, so adding an option or an argument fails to compile until every binding
//! has named it.

use std::fmt;

/// A client option, as named by [`crate::Error::Config`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(into = "&'static str")]
pub enum OptionKey {
    /// The access key id.
    AccessKeyId,
    /// The access key secret.
    AccessKeySecret,
    /// The API host.
    Host,
    /// The authentication scheme.
    Auth,
    /// The language of server messages.
    Lang,
    /// The tenant id.
    TenantId,
    /// Extra headers.
    Headers,
    /// The TCP/TLS connect timeout.
    ConnectTimeout,
    /// The per-attempt timeout.
    Timeout,
    /// Retries after the first attempt.
    MaxRetries,
    /// Base of the exponential backoff ([`crate::RetryPolicy::base_delay`]).
    BaseDelay,
    /// Cap of one backoff delay ([`crate::RetryPolicy::max_delay`]).
    MaxDelay,
    /// Deadline of one call ([`crate::RetryPolicy::total_deadline`]).
    TotalDeadline,
    /// Accepting any TLS certificate.
    AcceptInvalidCerts,
    /// An extra trusted root certificate (PEM).
    RootCertificatePem,
    /// The TLS setup as a whole (the HTTP client refused the configured certificates).
    Tls,
    /// The proxy URL.
    Proxy,
    /// The `x-authing-sdk-version` value.
    SdkVersion,
    /// Allowing plain `http://` to a non-loopback host.
    AllowHttp,
    /// The cap on a response body's size.
    MaxResponseBytes,
}

impl OptionKey {
    /// Every option, in declaration order.
    pub const ALL: [Self; 20] = [
        Self::AccessKeyId,
        Self::AccessKeySecret,
        Self::Host,
        Self::Auth,
        Self::Lang,
        Self::TenantId,
        Self::Headers,
        Self::ConnectTimeout,
        Self::Timeout,
        Self::MaxRetries,
        Self::BaseDelay,
        Self::MaxDelay,
        Self::TotalDeadline,
        Self::AcceptInvalidCerts,
        Self::RootCertificatePem,
        Self::Tls,
        Self::Proxy,
        Self::SdkVersion,
        Self::AllowHttp,
        Self::MaxResponseBytes,
    ];

    /// The core's name: the [`crate::ClientOptionsBuilder`] setter (or
    /// [`crate::RetryPolicy`] field) that sets the option, e.g. `root_certificate_pem`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccessKeyId => "access_key_id",
            Self::AccessKeySecret => "access_key_secret",
            Self::Host => "host",
            Self::Auth => "auth",
            Self::Lang => "lang",
            Self::TenantId => "tenant_id",
            Self::Headers => "headers",
            Self::ConnectTimeout => "connect_timeout",
            Self::Timeout => "timeout",
            Self::MaxRetries => "max_retries",
            Self::BaseDelay => "base_delay",
            Self::MaxDelay => "max_delay",
            Self::TotalDeadline => "total_deadline",
            Self::AcceptInvalidCerts => "accept_invalid_certs",
            Self::RootCertificatePem => "root_certificate_pem",
            Self::Tls => "tls",
            Self::Proxy => "proxy",
            Self::SdkVersion => "sdk_version",
            Self::AllowHttp => "allow_http",
            Self::MaxResponseBytes => "max_response_bytes",
        }
    }
}

/// An argument of a call, as named by [`crate::Error::InvalidArgument`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(into = "&'static str")]
pub enum Argument {
    /// The ids of a batch or bulk job.
    UserIds,
    /// The id of a single call.
    UserId,
    /// How the ids are interpreted.
    UserIdType,
    /// Ids per call of a bulk job ([`crate::BulkOptions::chunk_size`]).
    ChunkSize,
    /// Calls in flight of a bulk job ([`crate::BulkOptions::concurrency`]).
    Concurrency,
    /// Deadline of a bulk job ([`crate::BulkOptions::deadline`]).
    Deadline,
    /// Indentation of a report's JSON ([`crate::BulkReport::to_json`]).
    Indent,
    /// Only reading users back ([`crate::BulkOptions::verify_only`]).
    VerifyOnly,
}

impl Argument {
    /// Every argument, in declaration order.
    pub const ALL: [Self; 8] = [
        Self::UserIds,
        Self::UserId,
        Self::UserIdType,
        Self::ChunkSize,
        Self::Concurrency,
        Self::Deadline,
        Self::Indent,
        Self::VerifyOnly,
    ];

    /// The core's name: the wire name for request fields (`userIds`, `userIdType`),
    /// the [`crate::BulkOptions`] field for bulk options (`chunk_size`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserIds => "userIds",
            Self::UserId => "userId",
            Self::UserIdType => "userIdType",
            Self::ChunkSize => "chunk_size",
            Self::Concurrency => "concurrency",
            Self::Deadline => "deadline",
            Self::Indent => "indent",
            Self::VerifyOnly => "verify_only",
        }
    }
}

/// What a job resumed from a record must share with it, as named by
/// [`crate::Error::ResumeMismatch`]. A binding names each key as the option or argument
/// it compares ([`ResumeKey::named`], the default of [`crate::Naming::resume_key`]), so
/// the user reads the name they passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(into = "&'static str")]
pub enum ResumeKey {
    /// The API host (the client option `host`).
    Host,
    /// The access key id (the client option `access_key_id`).
    AccessKeyId,
    /// The tenant (the client option `tenant_id`).
    TenantId,
    /// How the ids are interpreted (the job's `user_id_type` argument).
    UserIdType,
}

impl ResumeKey {
    /// Every key, in the order a record is checked against the job.
    pub const ALL: [Self; 4] = [
        Self::UserIdType,
        Self::Host,
        Self::AccessKeyId,
        Self::TenantId,
    ];

    /// The core's name, as the journal's header spells it (`tenant_id`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Host => "host",
            Self::AccessKeyId => "access_key_id",
            Self::TenantId => "tenant_id",
            Self::UserIdType => "user_id_type",
        }
    }

    /// The key named as the binding names the option or argument it compares
    /// (Node's `tenantId`, Python's `tenant_id`): no binding spells these again.
    pub fn named<N: crate::Naming + ?Sized>(self, naming: &N) -> std::borrow::Cow<'_, str> {
        match self {
            Self::Host => naming.option(OptionKey::Host),
            Self::AccessKeyId => naming.option(OptionKey::AccessKeyId),
            Self::TenantId => naming.option(OptionKey::TenantId),
            Self::UserIdType => naming.argument(Argument::UserIdType),
        }
    }
}

/// Display, `From` into `&'static str` and comparison with strings, so the names read
/// like the strings they replace (`assert_eq!(option, "host")`).
macro_rules! name_impls {
    ($t:ty) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl From<$t> for &'static str {
            fn from(v: $t) -> Self {
                v.as_str()
            }
        }
        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }
        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

name_impls!(OptionKey);
name_impls!(Argument);
name_impls!(ResumeKey);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_listed() {
        let options: std::collections::HashSet<_> = OptionKey::ALL.map(OptionKey::as_str).into();
        assert_eq!(options.len(), OptionKey::ALL.len());
        let args: std::collections::HashSet<_> = Argument::ALL.map(Argument::as_str).into();
        assert_eq!(args.len(), Argument::ALL.len());
        assert_eq!(OptionKey::RootCertificatePem, "root_certificate_pem");
        assert_eq!(Argument::UserIds.to_string(), "userIds");
        let keys: std::collections::HashSet<_> = ResumeKey::ALL.map(ResumeKey::as_str).into();
        assert_eq!(keys.len(), ResumeKey::ALL.len());
    }
}
