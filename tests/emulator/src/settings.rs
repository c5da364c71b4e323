//! Emulator settings: credentials, user pool, token lifetime, policies and limits.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::limits::{MAX_RPS, MAX_SECS};
use crate::model::NewUser;
use crate::seeding::validate_users;

/// Everything that shapes the emulator's behaviour. `Default` gives the documented
/// defaults; the values passed to [`crate::Emulator::start`] are also what
/// [`crate::Emulator::reset`] returns to.
#[derive(Clone)]
pub struct Settings {
    /// Access key id clients must sign with or exchange for a token.
    pub access_key_id: String,
    /// Access key secret (redacted in `Debug`).
    pub access_key_secret: String,
    /// User pool id carried by management tokens as `scoped_userpool_id`.
    pub userpool_id: String,
    /// Lifetime of management tokens (`expires_in`).
    pub token_ttl: Duration,
    /// What a resignation naming an unknown user does.
    pub unknown_ids: UnknownIdPolicy,
    /// Largest accepted distance between a signed request's date and the server clock.
    pub clock_skew: Duration,
    /// Requests per second before statusCode 429; `None` = unlimited.
    pub rate_limit: Option<RateLimit>,
    /// Serve HTTPS with this certificate instead of plain HTTP (read at start only).
    pub tls: Option<TlsConfig>,
    /// Users seeded at start and on every reset.
    pub users: Vec<NewUser>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            access_key_id: "emulator-access-key-id".into(),
            access_key_secret: "emulator-access-key-secret".into(),
            userpool_id: "62a0000000000000000000ee".into(),
            token_ttl: Duration::from_secs(7200),
            unknown_ids: UnknownIdPolicy::Reject,
            clock_skew: Duration::from_secs(900),
            rate_limit: None,
            tls: None,
            users: Vec::new(),
        }
    }
}

/// New credentials for the emulator: each value given replaces the current one, `None`
/// keeps it. The flags of the binary and the control API's `PATCH /settings` both go
/// through it, so both refuse an empty value the same way.
#[derive(Clone, Default)]
pub struct Credentials {
    /// New access key id.
    pub access_key_id: Option<String>,
    /// New access key secret.
    pub access_key_secret: Option<String>,
    /// New user pool id.
    pub userpool_id: Option<String>,
}

impl Credentials {
    /// The change, or `None` when a value given is empty (refused: a client could never
    /// match it).
    pub fn given(
        access_key_id: Option<String>,
        access_key_secret: Option<String>,
        userpool_id: Option<String>,
    ) -> Option<Self> {
        let blank = [&access_key_id, &access_key_secret, &userpool_id]
            .into_iter()
            .any(|v| v.as_deref().is_some_and(str::is_empty));
        (!blank).then_some(Self {
            access_key_id,
            access_key_secret,
            userpool_id,
        })
    }

    /// Puts the values given into `settings`.
    pub fn apply(self, settings: &mut Settings) {
        let fields = [
            (self.access_key_id, &mut settings.access_key_id),
            (self.access_key_secret, &mut settings.access_key_secret),
            (self.userpool_id, &mut settings.userpool_id),
        ];
        for (new, field) in fields {
            if let Some(v) = new {
                *field = v;
            }
        }
    }
}

impl Settings {
    /// The bounds the control API and the flags enforce, and the seeding rules for
    /// `users`; [`crate::Emulator::start_on`] refuses settings that break them.
    pub(crate) fn check(&self) -> Result<(), String> {
        let max = Duration::from_secs(MAX_SECS);
        for (name, value) in [
            ("token_ttl", self.token_ttl),
            ("clock_skew", self.clock_skew),
        ] {
            if value > max {
                return Err(format!("{name} must be at most {MAX_SECS} seconds"));
            }
        }
        if let Some(limit) = self.rate_limit {
            if u64::from(limit.rps) > MAX_RPS {
                return Err(format!("rate_limit.rps must be at most {MAX_RPS}"));
            }
            if limit.retry_after.is_some_and(|s| s > MAX_SECS) {
                return Err(format!(
                    "rate_limit.retry_after must be at most {MAX_SECS} seconds"
                ));
            }
        }
        validate_users(&self.users)
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"***")
            .field("userpool_id", &self.userpool_id)
            .field("token_ttl", &self.token_ttl)
            .field("unknown_ids", &self.unknown_ids)
            .field("clock_skew", &self.clock_skew)
            .field("rate_limit", &self.rate_limit)
            .field("tls", &self.tls)
            .field("users", &self.users.len())
            .finish()
    }
}

/// How a resignation that names a user the store does not know is answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownIdPolicy {
    /// The whole batch fails atomically with statusCode 404 / apiCode 2004 (default).
    #[default]
    Reject,
    /// Unknown ids are skipped; the known ones are resigned and the call succeeds.
    Ignore,
}

/// A requests-per-second limit over all `/api/v3/*` requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per second (also the burst size); must be at least 1.
    pub rps: u32,
    /// When set, throttled answers carry an HTTP `Retry-After` of this many seconds.
    pub retry_after: Option<u64>,
}

/// A PEM certificate chain and private key to serve HTTPS with.
#[derive(Clone)]
pub struct TlsConfig {
    /// Certificate chain, PEM.
    pub cert_pem: String,
    /// Private key (PKCS#8, PKCS#1 or SEC1), PEM; redacted in `Debug`.
    pub key_pem: String,
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConfig")
            .field("cert_pem", &format_args!("{} bytes", self.cert_pem.len()))
            .field("key_pem", &"***")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let settings = Settings {
            tls: Some(TlsConfig {
                cert_pem: "CERT".into(),
                key_pem: "PRIVATE-KEY-MATERIAL".into(),
            }),
            ..Settings::default()
        };
        let text = format!("{settings:?}");
        assert!(!text.contains("emulator-access-key-secret"), "{text}");
        assert!(!text.contains("PRIVATE-KEY-MATERIAL"), "{text}");
        assert!(text.contains("emulator-access-key-id"));
    }
}
