//! Both authentication schemes, and every way each can fail.

mod common;

use std::time::{Duration, SystemTime};

use authing_emulator::{AuthKind, Emulator, Settings};
use common::{emulator_with_users, Client, Sign};
use reqwest::Method;
use serde_json::json;

const BATCH: &str = "/api/v3/resign-user-batch";

async fn signed_failure(sign: Sign) -> (u64, Option<u64>, String) {
    let (emulator, client, users) = emulator_with_users(1).await;
    let resp = client
        .post_with(BATCH, &json!({"userIds": [users[0].user_id]}), &sign)
        .await;
    assert_eq!(resp.http, 200, "failures still travel in the envelope");
    assert!(resp.json()["requestId"].is_string());
    // A refused request changes nothing.
    assert_eq!(emulator.users()[0].status, "Activated");
    (resp.status_code(), resp.api_code(), resp.message())
}

#[tokio::test]
async fn a_correct_signature_is_accepted_and_journaled_redacted() {
    let (emulator, client, users) = emulator_with_users(1).await;
    let resp = client
        .post(
            BATCH,
            &json!({"userIds": [users[0].user_id], "userIdType": "user_id"}),
        )
        .await;
    assert_eq!(resp.status_code(), 200, "{}", resp.text);
    let entry = emulator.journal().pop().unwrap();
    assert_eq!(entry.auth, AuthKind::Signature);
    assert_eq!(
        entry.headers["authorization"],
        "authing emulator-access-key-id:***"
    );
}

#[tokio::test]
async fn epoch_millisecond_x_authing_date_is_accepted() {
    let now_ms = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let sign = Sign {
        date: None,
        x_authing_date: Some(now_ms.to_string()),
        ..Sign::default()
    };
    let (emulator, client, users) = emulator_with_users(1).await;
    let resp = client
        .post_with(BATCH, &json!({"userIds": [users[0].user_id]}), &sign)
        .await;
    assert_eq!(resp.status_code(), 200, "{}", resp.text);
    assert_eq!(emulator.users()[0].status, "Resigned");
}

#[tokio::test]
async fn wrong_secret_is_1300() {
    let sign = broken(|s| s.secret = "not-the-secret".into());
    assert_eq!(
        signed_failure(sign).await,
        (401, Some(1300), "签名无效".into())
    );
}

#[tokio::test]
async fn unknown_access_key_is_1300() {
    let sign = broken(|s| s.key_id = "someone-else".into());
    let (status, api, message) = signed_failure(sign).await;
    assert_eq!((status, api), (401, Some(1300)));
    assert!(message.contains("Access Key ID"), "{message}");
}

#[tokio::test]
async fn a_malformed_authorization_is_1300() {
    let (_emulator, client, _) = emulator_with_users(0).await;
    let resp = client
        .batch_with_headers(&[
            ("content-type", "application/json"),
            ("authorization", "authing no-colon-here"),
        ])
        .await;
    assert_eq!((resp.status_code(), resp.api_code()), (401, Some(1300)));
}

/// The default signature with one part changed.
fn broken(change: impl FnOnce(&mut Sign)) -> Sign {
    let mut sign = Sign::default();
    change(&mut sign);
    sign
}

/// An HTTP date `minutes` from now (negative: in the past).
fn minutes_from_now(minutes: i64) -> Option<String> {
    let delta = Duration::from_secs(minutes.unsigned_abs() * 60);
    let at = if minutes < 0 {
        SystemTime::now() - delta
    } else {
        SystemTime::now() + delta
    };
    Some(httpdate::fmt_http_date(at))
}

#[tokio::test]
async fn each_broken_part_of_a_signature_has_its_api_code() {
    let cases = [
        (
            "garbage signature",
            broken(|s| s.signature = Some("!!not base64!!".into())),
            1300,
        ),
        ("no nonce", broken(|s| s.nonce = None), 1300),
        (
            "HMAC-SHA256",
            broken(|s| s.method_header = Some("HMAC-SHA256".into())),
            1301,
        ),
        (
            "no signature method",
            broken(|s| s.method_header = None),
            1301,
        ),
        (
            "version 2.0",
            broken(|s| s.version_header = Some("2.0".into())),
            1302,
        ),
        (
            "unparseable date",
            broken(|s| s.date = Some("yesterday".into())),
            1303,
        ),
        (
            "unparseable x-authing-date",
            broken(|s| {
                s.date = None;
                s.x_authing_date = Some("2024-01-01".into());
            }),
            1303,
        ),
        (
            "16 minutes old",
            broken(|s| s.date = minutes_from_now(-16)),
            1305,
        ),
        (
            "16 minutes ahead",
            broken(|s| s.date = minutes_from_now(16)),
            1305,
        ),
    ];
    for (what, sign, api_code) in cases {
        assert_eq!(signed_failure(sign).await.1, Some(api_code), "{what}");
    }
}

