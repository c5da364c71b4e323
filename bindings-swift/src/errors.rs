//! The one place where core errors become the foreign-facing [`AuthingError`]
//! (Swift `AuthingError`, Kotlin `AuthingException`).
//!
//! uniffi needs the variants spelled out (it generates a Swift enum and Kotlin classes
//! from them); everything else comes from the core: the message (`Display`), `code()`,
//! `isRetryable()` and `isAuth()`. The option and argument names are [`SwiftNaming`]'s.

use std::any::Any;
use std::borrow::Cow;
use std::fmt;

use authing_resign::{Argument, Error, Field, Naming, OptionKey, ResumeKey, TimeoutPhase};

/// Every failure of the SDK, with the core taxonomy's fields. Messages never contain a
/// secret, a token or a signature.
///
/// The core's message is exported as `Display`: Swift's `description` and Kotlin's
/// `toString()`, and Kotlin's `message` too (`kotlin/use_core_messages.py` points the
/// generated getter at it; uniffi's own would list the fields).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
#[uniffi::export(Display)]
pub enum AuthingError {
    /// Bad input, caught locally before any network call.
    InvalidArgument {
        /// The argument (wire name), e.g. `userIds`.
        field: String,
        /// Index in the list, when the argument is a list.
        index: Option<u64>,
        /// The rule that was broken.
        reason: String,
    },
    /// A client option is wrong.
    Config {
        /// The option's name, as the field of `ClientOptions` (e.g. `retry_base_delay`).
        option: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Authing answered with a failure envelope (Kotlin: the server's text is `serverMessage`).
    Api {
        /// Envelope `statusCode` (400, 401, 403, 404, 429, 500, ...).
        status_code: u16,
        /// Envelope `apiCode` (1300-1306 signature failures, 2004 user not found, ...).
        api_code: Option<u32>,
        /// Envelope `message`, in the configured language.
        message: String,
        /// Envelope `requestId`: what Authing support asks for.
        request_id: Option<String>,
        /// HTTP status of the response (200 for envelope failures).
        http_status: u16,
    },
    /// The server answered statusCode 200 with `data.success: false`: it accepted the
    /// request and did not do it (Kotlin: the server's text is `serverMessage`).
    ApiRejected {
        /// Envelope `message`.
        message: String,
        /// Envelope `requestId`.
        request_id: Option<String>,
    },
    /// A deadline expired.
    Timeout {
        /// Which deadline.
        phase: TimeoutPhase,
    },
    /// No response: connection refused, TLS failure, connection reset. (`reason`, not
    /// `message`: a Kotlin exception already has a `message`.)
    Transport {
        /// A safe description of the cause.
        reason: String,
    },
    /// The response was not the JSON envelope (e.g. a proxy's HTML error page).
    Decode {
        /// HTTP status of the response.
        http_status: u16,
        /// Why decoding failed.
        reason: String,
        /// The first characters of the body, for diagnosis.
        snippet: String,
    },
    /// The call or job was cancelled.
    Cancelled,
    /// The job's journal or the record to resume from could not be created, written or read.
    Journal {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The record to resume from is of another place or id type.
    ResumeMismatch {
        /// The file.
        path: String,
        /// What differs, named as the option or argument compared (`host`,
        /// `access_key_id`, `tenant_id`, `userIdType`).
        field: String,
        /// The value the file records.
        earlier: String,
        /// This job's value.
        now: String,
    },
    /// A bug in the SDK (a Rust panic, caught before it could cross the FFI) or a
    /// failure of the binding itself.
    Internal {
        /// What went wrong.
        reason: String,
    },
}

/// How Swift and Kotlin name the core's options and arguments: as the Rust fields of
/// this crate's records (`ClientOptions` flattens the retry policy: `retry_base_delay`).
pub struct SwiftNaming;

impl Naming for SwiftNaming {
    fn option(&self, key: OptionKey) -> Cow<'_, str> {
        Cow::Borrowed(match key {
            // `ClientOptions` flattens the retry policy and takes a list of certificates.
            OptionKey::BaseDelay => "retry_base_delay",
            OptionKey::MaxDelay => "retry_max_delay",
            // The only certificate input here; the TLS setup failing is about it too.
            OptionKey::RootCertificatePem | OptionKey::Tls => "root_certificates_pem",
            // Every other field of `ClientOptions` has the core's name. Listed, not a
            // wildcard: a new option does not compile until it is named here.
            OptionKey::AccessKeyId
            | OptionKey::AccessKeySecret
            | OptionKey::Host
            | OptionKey::Auth
            | OptionKey::Lang
            | OptionKey::TenantId
            | OptionKey::Headers
            | OptionKey::ConnectTimeout
            | OptionKey::Timeout
            | OptionKey::MaxRetries
            | OptionKey::TotalDeadline
            | OptionKey::AcceptInvalidCerts
            | OptionKey::Proxy
            | OptionKey::SdkVersion
            | OptionKey::AllowHttp
            | OptionKey::MaxResponseBytes => key.as_str(),
        })
    }

    fn argument(&self, arg: Argument) -> Cow<'_, str> {
        // The core's names: the wire names of the request fields, which are the Swift
        // and Kotlin parameter names too (`userIds`).
        arg.as_str().into()
    }

    fn field(&self, field: Field) -> Cow<'_, str> {
        // Unused: uniffi declares the fields of each variant itself.
        field.as_str().into()
    }
}

