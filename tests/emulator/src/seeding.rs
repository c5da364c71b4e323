//! Rules for seeded users (library, control API, `--users` file) and why a seed fails.

use std::fmt;

use crate::model::{NewUser, STATUSES};
use crate::store::{Conflict, UserStore};

/// Why a batch of users could not be seeded. Seeding is all-or-nothing: when this is
/// returned, no user of the batch was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeedError {
    /// A user breaks a rule other than uniqueness (unknown `status`, blank `userId`);
    /// the message names the item and the rule.
    Invalid(String),
    /// `users[index].<field>` is already another user's: a stored user with a different
    /// `userId` (`owner`), or an earlier user of the same batch (`owner: None`).
    Conflict {
        /// Position of the offending user in the batch.
        index: usize,
        /// `username`, `email`, `phone`, `externalId` or `identity`.
        field: &'static str,
        /// The taken value (`<extIdpId>:<userIdInIdp>` for an identity).
        value: String,
        /// The `userId` of the stored user that has it.
        owner: Option<String>,
    },
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeedError::Invalid(message) => f.write_str(message),
            SeedError::Conflict {
                index,
                field,
                value,
                owner,
            } => {
                write!(f, "users[{index}].{field} {value:?} ")?;
                match owner {
                    Some(owner) => write!(f, "already belongs to user {owner}")?,
                    None => f.write_str("is also given to an earlier user of the same batch")?,
                }
                f.write_str("; nothing was seeded")
            }
        }
    }
}

impl std::error::Error for SeedError {}

impl From<Conflict> for SeedError {
    fn from(c: Conflict) -> SeedError {
        SeedError::Conflict {
            index: c.index,
            field: c.field,
            value: c.value,
            owner: c.owner,
        }
    }
}

/// The per-user rules: known statuses and non-empty `userId`s.
pub(crate) fn check_fields(users: &[NewUser]) -> Result<(), SeedError> {
    for (i, user) in users.iter().enumerate() {
        if let Some(status) = &user.status {
            if !STATUSES.contains(&status.as_str()) {
                return Err(SeedError::Invalid(format!(
                    "users[{i}].status must be one of {}",
                    STATUSES.join(", ")
                )));
            }
        }
        if user
            .user_id
            .as_deref()
            .is_some_and(|id| id.trim().is_empty())
        {
            return Err(SeedError::Invalid(format!(
                "users[{i}].userId must not be empty"
            )));
        }
    }
    Ok(())
}

/// Checks users for the control API or the binary's `--users` file: known statuses,
/// non-empty `userId`s, and no username, email, phone, externalId or identity given to
/// two different users of the list. The error names the offending item.
pub fn validate_users(users: &[NewUser]) -> Result<(), String> {
    check_fields(users).map_err(|e| e.to_string())?;
    match UserStore::default().conflict(users) {
        Some(c) => Err(SeedError::from(c).to_string()),
        None => Ok(()),
    }
}
