//! Every API route: success shapes, status transitions, the unknown-id policy.

mod common;

use authing_emulator::{Identity, NewUser, UnknownIdPolicy};
use common::emulator_with_users;
use reqwest::Method;
use serde_json::json;

const BATCH: &str = "/api/v3/resign-user-batch";

#[tokio::test]
async fn resign_user_batch_resigns_and_is_idempotent() {
    let (emulator, client, users) = emulator_with_users(3).await;
    let ids = [users[0].user_id.clone(), users[1].user_id.clone()];
    let resp = client
        .post(BATCH, &json!({"userIds": ids, "userIdType": "user_id"}))
        .await;
    let body = resp.json();
    assert_eq!(body["statusCode"], 200);
    assert_eq!(body["message"], "操作成功");
    assert_eq!(body["data"], json!({"success": true}));
    assert!(body["requestId"].is_string());
    assert!(body.get("apiCode").is_none());

    let first = emulator.find_user(&ids[0], "user_id").unwrap();
    assert_eq!(
        (first.status.as_str(), first.work_status.as_str()),
        ("Resigned", "Closed")
    );
    let changed_at = first
        .status_changed_at
        .clone()
        .expect("statusChangedAt set");
    assert_eq!(
        emulator
            .find_user(&users[2].user_id, "user_id")
            .unwrap()
            .status,
        "Activated"
    );

    // Re-resigning succeeds and keeps the original transition time.
    let again = client.resign(&[&ids[0]]).await;
    assert_eq!(again.status_code(), 200);
    assert_eq!(
        emulator
            .find_user(&ids[0], "user_id")
            .unwrap()
            .status_changed_at,
        Some(changed_at)
    );
}

#[tokio::test]
async fn every_id_type_resolves() {
    let (emulator, client, _) = emulator_with_users(0).await;
    let mk = |name: &str| NewUser {
        username: Some(name.into()),
        email: Some(format!("{name}@example.com")),
        phone: Some(format!("1380000{:04}", name.len())),
        external_id: Some(format!("ext-{name}")),
        identities: vec![Identity {
            ext_idp_id: "62f20932716fbcc10d966ee5".into(),
            user_id_in_idp: format!("ou_{name}"),
        }],
        ..NewUser::default()
    };
    let seeded = emulator.seed_users(vec![mk("a"), mk("bb"), mk("ccc"), mk("dddd"), mk("eeeee")]);
    let cases = [
        ("username", "a".to_owned()),
        ("email", "bb@example.com".to_owned()),
        ("phone", "13800000003".to_owned()),
        ("external_id", "ext-dddd".to_owned()),
        ("identity", "62f20932716fbcc10d966ee5:ou_eeeee".to_owned()),
    ];
    for (i, (id_type, id)) in cases.iter().enumerate() {
        let resp = client
            .post(BATCH, &json!({"userIds": [id], "userIdType": id_type}))
            .await;
        assert_eq!(resp.status_code(), 200, "{id_type}: {}", resp.text);
        assert_eq!(
            emulator
                .find_user(&seeded[i].user_id, "user_id")
                .unwrap()
                .status,
            "Resigned",
            "{id_type}"
        );
    }
    // sync_relation is a valid type the emulator cannot resolve.
    let resp = client
        .post(
            BATCH,
            &json!({"userIds": ["lark:ou_1"], "userIdType": "sync_relation"}),
        )
        .await;
    assert_eq!((resp.status_code(), resp.api_code()), (404, Some(2004)));
}

#[tokio::test]
async fn an_unknown_id_rejects_the_whole_batch_by_default() {
    let (emulator, client, users) = emulator_with_users(2).await;
    let resp = client
        .resign(&[&users[0].user_id, "nobody", &users[1].user_id])
        .await;
    assert_eq!((resp.status_code(), resp.api_code()), (404, Some(2004)));
    assert_eq!(resp.message(), "用户不存在");
    assert!(
        emulator.users().iter().all(|u| u.status == "Activated"),
        "atomic: nothing resigned"
    );
    assert_eq!(emulator.settings().unknown_ids, UnknownIdPolicy::Reject);
}

#[tokio::test]
async fn the_ignore_policy_resigns_the_known_ids() {
    let (emulator, client, users) = emulator_with_users(2).await;
    emulator.update_settings(|s| s.unknown_ids = UnknownIdPolicy::Ignore);
    let resp = client.resign(&[&users[0].user_id, "nobody"]).await;
    assert_eq!(resp.status_code(), 200, "{}", resp.text);
    assert_eq!(emulator.users()[0].status, "Resigned");
    assert_eq!(emulator.users()[1].status, "Activated");
}