/// The names of a foreign-side error, printed as they are: the core's message and
/// classification never depend on which option or argument is named.
struct Verbatim<'a>(&'a str);

impl Naming for Verbatim<'_> {
    fn option(&self, _: OptionKey) -> Cow<'_, str> {
        self.0.into()
    }
    fn argument(&self, _: Argument) -> Cow<'_, str> {
        self.0.into()
    }
    fn field(&self, field: Field) -> Cow<'_, str> {
        field.as_str().into()
    }
}

/// Converts between the core's [`Error`] and [`AuthingError`] (`$from` to `$to`) with one
/// list of the variants whose fields have the same names and types on both sides; each
/// field is moved as it is. The other variants' arms (names spelled by [`SwiftNaming`],
/// `Transport`'s `reason`) follow in the braces.
macro_rules! convert_error {
    ($e:expr, $from:ident => $to:ident, { $($other:tt)* }) => {
        convert_error!(@ $e, $from => $to, { $($other)* },
            Api { status_code, api_code, message, request_id, http_status },
            ApiRejected { message, request_id },
            Timeout { phase },
            Decode { http_status, reason, snippet },
            Cancelled {},
            Journal { path, reason })
    };
    (@ $e:expr, $from:ident => $to:ident, { $($other:tt)* },
        $($variant:ident { $($field:ident),* }),*) => {
        match $e {
            $($from::$variant { $($field),* } => $to::$variant { $($field),* },)*
            $($other)*
        }
    };
}

impl From<Error> for AuthingError {
    fn from(e: Error) -> Self {
        convert_error!(e, Error => AuthingError, {
            Error::InvalidArgument { field, index, reason } => Self::InvalidArgument {
                field: SwiftNaming.argument(field).into_owned(),
                index: index.map(|i| i as u64),
                reason,
            },
            Error::Config { option, reason } => Self::Config {
                option: SwiftNaming.option(option).into_owned(),
                reason,
            },
            Error::Transport { message } => Self::Transport { reason: message },
            Error::ResumeMismatch { path, field, earlier, now } => Self::ResumeMismatch {
                path,
                field: SwiftNaming.resume_key(field).into_owned(),
                earlier,
                now,
            },
            // The core's enum is non-exhaustive: a variant added later still arrives typed.
            other => Self::Internal {
                reason: other.to_string(),
            },
        })
    }
}

impl AuthingError {
    /// The core error this one mirrors (`None` for [`AuthingError::Internal`]) and the
    /// names to print it with, so the message and the classification helpers stay
    /// defined once, in the core. The option or argument of the core error is any:
    /// only its name (the foreign-side string) is ever read.
    fn to_core(&self) -> Option<(Error, Verbatim<'_>)> {
        let name = match self {
            Self::InvalidArgument { field, .. } | Self::ResumeMismatch { field, .. } => {
                field.as_str()
            }
            Self::Config { option, .. } => option.as_str(),
            _ => "",
        };
        let e = convert_error!(self.clone(), AuthingError => Error, {
            AuthingError::InvalidArgument { index, reason, .. } => {
                let index = index.and_then(|i| usize::try_from(i).ok());
                Error::invalid(Argument::UserIds, index, reason)
            }
            AuthingError::Config { reason, .. } => Error::config(OptionKey::Host, reason),
            AuthingError::Transport { reason } => Error::Transport { message: reason },
            AuthingError::ResumeMismatch { path, earlier, now, .. } => Error::ResumeMismatch {
                path,
                field: ResumeKey::Host,
                earlier,
                now,
            },
            AuthingError::Internal { .. } => return None,
        });
        Some((e, Verbatim(name)))
    }

    /// Maps a caught panic payload to a typed error.
    pub(crate) fn from_panic(payload: Box<dyn Any + Send>) -> Self {
        let what = authing_resign::error::panic_text(payload.as_ref());
        Self::Internal {
            reason: format!("a bug in authing-resign (Rust panic: {what})"),
        }
    }
}

