//! The control API under /__emulator/, over HTTP as other languages use it.

mod common;

use authing_emulator::{Emulator, NewUser, Settings};
use common::Client;
use reqwest::Method;
use serde_json::json;

const BATCH: &str = "/api/v3/resign-user-batch";

async fn start_with_seed() -> (Emulator, Client) {
    let settings = Settings {
        users: vec![NewUser {
            user_id: Some("62a000000000000000000001".into()),
            username: Some("seeded".into()),
            ..NewUser::default()
        }],
        ..Settings::default()
    };
    let emulator = Emulator::start(settings).await.unwrap();
    let client = Client::for_emulator(&emulator);
    (emulator, client)
}

#[tokio::test]
async fn health_users_and_reset() {
    let (emulator, client) = start_with_seed().await;
    assert_eq!(
        client.control(Method::GET, "health", None).await,
        (200, json!({"ok": true}))
    );
    let (status, body) = client
        .control(Method::POST, "users", Some(json!([{"username": "alice", "email": "a@example.com", "status": "Suspended"}, {"userId": "fixed-id", "phone": "1"}])))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["users"][0]["status"], "Suspended");
    assert_eq!(body["users"][0]["userId"].as_str().unwrap().len(), 24);
    assert_eq!(body["users"][1]["userId"], "fixed-id");
    let (_, all) = client.control(Method::GET, "users", None).await;
    assert_eq!(all.as_array().unwrap().len(), 3);
    assert_eq!(all[0]["username"], "seeded");

    client.resign(&["62a000000000000000000001"]).await;
    assert_eq!(emulator.users()[0].status, "Resigned");
    assert_eq!(client.control(Method::POST, "reset", None).await.0, 200);
    let (_, all) = client.control(Method::GET, "users", None).await;
    assert_eq!(
        all.as_array().unwrap().len(),
        1,
        "back to the start-up users"
    );
    assert_eq!(all[0]["status"], "Activated");

    let (status, body) = client
        .control(
            Method::POST,
            "users",
            Some(json!([{"username": "x", "status": "Fired"}])),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("status"));
    let (status, _) = client
        .control(Method::POST, "users", Some(json!({"not": "an array"})))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn settings_get_and_patch() {
    let (emulator, client) = start_with_seed().await;
    let (_, settings) = client.control(Method::GET, "settings", None).await;
    assert_eq!(settings["unknownIds"], "reject");
    assert_eq!(settings["tokenTtlSecs"], 7200);
    assert_eq!(settings["clockSkewSecs"], 900);
    assert_eq!(settings["rateLimit"], json!(null));
    assert!(
        !settings.to_string().contains("emulator-access-key-secret"),
        "secret never shown"
    );

    let (status, settings) = client
        .control(Method::PATCH, "settings", Some(json!({"unknownIds": "ignore", "tokenTtlSecs": 60, "clockSkewSecs": 30, "rateLimit": {"rps": 5, "retryAfterSecs": 2}})))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        settings["rateLimit"],
        json!({"rps": 5, "retryAfterSecs": 2})
    );
    let current = emulator.settings();
    assert_eq!(
        current.unknown_ids,
        authing_emulator::UnknownIdPolicy::Ignore
    );
    assert_eq!(current.token_ttl.as_secs(), 60);
    assert_eq!(current.rate_limit.unwrap().rps, 5);

    // Absent fields stay, null removes the rate limit.
    let (_, settings) = client
        .control(Method::PATCH, "settings", Some(json!({"rateLimit": null})))
        .await;
    assert_eq!(settings["rateLimit"], json!(null));
    assert_eq!(settings["unknownIds"], "ignore");

    for bad in [
        json!({"unknownIds": "maybe"}),
        json!({"rateLimit": {"rps": 0}}),
        json!({"tokenTtlSecs": 0}),
        json!({"typo": 1}),
    ] {
        let (status, body) = client
            .control(Method::PATCH, "settings", Some(bad.clone()))
            .await;
        assert_eq!(status, 400, "{bad}");
        assert!(body["error"].is_string());
    }
}

