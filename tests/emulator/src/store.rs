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

/// A unique field a new user would take from another user.
pub(crate) struct Conflict {
    /// Position of the new user in its batch.
    pub index: usize,
    /// Wire name: `username`, `email`, `phone`, `externalId` or `identity`.
    pub field: &'static str,
    pub value: String,
    /// The stored user that has it, or `None` when an earlier user of the same batch
    /// claims it.
    pub owner: Option<String>,
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

/// The unique keys a new user would take, with their wire field names.
fn new_keys(new: &NewUser) -> Vec<(&'static str, (IdType, String))> {
    let fields = [
        ("username", IdType::Username, &new.username),
        ("email", IdType::Email, &new.email),
        ("phone", IdType::Phone, &new.phone),
        ("externalId", IdType::ExternalId, &new.external_id),
    ];
    let mut keys: Vec<_> = fields
        .into_iter()
        .filter_map(|(field, kind, value)| value.as_ref().map(|v| (field, (kind, v.clone()))))
        .collect();
    for identity in &new.identities {
        let value = format!("{}:{}", identity.ext_idp_id, identity.user_id_in_idp);
        keys.push(("identity", (IdType::Identity, value)));
    }
    keys
}

fn new_user_id() -> String {
    let bytes: [u8; 12] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl UserStore {
    /// The first unique field (username, email, phone, externalId, identity) of `users`
    /// that belongs to someone else: a stored user other than the one it replaces (same
    /// `userId`), or an earlier user of the same batch. The store is taken as it is before
    /// the batch, so a batch cannot hand a key from one user to another.
    pub(crate) fn conflict(&self, users: &[NewUser]) -> Option<Conflict> {
        // key -> (position, userId) of the first batch user claiming it
        let mut claimed: HashMap<(IdType, String), (usize, Option<&str>)> = HashMap::new();
        for (index, user) in users.iter().enumerate() {
            let me = user.user_id.as_deref();
            for (field, key) in new_keys(user) {
                let stored = self.index.get(&key).map(String::as_str);
                let by_other = match claimed.get(&key) {
                    // A generated id is never the same user as another entry.
                    Some(&(at, id)) => at != index && (id.is_none() || id != me),
                    None => false,
                };
                let owner = match stored {
                    Some(owner) if Some(owner) != me => Some(owner.to_owned()),
                    _ if by_other => None,
                    _ => {
                        claimed.entry(key).or_insert((index, me));
                        continue;
                    }
                };
                return Some(Conflict {
                    index,
                    field,
                    value: key.1,
                    owner,
                });
            }
        }
        None
    }

    /// Inserts `new`, replacing any user with the same `userId` (seeding is an upsert).
    /// Callers check [`UserStore::conflict`] first; the keys of a replaced user are only
    /// dropped where they still point at that user, never where another user owns them.
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
                if self.index.get(&key) == Some(&user_id) {
                    self.index.remove(&key);
                }
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
        assert!(store.conflict(&[alice()]).is_some());

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

    fn named(user_id: Option<&str>, username: &str) -> NewUser {
        NewUser {
            user_id: user_id.map(Into::into),
            username: Some(username.into()),
            ..NewUser::default()
        }
    }

    #[test]
    fn conflicts_name_the_field_and_the_owner() {
        let mut store = UserStore::default();
        let id = store.insert(alice(), "t0").user_id;
        let mut idp_twin = NewUser {
            email: Some("other@example.com".into()),
            ..alice()
        };
        idp_twin.username = None;
        let c = store.conflict(&[named(None, "bob"), idp_twin]).unwrap();
        assert_eq!(
            (c.index, c.field, c.value.as_str()),
            (1, "identity", "idp:ou_1")
        );
        assert_eq!(c.owner.as_deref(), Some(id.as_str()));

        // Within one batch: two new users, or two different fixed ids, on one key.
        let c = store
            .conflict(&[named(None, "bob"), named(None, "bob")])
            .unwrap();
        assert_eq!((c.index, c.field, c.owner), (1, "username", None));
        assert!(store
            .conflict(&[named(Some("x"), "bob"), named(Some("y"), "bob")])
            .is_some());

        // Re-seeding a user under its own id keeps its keys: no conflict.
        let again = NewUser {
            user_id: Some(id.clone()),
            ..alice()
        };
        assert!(store.conflict(std::slice::from_ref(&again)).is_none());
        assert!(store.conflict(&[again.clone(), again]).is_none());
        assert!(store
            .conflict(&[named(Some("fresh"), "fresh"), named(Some("fresh"), "fresh")])
            .is_none());
    }

    #[test]
    fn an_upsert_never_drops_another_users_keys() {
        let mut store = UserStore::default();
        let first = store.insert(named(Some("u1"), "alice"), "t0").user_id;
        // Forced past the conflict check, as no public path allows: "alice" now names u2.
        store.insert(named(Some("u2"), "alice"), "t1");
        assert_eq!(store.resolve("alice", IdType::Username), Some("u2"));
        // Replacing u1 must not remove the key that belongs to u2.
        store.insert(named(Some(&first), "alice-renamed"), "t2");
        assert_eq!(store.resolve("alice", IdType::Username), Some("u2"));
        assert_eq!(store.resolve("alice-renamed", IdType::Username), Some("u1"));
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