#[tokio::test]
async fn resign_user_single() {
    let (emulator, client, users) = emulator_with_users(2).await;
    let resp = client
        .post("/api/v3/resign-user", &json!({"userId": users[0].user_id}))
        .await;
    assert_eq!(resp.json()["data"], json!({"success": true}));
    let resp = client
        .post(
            "/api/v3/resign-user",
            &json!({"userId": "user1", "userIdType": "username"}),
        )
        .await;
    assert_eq!(resp.status_code(), 200);
    assert!(emulator.users().iter().all(|u| u.status == "Resigned"));
    let resp = client
        .post("/api/v3/resign-user", &json!({"userId": "ghost"}))
        .await;
    assert_eq!((resp.status_code(), resp.api_code()), (404, Some(2004)));
    let resp = client
        .post("/api/v3/resign-user", &json!({"userIds": ["x"]}))
        .await;
    assert_eq!(resp.status_code(), 400);
    assert!(
        resp.message().starts_with("参数 userId 格式错误"),
        "{}",
        resp.message()
    );
}

#[tokio::test]
async fn create_users_batch_creates_and_refuses_conflicts() {
    let (emulator, client, _) = emulator_with_users(0).await;
    let resp = client
        .post(
            "/api/v3/create-users-batch",
            &json!({"list": [{"username": "bob", "email": "bob@example.com", "name": "Bob", "password": "p"}, {"phone": "13800000000", "externalId": "e1"}], "options": {"keepPassword": false}}),
        )
        .await;
    let body = resp.json();
    assert_eq!(body["statusCode"], 200, "{}", resp.text);
    let created = body["data"].as_array().unwrap();
    assert_eq!(created.len(), 2);
    assert_eq!(created[0]["username"], "bob");
    assert_eq!(created[0]["status"], "Activated");
    assert_eq!(created[0]["workStatus"], "Active");
    assert_eq!(created[0]["userId"].as_str().unwrap().len(), 24);
    assert!(created[0].get("password").is_none());
    assert_eq!(emulator.users().len(), 2);

    let create = |list: serde_json::Value| {
        let (client, body) = (&client, json!({ "list": list }));
        async move { client.post("/api/v3/create-users-batch", &body).await }
    };
    let resp = create(json!([{"username": "carol"}, {"username": "bob"}])).await;
    assert_eq!(resp.status_code(), 409);
    assert!(resp.message().contains("bob"), "{}", resp.message());
    let users = emulator.users().len();
    assert_eq!(users, 2, "a conflicting batch creates nobody");
    for (list, status) in [
        (json!([{"username": "d"}, {"username": "d"}]), 409),
        (
            json!([{"name": "no identifier", "externalId": "only-external"}]),
            400,
        ),
        (json!([]), 400),
    ] {
        assert_eq!(create(list.clone()).await.status_code(), status, "{list}");
    }
}

#[tokio::test]
async fn get_user_by_each_type_and_404() {
    let (_emulator, client, users) = emulator_with_users(1).await;
    let resp = client
        .get_user(&format!(
            "userId={}&userIdType=user_id&withCustomData=false",
            users[0].user_id
        ))
        .await;
    let body = resp.json();
    assert_eq!(body["statusCode"], 200, "{}", resp.text);
    assert_eq!(body["data"]["userId"], users[0].user_id);
    assert_eq!(body["data"]["email"], "user0@example.com");
    let resp = client
        .get_user("userId=user0%40example.com&userIdType=email")
        .await;
    assert_eq!(resp.json()["data"]["username"], "user0");
    let resp = client.get_user("userId=ghost").await;
    assert_eq!(
        (resp.status_code(), resp.api_code(), resp.message()),
        (404, Some(2004), "用户不存在".into())
    );
    let resp = client.get_user("").await;
    assert_eq!(resp.status_code(), 400);
}

#[tokio::test]
async fn get_user_batch_reads_qs_and_repeated_arrays() {
    let (_emulator, client, users) = emulator_with_users(3).await;
    let query = format!(
        "userIds%5B%5D={}&userIds%5B%5D={}&userIds%5B%5D=ghost&userIdType=user_id",
        users[0].user_id, users[2].user_id
    );
    let resp = client.get_user_batch(&query).await;
    let data = resp.json()["data"].clone();
    assert_eq!(data.as_array().unwrap().len(), 2, "{}", resp.text);
    assert_eq!(data[1]["userId"], users[2].user_id);
    let resp = client
        .get_user_batch("userIds=user0&userIds=user1&userIdType=username")
        .await;
    assert_eq!(resp.json()["data"].as_array().unwrap().len(), 2);
    let resp = client
        .get_user_batch("userIds[]=user1&userIdType=username")
        .await;
    assert_eq!(resp.json()["data"][0]["username"], "user1");
    let resp = client.get_user_batch("userIdType=username").await;
    assert_eq!(
        (resp.status_code(), resp.message()),
        (400, "参数 userIds 格式错误".into())
    );
}

