//! `verify` and `verify_only` against the emulator: users read back with
//! `GET /api/v3/get-user-batch` (ids comma-separated, signed as that string), under
//! both authentication schemes.

mod common;

use std::sync::Arc;

use authing_emulator::{Emulator, Fault, FaultKind, NewUser, UnknownIdPolicy};
use authing_resign::verify::{GET_USER_BATCH_PATH, NOT_RESIGNED};
use authing_resign::{AuthScheme, BulkOptions, BulkReport, Outcome, UserIdType};
use common::{calls, client, new_users, start_with, user, BATCH};

const SCHEMES: [AuthScheme; 2] = [AuthScheme::Signature, AuthScheme::ManagementToken];

async fn run(emu: &Emulator, auth: AuthScheme, ids: &[String], options: BulkOptions) -> BulkReport {
    client(emu, |b| b.auth(auth).max_retries(0))
        .resign_users(ids, UserIdType::UserId, options)
        .await
        .unwrap()
}

fn verify() -> BulkOptions {
    BulkOptions {
        verify: true,
        ..BulkOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_users_seen_resigned_become_resigned_and_verified() {
    for auth in SCHEMES {
        let (emu, ids) = common::start_with_new_users("v", 120).await;
        emu.add_fault(Fault::always(BATCH, FaultKind::ActThenDrop));
        let report = run(&emu, auth, &ids[..70], verify()).await;
        assert_eq!(report.totals.resigned, 70, "{auth:?}: {:?}", report.totals);
        assert_eq!(report.totals.unknown, 0);
        for u in &report.users {
            assert_eq!(u.verified, Some(true));
            assert_eq!(u.status.as_deref(), Some("Resigned"));
            assert!(u.error.is_none());
            assert!(
                u.verify_note
                    .as_deref()
                    .unwrap()
                    .contains("answer was lost (transport)"),
                "{u:?}"
            );
        }
        let lookups = calls(&emu, GET_USER_BATCH_PATH);
        assert_eq!(
            (lookups.len(), report.lookup_calls),
            (2, 2),
            "50 ids a call"
        );
        // On the wire: one comma-separated value, the way the official SDKs send it.
        // The two lookups run concurrently: check the one that holds the first ids.
        let first = format!("userIds={}%2C{}", ids[0], ids[1]);
        let query = lookups
            .iter()
            .filter_map(|e| e.query.as_deref())
            .find(|q| q.starts_with(&first))
            .unwrap_or_else(|| panic!("no lookup starts with {first}: {lookups:?}"));
        assert!(query.ends_with("&userIdType=user_id"), "{query}");
        assert!(lookups.iter().all(|e| e.status_code == 200));
        emu.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resigned_users_seen_with_another_status_become_failed() {
    let (emu, ids) = common::start_with_new_users("w", 3).await;
    let emu = Arc::new(emu);
    // After the call succeeds (and before the lookup), someone re-activates user 1.
    let (e2, back) = (emu.clone(), ids[1].clone());
    let options = BulkOptions {
        on_progress: Some(Arc::new(move |_| {
            let mut u: NewUser = serde_json::from_value(
                serde_json::to_value(e2.find_user(&back, "user_id").unwrap()).unwrap(),
            )
            .unwrap();
            u.status = Some("Activated".into());
            e2.seed_users(vec![u]);
        })),
        ..verify()
    };
    let report = run(&emu, AuthScheme::Signature, &ids, options).await;
    let u = &report.users[1];
    assert_eq!(
        (u.outcome, u.verified),
        (Outcome::Failed, Some(true)),
        "{u:?}"
    );
    assert_eq!(u.status.as_deref(), Some("Activated"));
    let e = u.error.as_ref().unwrap();
    assert_eq!(e.code, NOT_RESIGNED);
    assert!(e.message.contains("status Activated"), "{e:?}");
    assert_eq!(report.totals.resigned, 2);
    assert_eq!(report.users[0].verified, Some(true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_the_lookup_does_not_return_stay_as_they_were_not_verified() {
    // With `ignore`, an unknown id is "resigned" by the batch but never found after.
    let emu = start_with(new_users("x", 2), |s| {
        s.unknown_ids = UnknownIdPolicy::Ignore
    })
    .await;
    let mut ids: Vec<String> = emu.users().into_iter().map(|u| u.user_id).collect();
    ids.push("ghost-user".into());
    let report = run(&emu, AuthScheme::Signature, &ids, verify()).await;
    let ghost = &report.users[2];
    assert_eq!(
        (ghost.outcome, ghost.verified),
        (Outcome::Resigned, Some(false))
    );
    assert!(ghost
        .verify_note
        .as_deref()
        .unwrap()
        .contains("did not return"));
    assert_eq!(ghost.status, None);
    assert_eq!(report.users[0].verified, Some(true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_with_a_comma_cannot_be_looked_up_and_is_not_verified() {
    let emu = start_with(
        vec![
            NewUser {
                username: Some("smith,john".into()),
                ..NewUser::default()
            },
            NewUser {
                username: Some("plain".into()),
                ..NewUser::default()
            },
        ],
        |_| {},
    )
    .await;
    let ids = ["smith,john".to_string(), "plain".to_string()];
    let report = client(&emu, |b| b)
        .resign_users(&ids, UserIdType::Username, verify())
        .await
        .unwrap();
    let comma = &report.users[0];
    assert_eq!(
        (comma.outcome, comma.verified),
        (Outcome::Resigned, Some(false))
    );
    assert!(
        comma.verify_note.as_deref().unwrap().contains("comma"),
        "{comma:?}"
    );
    assert_eq!(report.users[1].verified, Some(true));
    let lookups = calls(&emu, GET_USER_BATCH_PATH);
    assert_eq!(lookups.len(), 1);
    assert!(lookups[0]
        .query
        .as_deref()
        .unwrap()
        .starts_with("userIds=plain&"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_lookup_leaves_users_as_they_were_not_verified() {
    let (emu, ids) = common::start_with_new_users("y", 2).await;
    emu.add_fault(Fault::always(
        GET_USER_BATCH_PATH,
        common::envelope(403, None),
    ));
    let report = run(&emu, AuthScheme::Signature, &ids, verify()).await;
    for u in &report.users {
        assert_eq!((u.outcome, u.verified), (Outcome::Resigned, Some(false)));
        assert!(
            u.verify_note.as_deref().unwrap().contains("lookup failed"),
            "{u:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_only_resigns_nobody_and_reports_each_status() {
    for auth in SCHEMES {
        let (emu, ids) = common::start_with_new_users("z", 3).await;
        run(&emu, auth, &ids[..1], BulkOptions::default()).await;
        emu.clear_journal();
        let input = vec![
            ids[0].clone(),
            ids[1].clone(),
            "nobody".into(),
            ids[1].clone(),
            " ".into(),
        ];
        let options = BulkOptions {
            verify_only: true,
            ..BulkOptions::default()
        };
        let report = run(&emu, auth, &input, options).await;
        assert!(report.verify_only);
        assert_eq!(calls(&emu, BATCH).len(), 0, "nobody resigned");
        assert_eq!(user(&emu, &ids[1]).status, "Activated");
        let seen: Vec<(Outcome, Option<bool>, Option<&str>)> = report
            .users
            .iter()
            .map(|u| (u.outcome, u.verified, u.status.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                (Outcome::NotAttempted, Some(true), Some("Resigned")),
                (Outcome::NotAttempted, Some(true), Some("Activated")),
                (Outcome::NotAttempted, Some(false), None),
                (Outcome::Duplicate, None, None),
                (Outcome::Invalid, None, None),
            ],
            "{auth:?}"
        );
        assert_eq!(report.lookup_calls, 1);
        assert_eq!(report.http_calls, 0);
        emu.shutdown().await;
    }
}

#[tokio::test]
async fn verify_only_and_dry_run_do_not_mix() {
    let err = BulkOptions {
        verify_only: true,
        dry_run: true,
        ..BulkOptions::default()
    }
    .validate()
    .unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
    assert!(err.to_string().contains("verify_only"), "{err}");
}
