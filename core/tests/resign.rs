//! Successful resignations with both schemes and every id type, what goes on the wire,
//! and local validation.

mod common;

use authing_resign::{AuthScheme, Error, UserIdType};
use common::*;

fn id_of(user: &authing_emulator::User, id_type: UserIdType) -> String {
    match id_type {
        UserIdType::UserId => user.user_id.clone(),
        UserIdType::ExternalId => user.external_id.clone().unwrap(),
        UserIdType::Phone => user.phone.clone().unwrap(),
        UserIdType::Email => user.email.clone().unwrap(),
        UserIdType::Username => user.username.clone().unwrap(),
        UserIdType::Identity => {
            let i = &user.identities[0];
            format!("{}:{}", i.ext_idp_id, i.user_id_in_idp)
        }
        other => unreachable!("{other}"),
    }
}

const TYPES: [UserIdType; 6] = [
    UserIdType::UserId,
    UserIdType::ExternalId,
    UserIdType::Phone,
    UserIdType::Email,
    UserIdType::Username,
    UserIdType::Identity,
];

#[tokio::test]
async fn each_scheme_and_id_type_resigns_users() {
    let emulator = start().await;
    for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
        let client = client(&emulator, |b| b.auth(scheme));
        for id_type in TYPES {
            let users = emulator.seed_users(new_users(&format!("{scheme:?}-{id_type}"), 2));
            let ids: Vec<String> = users.iter().map(|u| id_of(u, id_type)).collect();
            let response = client.resign_user_batch(&ids, Some(id_type)).await.unwrap();
            assert!(response.data.success, "{scheme:?} {id_type}");
            assert_eq!(response.status_code, 200);
            for u in &users {
                let stored = user(&emulator, &u.user_id);
                assert_eq!(
                    (stored.status.as_str(), stored.work_status.as_str()),
                    ("Resigned", "Closed")
                );
            }
            let last = calls(&emulator, BATCH).pop().unwrap();
            assert_eq!(last.body["userIdType"], id_type.as_str());
            assert_eq!(last.body["userIds"], serde_json::json!(ids));
        }
    }
}

#[tokio::test]
async fn absent_id_type_is_left_out_of_the_body() {
    let emulator = start().await;
    let users = emulator.seed_users(new_users("plain", 1));
    let client = client(&emulator, |b| b);
    let r = client
        .resign_user_batch(&[users[0].user_id.as_str()], None)
        .await
        .unwrap();
    assert!(r.data.success);
    let entry = calls(&emulator, BATCH).pop().unwrap();
    assert_eq!(
        entry.body,
        serde_json::json!({"userIds": [users[0].user_id]})
    );
    // Re-resigning an already resigned user succeeds (the server treats it as idempotent).
    assert!(
        client
            .resign_user_batch(&[users[0].user_id.as_str()], None)
            .await
            .unwrap()
            .data
            .success
    );
}

#[tokio::test]
async fn single_user_call() {
    let emulator = start().await;
    let users = emulator.seed_users(new_users("single", 1));
    for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
        let client = client(&emulator, |b| b.auth(scheme));
        let r = client
            .resign_user(users[0].email.as_deref().unwrap(), Some(UserIdType::Email))
            .await
            .unwrap();
        assert!(r.data.success);
    }
    assert_eq!(user(&emulator, &users[0].user_id).status, "Resigned");
    assert_eq!(calls(&emulator, SINGLE).len(), 2);
}

#[tokio::test]
async fn lang_tenant_and_extra_headers_are_on_the_wire() {
    let emulator = start().await;
    let users = emulator.seed_users(new_users("hdr", 1));
    for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
        let client = client(&emulator, |b| {
            b.auth(scheme)
                .lang("en-US")
                .tenant_id("tenant-42")
                .header("X-Authing-App-Id", "app-7")
                .sdk_version("authing-resign-test:9.9.9")
        });
        client
            .resign_user_batch(&[users[0].user_id.as_str()], None)
            .await
            .unwrap();
        let entry = calls(&emulator, BATCH).pop().unwrap();
        let h = &entry.headers;
        assert_eq!(h["x-authing-lang"], "en-US");
        assert_eq!(h["x-authing-tenant-id"], "tenant-42");
        assert_eq!(h["x-authing-app-id"], "app-7");
        assert_eq!(h["x-authing-sdk-version"], "authing-resign-test:9.9.9");
        assert_eq!(h["content-type"], "application/json");
        match scheme {
            AuthScheme::Signature => {
                assert_eq!(h["x-authing-signature-method"], "HMAC-SHA1");
                assert_eq!(h["x-authing-signature-nonce"].len(), 32);
                assert!(h.contains_key("date"));
                assert!(h["authorization"].starts_with("authing emulator-access-key-id:"));
            }
            AuthScheme::ManagementToken => {
                assert_eq!(h["x-authing-userpool-id"], emulator.settings().userpool_id);
                assert!(h["authorization"].starts_with("Bearer "));
            }
        }
    }
}

