//! The one error taxonomy of the SDK. Every binding raises what [`Error::payload`]
//! gives (code, classification, message, fields), named by its own [`Naming`].

mod names;
mod payload;

use std::fmt;

pub use names::{Argument, OptionKey, ResumeKey};
pub use payload::{CoreNaming, ErrorPayload, Field, FieldValue, Naming};

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
///
/// [`Error::payload`] gives all of it as data (code, classification, message, fields)
/// for the bindings; `Display` is that message with the core's names.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Bad input, caught locally before any network call.
    InvalidArgument {
        /// The argument (its core name is the wire name, e.g. `userIds`).
        field: Argument,
        /// Index in the list, when the argument is a list.
        index: Option<usize>,
        /// The rule that was broken.
        reason: String,
    },
    /// A client option is wrong.
    Config {
        /// The option.
        option: OptionKey,
        /// What is wrong with it.
        reason: String,
    },
    /// Authing (or the emulator) answered with a failure envelope.
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
    ApiRejected {
        /// Envelope `message` (at most 1 KiB, see [`crate::response::MAX_MESSAGE_BYTES`]).
        message: String,
        /// Envelope `requestId`.
        request_id: Option<String>,
    },
    /// A deadline expired.
    Timeout {
        /// Which deadline.
        phase: TimeoutPhase,
    },
    /// The request did not get a response: connection refused, TLS failure, reset.
    Transport {
        /// A safe description of the cause.
        message: String,
    },
    /// The response was not the JSON envelope (e.g. a proxy's HTML error page).
    Decode {
        /// HTTP status of the response.
        http_status: u16,
        /// Why decoding failed.
        reason: String,
        /// The first bytes of the body (at most 200 chars), for diagnosis.
        snippet: String,
    },
    /// The call or job was cancelled.
    Cancelled,
    /// The job's journal (`BulkOptions::journal`) or the record given to
    /// `BulkOptions::resume_from` could not be created, written or read.
    Journal {
        /// The file.
        path: String,
        /// What went wrong (an I/O error, or the line and rule a record broke).
        reason: String,
    },
    /// `BulkOptions::resume_from` records a job of another place or id type: its
    /// resigned users are not resigned here. `resume_force` overrides a place
    /// (`host`, `access_key_id`, `tenant_id`), never `user_id_type`.
    ResumeMismatch {
        /// The file.
        path: String,
        /// What differs (core names `host`, `access_key_id`, `tenant_id`,
        /// `user_id_type`; a binding names it by [`Naming::resume_key`]).
        field: ResumeKey,
        /// The value the file records (`(not recorded)` / `(none)` when absent).
        earlier: String,
        /// This job's value (`(none)` when absent).
        now: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(&CoreNaming))
    }
}

