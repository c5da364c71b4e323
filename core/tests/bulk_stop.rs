//! `resign_users` stopping early: throttling, auth failure, transport failure,
//! cancellation and the job deadline. Unsent users are `not_attempted`.

mod common;

use std::sync::Arc;
use std::time::Duration;

use authing_emulator::{Emulator, Fault, FaultKind, NewUser};
use authing_resign::{
    BulkOptions, BulkProgress, BulkReport, CancellationToken, ManagementClient, Outcome,
    RetryPolicy, UserIdType,
};
use common::{calls, client, start_with, BATCH};

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("stop{i:04}@example.com")).collect()
}

async fn emulator(n: usize) -> Arc<Emulator> {
    let users = ids(n).into_iter().map(NewUser::with_email).collect();
    Arc::new(start_with(users, |_| {}).await)
}

/// Options with a callback that runs `f` once, after the first chunk.
fn after_first_chunk(f: impl Fn() + Send + Sync + 'static) -> BulkOptions {
    let once = std::sync::Once::new();
    BulkOptions {
        concurrency: 1,
        on_progress: Some(Arc::new(move |_: &BulkProgress| once.call_once(&f))),
        ..BulkOptions::default()
    }
}

/// Resigns the first `n` of [`ids`] by email with `options`; the job's report.
async fn resign_stop_ids(c: &ManagementClient, n: usize, options: BulkOptions) -> BulkReport {
    c.resign_users(&ids(n), UserIdType::Email, options)
        .await
        .expect("the job runs")
}

fn outcomes(report: &BulkReport) -> Vec<Outcome> {
    report.users.iter().map(|u| u.outcome).collect()
}

#[tokio::test]
async fn a_short_429_storm_is_absorbed_by_retries() {
    let emu = emulator(150).await;
    emu.add_fault(Fault {
        route: BATCH.into(),
        kind: FaultKind::EnvelopeStatus {
            status_code: 429,
            retry_after: None,
        },
        times: Some(3),
    });
    let report = resign_stop_ids(&client(&emu, |b| b), 150, BulkOptions::default()).await;
    assert!(report.all_resigned(), "{:?}", report.totals);
    assert_eq!(
        report.http_calls,
        3 + 3,
        "three chunks plus three throttled attempts"
    );
    assert_eq!(calls(&emu, BATCH).len(), 6);
}

#[tokio::test]
async fn throttling_past_the_retry_budget_stops_the_job() {
    let emu = emulator(150).await;
    let e2 = emu.clone();
    let options = after_first_chunk(move || {
        e2.add_fault(Fault {
            route: BATCH.into(),
            kind: FaultKind::EnvelopeStatus {
                status_code: 429,
                retry_after: Some("0".into()),
            },
            times: None,
        });
    });
    let c = client(&emu, |b| {
        b.retry(RetryPolicy {
            max_retries: 2,
            ..common::fast_retry()
        })
    });
    let report = resign_stop_ids(&c, 150, options).await;
    let expect: Vec<Outcome> = [
        vec![Outcome::Resigned; 50],
        vec![Outcome::Failed; 50],
        vec![Outcome::NotAttempted; 50],
    ]
    .concat();
    assert_eq!(outcomes(&report), expect);
    let stop = report.stopped_early.as_ref().expect("stopped early");
    assert_eq!(stop.status_code, Some(429));
    assert_eq!(
        report.users[149].error.as_ref(),
        Some(stop),
        "not_attempted users carry the reason"
    );
    assert_eq!(
        report.http_calls,
        1 + 3,
        "one good call, then three throttled attempts; no split"
    );
    assert_eq!(calls(&emu, BATCH).len(), 4);
    assert_eq!(
        emu.find_user(&ids(150)[120], "email").unwrap().status,
        "Activated"
    );
}

#[tokio::test]
async fn auth_failure_mid_job_leaves_the_rest_not_attempted() {
    let emu = emulator(200).await;
    let e2 = emu.clone();
    let options = after_first_chunk(move || {
        e2.update_settings(|s| s.access_key_secret = "rotated-secret".into())
    });
    let report = resign_stop_ids(&client(&emu, |b| b), 200, options).await;
    assert_eq!(report.totals.resigned, 50);
    assert_eq!(report.totals.failed, 50);
    assert_eq!(report.totals.not_attempted, 100);
    let stop = report.stopped_early.as_ref().unwrap();
    assert!(matches!(stop.status_code, Some(401 | 403)), "{stop:?}");
    assert!(
        stop.api_code.is_some_and(|c| (1300..=1306).contains(&c)),
        "{stop:?}"
    );
    assert!(
        !stop.message.contains("rotated-secret")
            && !stop.message.contains("emulator-access-key-secret")
    );
    assert_eq!(
        calls(&emu, BATCH).len(),
        2,
        "auth failures are neither retried nor split"
    );
    assert!(
        report.users[60].request_id.is_some(),
        "the failing call's request id is kept"
    );
}