#[uniffi::export]
impl AuthingError {
    /// Stable machine-readable code: `invalid_argument`, `config`, `api_error`,
    /// `api_rejected`, `timeout`, `transport`, `decode`, `cancelled`, `internal`.
    pub fn code(&self) -> String {
        self.to_core()
            .map_or("internal", |(e, _)| e.code())
            .to_string()
    }

    /// Whether retrying the same request may succeed (429, 5xx, timeouts, transport).
    pub fn is_retryable(&self) -> bool {
        self.to_core().is_some_and(|(e, _)| e.is_retryable())
    }

    /// Whether this is an authentication failure (statusCode 401/403, apiCode 1300-1306).
    pub fn is_auth(&self) -> bool {
        self.to_core().is_some_and(|(e, _)| e.is_auth())
    }
}

/// The core's message (Swift's `localizedDescription` source, Kotlin's `toString()`).
impl fmt::Display for AuthingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.to_core()) {
            (_, Some((e, names))) => f.write_str(&e.message(&names)),
            (Self::Internal { reason }, None) => write!(f, "internal error: {reason}"),
            (_, None) => unreachable!("only Internal has no core error"),
        }
    }
}

impl std::error::Error for AuthingError {}

/// A progress callback that throws on the foreign side arrives here, not as a panic.
impl From<uniffi::UnexpectedUniFFICallbackError> for AuthingError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Internal {
            reason: format!("callback failed: {}", e.reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_their_fields_and_classification() {
        let api = AuthingError::from(Error::Api {
            status_code: 401,
            api_code: Some(1300),
            message: "签名错误".into(),
            request_id: Some("req-1".into()),
            http_status: 200,
        });
        assert_eq!(
            api,
            AuthingError::Api {
                status_code: 401,
                api_code: Some(1300),
                message: "签名错误".into(),
                request_id: Some("req-1".into()),
                http_status: 200,
            }
        );
        assert_eq!(api.code(), "api_error");
        assert!(api.is_auth() && !api.is_retryable());

        let invalid = AuthingError::from(Error::invalid(Argument::UserIds, Some(3), "empty"));
        assert_eq!(
            invalid,
            AuthingError::InvalidArgument {
                field: "userIds".into(),
                index: Some(3),
                reason: "empty".into()
            }
        );
        assert_eq!(invalid.code(), "invalid_argument");

        let transport = AuthingError::from(Error::Transport {
            message: "connection refused".into(),
        });
        assert_eq!(
            transport,
            AuthingError::Transport {
                reason: "connection refused".into()
            }
        );
        assert!(transport.is_retryable());
        assert_eq!(
            AuthingError::from(Error::Timeout {
                phase: TimeoutPhase::Attempt
            })
            .code(),
            "timeout"
        );
    }

    #[test]
    fn success_false_keeps_its_own_code() {
        let e = AuthingError::from(Error::ApiRejected {
            message: "操作失败".into(),
            request_id: Some("r".into()),
        });
        assert_eq!(e.code(), "api_rejected");
        assert!(!e.is_retryable() && !e.is_auth());
    }

    #[test]
    fn retry_policy_options_are_named_as_in_client_options() {
        for (core, ours) in [
            ("base_delay", "retry_base_delay"),
            ("max_delay", "retry_max_delay"),
            ("total_deadline", "total_deadline"),
            ("timeout", "timeout"),
        ] {
            let key = OptionKey::ALL.into_iter().find(|k| *k == core).unwrap();
            let e = AuthingError::from(Error::config(key, "too large"));
            assert!(
                matches!(e, AuthingError::Config { ref option, .. } if option == ours),
                "{e:?}"
            );
        }
    }

    #[test]
    fn messages_are_the_cores() {
        for e in Error::examples() {
            let ours = AuthingError::from(e.clone());
            assert_eq!(ours.to_string(), e.message(&SwiftNaming));
            assert_eq!(ours.code(), e.code());
            assert_eq!(ours.is_retryable(), e.is_retryable());
        }
        let slow = AuthingError::Timeout {
            phase: TimeoutPhase::Attempt,
        };
        assert_eq!(slow.to_string(), "timed out (attempt timeout)");
    }

    #[test]
    fn internal_errors_are_neither_retryable_nor_auth() {
        let e = AuthingError::from_panic(Box::new("oops"));
        assert_eq!(e.code(), "internal");
        assert!(!e.is_retryable() && !e.is_auth());
        assert!(e.to_string().contains("oops"));
    }
}
