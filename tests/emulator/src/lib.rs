//! `authing-emulator`: a strict, fast, in-memory stand-in for the parts of Authing's
//! Management API that batch user resignation needs.
//!
//! It is a real HTTP server on loopback. Rust tests start it in-process with
//! [`Emulator::start`]; tests in other languages start the `authing-emulator` binary and
//! read its address from the first line of stdout. Both speak the real envelope, verify
//! HMAC-SHA1 request signatures and management tokens strictly, and expose a control API
//! under `/__emulator/` for settings, users, faults and a journal of requests.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use authing_emulator::{Emulator, NewUser, Settings};
//! let emulator = Emulator::start(Settings::default()).await?;
//! let users = emulator.seed_users(vec![NewUser {
//!     username: Some("alice".into()),
//!     ..NewUser::default()
//! }]);
//! println!("{} has {}", emulator.url(), users[0].user_id);
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod api;
mod auth;
mod body;
mod control;
mod envelope;
mod fault_bodies;
mod faults;
mod journal;
pub mod limits;
mod locks;
mod messages;
mod model;
mod nonces;
mod ordered_json;
mod params;
mod ratelimit;
mod routes;
mod seeding;
mod server;
mod settings;
pub mod signature;
mod state;
mod store;
mod time;
mod tls;
mod token;

pub use faults::{Fault, FaultKind};
pub use journal::{AuthKind, JournalEntry};
pub use model::{Identity, NewUser, User};
pub use seeding::{validate_users, SeedError};
pub use server::{Emulator, Stats};
pub use settings::{Credentials, RateLimit, Settings, TlsConfig, UnknownIdPolicy};

/// Most ids `resign-user-batch`, `get-user-batch` and `create-users-batch` accept in one call.
pub const MAX_BATCH: usize = 50;

/// Largest request body accepted (1 MiB); larger bodies get statusCode 400.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