#[tokio::test]
async fn missing_date_is_1304() {
    let sign = broken(|s| s.date = None);
    assert_eq!(
        signed_failure(sign).await,
        (401, Some(1304), "缺少 date 请求头".into())
    );
}

#[tokio::test]
async fn the_clock_skew_is_a_setting() {
    let sign = broken(|s| s.date = minutes_from_now(-16));
    let (emulator, client, users) = emulator_with_users(1).await;
    emulator.update_settings(|s| s.clock_skew = Duration::from_secs(3600));
    let resp = client
        .post_with(BATCH, &json!({"userIds": [users[0].user_id]}), &sign)
        .await;
    assert_eq!(resp.status_code(), 200, "{}", resp.text);
    emulator.update_settings(|s| s.clock_skew = Duration::from_secs(1));
    let close = broken(|s| {
        s.date = Some(httpdate::fmt_http_date(
            SystemTime::now() - Duration::from_secs(5),
        ))
    });
    let resp = client
        .post_with(BATCH, &json!({"userIds": [users[0].user_id]}), &close)
        .await;
    assert_eq!(resp.api_code(), Some(1305));
}

#[tokio::test]
async fn a_reused_nonce_is_1306_and_reset_forgets_nonces() {
    let (emulator, client, users) = emulator_with_users(1).await;
    let sign = Sign::default();
    let body = json!({"userIds": [users[0].user_id]});
    assert_eq!(
        client.post_with(BATCH, &body, &sign).await.status_code(),
        200
    );
    let replay = client.post_with(BATCH, &body, &sign).await;
    assert_eq!((replay.status_code(), replay.api_code()), (401, Some(1306)));
    assert_eq!(replay.message(), "nonce 已被使用");
    // A forged request does not burn a fresh nonce.
    let fresh = Sign::default();
    let forged = Sign {
        secret: "wrong".into(),
        ..fresh.clone()
    };
    assert_eq!(
        client.post_with(BATCH, &body, &forged).await.api_code(),
        Some(1300)
    );
    assert_eq!(
        client.post_with(BATCH, &body, &fresh).await.status_code(),
        200
    );
    emulator.reset();
    assert_eq!(
        client.post_with(BATCH, &body, &sign).await.status_code(),
        404,
        "nonce forgotten, user gone"
    );
}

#[tokio::test]
async fn a_tampered_body_fails_the_signature() {
    let (emulator, client, users) = emulator_with_users(2).await;
    // Sign one body, send another: the client helper signs what it sends, so sign by hand.
    let signed_for = json!({"userIds": [users[0].user_id]}).to_string();
    let params = authing_emulator::signature::body_params(&signed_for).unwrap();
    let sign = Sign::default();
    let date = sign.date.clone().unwrap();
    let nonce = sign.nonce.clone().unwrap();
    let headers = [
        ("date", date.as_str()),
        ("x-authing-signature-method", "HMAC-SHA1"),
        ("x-authing-signature-version", "1.0"),
        ("x-authing-signature-nonce", nonce.as_str()),
    ];
    let sts = authing_emulator::signature::string_to_sign("POST", headers, BATCH, &params);
    let auth = format!(
        "authing {}:{}",
        sign.key_id,
        authing_emulator::signature::sign(&sign.secret, &sts)
    );
    let mut all: Vec<(&str, &str)> = headers.to_vec();
    all.push(("authorization", &auth));
    all.push(("content-type", "application/json"));
    let tampered = json!({"userIds": [users[1].user_id]}).to_string();
    let resp = client
        .raw(Method::POST, BATCH, &all, Some(tampered.into_bytes()))
        .await;
    assert_eq!(resp.api_code(), Some(1300));
    assert!(emulator.users().iter().all(|u| u.status == "Activated"));
}

#[tokio::test]
async fn no_credentials_is_401_without_api_code() {
    let (emulator, client, _) = emulator_with_users(0).await;
    let resp = client
        .batch_with_headers(&[("content-type", "application/json")])
        .await;
    assert_eq!((resp.status_code(), resp.api_code()), (401, None));
    assert_eq!(emulator.journal().pop().unwrap().auth, AuthKind::None);
}

#[tokio::test]
async fn english_messages_on_request() {
    let sign = broken(|s| {
        s.date = None;
        s.lang = Some("en-US".into());
    });
    assert_eq!(signed_failure(sign).await.2, "Missing date header");
}

