//! Numeric settings are bounded: out-of-range values get statusCode 400 (control API) or
//! exit 2 (flags) naming the field, and huge library settings never overflow.

mod common;

use std::time::Duration;

use authing_emulator::{Emulator, Fault, FaultKind, RateLimit, Settings};
use common::{emulator_with_users, Client};
use reqwest::Method;
use serde_json::json;

const BATCH: &str = "/api/v3/resign-user-batch";
const YEAR: u64 = 365 * 86_400;

/// A signed call and a call with a fresh management token, both answered with success.
async fn resign_with_both_schemes(client: &Client, user_id: &str) {
    let body = json!({ "userIds": [user_id] });
    let resp = client.post(BATCH, &body).await;
    assert_eq!(resp.status_code(), 200, "{}", resp.text);
    let token = client.token().await;
    let headers = [
        ("content-type", "application/json"),
        ("authorization", &format!("Bearer {token}")),
        ("x-authing-userpool-id", &Settings::default().userpool_id),
    ];
    let raw = Some(body.to_string().into_bytes());
    let resp = client.raw(Method::POST, BATCH, &headers, raw).await;
    assert_eq!(resp.status_code(), 200, "{}", resp.text);
}

#[tokio::test]
async fn control_api_refuses_out_of_range_numbers() {
    let (emulator, client, users) = emulator_with_users(1).await;
    let huge = json!(u64::MAX);
    let cases = [
        (json!({"clockSkewSecs": u64::MAX / 1000}), "clockSkewSecs"),
        (json!({"clockSkewSecs": YEAR + 1}), "clockSkewSecs"),
        (json!({"clockSkewSecs": -1}), "clockSkewSecs"),
        (json!({"tokenTtlSecs": huge}), "tokenTtlSecs"),
        (json!({"tokenTtlSecs": 1e30}), "tokenTtlSecs"),
        (json!({"tokenTtlSecs": 0}), "tokenTtlSecs"),
        (json!({"rateLimit": {"rps": 1u64 << 32}}), "rateLimit.rps"),
        (
            json!({"rateLimit": {"rps": 5, "retryAfterSecs": huge}}),
            "rateLimit.retryAfterSecs",
        ),
    ];
    for (patch, field) in cases {
        let (status, body) = client
            .control(Method::PATCH, "settings", Some(patch.clone()))
            .await;
        assert_eq!(status, 400, "{patch}");
        let message = body["error"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("{field} must be an integer from")),
            "{message}"
        );
    }
    // A bad patch changes nothing, even its valid fields.
    let (status, _) = client
        .control(
            Method::PATCH,
            "settings",
            Some(json!({"unknownIds": "ignore", "tokenTtlSecs": huge})),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(emulator.settings().token_ttl, Duration::from_secs(7200));
    assert_eq!(
        emulator.settings().unknown_ids,
        authing_emulator::UnknownIdPolicy::Reject
    );

    for (fault, field) in [
        (json!({"kind": "delay", "delayMs": huge}), "delayMs"),
        (json!({"kind": "delay", "delayMs": 86_400_001}), "delayMs"),
        (json!({"kind": "drop", "times": 1u64 << 40}), "times"),
        (
            json!({"kind": "envelope_status", "status": 70_000}),
            "status",
        ),
    ] {
        let (status, body) = client
            .control(Method::POST, "faults", Some(fault.clone()))
            .await;
        assert_eq!(status, 400, "{fault}");
        assert!(body["error"].as_str().unwrap().starts_with(field), "{body}");
    }

    // The largest accepted values work end to end: signatures, tokens, faults.
    let (status, _) = client
        .control(Method::PATCH, "settings", Some(json!({"clockSkewSecs": YEAR, "tokenTtlSecs": YEAR, "rateLimit": {"rps": 1_000_000, "retryAfterSecs": YEAR}})))
        .await;
    assert_eq!(status, 200);
    let (status, _) = client
        .control(
            Method::POST,
            "faults",
            Some(json!({"kind": "delay", "delayMs": 1, "times": 1_000_000})),
        )
        .await;
    assert_eq!(status, 200);
    resign_with_both_schemes(&client, &users[0].user_id).await;
}

#[tokio::test]
async fn huge_library_settings_saturate_instead_of_panicking() {
    let (emulator, client, users) = emulator_with_users(1).await;
    emulator.update_settings(|s| {
        s.clock_skew = Duration::MAX;
        s.token_ttl = Duration::MAX;
    });
    // Would overflow `date + skew` (nonce expiry) and `now + ttl` (token exp).
    resign_with_both_schemes(&client, &users[0].user_id).await;

    // A huge delay is listed without truncation or a panic (stacking is unit-tested).
    emulator.add_fault(Fault::once("/nowhere", FaultKind::Delay(Duration::MAX)));
    emulator.add_fault(Fault::once("/nowhere", FaultKind::Delay(Duration::MAX)));
    let (status, faults) = client.control(Method::GET, "faults", None).await;
    assert_eq!(status, 200);
    assert_eq!(faults[0]["delayMs"], json!(u64::MAX));
}

#[tokio::test]
async fn start_refuses_out_of_range_settings() {
    let cases = [
        Settings {
            clock_skew: Duration::from_secs(YEAR + 1),
            ..Settings::default()
        },
        Settings {
            token_ttl: Duration::MAX,
            ..Settings::default()
        },
        Settings {
            rate_limit: Some(RateLimit {
                rps: 2_000_000,
                retry_after: None,
            }),
            ..Settings::default()
        },
        Settings {
            rate_limit: Some(RateLimit {
                rps: 1,
                retry_after: Some(u64::MAX),
            }),
            ..Settings::default()
        },
    ];
    for settings in cases {
        let text = format!("{settings:?}");
        let err = Emulator::start(settings).await.unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{text}");
        assert!(err.to_string().starts_with("invalid settings: "), "{err}");
    }
}

/// Runs the binary expecting it to exit on its own; a binary that accepted the flags
/// would serve forever, so it is killed after a while and the run fails.
fn exit_of(args: &[&str]) -> (Option<i32>, String) {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{args:?} were accepted: the emulator started");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn flags_out_of_range_exit_2_naming_the_flag() {
    for args in [
        &["--clock-skew", "18446744073709551"][..],
        &["--token-ttl", "31536001"],
        &["--rate-limit", "1000001"],
        &["--rate-limit", "5", "--retry-after", "99999999999"],
    ] {
        let (code, stderr) = exit_of(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        let flag = args[args.len() - 2];
        assert!(stderr.contains(flag), "{stderr}");
    }
}
