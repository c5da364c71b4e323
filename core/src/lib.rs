//! `authing-resign`: Authing's batch user resignation (`POST /api/v3/resign-user-batch`)
//! done right — both authentication schemes, retries with backoff, timeouts, typed
//! errors, secrets that never leak, and [`ManagementClient::resign_users`] for any number
//! of users with a per-user report.
//!
//! The crate is async on tokio but never creates a runtime: the caller's runs it
//! ([`runtime::start_background`] builds one for bindings whose callers have none).

pub mod auth;
pub mod bulk;
mod client;
pub mod config;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod headers;
mod redact;
pub mod request;
pub mod response;
pub mod runtime;
mod transport;
pub mod verify;

pub use bulk::{
    BulkOptions, BulkProgress, BulkProgressEvent, BulkReport, BulkTotals, CompactReport, Outcome,
    OutcomeError, UserLine, UserOutcome,
};
pub use client::ManagementClient;
pub use config::{AuthScheme, ClientOptions, ClientOptionsBuilder, RetryPolicy, SecretString};
pub use error::{
    Argument, CoreNaming, Error, ErrorPayload, Field, FieldValue, Naming, OptionKey, Result,
    ResumeKey, TimeoutPhase,
};
pub use request::{PreparedBody, UserIdType, MAX_BATCH_SIZE, MAX_ID_LEN};
pub use response::{ResignUserData, ResignUserResponse};
pub use tokio_util::sync::CancellationToken;

/// The crate version, as sent in `x-authing-sdk-version` (`authing-resign-rust:<VERSION>`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
