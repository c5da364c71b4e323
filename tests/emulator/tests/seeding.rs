//! Seeding never lets two users share a username, email, phone, externalId or identity:
//! library, control API, `--users` file and create-users-batch.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use authing_emulator::{Emulator, Identity, NewUser, SeedError, Settings};
use common::Client;
use reqwest::Method;
use serde_json::json;

const OWNER: &str = "62a000000000000000000001";

fn owner() -> NewUser {
    NewUser {
        user_id: Some(OWNER.into()),
        username: Some("alice".into()),
        email: Some("alice@example.com".into()),
        phone: Some("+8613800000000".into()),
        external_id: Some("ext-1".into()),
        identities: vec![Identity {
            ext_idp_id: "idp".into(),
            user_id_in_idp: "ou_1".into(),
        }],
        ..NewUser::default()
    }
}

/// The user id `emulator` finds for `id` of `id_type` (panics when none).
fn owner_of(emulator: &Emulator, id: &str, id_type: &str) -> String {
    let user = emulator.find_user(id, id_type);
    user.unwrap_or_else(|| panic!("no user for {id_type} {id}"))
        .user_id
}

async fn start() -> (Emulator, Client) {
    let settings = Settings {
        users: vec![owner()],
        ..Settings::default()
    };
    let emulator = Emulator::start(settings).await.unwrap();
    let client = Client::for_emulator(&emulator);
    (emulator, client)
}

/// One user per unique field of `owner()`, each taking only that field.
fn thieves() -> Vec<(&'static str, NewUser)> {
    let thief = |take: fn(&mut NewUser)| {
        let mut user = NewUser {
            name: Some("thief".into()),
            ..NewUser::default()
        };
        take(&mut user);
        user
    };
    vec![
        ("username", thief(|u| u.username = Some("alice".into()))),
        (
            "email",
            thief(|u| u.email = Some("alice@example.com".into())),
        ),
        ("phone", thief(|u| u.phone = Some("+8613800000000".into()))),
        (
            "externalId",
            thief(|u| u.external_id = Some("ext-1".into())),
        ),
        ("identity", thief(|u| u.identities = owner().identities)),
    ]
}

#[tokio::test]
async fn library_refuses_a_taken_field_and_stores_nothing() {
    let (emulator, _client) = start().await;
    for (field, thief) in thieves() {
        let fresh = NewUser {
            username: Some(format!("fresh-{field}")),
            ..NewUser::default()
        };
        let err = emulator
            .try_seed_users(vec![fresh, thief.clone()])
            .unwrap_err();
        match &err {
            SeedError::Conflict {
                index,
                field: f,
                owner,
                ..
            } => {
                assert_eq!((*index, *f, owner.as_deref()), (1, field, Some(OWNER)));
            }
            other => panic!("{field}: {other:?}"),
        }
        assert!(err.to_string().contains("already belongs to user"), "{err}");
        assert_eq!(emulator.users().len(), 1, "{field}: all or nothing");

        let panicked = catch_unwind(AssertUnwindSafe(|| emulator.seed_users(vec![thief])));
        let message = *panicked.unwrap_err().downcast::<String>().unwrap();
        assert!(message.contains(&format!("users[0].{field}")), "{message}");
    }
    // The index still points every field at the owner.
    for (id, id_type) in [
        ("alice", "username"),
        ("alice@example.com", "email"),
        ("+8613800000000", "phone"),
        ("ext-1", "external_id"),
        ("idp:ou_1", "identity"),
    ] {
        assert_eq!(owner_of(&emulator, id, id_type), OWNER, "{id_type}");
    }

    // Two users of one batch on one value.
    let err = emulator
        .try_seed_users(vec![common::user("bob"), common::user("bob")])
        .unwrap_err();
    assert!(
        err.to_string().contains("earlier user of the same batch"),
        "{err}"
    );
    assert!(emulator.find_user("bob", "username").is_none());

    // Re-seeding a user under its own id is an upsert, not a conflict.
    let replaced = emulator
        .try_seed_users(vec![NewUser {
            name: Some("Alice".into()),
            ..owner()
        }])
        .unwrap();
    assert_eq!(replaced[0].name.as_deref(), Some("Alice"));
    assert_eq!(owner_of(&emulator, "idp:ou_1", "identity"), OWNER);
}

