//! What is sent: [`UserIdType`] and local validation of user ids.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Argument, Error, Result};

/// The server's limit of ids per `resign-user-batch` call.
pub const MAX_BATCH_SIZE: usize = 50;
/// Longest id accepted locally, in bytes.
pub const MAX_ID_LEN: usize = 256;

/// How the ids of a call are interpreted. Wire values in `snake_case`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserIdType {
    /// Authing user id, e.g. `6319a1504f3xxxxf214dd5b7` (the server default).
    #[default]
    UserId,
    /// The user's `externalId`.
    ExternalId,
    /// Phone number.
    Phone,
    /// Email address.
    Email,
    /// Username.
    Username,
    /// External identity, `<extIdpId>:<userIdInIdp>`.
    Identity,
    /// Sync relation, `<provider>:<userIdInProvider>`.
    SyncRelation,
    /// A custom field value.
    CustomField,
}

impl UserIdType {
    /// Every variant, in wire order.
    pub const ALL: [UserIdType; 8] = [
        Self::UserId,
        Self::ExternalId,
        Self::Phone,
        Self::Email,
        Self::Username,
        Self::Identity,
        Self::SyncRelation,
        Self::CustomField,
    ];

    /// The wire value, e.g. `user_id`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserId => "user_id",
            Self::ExternalId => "external_id",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Username => "username",
            Self::Identity => "identity",
            Self::SyncRelation => "sync_relation",
            Self::CustomField => "custom_field",
        }
    }
}

impl fmt::Display for UserIdType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UserIdType {
    type Err = Error;
    /// Parses a wire value; the error lists the allowed values.
    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                let allowed: Vec<&str> = Self::ALL.iter().map(|t| t.as_str()).collect();
                Error::invalid(
                    Argument::UserIdType,
                    None,
                    format!("{s:?} is not one of {}", allowed.join(", ")),
                )
            })
    }
}

/// Checks one id against the local rules: not empty or whitespace-only, no leading or
/// trailing whitespace, no control characters, no invisible formatting characters
/// (Unicode category Cf: soft hyphen, zero-width spaces and joiners, bidi controls,
/// byte order mark...) that would make it look like another id, at most [`MAX_ID_LEN`] bytes, and
/// `<a>:<b>` (both parts non-empty) for `identity` and `sync_relation`.
/// `field` and `index` name the id in the error.
pub fn validate_user_id(
    id: &str,
    id_type: UserIdType,
    field: Argument,
    index: Option<usize>,
) -> Result<()> {
    let fail = |reason: String| Err(Error::invalid(field, index, reason));
    if plain_ascii(id) {
        // Printable ASCII with no space at either end: none of the character rules
        // can fail (ASCII has no format characters), only the shape rules below.
        return check_shape(id, id_type, fail);
    }
    if id.trim().is_empty() {
        return fail("must not be empty or whitespace-only".into());
    }
    if id.trim() != id {
        return fail("must not have leading or trailing whitespace".into());
    }
    if id.chars().any(char::is_control) {
        return fail("must not contain control characters".into());
    }
    if let Some(c) = id.chars().find(|&c| format_chars::is_format(c)) {
        return fail(format!(
            "must not contain invisible formatting characters (U+{:04X})",
            u32::from(c)
        ));
    }
    check_shape(id, id_type, fail)
}

/// Whether `id` is non-empty printable ASCII (spaces only inside): the common case,
/// checked a byte at a time instead of through the Unicode rules.
fn plain_ascii(id: &str) -> bool {
    let b = id.as_bytes();
    // A fold without an early exit, so the compiler checks 16 or 32 bytes at a time
    // (ids are valid far more often than not: the whole id is read either way).
    matches!((b.first(), b.last()), (Some(&f), Some(&l)) if f != b' ' && l != b' ')
        && b.iter()
            .fold(true, |ok, &c| ok & (b' '..=b'~').contains(&c))
}

/// The rules after the character rules: length, and `<a>:<b>` for `identity` and
/// `sync_relation`.
fn check_shape(id: &str, id_type: UserIdType, fail: impl Fn(String) -> Result<()>) -> Result<()> {
    if id.len() > MAX_ID_LEN {
        return fail(format!(
            "is {} bytes long; the limit is {MAX_ID_LEN}",
            id.len()
        ));
    }
    if matches!(id_type, UserIdType::Identity | UserIdType::SyncRelation) {
        match id.split_once(':') {
            Some((a, b)) if !a.is_empty() && !b.is_empty() => {}
            _ => {
                let shape = if id_type == UserIdType::Identity {
                    "<extIdpId>:<userIdInIdp>"
                } else {
                    "<provider>:<userIdInProvider>"
                };
                return fail(format!(
                    "must have the form {shape} for userIdType {id_type}"
                ));
            }
        }
    }
    Ok(())
}

/// Checks a whole batch: 1..=[`MAX_BATCH_SIZE`] ids, each valid (see [`validate_user_id`]).
/// More than 50 ids is an error that points to `resign_users`.
pub fn validate_batch<S: AsRef<str>>(ids: &[S], id_type: UserIdType) -> Result<()> {
    if ids.is_empty() {
        return Err(Error::invalid(
            Argument::UserIds,
            None,
            "must contain at least one id",
        ));
    }
    if ids.len() > MAX_BATCH_SIZE {
        return Err(Error::invalid(
            Argument::UserIds,
            None,
            format!(
                "has {} ids; one call takes at most {MAX_BATCH_SIZE} (use resign_users for any number)",
                ids.len()
            ),
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        validate_user_id(id.as_ref(), id_type, Argument::UserIds, Some(i))?;
    }
    Ok(())
}

pub(crate) mod body;
mod format_chars;
pub use body::PreparedBody;
