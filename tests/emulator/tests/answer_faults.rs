//! The faults that break the answer, not the request: `success_false`, the `act_then_*`
//! family (the work is done, the answer is lost), `huge_body` and `stall_body`.

mod common;

use std::time::{Duration, Instant};

use authing_emulator::{Emulator, Fault, FaultKind};
use common::{emulator_with_users, Client};
use reqwest::Method;
use serde_json::{json, Value};

const BATCH: &str = "/api/v3/resign-user-batch";

/// One seeded user, `kind` armed once on the batch route, and the body resigning them.
async fn one_user_with(kind: FaultKind) -> (Emulator, Client, Value) {
    let (emulator, client, users) = emulator_with_users(1).await;
    emulator.add_fault(Fault::once(BATCH, kind));
    let body = json!({"userIds": [users[0].user_id]});
    (emulator, client, body)
}

/// The seeded user's status as the emulator holds it now.
fn status(emulator: &Emulator) -> String {
    emulator.users()[0].status.clone()
}

/// The fault named by the newest journal entry.
fn last_fault(emulator: &Emulator) -> Option<String> {
    emulator.journal().pop().and_then(|entry| entry.fault)
}

#[tokio::test]
async fn success_false_answers_200_and_changes_nothing() {
    let (emulator, client, body) = one_user_with(FaultKind::SuccessFalse).await;
    let resp = client.post(BATCH, &body).await;
    assert_eq!((resp.http, resp.status_code()), (200, 200));
    assert_eq!(resp.json()["data"], json!({"success": false}));
    assert!(resp.json()["requestId"].is_string());
    assert_eq!(status(&emulator), "Activated");
    assert_eq!(last_fault(&emulator).as_deref(), Some("success_false"));
}

#[tokio::test]
async fn act_then_drop_resigns_and_closes_without_an_answer() {
    let (emulator, client, body) = one_user_with(FaultKind::ActThenDrop).await;
    let err = client.unsigned_post(BATCH, &body).send().await;
    // Unsigned: the work is refused, but the connection is still dropped unanswered.
    assert!(err.is_err(), "no answer on a dropped connection");
    assert_eq!(status(&emulator), "Activated");

    emulator.add_fault(Fault::once(BATCH, FaultKind::ActThenDrop));
    let signed = client.signed_post(BATCH, &body.to_string(), &common::Sign::default());
    let err = signed
        .send()
        .await
        .expect_err("no answer to the signed request");
    assert!(!err.is_timeout(), "{err}");
    assert_eq!(status(&emulator), "Resigned", "the work was done");
    let entry = emulator.journal().pop().unwrap();
    assert_eq!(
        (entry.fault.as_deref(), entry.status_code),
        (Some("act_then_drop"), 200)
    );
}

#[tokio::test]
async fn act_then_non_json_resigns_and_answers_html() {
    let (emulator, client, body) = one_user_with(FaultKind::ActThenNonJson).await;
    let resp = client.post(BATCH, &body).await;
    assert_eq!(resp.http, 200);
    assert!(resp.text.starts_with("<!DOCTYPE html>"), "{}", resp.text);
    assert_eq!(status(&emulator), "Resigned");
    let entry = emulator.journal().pop().unwrap();
    assert_eq!((entry.status_code, entry.http_status), (200, 200));
}

#[tokio::test]
async fn act_then_delay_resigns_before_the_late_answer() {
    let delay = FaultKind::ActThenDelay(Duration::from_millis(400));
    let (emulator, client, body) = one_user_with(delay).await;
    let started = Instant::now();
    let call = tokio::spawn(async move { client.post(BATCH, &body).await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(status(&emulator), "Resigned", "acted on before answering");
    let resp = call.await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(resp.status_code(), 200);
    assert_eq!(
        last_fault(&emulator).as_deref(),
        Some("act_then_delay 400ms")
    );
}

#[tokio::test]
async fn huge_body_streams_exactly_size_bytes_and_changes_nothing() {
    let size = 5 * 1024 * 1024 + 7;
    let (emulator, client, body) = one_user_with(FaultKind::HugeBody { size_bytes: size }).await;
    let mut resp = client.unsigned_post(BATCH, &body).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.content_length().is_none(), "streamed, not announced");
    let (mut total, mut first) = (0u64, None);
    while let Some(piece) = resp.chunk().await.unwrap() {
        first.get_or_insert_with(|| piece.clone());
        total += piece.len() as u64;
    }
    assert_eq!(total, size);
    assert!(first.unwrap().starts_with(b"<html>"));
    assert_eq!(status(&emulator), "Activated");
}

#[tokio::test]
async fn stall_body_sends_a_head_then_stalls_then_cuts() {
    let stall = FaultKind::StallBody(Duration::from_millis(500));
    let (emulator, client, body) = one_user_with(stall).await;
    let started = Instant::now();
    let mut resp = client.unsigned_post(BATCH, &body).send().await.unwrap();
    assert_eq!(resp.status(), 200, "headers come at once");
    assert!(started.elapsed() < Duration::from_millis(400));
    let head = resp.chunk().await.unwrap().unwrap();
    assert!(head.starts_with(br#"{"statusCode":200"#));
    let rest = resp.chunk().await;
    assert!(rest.is_err(), "the body is never finished: {rest:?}");
    assert!(started.elapsed() >= Duration::from_millis(500));
    assert_eq!(status(&emulator), "Activated");
}

#[tokio::test]
async fn control_api_takes_the_new_kinds_with_their_fields() {
    let (emulator, client, _users) = emulator_with_users(0).await;
    // Each kind is listed back by the control API as it was given.
    for view in [
        json!({"kind": "success_false"}),
        json!({"kind": "act_then_drop"}),
        json!({"kind": "act_then_non_json"}),
        json!({"kind": "act_then_delay", "delayMs": 250}),
        json!({"kind": "huge_body", "sizeBytes": 268435456u64}),
        json!({"kind": "stall_body", "delayMs": 9000}),
    ] {
        let mut spec = view.clone();
        spec["route"] = json!(BATCH);
        let (status, body) = client.control(Method::POST, "faults", Some(spec)).await;
        assert_eq!(status, 200, "{body}");
        let (_, faults) = client.control(Method::GET, "faults", None).await;
        let last = faults.as_array().unwrap().last().unwrap().clone();
        for (k, v) in view.as_object().unwrap() {
            assert_eq!(&last[k], v, "{last}");
        }
    }
    for (spec, message) in [
        (
            json!({"kind": "act_then_delay"}),
            "act_then_delay needs delayMs",
        ),
        (json!({"kind": "stall_body"}), "stall_body needs delayMs"),
        (json!({"kind": "huge_body"}), "huge_body needs sizeBytes"),
        (
            json!({"kind": "huge_body", "sizeBytes": -1}),
            "sizeBytes must be an integer from 0 to 68719476736",
        ),
    ] {
        let (status, body) = client.control(Method::POST, "faults", Some(spec)).await;
        assert_eq!((status, body["error"].as_str()), (400, Some(message)));
    }
    drop(emulator);
}