#[tokio::test]
async fn management_token_bearer_and_bare_are_accepted() {
    let (emulator, client, users) = emulator_with_users(2).await;
    let token = client.token().await;
    let pool = Settings::default().userpool_id;
    for (i, auth) in [format!("Bearer {token}"), token.clone()]
        .iter()
        .enumerate()
    {
        let body = json!({"userIds": [users[i].user_id]}).to_string();
        let resp = client
            .raw(
                Method::POST,
                BATCH,
                &[
                    ("content-type", "application/json"),
                    ("authorization", auth),
                    ("x-authing-userpool-id", &pool),
                ],
                Some(body.into_bytes()),
            )
            .await;
        assert_eq!(resp.status_code(), 200, "{}", resp.text);
    }
    assert!(emulator.users().iter().all(|u| u.status == "Resigned"));
    let entry = emulator.journal().pop().unwrap();
    assert_eq!(entry.auth, AuthKind::Token);
    assert_eq!(entry.headers["authorization"], "***");
}

#[tokio::test]
async fn token_payload_carries_pool_and_expiry_and_ttl_is_a_setting() {
    use base64::Engine;
    let (emulator, client, _) = emulator_with_users(0).await;
    emulator.update_settings(|s| s.token_ttl = Duration::from_secs(60));
    let s = Settings::default();
    let resp = client
        .raw(
            Method::POST,
            "/api/v3/get-management-token",
            &[("content-type", "application/json")],
            Some(
                json!({"accessKeyId": s.access_key_id, "accessKeySecret": s.access_key_secret})
                    .to_string()
                    .into_bytes(),
            ),
        )
        .await;
    let data = &resp.json()["data"];
    assert_eq!(data["expires_in"], 60);
    let payload = data["access_token"]
        .as_str()
        .unwrap()
        .split('.')
        .nth(1)
        .unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["scoped_userpool_id"], s.userpool_id);
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let exp = claims["exp"].as_u64().unwrap();
    assert!((now + 55..=now + 65).contains(&exp), "exp {exp} now {now}");
    // The journal never shows the secret that was exchanged.
    assert_eq!(emulator.journal()[0].body["accessKeySecret"], "***");
}

async fn token_call(client: &Client, auth: &str, pool: Option<&str>) -> common::Resp {
    let mut headers = vec![
        ("content-type", "application/json"),
        ("authorization", auth),
    ];
    if let Some(p) = pool {
        headers.push(("x-authing-userpool-id", p));
    }
    client
        .raw(
            Method::POST,
            BATCH,
            &headers,
            Some(br#"{"userIds":["x"]}"#.to_vec()),
        )
        .await
}

#[tokio::test]
async fn expired_forged_and_pool_mismatched_tokens_are_refused() {
    let (emulator, client, _) = emulator_with_users(0).await;
    let pool = Settings::default().userpool_id;
    let token = client.token().await;

    let mut forged = token.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    let resp = token_call(&client, &format!("Bearer {forged}"), Some(&pool)).await;
    assert_eq!((resp.status_code(), resp.api_code()), (401, None));
    assert_eq!(resp.message(), "无效的 Management Token");

    let resp = token_call(&client, &format!("Bearer {token}"), None).await;
    assert_eq!(resp.status_code(), 401);
    let resp = token_call(&client, &format!("Bearer {token}"), Some("another-pool")).await;
    assert_eq!((resp.status_code(), resp.api_code()), (403, Some(2224)));

    // Reset rotates the signing key: earlier tokens stop working.
    emulator.reset();
    let resp = token_call(&client, &format!("Bearer {token}"), Some(&pool)).await;
    assert_eq!(resp.status_code(), 401);

    emulator.update_settings(|s| s.token_ttl = Duration::from_secs(1));
    let short = client.token().await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let resp = token_call(&client, &format!("Bearer {short}"), Some(&pool)).await;
    assert_eq!(
        (resp.status_code(), resp.message().as_str()),
        (401, "Management Token 已过期")
    );
}

#[tokio::test]
async fn token_exchange_refuses_wrong_credentials_and_bad_bodies() {
    let emulator = Emulator::start(Settings::default()).await.unwrap();
    let client = Client::for_emulator(&emulator);
    let bad = json!({"accessKeyId": "emulator-access-key-id", "accessKeySecret": "wrong"});
    let resp = client
        .raw(
            Method::POST,
            "/api/v3/get-management-token",
            &[("content-type", "application/json")],
            Some(bad.to_string().into_bytes()),
        )
        .await;
    assert_eq!(resp.status_code(), 401);
    assert!(!resp.text.contains("wrong"));
    let resp = client
        .raw(
            Method::POST,
            "/api/v3/get-management-token",
            &[("content-type", "application/json")],
            Some(b"{}".to_vec()),
        )
        .await;
    assert_eq!(resp.status_code(), 400);
    assert!(resp.message().contains("accessKeyId"), "{}", resp.message());
}