#[tokio::test]
async fn default_lang_is_zh_cn_and_messages_follow_the_language() {
    let emulator = start().await;
    let zh = client(&emulator, |b| b)
        .resign_user_batch(&["000000000000000000000000"], None)
        .await
        .unwrap_err();
    let en = client(&emulator, |b| b.lang("en-US"))
        .resign_user_batch(&["000000000000000000000000"], None)
        .await;
    let en = en.unwrap_err();
    assert_eq!(
        calls(&emulator, BATCH)[0].headers["x-authing-lang"],
        "zh-CN"
    );
    match (&zh, &en) {
        (
            Error::Api {
                message: zh_msg, ..
            },
            Error::Api {
                message: en_msg, ..
            },
        ) => assert_ne!(zh_msg, en_msg),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn unknown_user_is_an_api_error_with_its_request_id() {
    let emulator = start().await;
    let client = client(&emulator, |b| b);
    let err = client
        .resign_user_batch(&["000000000000000000000000"], None)
        .await
        .unwrap_err();
    let entry = calls(&emulator, BATCH).pop().unwrap();
    assert_eq!(err.code(), "api_error");
    assert_eq!(err.status_code(), Some(404));
    assert_eq!(err.api_code(), Some(2004));
    assert_eq!(err.request_id(), Some(entry.request_id.as_str()));
    assert!(!err.is_retryable());
    assert_eq!(calls(&emulator, BATCH).len(), 1, "a 404 is not retried");
}

/// Ids, their type, the index the error must name, and words of the rule it must state.
type Case<'a> = (
    Vec<&'a str>,
    Option<UserIdType>,
    Option<usize>,
    &'static str,
);

#[tokio::test]
async fn invalid_input_fails_locally_naming_field_index_and_rule() {
    let emulator = start().await;
    let client = client(&emulator, |b| b);
    let too_many: Vec<String> = (0..51).map(|i| format!("u{i}")).collect();
    let too_long = "x".repeat(257);
    let cases: Vec<Case> = vec![
        (vec![], None, None, "at least one id"),
        (
            too_many.iter().map(String::as_str).collect(),
            None,
            None,
            "resign_users",
        ),
        (vec!["a", ""], None, Some(1), "empty"),
        (vec!["a", "b", "   "], None, Some(2), "whitespace"),
        (vec![" a"], None, Some(0), "leading or trailing whitespace"),
        (vec!["a\u{7}b"], None, Some(0), "control characters"),
        (
            vec!["ab", "a\u{200B}b"],
            None,
            Some(1),
            "invisible formatting characters (U+200B)",
        ),
        (
            vec!["admin\u{202E}nimda"],
            None,
            Some(0),
            "invisible formatting characters (U+202E)",
        ),
        (
            vec!["\u{FEFF}62a0000000000000000000d4"],
            None,
            Some(0),
            "(U+FEFF)",
        ),
        (
            vec!["user\u{00AD}name"],
            Some(UserIdType::Username),
            Some(0),
            "(U+00AD)",
        ),
        (vec!["a\u{2066}b"], None, Some(0), "(U+2066)"),
        (vec![&too_long], None, Some(0), "limit is 256"),
        (
            vec!["idp:ok", "no-colon"],
            Some(UserIdType::Identity),
            Some(1),
            "<extIdpId>:<userIdInIdp>",
        ),
        (
            vec![":x"],
            Some(UserIdType::SyncRelation),
            Some(0),
            "<provider>:<userIdInProvider>",
        ),
    ];
    for (ids, id_type, index, rule) in cases {
        match client.resign_user_batch(&ids, id_type).await {
            Err(e @ Error::InvalidArgument { .. }) => {
                let Error::InvalidArgument {
                    field,
                    index: got,
                    reason,
                } = &e
                else {
                    unreachable!()
                };
                assert_eq!(field, "userIds");
                assert_eq!(*got, index, "{e}");
                assert!(reason.contains(rule), "{reason:?} should mention {rule:?}");
                assert!(e.to_string().contains("userIds"), "{e}");
            }
            other => panic!("{ids:?}: expected InvalidArgument, got {other:?}"),
        }
    }
    match client.resign_user("", None).await {
        Err(Error::InvalidArgument { field, .. }) => assert_eq!(field, "userId"),
        other => panic!("{other:?}"),
    }
    assert!(emulator.journal().is_empty(), "nothing was sent");
    assert_eq!(
        "nope".parse::<UserIdType>().unwrap_err().code(),
        "invalid_argument"
    );
}

#[tokio::test]
async fn non_ascii_ids_are_signed_and_sent_unchanged() {
    let emulator = start().await;
    let users = emulator.seed_users(vec![authing_emulator::NewUser {
        username: Some("张三&a=b c".into()),
        ..Default::default()
    }]);
    let client = client(&emulator, |b| b);
    let r = client
        .resign_user_batch(&["张三&a=b c"], Some(UserIdType::Username))
        .await
        .unwrap();
    assert!(r.data.success);
    assert_eq!(user(&emulator, &users[0].user_id).status, "Resigned");
}

#[tokio::test]
async fn wrong_secret_is_an_auth_error_and_not_retried() {
    let emulator = start().await;
    for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
        emulator.clear_journal();
        let client = authing_resign::ManagementClient::new(
            authing_resign::ClientOptions::builder("emulator-access-key-id", "wrong-secret")
                .host(emulator.url())
                .auth(scheme)
                .retry(fast_retry())
                .build()
                .unwrap(),
        )
        .unwrap();
        let err = client
            .resign_user_batch(&["000000000000000000000000"], None)
            .await
            .unwrap_err();
        assert!(err.is_auth(), "{scheme:?}: {err:?}");
        assert!(!err.is_retryable());
        assert!(err.request_id().is_some());
        assert_eq!(
            emulator.journal().len(),
            1,
            "{scheme:?}: bad credentials are not retried"
        );
        if scheme == AuthScheme::Signature {
            assert_eq!(err.api_code(), Some(1300));
        }
    }
}