#[tokio::test]
async fn get_user_batch_reads_one_comma_separated_value() {
    // The official Java, Go, C# and Python SDKs send `userIds=a,b`, signed as that string.
    let (_emulator, client, _users) = emulator_with_users(3).await;
    let resp = client
        .get_user_batch("userIds=user0,ghost,user2&userIdType=username")
        .await;
    let data = resp.json()["data"].clone();
    let names: Vec<&str> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["user0", "user2"], "{}", resp.text);
    let resp = client
        .get_user_batch("userIds=user0,,user1&userIdType=username")
        .await;
    assert_eq!(resp.status_code(), 400, "an empty piece is a bad id");
    let many = (0..51)
        .map(|i| format!("u{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let resp = client.get_user_batch(&format!("userIds={many}")).await;
    assert_eq!(resp.status_code(), 400, "at most 50 ids");
}

#[tokio::test]
async fn list_users_paginates() {
    let (_emulator, client, users) = emulator_with_users(25).await;
    let resp = client
        .post(
            "/api/v3/list-users",
            &json!({"options": {"pagination": {"page": 3, "limit": 10}}}),
        )
        .await;
    let data = resp.json()["data"].clone();
    assert_eq!(data["totalCount"], 25);
    assert_eq!(data["list"].as_array().unwrap().len(), 5);
    assert_eq!(data["list"][0]["userId"], users[20].user_id);
    let resp = client.post("/api/v3/list-users", &json!({})).await;
    assert_eq!(resp.json()["data"]["list"].as_array().unwrap().len(), 10);
    let resp = client
        .post(
            "/api/v3/list-users",
            &json!({"options": {"pagination": {"limit": 0}}}),
        )
        .await;
    assert_eq!(resp.status_code(), 400);
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_get_the_404_envelope() {
    let (emulator, client, _) = emulator_with_users(0).await;
    for (method, path) in [
        (Method::POST, "/api/v3/no-such-thing"),
        (Method::GET, "/"),
        (Method::GET, BATCH),
        (Method::POST, "/api/v3/get-user"),
    ] {
        let resp = client.raw(method.clone(), path, &[], None).await;
        assert_eq!(resp.http, 200);
        assert_eq!(resp.status_code(), 404, "{method} {path}");
    }
    assert_eq!(emulator.journal().len(), 4);
}

#[tokio::test]
async fn library_accessors_reflect_requests() {
    let (emulator, client, users) = emulator_with_users(1).await;
    client.resign(&[&users[0].user_id]).await;
    let entry = &emulator.journal()[0];
    assert_eq!(
        (entry.seq, entry.method.as_str(), entry.path.as_str()),
        (1, "POST", BATCH)
    );
    assert_eq!(entry.body["userIds"][0], users[0].user_id);
    assert_eq!(
        (entry.status_code, entry.http_status, entry.api_code),
        (200, 200, None)
    );
    assert!(entry.connection_id >= 1);
    assert_eq!(emulator.stats().requests, 1);
    assert!(emulator.stats().connections >= 1);
    assert!(emulator.find_user("user0", "username").is_some());
    assert!(emulator.find_user("user0", "not_a_type").is_none());
    emulator.clear_journal();
    assert!(emulator.journal().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_batches_from_many_connections_all_land() {
    let (emulator, _client, users) = emulator_with_users(500).await;
    let tasks: Vec<_> = users
        .chunks(50)
        .map(|chunk| {
            let ids: Vec<String> = chunk.iter().map(|u| u.user_id.clone()).collect();
            // A client per task: separate connections, signatures and nonces.
            let client = common::Client::for_emulator(&emulator);
            tokio::spawn(async move {
                client
                    .post(BATCH, &json!({ "userIds": ids }))
                    .await
                    .status_code()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    assert!(emulator.users().iter().all(|u| u.status == "Resigned"));
    let mut seqs: Vec<u64> = emulator.journal().iter().map(|e| e.seq).collect();
    seqs.sort();
    assert_eq!(seqs, (1..=10).collect::<Vec<_>>());
    assert!(emulator.stats().connections >= 10);
}