#[tokio::test]
async fn faults_journal_and_stats() {
    let (_emulator, client) = start_with_seed().await;
    let (status, body) = client
        .control(
            Method::POST,
            "faults",
            Some(json!({"route": BATCH, "kind": "http_status", "status": 503, "retryAfter": 1})),
        )
        .await;
    assert_eq!(status, 200);
    assert!(body["id"].as_u64().unwrap() >= 1);
    client
        .control(
            Method::POST,
            "faults",
            Some(json!({"route": BATCH, "kind": "delay", "delayMs": 10, "times": 0})),
        )
        .await;
    let (_, faults) = client.control(Method::GET, "faults", None).await;
    assert_eq!(faults.as_array().unwrap().len(), 2);
    assert_eq!(faults[0]["remaining"], 1);
    assert_eq!(faults[1]["remaining"], json!(null));

    let resp = client.resign(&["62a000000000000000000001"]).await;
    assert_eq!(resp.http, 503);
    assert_eq!(resp.headers["retry-after"], "1");
    let (_, faults) = client.control(Method::GET, "faults", None).await;
    assert_eq!(
        faults.as_array().unwrap().len(),
        1,
        "the one-shot fault is used up"
    );
    assert_eq!(client.control(Method::DELETE, "faults", None).await.0, 200);

    let resp = client.resign(&["62a000000000000000000001"]).await;
    assert_eq!(resp.status_code(), 200);
    let (_, journal) = client.control(Method::GET, "journal", None).await;
    let journal = journal.as_array().unwrap().clone();
    assert_eq!(journal.len(), 2, "control calls are never journaled");
    assert_eq!(journal[0]["fault"], "http_status 503, delay 10ms");
    assert_eq!(journal[0]["httpStatus"], 503);
    assert_eq!(journal[1]["auth"], "signature");
    assert_eq!(journal[1]["statusCode"], 200);
    assert!(journal[1]["headers"]["authorization"]
        .as_str()
        .unwrap()
        .ends_with(":***"));
    assert!(journal[1]["connectionId"].as_u64().unwrap() >= 1);
    let (_, stats) = client.control(Method::GET, "stats", None).await;
    assert_eq!(stats["requests"], 2);
    assert!(stats["connections"].as_u64().unwrap() >= 1);
    client.control(Method::DELETE, "journal", None).await;
    let (_, journal) = client.control(Method::GET, "journal", None).await;
    assert_eq!(journal, json!([]));

    for bad in [
        json!({"kind": "explode"}),
        json!({"kind": "http_status"}),
        json!({"kind": "http_status", "status": 700}),
        json!({"kind": "delay"}),
        json!({"kind": "drop", "extra": true}),
    ] {
        let (status, body) = client
            .control(Method::POST, "faults", Some(bad.clone()))
            .await;
        assert_eq!(status, 400, "{bad}");
        assert!(body["error"].is_string(), "{bad}");
    }
    let (status, _) = client.control(Method::GET, "nope", None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn other_fault_kinds_over_http() {
    let (_emulator, client) = start_with_seed().await;
    for fault in [
        json!({"route": BATCH, "kind": "envelope_status", "status": 500}),
        json!({"route": BATCH, "kind": "non_json"}),
        json!({"route": BATCH, "kind": "drop"}),
    ] {
        client.control(Method::POST, "faults", Some(fault)).await;
    }
    let body = json!({"userIds": ["62a000000000000000000001"]});
    assert_eq!(client.post(BATCH, &body).await.status_code(), 500);
    assert!(client
        .post(BATCH, &body)
        .await
        .text
        .starts_with("<!DOCTYPE html>"));
    let dropped = client
        .http
        .post(format!("{}{BATCH}", client.base))
        .body("{}")
        .send()
        .await;
    assert!(dropped.is_err());
    assert_eq!(client.post(BATCH, &body).await.status_code(), 200);
}
