//! The user model, with the field names of Authing's `UserDto`.

use serde::{Deserialize, Serialize};

/// A user's identity at an external identity provider (`identity` ids are
/// `<extIdpId>:<userIdInIdp>`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    /// Authing's id of the external identity provider.
    pub ext_idp_id: String,
    /// The user's id at that provider.
    pub user_id_in_idp: String,
}

/// A user to create or seed. Absent fields stay unset; `userId` is generated when absent
/// and `status` defaults to `Activated`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    /// Fixed user id (24 hex characters are generated when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The user's id in an external system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// External identities (resolvable with `userIdType: identity`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identities: Vec<Identity>,
    /// Initial status: `Activated` (default), `Suspended`, `Deactivated`, `Resigned`, `Archived`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl NewUser {
    /// A user known by this email address only.
    pub fn with_email(email: impl Into<String>) -> NewUser {
        NewUser {
            email: Some(email.into()),
            ..NewUser::default()
        }
    }

    /// A user with this fixed user id and nothing else.
    pub fn with_user_id(user_id: impl Into<String>) -> NewUser {
        NewUser {
            user_id: Some(user_id.into()),
            ..NewUser::default()
        }
    }
}

/// A stored user, serialized exactly as Authing's `UserDto` (camelCase).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Authing user id.
    pub user_id: String,
    /// Username.
    pub username: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// The user's id in an external system.
    pub external_id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// `Activated`, `Suspended`, `Deactivated`, `Resigned` or `Archived`.
    pub status: String,
    /// `Active`, or `Closed` once resigned.
    pub work_status: String,
    /// When `status` last changed (ISO 8601), if it ever did.
    pub status_changed_at: Option<String>,
    /// Creation time (ISO 8601).
    pub created_at: String,
    /// Last update (ISO 8601).
    pub updated_at: String,
    /// External identities.
    pub identities: Vec<Identity>,
}

/// The statuses Authing's `UserDto.status` can take.
pub(crate) const STATUSES: [&str; 5] = [
    "Activated",
    "Suspended",
    "Deactivated",
    "Resigned",
    "Archived",
];

/// The status a resigned user gets.
pub(crate) const RESIGNED: &str = "Resigned";