#[tokio::test]
async fn transport_failure_stops_the_job() {
    // Bind then drop a listener: the port is free and nothing answers there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let emu = emulator(0).await;
    let c = client(&emu, |b| {
        b.host(format!("http://127.0.0.1:{port}")).max_retries(1)
    });
    let report = c
        .resign_users(
            &ids(120),
            UserIdType::Email,
            BulkOptions {
                concurrency: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(report.totals.failed, 50);
    assert_eq!(report.totals.not_attempted, 70);
    assert_eq!(report.stopped_early.as_ref().unwrap().code, "transport");
    assert_eq!(report.http_calls, 2);
}

#[tokio::test]
async fn cancellation_stops_before_the_next_chunk() {
    let emu = emulator(200).await;
    let token = CancellationToken::new();
    let t2 = token.clone();
    let options = BulkOptions {
        cancel: Some(token),
        ..after_first_chunk(move || t2.cancel())
    };
    let report = resign_stop_ids(&client(&emu, |b| b), 200, options).await;
    assert_eq!(report.totals.resigned, 50);
    assert_eq!(report.totals.not_attempted, 150);
    assert_eq!(report.stopped_early.as_ref().unwrap().code, "cancelled");
    assert_eq!(report.users[199].error.as_ref().unwrap().code, "cancelled");
    assert_eq!(calls(&emu, BATCH).len(), 1);
}

#[tokio::test]
async fn a_token_cancelled_up_front_sends_nothing() {
    let emu = emulator(10).await;
    let token = CancellationToken::new();
    token.cancel();
    let options = BulkOptions {
        cancel: Some(token),
        ..BulkOptions::default()
    };
    let report = resign_stop_ids(&client(&emu, |b| b), 10, options).await;
    assert_eq!(report.totals.not_attempted, 10);
    assert_eq!(emu.stats().requests, 0);
}

#[tokio::test]
async fn the_job_deadline_cuts_slow_calls_and_skips_the_rest() {
    let emu = emulator(250).await;
    common::slow_batches(&emu, 400);
    let options = BulkOptions {
        concurrency: 1,
        deadline: Some(Duration::from_millis(600)),
        ..BulkOptions::default()
    };
    let report = resign_stop_ids(&client(&emu, |b| b), 250, options).await;
    let stop = report.stopped_early.as_ref().unwrap();
    assert_eq!(
        (stop.code.as_str(), stop.message.as_str()),
        ("timeout", "timed out (job timeout)")
    );
    // Normally the first call ends at ~400 ms and the second is cut at 600 ms; a slow
    // machine may cut the first one instead. Either way at most one chunk was cut
    // (unknown, since the server may have acted on it) and most were never started.
    let t = &report.totals;
    assert!(
        t.resigned <= 50 && t.failed == 0 && t.unknown <= 50 && t.not_attempted >= 150,
        "{t:?}"
    );
    assert_eq!(t.sum(), 250);
    for u in report
        .users
        .iter()
        .filter(|u| u.outcome != Outcome::Resigned)
    {
        assert_eq!(u.error.as_ref().unwrap().code, "timeout");
    }
    assert!(calls(&emu, BATCH).len() <= 2);
}

#[tokio::test]
async fn abort_cuts_calls_in_flight_and_still_reports() {
    let emu = emulator(150).await;
    let abort = CancellationToken::new();
    let (e2, a2) = (emu.clone(), abort.clone());
    // After the first chunk every call hangs for a minute; the abort comes meanwhile.
    let options = after_first_chunk(move || {
        e2.add_fault(Fault::always(
            BATCH,
            FaultKind::Delay(Duration::from_secs(60)),
        ));
        let a3 = a2.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            a3.cancel();
        });
    });
    let report = client(&emu, |b| b)
        .resign_users_abortable(&ids(150), UserIdType::Email, options, abort)
        .await
        .unwrap();
    assert_eq!(
        outcomes(&report),
        [
            vec![Outcome::Resigned; 50],
            vec![Outcome::Unknown; 50],
            vec![Outcome::NotAttempted; 50]
        ]
        .concat()
    );
    let cut = report.users[50].error.as_ref().unwrap();
    assert_eq!(cut.code, "cancelled");
    assert!(cut.message.contains("may or may not have acted"), "{cut:?}");
    assert_eq!(report.stopped_early.as_ref().unwrap().code, "cancelled");
    assert_eq!(report.http_calls, 2);
    assert_eq!(emu.stats().requests, 2, "nothing sent after the abort");
}

/// A client whose host has a path prefix the server does not serve.
#[tokio::test]
async fn an_unknown_route_stops_the_job_at_the_first_call() {
    let emu = emulator(150).await;
    let c = client(&emu, |b| b.host(format!("{}/wrong-prefix", emu.url())));
    let options = BulkOptions {
        concurrency: 1,
        ..BulkOptions::default()
    };
    let report = resign_stop_ids(&c, 150, options).await;
    assert_eq!(
        report.http_calls, 1,
        "no split: a 404 without apiCode is no user's fault"
    );
    let stop = report.stopped_early.as_ref().unwrap();
    assert_eq!((stop.status_code, stop.api_code), (Some(404), None));
    assert_eq!(
        (report.totals.failed, report.totals.not_attempted),
        (50, 100)
    );
}

/// Every call rejected with the same 400, whatever ids it names: the job splits the
/// first chunk only until two single ids failed exactly like it, then stops.
#[tokio::test]
async fn the_same_rejection_for_single_ids_stops_the_job() {
    let emu = emulator(200).await;
    emu.add_fault(Fault {
        route: BATCH.into(),
        kind: FaultKind::EnvelopeStatus {
            status_code: 400,
            retry_after: None,
        },
        times: None,
    });
    let options = BulkOptions {
        concurrency: 1,
        ..BulkOptions::default()
    };
    let report = resign_stop_ids(&client(&emu, |b| b), 200, options).await;
    let sizes: Vec<usize> = calls(&emu, BATCH)
        .iter()
        .map(|e| e.body["userIds"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [50, 25, 13, 7, 4, 2, 1, 1], "not 4 x 99 calls");
    let stop = report.stopped_early.as_ref().unwrap();
    assert_eq!(
        (stop.code.as_str(), stop.status_code),
        ("api_error", Some(400))
    );
    assert_eq!(
        (report.totals.failed, report.totals.not_attempted),
        (2, 198)
    );
    assert_eq!(report.users[199].error.as_ref(), Some(stop));
}
