//! The one error taxonomy of the SDK. Every binding maps these variants, by
//! [`Error::code`], to its native exceptions.

use std::fmt;

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which deadline expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeoutPhase {
    /// Establishing the TCP/TLS connection.
    Connect,
    /// One attempt (request sent, response not complete in time).
    Attempt,
    /// The overall deadline of a call, retries included.
    Total,
    /// The deadline of a bulk job.
    Job,
}

impl TimeoutPhase {
    /// Stable lower-case name: `connect`, `attempt`, `total`, `job`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connect => "connect",
            Self::Attempt => "attempt",
            Self::Total => "total",
            Self::Job => "job",
        }
    }
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every failure of the SDK. Messages never contain a secret, a token or a signature.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Bad input, caught locally before any network call.
    #[error("invalid argument {}: {reason}", field_label(.field, .index))]
    InvalidArgument {
        /// The argument (wire name), e.g. `userIds`.
        field: String,
        /// Index in the list, when the argument is a list.
        index: Option<usize>,
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
    /// Authing (or the emulator) answered with a failure envelope.
    #[error(
        "Authing rejected the request: statusCode {status_code}, apiCode {}, requestId {}: {message}",
        opt_display(.api_code), .request_id.as_deref().unwrap_or("—")
    )]
    Api {
        /// Envelope `statusCode` (400, 401, 403, 404, 429, 500, ...).
        status_code: u16,
        /// Envelope `apiCode`, when the server sent one (1300-1306, 2004, ...).
        api_code: Option<u32>,
        /// Envelope `message`, in the configured language.
        message: String,
        /// Envelope `requestId` (what Authing support asks for).
        request_id: Option<String>,
        /// HTTP status of the response (200 for envelope failures).
        http_status: u16,
    },
    /// The server answered `statusCode` 200 with `data.success: false`: it accepted the
    /// request and did not do it. Never retried.
    #[error(
        "Authing did not do it: statusCode 200 with data.success false, requestId {}: {message}",
        .request_id.as_deref().unwrap_or("—")
    )]
    ApiRejected {
        /// Envelope `message` (at most 1 KiB, see [`crate::response::MAX_MESSAGE_BYTES`]).
        message: String,
        /// Envelope `requestId`.
        request_id: Option<String>,
    },
    /// A deadline expired.
    #[error("timed out ({phase} timeout)")]
    Timeout {
        /// Which deadline.
        phase: TimeoutPhase,
    },
    /// The request did not get a response: connection refused, TLS failure, reset.
    #[error("transport error: {message}")]
    Transport {
        /// A safe description of the cause.
        message: String,
    },
    /// The response was not the JSON envelope (e.g. a proxy's HTML error page).
    #[error("could not decode the response (HTTP {http_status}): {reason}; body starts with {snippet:?}")]
    Decode {
        /// HTTP status of the response.
        http_status: u16,
        /// Why decoding failed.
        reason: String,
        /// The first bytes of the body (at most 200 chars), for diagnosis.
        snippet: String,
    },
    /// The call or job was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The job's journal (`BulkOptions::journal`) or the record given to
    /// `BulkOptions::resume_from` could not be created, written or read.
    #[error("journal {path}: {reason}")]
    Journal {
        /// The file.
        path: String,
        /// What went wrong (an I/O error, or the line and rule a record broke).
        reason: String,
    },
    /// `BulkOptions::resume_from` records a job of another place or id type: its
    /// resigned users are not resigned here. `resume_force` overrides a place
    /// (`host`, `access_key_id`, `tenant_id`), never `user_id_type`.
    #[error("resume_from {path}: it records {field} {earlier}; this job has {field} {now}")]
    ResumeMismatch {
        /// The file.
        path: String,
        /// What differs: `host`, `access_key_id`, `tenant_id` or `user_id_type`.
        field: String,
        /// The value the file records (`(not recorded)` / `(none)` when absent).
        earlier: String,
        /// This job's value (`(none)` when absent).
        now: String,
    },
}

fn field_label(field: &str, index: &Option<usize>) -> String {
    match index {
        Some(i) => format!("`{field}[{i}]`"),
        None => format!("`{field}`"),
    }
}

fn opt_display<T: fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "—".to_string(), ToString::to_string)
}

impl Error {
    /// Stable machine-readable code: `invalid_argument`, `config`, `api_error`,
    /// `api_rejected`, `timeout`, `transport`, `decode`, `cancelled`, `journal`,
    /// `resume_mismatch`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidArgument { .. } => "invalid_argument",
            Self::Config { .. } => "config",
            Self::Api { .. } => "api_error",
            Self::ApiRejected { .. } => "api_rejected",
            Self::Timeout { .. } => "timeout",
            Self::Transport { .. } => "transport",
            Self::Decode { .. } => "decode",
            Self::Cancelled => "cancelled",
            Self::Journal { .. } => "journal",
            Self::ResumeMismatch { .. } => "resume_mismatch",
        }
    }

    /// Whether retrying the same request may succeed: statusCode/HTTP 429, 500, 502,
    /// 503, 504, attempt/connect timeouts and transport failures.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api {
                status_code,
                http_status,
                ..
            } => is_retryable_status(*status_code) || is_retryable_status(*http_status),
            Self::Decode { http_status, .. } => is_retryable_status(*http_status),
            Self::Timeout { phase } => {
                matches!(phase, TimeoutPhase::Connect | TimeoutPhase::Attempt)
            }
            Self::Transport { .. } => true,
            _ => false,
        }
    }

    /// Whether this is an authentication/authorization failure: statusCode 401/403 or
    /// apiCode 1300-1306.
    pub fn is_auth(&self) -> bool {
        match self {
            Self::Api {
                status_code,
                api_code,
                ..
            } => {
                matches!(status_code, 401 | 403)
                    || api_code.is_some_and(|c| (1300..=1306).contains(&c))
            }
            _ => false,
        }
    }

    /// Envelope statusCode (or HTTP status for [`Error::Decode`]), when there is one.
    pub fn status_code(&self) -> Option<u16> {
        match self {
            Self::Api { status_code, .. } => Some(*status_code),
            Self::ApiRejected { .. } => Some(200),
            Self::Decode { http_status, .. } => Some(*http_status),
            _ => None,
        }
    }

    /// Envelope apiCode, when there is one.
    pub fn api_code(&self) -> Option<u32> {
        match self {
            Self::Api { api_code, .. } => *api_code,
            _ => None,
        }
    }

    /// Envelope requestId, when there is one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. } | Self::ApiRejected { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    pub(crate) fn config(option: &str, reason: impl Into<String>) -> Self {
        Self::Config {
            option: option.to_string(),
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid(field: &str, index: Option<usize>, reason: impl Into<String>) -> Self {
        Self::InvalidArgument {
            field: field.to_string(),
            index,
            reason: reason.into(),
        }
    }
}

/// The statuses (HTTP or envelope) that are retried.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}
