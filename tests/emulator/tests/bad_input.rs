//! Bad input gets the envelope with statusCode 400 and a clear message — never a panic,
//! a hang or a dropped connection — and the connection stays usable afterwards.

mod common;

use common::{emulator_with_users, Client, Resp, Sign};
use reqwest::Method;
use serde_json::json;

const BATCH: &str = "/api/v3/resign-user-batch";

async fn assert_400(client: &Client, body: &str, expect_in_message: &str) {
    let resp = client.post_signed_raw(BATCH, body, &Sign::default()).await;
    assert_eq!(resp.http, 200, "{body}");
    assert_eq!(resp.status_code(), 400, "{body}: {}", resp.text);
    assert!(
        resp.message().contains(expect_in_message),
        "{body}: {}",
        resp.message()
    );
}

/// GETs `path?query`, which must be refused with statusCode 400; returns the answer.
async fn get_400(client: &Client, path: &str, query: &str) -> Resp {
    let resp = client.get(path, query).await;
    assert_eq!(resp.status_code(), 400, "{path}?{query}: {}", resp.text);
    resp
}

/// An unsigned batch POST of `body` (bytes as given) labelled `application/json`.
async fn unsigned_json(client: &Client, body: &[u8]) -> Resp {
    let json = [("content-type", "application/json")];
    client
        .raw(Method::POST, BATCH, &json, Some(body.to_vec()))
        .await
}

#[tokio::test]
async fn user_ids_must_be_1_to_50_clean_strings() {
    let (emulator, client, _) = emulator_with_users(1).await;
    let exact = "参数 userIds 格式错误";
    let resp = client.resign(&[]).await;
    assert_eq!(
        resp.message(),
        exact,
        "the real server's text for an empty list"
    );
    assert_400(&client, r#"{"userIdType":"user_id"}"#, exact).await;
    assert_400(&client, r#"{"userIds":"user0"}"#, exact).await;
    assert_400(&client, r#"{"userIds":null}"#, exact).await;
    assert_400(&client, r#"{"userIds":["ok",7]}"#, "第 1 项不是字符串").await;
    assert_400(&client, r#"{"userIds":[""]}"#, "第 0 项为空").await;
    assert_400(&client, r#"{"userIds":["   "]}"#, "为空").await;
    assert_400(&client, r#"{"userIds":["a\u0000b"]}"#, "控制字符").await;
    assert_400(
        &client,
        r#"{"userIds":["fine","line\nbreak"]}"#,
        "第 1 项含有控制字符",
    )
    .await;
    let ids: Vec<String> = (0..51).map(|i| format!("id{i}")).collect();
    assert_400(&client, &json!({ "userIds": ids }).to_string(), "50").await;
    let fifty: Vec<String> = (0..50).map(|_| "user0".to_owned()).collect();
    let resp = client
        .post(BATCH, &json!({"userIds": fifty, "userIdType": "username"}))
        .await;
    assert_eq!(resp.status_code(), 200, "exactly 50 is fine: {}", resp.text);
    assert!(emulator.journal().iter().all(|e| e.http_status == 200));
}

#[tokio::test]
async fn user_id_type_must_be_a_wire_value() {
    let (_emulator, client, _) = emulator_with_users(1).await;
    assert_400(
        &client,
        r#"{"userIds":["a"],"userIdType":"userId"}"#,
        "userIdType",
    )
    .await;
    assert_400(&client, r#"{"userIds":["a"],"userIdType":5}"#, "userIdType").await;
    get_400(&client, "/api/v3/get-user", "userId=a&userIdType=uid").await;
}

#[tokio::test]
async fn malformed_json_and_non_objects() {
    let (_emulator, client, _) = emulator_with_users(0).await;
    for body in ["{", "{\"userIds\": [}", "not json", ""] {
        let resp = unsigned_json(&client, body.as_bytes()).await;
        assert_eq!((resp.http, resp.status_code()), (200, 400), "{body:?}");
        assert_eq!(resp.message(), "请求体不是合法的 JSON");
    }
    for body in ["[1,2]", "\"text\"", "null"] {
        let resp = unsigned_json(&client, body.as_bytes()).await;
        assert_eq!(resp.message(), "请求体必须是 JSON 对象", "{body}");
    }
    let resp = unsigned_json(&client, &[0xff, 0xfe, b'{']).await;
    assert_eq!(resp.status_code(), 400);
}

#[tokio::test]
async fn wrong_content_type() {
    let (_emulator, client, _) = emulator_with_users(0).await;
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut headers = vec![];
        if let Some(ct) = ct {
            headers.push(("content-type", ct));
        }
        let resp = client.batch_with_headers(&headers).await;
        assert_eq!(resp.status_code(), 400, "{ct:?}");
        assert!(resp.message().contains("application/json"));
    }
    let resp = client
        .batch_with_headers(&[("content-type", "application/json; charset=utf-8")])
        .await;
    assert_eq!(
        resp.status_code(),
        401,
        "charset parameter accepted; then auth is checked"
    );
}

#[tokio::test]
async fn a_body_over_1_mib_is_answered_not_dropped() {
    let (emulator, client, users) = emulator_with_users(1).await;
    let big = format!(
        r#"{{"userIds":["{}"]}}"#,
        "x".repeat(authing_emulator::MAX_BODY_BYTES)
    );
    let resp = unsigned_json(&client, big.as_bytes()).await;
    assert_eq!((resp.http, resp.status_code()), (200, 400));
    assert!(resp.message().contains("1 MiB"), "{}", resp.message());
    // The same client (and pooled connection) keeps working.
    let ok = client.resign(&[&users[0].user_id]).await;
    assert_eq!(ok.status_code(), 200);
    let entry = &emulator.journal()[0];
    assert!(entry.body.as_str().unwrap().contains("over the limit"));
}

#[tokio::test]
async fn query_values_with_control_characters_are_refused() {
    let (_emulator, client, _) = emulator_with_users(0).await;
    let resp = get_400(&client, "/api/v3/get-user", "userId=a%0Ab").await;
    assert!(resp.message().contains("控制字符"), "{}", resp.message());
    get_400(
        &client,
        "/api/v3/get-user-batch",
        "userIds[]=ok&userIds[]=%07",
    )
    .await;
}

#[tokio::test]
async fn english_validation_messages() {
    let (_emulator, client, _) = emulator_with_users(0).await;
    let sign = Sign {
        lang: Some("en-US".into()),
        ..Sign::default()
    };
    let resp = client
        .post_with(BATCH, &json!({"userIds": []}), &sign)
        .await;
    assert_eq!(resp.message(), "Invalid parameter userIds");
}
