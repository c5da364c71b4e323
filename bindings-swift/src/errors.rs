//! The one place where core errors become the foreign-facing [`AuthingError`]
//! (Swift `AuthingError`, Kotlin `AuthingException`).

use std::any::Any;

use authing_resign::{Error, TimeoutPhase};

/// Every failure of the SDK, with the core taxonomy's fields. Messages never contain a
/// secret, a token or a signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum AuthingError {
    /// Bad input, caught locally before any network call.
    #[error("invalid argument `{field}`{}: {reason}", index.map(|i| format!("[{i}]")).unwrap_or_default())]
    InvalidArgument {
        /// The argument (wire name), e.g. `userIds`.
        field: String,
        /// Index in the list, when the argument is a list.
        index: Option<u64>,
        /// The rule that was broken.
        reason: String,
    },
    /// A client option is wrong.
    #[error("invalid client option `{option}`: {reason}")]
    Config {
        /// The option's name.
        option: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Authing answered with a failure envelope (Kotlin: the server's text is `serverMessage`).
    #[error("Authing rejected the request: statusCode {status_code}: {message}")]
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
    /// A deadline expired.
    #[error("timed out ({phase:?} timeout)")]
    Timeout {
        /// Which deadline.
        phase: TimeoutPhase,
    },
    /// No response: connection refused, TLS failure, connection reset.
    #[error("transport error: {reason}")]
    Transport {
        /// A safe description of the cause.
        reason: String,
    },
    /// The response was not the JSON envelope (e.g. a proxy's HTML error page).
    #[error("could not decode the response (HTTP {http_status}): {reason}")]
    Decode {
        /// HTTP status of the response.
        http_status: u16,
        /// Why decoding failed.
        reason: String,
        /// The first characters of the body, for diagnosis.
        snippet: String,
    },
    /// The call or job was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The bulk job's `journal` could not be created (it exists, or its directory does
    /// not) or `resumeFrom` could not be read or is neither a journal nor a report.
    #[error("journal {path}: {reason}")]
    Journal {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// `resumeFrom` records another place or id type; nothing was sent.
    #[error("resumeFrom {path}: it records {field} {earlier}; this job has {field} {now}")]
    ResumeMismatch {
        /// The file.
        path: String,
        /// What differs: `host`, `access_key_id`, `tenant_id` or `user_id_type`.
        field: String,
        /// Its value in the file.
        earlier: String,
        /// Its value in this job.
        now: String,
    },
    /// A bug in the SDK (a Rust panic, caught before it could cross the FFI) or a
    /// failure of the binding itself.
    #[error("internal error: {reason}")]
    Internal {
        /// What went wrong.
        reason: String,
    },
}

impl From<Error> for AuthingError {
    fn from(e: Error) -> Self {
        match e {
            Error::InvalidArgument {
                field,
                index,
                reason,
            } => Self::InvalidArgument {
                field,
                index: index.map(|i| i as u64),
                reason,
            },
            Error::Config { option, reason } => Self::Config {
                option: option_name(option),
                reason,
            },
            Error::Api {
                status_code,
                api_code,
                message,
                request_id,
                http_status,
            } => Self::Api {
                status_code,
                api_code,
                message,
                request_id,
                http_status,
            },
            Error::Timeout { phase } => Self::Timeout { phase },
            Error::Transport { message } => Self::Transport { reason: message },
            Error::Decode {
                http_status,
                reason,
                snippet,
            } => Self::Decode {
                http_status,
                reason,
                snippet,
            },
            Error::Cancelled => Self::Cancelled,
            Error::Journal { path, reason } => Self::Journal { path, reason },
            Error::ResumeMismatch {
                path,
                field,
                earlier,
                now,
            } => Self::ResumeMismatch {
                path,
                field,
                earlier,
                now,
            },
            // The core's enum is non-exhaustive: a variant added later still arrives typed.
            other => Self::Internal {
                reason: other.to_string(),
            },
        }
    }
}

/// The core names the retry policy's fields as in `RetryPolicy`; `ClientOptions` here
/// flattens them, so an error names the option as the caller wrote it.
fn option_name(core: String) -> String {
    match core.as_str() {
        "base_delay" => "retry_base_delay".into(),
        "max_delay" => "retry_max_delay".into(),
        _ => core,
    }
}

impl AuthingError {
    /// The core error this one mirrors (`None` for [`AuthingError::Internal`]), so the
    /// classification helpers stay defined once, in the core.
    fn to_core(&self) -> Option<Error> {
        Some(match self.clone() {
            Self::InvalidArgument {
                field,
                index,
                reason,
            } => Error::InvalidArgument {
                field,
                index: index.map(|i| i as usize),
                reason,
            },
            Self::Config { option, reason } => Error::Config { option, reason },
            Self::Api {
                status_code,
                api_code,
                message,
                request_id,
                http_status,
            } => Error::Api {
                status_code,
                api_code,
                message,
                request_id,
                http_status,
            },
            Self::Timeout { phase } => Error::Timeout { phase },
            Self::Transport { reason } => Error::Transport { message: reason },
            Self::Decode {
                http_status,
                reason,
                snippet,
            } => Error::Decode {
                http_status,
                reason,
                snippet,
            },
            Self::Cancelled => Error::Cancelled,
            Self::Journal { path, reason } => Error::Journal { path, reason },
            Self::ResumeMismatch {
                path,
                field,
                earlier,
                now,
            } => Error::ResumeMismatch {
                path,
                field,
                earlier,
                now,
            },
            Self::Internal { .. } => return None,
        })
    }

    /// Maps a caught panic payload to a typed error.
    pub(crate) fn from_panic(payload: Box<dyn Any + Send>) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Self::Internal {
            reason: format!("a bug in authing-resign (Rust panic: {what})"),
        }
    }
}

#[uniffi::export]
impl AuthingError {
    /// Stable machine-readable code: `invalid_argument`, `config`, `api_error`,
    /// `timeout`, `transport`, `decode`, `cancelled`, `internal`.
    pub fn code(&self) -> String {
        self.to_core().map_or("internal", |e| e.code()).to_string()
    }

    /// Whether retrying the same request may succeed (429, 5xx, timeouts, transport).
    pub fn is_retryable(&self) -> bool {
        self.to_core().is_some_and(|e| e.is_retryable())
    }

    /// Whether this is an authentication failure (statusCode 401/403, apiCode 1300-1306).
    pub fn is_auth(&self) -> bool {
        self.to_core().is_some_and(|e| e.is_auth())
    }
}

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

        let invalid = AuthingError::from(Error::InvalidArgument {
            field: "userIds".into(),
            index: Some(3),
            reason: "empty".into(),
        });
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
    fn retry_policy_options_are_named_as_in_client_options() {
        for (core, ours) in [
            ("base_delay", "retry_base_delay"),
            ("max_delay", "retry_max_delay"),
            ("total_deadline", "total_deadline"),
            ("timeout", "timeout"),
        ] {
            let e = AuthingError::from(Error::Config {
                option: core.into(),
                reason: "too large".into(),
            });
            assert!(
                matches!(e, AuthingError::Config { ref option, .. } if option == ours),
                "{e:?}"
            );
        }
    }

    #[test]
    fn internal_errors_are_neither_retryable_nor_auth() {
        let e = AuthingError::from_panic(Box::new("oops"));
        assert_eq!(e.code(), "internal");
        assert!(!e.is_retryable() && !e.is_auth());
        assert!(e.to_string().contains("oops"));
    }
}
