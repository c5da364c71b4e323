//! The `authing-emulator` binary, started as other languages' tests start it.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{Client, Sign};
use serde_json::json;

struct Running {
    child: Child,
    lines: Vec<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    fn url(&self) -> String {
        self.lines[0]
            .strip_prefix("authing-emulator listening on ")
            .unwrap()
            .to_owned()
    }
}

fn start(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..4 {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_owned());
    }
    Running { child, lines }
}

#[tokio::test]
async fn prints_its_address_first_and_serves() {
    let running = start(&["--port", "0"]);
    let first = &running.lines[0];
    assert!(
        first.starts_with("authing-emulator listening on http://127.0.0.1:"),
        "{first}"
    );
    let port: u16 = first.rsplit(':').next().unwrap().parse().unwrap();
    assert!(port > 0);
    assert_eq!(running.lines[1], "access key id: emulator-access-key-id");
    assert_eq!(
        running.lines[2],
        "access key secret: emulator-access-key-secret"
    );
    assert_eq!(running.lines[3], "userpool id: 62a0000000000000000000ee");
    let client = Client::new(&running.url());
    assert_eq!(
        client.control(reqwest::Method::GET, "health", None).await.1,
        json!({"ok": true})
    );
    let resp = client.resign(&["ghost"]).await;
    assert_eq!((resp.status_code(), resp.api_code()), (404, Some(2004)));
}

#[tokio::test]
async fn flags_set_credentials_users_and_policies() {
    let dir = std::env::temp_dir().join(format!("authing-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let users = dir.join("users.json");
    std::fs::write(&users, r#"[{"userId":"62a000000000000000000001","username":"from-file","identities":[{"extIdpId":"idp","userIdInIdp":"u1"}]}]"#).unwrap();
    let running = start(&[
        "--access-key-id",
        "my-key",
        "--access-key-secret",
        "my-secret",
        "--userpool-id",
        "my-pool",
        "--users",
        users.to_str().unwrap(),
        "--unknown-ids",
        "ignore",
        "--token-ttl",
        "60",
        "--clock-skew",
        "100",
        "--rate-limit",
        "100",
        "--retry-after",
        "4",
    ]);
    assert_eq!(running.lines[1], "access key id: my-key");
    assert!(
        !running.lines.join("\n").contains("my-secret"),
        "a chosen secret is not echoed"
    );
    assert_eq!(running.lines[3], "userpool id: my-pool");
    let client = Client::new(&running.url());
    let (_, settings) = client.control(reqwest::Method::GET, "settings", None).await;
    assert_eq!(settings["unknownIds"], "ignore");
    assert_eq!(settings["tokenTtlSecs"], 60);
    assert_eq!(settings["clockSkewSecs"], 100);
    assert_eq!(
        settings["rateLimit"],
        json!({"rps": 100, "retryAfterSecs": 4})
    );
    assert_eq!(settings["userpoolId"], "my-pool");

    let sign = Sign {
        key_id: "my-key".into(),
        secret: "my-secret".into(),
        ..Sign::default()
    };
    let resp = client
        .post_with(
            "/api/v3/resign-user-batch",
            &json!({"userIds": ["idp:u1", "ghost"], "userIdType": "identity"}),
            &sign,
        )
        .await;
    assert_eq!(resp.status_code(), 200, "{}", resp.text);
    let (_, users) = client.control(reqwest::Method::GET, "users", None).await;
    assert_eq!(users[0]["status"], "Resigned");
    assert_eq!(
        client
            .post("/api/v3/resign-user-batch", &json!({"userIds": ["x"]}))
            .await
            .api_code(),
        Some(1300)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_flags_exit_with_a_message() {
    let bin = env!("CARGO_BIN_EXE_authing-emulator");
    let out = Command::new(bin)
        .args(["--users", "/nonexistent/users.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("users file"));
    let out = Command::new(bin)
        .args(["--unknown-ids", "sometimes"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = Command::new(bin)
        .args(["--retry-after", "3"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "--retry-after needs --rate-limit");
    let out = Command::new(bin)
        .args(["--rate-limit", "0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[tokio::test]
async fn tls_flags_serve_https() {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let dir = std::env::temp_dir().join(format!("authing-emulator-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    let running = start(&[
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    assert!(
        running.url().starts_with("https://127.0.0.1:"),
        "{}",
        running.lines[0]
    );
    let client = Client::trusting(&running.url(), &certified.cert.pem());
    let resp = client.resign(&["ghost"]).await;
    assert_eq!(resp.api_code(), Some(2004));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_users_file_with_a_bad_status_is_refused() {
    let path = std::env::temp_dir().join(format!(
        "authing-emulator-bad-users-{}.json",
        std::process::id()
    ));
    std::fs::write(&path, r#"[{"username":"x","status":"Fired"}]"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .args(["--users", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("users[0].status"));
    std::fs::remove_file(&path).ok();
}
