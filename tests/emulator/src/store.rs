//! The in-memory user store with one index per id type, so every lookup is O(1).

use std::collections::HashMap;

use crate::model::{NewUser, User, RESIGNED};

/// The `userIdType` wire values the SDKs send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum IdType {
    UserId,
    ExternalId,
    Phone,
    Email,
    Username,
    Identity,
    // Accepted on the wire but never resolvable here: the emulator models no sync sources
    // and no custom fields, so these ids are always unknown.
    SyncRelation,
    CustomField,
}

impl IdType {
    pub(crate) fn parse(wire: &str) -> Option<IdType> {
        Some(match wire {
            "user_id" => IdType::UserId,
            "external_id" => IdType::ExternalId,
            "phone" => IdType::Phone,
            "email" => IdType::Email,
            "username" => IdType::Username,
            "identity" => IdType::Identity,
            "sync_relation" => IdType::SyncRelation,
            "custom_field" => IdType::CustomField,
            _ => return None,
        })
    }
}

/// A field a new user conflicts on.
pub(crate) struct Conflict {
    pub field: &'static str,
    pub value: String,
}

#[derive(Default)]
pub(crate) struct UserStore {
    users: HashMap<String, User>,
    // Insertion order, for list-users pagination and stable listings.
    order: Vec<String>,
    index: HashMap<(IdType, String), String>,
}

fn index_keys(user: &User) -> Vec<(IdType, String)> {
    let mut keys = Vec::new();
    let fields = [
        (IdType::Username, &user.username),
        (IdType::Email, &user.email),
        (IdType::Phone, &user.phone),
        (IdType::ExternalId, &user.external_id),
    ];
    for (kind, value) in fields {
        if let Some(v) = value {
            keys.push((kind, v.clone()));
        }
    }
    for identity in &user.identities {
        keys.push((
            IdType::Identity,
            format!("{}:{}", identity.ext_idp_id, identity.user_id_in_idp),
        ));
    }
    keys
}

fn new_user_id() -> String {
    let bytes: [u8; 12] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl UserStore {
    /// The first field of `new` already taken by another user, if any.
    pub(crate) fn conflict(&self, new: &NewUser) -> Option<Conflict> {
        let fields = [
            ("username", IdType::Username, &new.username),
            ("email", IdType::Email, &new.email),
            ("phone", IdType::Phone, &new.phone),
            ("externalId", IdType::ExternalId, &new.external_id),
        ];
        for (field, kind, value) in fields {
            if let Some(v) = value {
                if self.index.contains_key(&(kind, v.clone())) {
                    return Some(Conflict {
                        field,
                        value: v.clone(),
                    });
                }
            }
        }
        None
    }

    /// Inserts `new`, replacing any user with the same `userId` (seeding is an upsert).
    pub(crate) fn insert(&mut self, new: NewUser, now: &str) -> User {
        let user_id = match new.user_id {
            Some(id) => id,
            None => loop {
                let id = new_user_id();
                if !self.users.contains_key(&id) {
                    break id;
                }
            },
        };
        if let Some(old) = self.users.remove(&user_id) {
            for key in index_keys(&old) {
                self.index.remove(&key);
            }
            self.order.retain(|id| id != &user_id);
        }
        let status = new.status.unwrap_or_else(|| "Activated".into());
        let work_status = if status == RESIGNED {
            "Closed"
        } else {
            "Active"
        };
        let user = User {
            user_id: user_id.clone(),
            username: new.username,
            email: new.email,
            phone: new.phone,
            external_id: new.external_id,
            name: new.name,
            work_status: work_status.into(),
            status,
            status_changed_at: None,
            created_at: now.into(),
            updated_at: now.into(),
            identities: new.identities,
        };
        for key in index_keys(&user) {
            self.index.insert(key, user_id.clone());
        }
        self.order.push(user_id.clone());
        self.users.insert(user_id, user.clone());
        user
    }

    /// The user id that `id` names under `id_type`, if any.
    pub(crate) fn resolve(&self, id: &str, id_type: IdType) -> Option<&str> {
        match id_type {
            IdType::UserId => self.users.get(id).map(|u| u.user_id.as_str()),
            IdType::SyncRelation | IdType::CustomField => None,
            _ => self
                .index
                .get(&(id_type, id.to_owned()))
                .map(String::as_str),
        }
    }

    pub(crate) fn get(&self, user_id: &str) -> Option<&User> {
        self.users.get(user_id)
    }

    /// Marks a user resigned; re-resigning keeps the original `statusChangedAt`.
    pub(crate) fn resign(&mut self, user_id: &str, now: &str) {
        if let Some(user) = self.users.get_mut(user_id) {
            if user.status != RESIGNED || user.work_status != "Closed" {
                user.status = RESIGNED.into();
                user.work_status = "Closed".into();
                user.status_changed_at = Some(now.into());
            }
            user.updated_at = now.into();
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }

    /// Users in insertion order, `skip` then at most `take`.
    pub(crate) fn slice(&self, skip: usize, take: usize) -> Vec<User> {
        self.order
            .iter()
            .skip(skip)
            .take(take)
            .filter_map(|id| self.users.get(id).cloned())
            .collect()
    }

    pub(crate) fn all(&self) -> Vec<User> {
        self.slice(0, usize::MAX)
    }

    pub(crate) fn clear(&mut self) {
        *self = UserStore::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Identity;

    fn alice() -> NewUser {
        NewUser {
            username: Some("alice".into()),
            email: Some("alice@example.com".into()),
            identities: vec![Identity {
                ext_idp_id: "idp".into(),
                user_id_in_idp: "ou_1".into(),
            }],
            ..NewUser::default()
        }
    }

    #[test]
    fn resolves_every_indexed_type_and_upserts() {
        let mut store = UserStore::default();
        let user = store.insert(alice(), "t0");
        assert_eq!(user.user_id.len(), 24);
        assert_eq!(
            store.resolve("alice", IdType::Username),
            Some(user.user_id.as_str())
        );
        assert_eq!(
            store.resolve("idp:ou_1", IdType::Identity),
            Some(user.user_id.as_str())
        );
        assert_eq!(store.resolve("alice", IdType::Email), None);
        assert_eq!(store.resolve("lark:x", IdType::SyncRelation), None);
        assert!(store.conflict(&alice()).is_some());

        let replaced = store.insert(
            NewUser {
                user_id: Some(user.user_id.clone()),
                username: Some("alice2".into()),
                ..NewUser::default()
            },
            "t1",
        );
        assert_eq!(store.len(), 1);
        assert_eq!(store.resolve("alice", IdType::Username), None);
        assert_eq!(
            store.resolve("alice2", IdType::Username),
            Some(replaced.user_id.as_str())
        );
    }

    #[test]
    fn resign_is_idempotent() {
        let mut store = UserStore::default();
        let id = store.insert(alice(), "t0").user_id;
        store.resign(&id, "t1");
        store.resign(&id, "t2");
        let user = store.get(&id).unwrap();
        assert_eq!(user.status, "Resigned");
        assert_eq!(user.work_status, "Closed");
        assert_eq!(user.status_changed_at.as_deref(), Some("t1"));
        assert_eq!(user.updated_at, "t2");
    }
}
