//! Every outcome true: each answer fault of the emulator, for a single call and for a
//! bulk job, under both authentication schemes. `success: false` is an error and a
//! `failed` user; an answer lost after the request was sent makes `unknown` users
//! (the server did act: the emulator shows them resigned); a request that never left
//! is `failed`.

mod common;

use std::time::Duration;

use authing_emulator::{Emulator, Fault, FaultKind};
use authing_resign::{
    AuthScheme, BulkOptions, BulkReport, Error, ManagementClient, Outcome, TimeoutPhase, UserIdType,
};
use common::{calls, client, start_with, user, BATCH};

const SCHEMES: [AuthScheme; 2] = [AuthScheme::Signature, AuthScheme::ManagementToken];

/// An emulator with `n` users, their ids, and a client with a 300 ms attempt timeout
/// and one retry under `auth`.
async fn setup(n: usize, auth: AuthScheme) -> (Emulator, ManagementClient, Vec<String>) {
    let (emu, ids) = common::start_with_new_users("o", n).await;
    let c = client(&emu, |b| {
        b.auth(auth)
            .timeout(Duration::from_millis(300))
            .max_retries(1)
    });
    (emu, c, ids)
}

fn always(kind: FaultKind) -> Fault {
    Fault::always(BATCH, kind)
}

async fn bulk(c: &ManagementClient, ids: &[String]) -> BulkReport {
    c.resign_users(ids, UserIdType::UserId, BulkOptions::default())
        .await
        .expect("valid options")
}

