//! Faults, the rate limit, reset and stats, set through the library API.

mod common;

use std::time::{Duration, Instant};

use authing_emulator::{Fault, FaultKind, RateLimit};
use common::emulator_with_users;
use serde_json::json;

const BATCH: &str = "/api/v3/resign-user-batch";

#[tokio::test]
async fn http_status_fault_sends_an_html_proxy_page_once() {
    let (emulator, client, users) = emulator_with_users(1).await;
    emulator.add_fault(Fault::once(
        BATCH,
        FaultKind::HttpStatus {
            status: 502,
            retry_after: Some("2".into()),
        },
    ));
    let body = json!({"userIds": [users[0].user_id]});
    let resp = client.post(BATCH, &body).await;
    assert_eq!(resp.http, 502);
    assert!(resp.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(resp.headers["retry-after"], "2");
    assert!(resp.text.contains("502 Bad Gateway"));
    assert_eq!(
        emulator.users()[0].status,
        "Activated",
        "a faulted request is not processed"
    );
    let resp = client.post(BATCH, &body).await;
    assert_eq!(resp.status_code(), 200, "one-shot fault is gone");
    let journal = emulator.journal();
    assert_eq!(journal[0].fault.as_deref(), Some("http_status 502"));
    assert_eq!((journal[0].http_status, journal[0].status_code), (502, 0));
    assert_eq!(journal[1].fault, None);
}

#[tokio::test]
async fn envelope_status_fault_repeats_n_times() {
    let (emulator, client, users) = emulator_with_users(1).await;
    emulator.add_fault(Fault {
        route: BATCH.into(),
        kind: FaultKind::EnvelopeStatus {
            status_code: 503,
            retry_after: Some("1".into()),
        },
        times: Some(2),
    });
    let body = json!({"userIds": [users[0].user_id]});
    for _ in 0..2 {
        let resp = client.post(BATCH, &body).await;
        assert_eq!((resp.http, resp.status_code()), (200, 503));
        assert_eq!(resp.headers["retry-after"], "1");
        assert!(resp.json()["requestId"].is_string());
    }
    assert_eq!(client.post(BATCH, &body).await.status_code(), 200);
}

#[tokio::test]
async fn faults_match_their_route_or_every_route() {
    let (emulator, client, users) = emulator_with_users(1).await;
    emulator.add_fault(Fault::always("/api/v3/resign-user", FaultKind::NonJson));
    let resp = client.resign(&[&users[0].user_id]).await;
    assert_eq!(resp.status_code(), 200, "other routes unaffected");
    let resp = client
        .post("/api/v3/resign-user", &json!({"userId": users[0].user_id}))
        .await;
    assert_eq!(resp.http, 200);
    assert!(
        serde_json::from_str::<serde_json::Value>(&resp.text).is_err(),
        "non-JSON body"
    );
    emulator.clear_faults();
    emulator.add_fault(Fault::once(
        "*",
        FaultKind::EnvelopeStatus {
            status_code: 429,
            retry_after: None,
        },
    ));
    let resp = client
        .get("/api/v3/get-user", &format!("userId={}", users[0].user_id))
        .await;
    assert_eq!(resp.status_code(), 429);
    assert_eq!(resp.message(), "您的请求已超过最大数量限制，请稍后重试");
}

#[tokio::test]
async fn delay_fault_adds_latency_then_processes_normally() {
    let (emulator, client, users) = emulator_with_users(1).await;
    emulator.add_fault(Fault::once(
        BATCH,
        FaultKind::Delay(Duration::from_millis(300)),
    ));
    let started = Instant::now();
    let resp = client.resign(&[&users[0].user_id]).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(resp.status_code(), 200);
    assert_eq!(emulator.users()[0].status, "Resigned");
    assert_eq!(emulator.journal()[0].fault.as_deref(), Some("delay 300ms"));
}

#[tokio::test]
async fn drop_fault_closes_the_connection_without_an_answer() {
    let (emulator, client, users) = emulator_with_users(1).await;
    emulator.add_fault(Fault::once(BATCH, FaultKind::Drop));
    let err = client
        .unsigned_post(BATCH, &json!({"userIds": [users[0].user_id]}))
        .send()
        .await
        .expect_err("no response on a dropped connection");
    assert!(!err.is_timeout(), "{err}");
    let entry = emulator.journal().pop().unwrap();
    assert_eq!(
        (entry.fault.as_deref(), entry.http_status),
        (Some("drop"), 0)
    );
    // The next request, on a new connection, is served.
    let resp = client.resign(&[&users[0].user_id]).await;
    assert_eq!(resp.status_code(), 200);
    assert_ne!(
        emulator.journal().pop().unwrap().connection_id,
        entry.connection_id
    );
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let (emulator, client, users) = emulator_with_users(1).await;
    emulator.update_settings(|s| {
        s.rate_limit = Some(RateLimit {
            rps: 1,
            retry_after: Some(3),
        })
    });
    let body = json!({"userIds": [users[0].user_id]});
    let mut throttled = 0;
    for _ in 0..6 {
        let resp = client.post(BATCH, &body).await;
        if resp.status_code() == 429 {
            throttled += 1;
            assert_eq!(resp.http, 200);
            assert_eq!(resp.headers["retry-after"], "3");
            assert_eq!(resp.message(), "您的请求已超过最大数量限制，请稍后重试");
        }
    }
    // A burst of one; only a machine taking a second per request would see no 429.
    assert!(throttled >= 1, "throttled: {throttled}");
    emulator.update_settings(|s| {
        s.rate_limit = Some(RateLimit {
            rps: 1000,
            retry_after: None,
        })
    });
    let resp = client.post(BATCH, &body).await;
    assert_eq!(resp.status_code(), 200);
    assert!(resp.headers.get("retry-after").is_none());
}

#[tokio::test]
async fn reset_restores_start_up_state() {
    let (emulator, client, users) = emulator_with_users(1).await;
    client.resign(&[&users[0].user_id]).await;
    emulator.add_fault(Fault::always("*", FaultKind::Drop));
    emulator.update_settings(|s| s.access_key_id = "changed".into());
    emulator.reset();
    assert!(
        emulator.users().is_empty(),
        "seeded-later users are gone; start-up users (none) back"
    );
    assert!(emulator.journal().is_empty());
    assert_eq!(emulator.stats().requests, 0);
    assert_eq!(emulator.settings().access_key_id, "emulator-access-key-id");
    let resp = client.resign(&["x"]).await;
    assert_eq!(resp.status_code(), 404, "faults cleared, request served");
}