impl std::error::Error for Error {}

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

    /// The message, naming options and arguments as `naming` does (`Display` uses the
    /// core's names).
    pub fn message(&self, naming: &dyn Naming) -> String {
        match self {
            Self::InvalidArgument {
                field,
                index,
                reason,
            } => {
                let field = naming.argument(*field);
                match index {
                    Some(i) => format!("invalid argument `{field}[{i}]`: {reason}"),
                    None => format!("invalid argument `{field}`: {reason}"),
                }
            }
            Self::Config { option, reason } => {
                format!("invalid client option `{}`: {reason}", naming.option(*option))
            }
            Self::Api {
                status_code,
                api_code,
                message,
                request_id,
                ..
            } => format!(
                "Authing rejected the request: statusCode {status_code}, apiCode {}, requestId {}: {message}",
                opt_display(api_code),
                request_id.as_deref().unwrap_or("—")
            ),
            Self::ApiRejected {
                message,
                request_id,
            } => format!(
                "Authing did not do it: statusCode 200 with data.success false, requestId {}: {message}",
                request_id.as_deref().unwrap_or("—")
            ),
            Self::Timeout { phase } => format!("timed out ({phase} timeout)"),
            Self::Transport { message } => format!("transport error: {message}"),
            Self::Decode {
                http_status,
                reason,
                snippet,
            } => format!(
                "could not decode the response (HTTP {http_status}): {reason}; body starts with {snippet:?}"
            ),
            Self::Cancelled => "cancelled".to_string(),
            Self::Journal { path, reason } => format!("journal {path}: {reason}"),
            Self::ResumeMismatch {
                path,
                field,
                earlier,
                now,
            } => {
                let field = naming.resume_key(*field);
                format!("resume_from {path}: it records {field} {earlier}; this job has {field} {now}")
            }
        }
    }

    /// The variant's fields in declaration order, with core types; the one list of
    /// them that every binding's error construction reads (through [`Error::payload`]).
    fn fields(&self, naming: &dyn Naming) -> Vec<(Field, FieldValue)> {
        use FieldValue::{Number, Text};
        let n = |v: u16| Number(u64::from(v));
        match self {
            Self::InvalidArgument {
                field,
                index,
                reason,
            } => vec![
                (Field::Field, Text(naming.argument(*field).into_owned())),
                (Field::Index, index.map(|i| i as u64).into()),
                (Field::Reason, Text(reason.clone())),
            ],
            Self::Config { option, reason } => vec![
                (Field::Option, Text(naming.option(*option).into_owned())),
                (Field::Reason, Text(reason.clone())),
            ],
            Self::Api {
                status_code,
                api_code,
                message,
                request_id,
                http_status,
            } => vec![
                (Field::StatusCode, n(*status_code)),
                (Field::ApiCode, api_code.map(u64::from).into()),
                (Field::Message, Text(message.clone())),
                (Field::RequestId, request_id.clone().into()),
                (Field::HttpStatus, n(*http_status)),
            ],
            Self::ApiRejected {
                message,
                request_id,
            } => vec![
                (Field::Message, Text(message.clone())),
                (Field::RequestId, request_id.clone().into()),
            ],
            Self::Timeout { phase } => vec![(Field::Phase, Text(phase.as_str().into()))],
            Self::Transport { message } => vec![(Field::Detail, Text(message.clone()))],
            Self::Decode {
                http_status,
                reason,
                snippet,
            } => vec![
                (Field::HttpStatus, n(*http_status)),
                (Field::Reason, Text(reason.clone())),
                (Field::Snippet, Text(snippet.clone())),
            ],
            Self::Cancelled => Vec::new(),
            Self::Journal { path, reason } => vec![
                (Field::Path, Text(path.clone())),
                (Field::Reason, Text(reason.clone())),
            ],
            Self::ResumeMismatch {
                path,
                field,
                earlier,
                now,
            } => vec![
                (Field::Path, Text(path.clone())),
                (Field::Field, Text(naming.resume_key(*field).into_owned())),
                (Field::Earlier, Text(earlier.clone())),
                (Field::Now, Text(now.clone())),
            ],
        }
    }

    /// The error as data for a binding: code, classification, message and fields,
    /// every name spelled by `naming`.
    pub fn payload(&self, naming: &dyn Naming) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            retryable: self.is_retryable(),
            auth: self.is_auth(),
            message: self.message(naming),
            fields: self
                .fields(naming)
                .into_iter()
                .map(|(f, v)| (naming.field(f).into_owned(), v))
                .collect(),
        }
    }

    /// One error of each variant, for tests that hold a binding's hand-written
    /// declarations (`.pyi`, `.d.ts`, exception classes) to the core's fields.
    pub fn examples() -> Vec<Error> {
        let all = vec![
            Self::invalid(Argument::UserIds, Some(0), "example"),
            Self::config(OptionKey::Host, "example"),
            Self::Api {
                status_code: 400,
                api_code: Some(2004),
                message: "example".into(),
                request_id: Some("example".into()),
                http_status: 200,
            },
            Self::ApiRejected {
                message: "example".into(),
                request_id: Some("example".into()),
            },
            Self::Timeout {
                phase: TimeoutPhase::Total,
            },
            Self::Transport {
                message: "example".into(),
            },
            Self::Decode {
                http_status: 502,
                reason: "example".into(),
                snippet: "example".into(),
            },
            Self::Cancelled,
            Self::Journal {
                path: "example".into(),
                reason: "example".into(),
            },
            Self::ResumeMismatch {
                path: "example".into(),
                field: ResumeKey::Host,
                earlier: "example".into(),
                now: "example".into(),
            },
        ];
        // No wildcard: a new variant does not compile until it has an example above.
        for e in &all {
            match e {
                Self::InvalidArgument { .. }
                | Self::Config { .. }
                | Self::Api { .. }
                | Self::ApiRejected { .. }
                | Self::Timeout { .. }
                | Self::Transport { .. }
                | Self::Decode { .. }
                | Self::Cancelled
                | Self::Journal { .. }
                | Self::ResumeMismatch { .. } => {}
            }
        }
        all
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

    /// A [`Error::Config`] naming `option`.
    pub fn config(option: OptionKey, reason: impl Into<String>) -> Self {
        Self::Config {
            option,
            reason: reason.into(),
        }
    }

    /// An [`Error::InvalidArgument`] naming `field` (and `index` in a list).
    pub fn invalid(field: Argument, index: Option<usize>, reason: impl Into<String>) -> Self {
        Self::InvalidArgument {
            field,
            index,
            reason: reason.into(),
        }
    }
}

/// The statuses (HTTP or envelope) that are retried.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// The text a caught panic carried (a `panic!` message, literal or formatted), or
/// `"unknown panic"`: what each binding puts in the error a panic of the Rust side
/// becomes (the core never panics on purpose).
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_says_what_it_carried() {
        let text = |f: fn()| {
            let payload = std::panic::catch_unwind(f).unwrap_err();
            super::panic_text(payload.as_ref()).to_owned()
        };
        assert_eq!(text(|| panic!("a literal")), "a literal");
        assert_eq!(text(|| panic!("formatted {}", 7)), "formatted 7");
        assert_eq!(text(|| std::panic::panic_any(7_u8)), "unknown panic");
    }
}