#[tokio::test]
async fn an_upsert_keeps_other_users_ids_resolvable() {
    let (emulator, _client) = start().await;
    let bob = emulator.seed_users(vec![common::user("bob")]).remove(0);
    // Bob's seeding with alice's email is refused, so replacing alice later cannot
    // take bob's keys with it, and bob cannot take alice's.
    let steal = NewUser {
        user_id: Some(bob.user_id.clone()),
        email: Some("alice@example.com".into()),
        ..NewUser::default()
    };
    assert!(emulator.try_seed_users(vec![steal]).is_err());
    emulator.seed_users(vec![NewUser {
        user_id: Some(OWNER.into()),
        username: Some("alice2".into()),
        ..NewUser::default()
    }]);
    assert_eq!(owner_of(&emulator, "bob@example.com", "email"), bob.user_id);
    assert!(emulator.find_user("alice@example.com", "email").is_none());
    assert_eq!(owner_of(&emulator, "alice2", "username"), OWNER);
}

#[tokio::test]
async fn control_api_answers_409_and_stores_nothing() {
    let (_emulator, client) = start().await;
    for (field, thief) in thieves() {
        let body = json!([{"username": "fresh"}, thief]);
        let (status, answer) = client.control(Method::POST, "users", Some(body)).await;
        assert_eq!(status, 409, "{field}: {answer}");
        let message = answer["error"].as_str().unwrap();
        assert!(message.contains(&format!("users[1].{field}")), "{message}");
        assert!(message.contains(OWNER), "{message}");
        let (_, all) = client.control(Method::GET, "users", None).await;
        assert_eq!(all.as_array().unwrap().len(), 1, "{field}: nothing stored");
    }
    let (status, answer) = client
        .control(
            Method::POST,
            "users",
            Some(json!([{"email": "x@example.com"}, {"email": "x@example.com"}])),
        )
        .await;
    assert_eq!(status, 409, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("users[1].email"));
}

#[tokio::test]
async fn create_users_batch_refuses_a_taken_identity() {
    let (_emulator, client) = start().await;
    let taken = json!({"list": [{"username": "carol", "identities": [{"extIdpId": "idp", "userIdInIdp": "ou_1"}]}]});
    let resp = client.post("/api/v3/create-users-batch", &taken).await;
    assert_eq!(resp.status_code(), 409, "{}", resp.text);
    assert!(
        resp.message().contains("identity idp:ou_1"),
        "{}",
        resp.message()
    );
    let twice = json!({"list": [
        {"username": "d1", "identities": [{"extIdpId": "idp", "userIdInIdp": "ou_2"}]},
        {"username": "d2", "identities": [{"extIdpId": "idp", "userIdInIdp": "ou_2"}]}
    ]});
    let resp = client.post("/api/v3/create-users-batch", &twice).await;
    assert_eq!(resp.status_code(), 409, "{}", resp.text);
    let (_, all) = client.control(Method::GET, "users", None).await;
    assert_eq!(all.as_array().unwrap().len(), 1, "nothing created");
}

#[tokio::test]
async fn start_refuses_duplicate_seed_users() {
    let settings = Settings {
        users: vec![
            owner(),
            NewUser {
                user_id: None,
                ..owner()
            },
        ],
        ..Settings::default()
    };
    let err = Emulator::start(settings).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("users[1].username"), "{err}");
}

#[test]
fn users_file_with_duplicates_is_refused() {
    let path = std::env::temp_dir().join(format!(
        "authing-emulator-dup-users-{}.json",
        std::process::id()
    ));
    std::fs::write(
        &path,
        r#"[{"email":"a@example.com"},{"email":"a@example.com","username":"b"}]"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .args(["--users", path.to_str().unwrap()])
        .output()
        .unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("users[1].email"), "{stderr}");
}