/// The faults after which the server acted but the answer was lost, with the error
/// code the user's outcome carries and the requests one call makes under one retry
/// (an undecodable 200 is not retried; a dropped connection and a timeout are).
fn lost_answers() -> Vec<(FaultKind, &'static str, u64)> {
    vec![
        (FaultKind::ActThenDrop, "transport", 2),
        (FaultKind::ActThenNonJson, "decode", 1),
        (
            FaultKind::ActThenDelay(Duration::from_millis(1500)),
            "timeout",
            2,
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn success_false_raises_api_rejected_and_is_never_retried() {
    for auth in SCHEMES {
        let (emu, c, ids) = setup(3, auth).await;
        emu.add_fault(always(FaultKind::SuccessFalse));
        emu.add_fault(Fault::always(common::SINGLE, FaultKind::SuccessFalse));
        let e = c.resign_user_batch(&ids[..1], None).await.unwrap_err();
        assert_eq!(e.code(), "api_rejected", "{auth:?}: {e:?}");
        assert!(matches!(
            &e,
            Error::ApiRejected {
                request_id: Some(_),
                ..
            }
        ));
        assert!(!e.is_retryable());
        assert_eq!(calls(&emu, BATCH).len(), 1, "never retried");
        let e = c.resign_user(&ids[0], None).await.unwrap_err();
        assert_eq!(e.code(), "api_rejected", "the single-user twin too");

        emu.clear_journal();
        let report = bulk(&c, &ids).await;
        assert_eq!(report.totals.failed, 3, "{auth:?}: {report:?}");
        for u in &report.users {
            let err = u.error.as_ref().unwrap();
            assert_eq!(
                (err.code.as_str(), u.outcome),
                ("api_rejected", Outcome::Failed)
            );
            assert!(u.request_id.is_some());
        }
        assert_eq!(report.http_calls, 1, "neither retried nor split");
        assert!(report.stopped_early.is_none(), "the job goes on");
        assert_eq!(user(&emu, &ids[0]).status, "Activated");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_lost_after_the_work_makes_unknown_users() {
    for auth in SCHEMES {
        for (kind, code, requests) in lost_answers() {
            let (emu, c, ids) = setup(3, auth).await;
            emu.add_fault(always(kind.clone()));
            let e = c.resign_user_batch(&ids[..1], None).await.unwrap_err();
            assert_eq!(e.code(), code, "{auth:?} {kind:?}: {e:?}");
            assert_eq!(user(&emu, &ids[0]).status, "Resigned", "the server acted");

            let report = bulk(&c, &ids[1..]).await;
            assert_eq!(report.totals.unknown, 2, "{auth:?} {kind:?}: {report:?}");
            assert_eq!(
                report.totals.failed, 0,
                "never `failed`: the server did act"
            );
            for u in &report.users {
                assert_eq!(u.outcome, Outcome::Unknown);
                assert_eq!(u.error.as_ref().unwrap().code, code);
                assert_eq!(user(&emu, &u.user_id).status, "Resigned");
            }
            assert_eq!(report.http_calls, requests, "retried as the policy says");
            emu.shutdown().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_stays_unknown_when_the_retry_is_refused() {
    // The first attempt is acted on and dropped; the retry is throttled. The 429 does
    // not prove that nothing happened.
    let (emu, c, ids) = setup(2, AuthScheme::Signature).await;
    emu.add_fault(Fault::once(BATCH, FaultKind::ActThenDrop));
    emu.add_fault(Fault::once(BATCH, common::envelope(429, Some("0"))));
    let report = bulk(&c, &ids).await;
    assert_eq!(report.totals.unknown, 2, "{report:?}");
    assert_eq!(
        report.users[0].error.as_ref().unwrap().status_code,
        Some(429)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_that_break_before_the_envelope_are_unknown_even_without_the_work() {
    // `drop`, `huge_body` and `stall_body` change nothing on the emulator, but the
    // client cannot tell them from a lost answer: `unknown`, never `failed`.
    for auth in SCHEMES {
        for (kind, code) in [
            (FaultKind::Drop, "transport"),
            (
                FaultKind::HugeBody {
                    size_bytes: 8 << 20,
                },
                "decode",
            ),
            (FaultKind::StallBody(Duration::from_millis(1500)), "timeout"),
        ] {
            let (emu, c, ids) = setup(2, auth).await;
            emu.add_fault(always(kind.clone()));
            let e = c.resign_user_batch(&ids[..1], None).await.unwrap_err();
            assert_eq!(e.code(), code, "{auth:?} {kind:?}: {e:?}");
            let report = bulk(&c, &ids).await;
            assert_eq!(report.totals.unknown, 2, "{auth:?} {kind:?}: {report:?}");
            assert_eq!(user(&emu, &ids[0]).status, "Activated");
            emu.shutdown().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateways_502_or_504_is_unknown_but_a_503_is_failed() {
    // 502/504: a proxy forwarded the request and the upstream's answer failed or never
    // came; the upstream may have acted. A 503 says the request was not taken.
    for (status, outcome) in [
        (502, Outcome::Unknown),
        (504, Outcome::Unknown),
        (503, Outcome::Failed),
    ] {
        let (emu, c, ids) = setup(2, AuthScheme::Signature).await;
        emu.add_fault(always(common::http_page(status, None)));
        let e = c.resign_user_batch(&ids[..1], None).await.unwrap_err();
        assert_eq!(e.code(), "decode", "{status}: {e:?}");
        let report = bulk(&c, &ids).await;
        for u in &report.users {
            assert_eq!(u.outcome, outcome, "{status}: {report:?}");
            assert_eq!(u.error.as_ref().unwrap().code, "decode");
        }
        assert!(
            report.stopped_early.is_some(),
            "a server in trouble stops the job"
        );
        emu.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_never_left_is_failed() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let emu = start_with(Vec::new(), |_| {}).await;
    let c = client(&emu, |b| {
        b.host(format!("http://127.0.0.1:{port}")).max_retries(0)
    });
    let report = bulk(&c, &["a".to_string(), "b".to_string()]).await;
    assert_eq!(report.totals.failed, 2, "{report:?}");
    assert_eq!(report.totals.unknown, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attempt_timeout_is_the_timeout_error() {
    let (emu, c, ids) = setup(1, AuthScheme::Signature).await;
    emu.add_fault(always(FaultKind::StallBody(Duration::from_millis(1500))));
    let e = c.resign_user_batch(&ids, None).await.unwrap_err();
    assert_eq!(
        e,
        Error::Timeout {
            phase: TimeoutPhase::Attempt
        }
    );
}
