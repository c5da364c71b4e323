//! The fault matrix (tests/data/fault-matrix.json), run through the Rust client. The
//! same file is run by pytest, node --test and the Kotlin tests; each row sets the
//! emulator up through its control API, makes one call and checks the same results.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use authing_emulator::{Emulator, TlsConfig};
use authing_resign::{
    AuthScheme, BulkOptions, BulkProgress, BulkReport, ManagementClient, RetryPolicy, UserIdType,
};
use serde_json::{json, Value};

const MATRIX: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/data/fault-matrix.json"
);

/// What a call gave: an error code (with its status and api codes) or a report.
struct Result {
    error: Option<authing_resign::Error>,
    report: Option<BulkReport>,
    elapsed: Duration,
}

/// `[min, max]` from the row, checked against `actual`.
fn within(expect: &Value, key: &str, actual: u64, row: &str) {
    if let Some(bounds) = expect.get(key) {
        let (min, max) = (bounds[0].as_u64().unwrap(), bounds[1].as_u64().unwrap());
        assert!(
            (min..=max).contains(&actual),
            "{row}: {key} = {actual}, expected {min}..={max}"
        );
    }
}

async fn control(url: &str, method: reqwest::Method, path: &str, body: &Value) {
    let response = reqwest::Client::new()
        .request(method, format!("{url}/__emulator/{path}"))
        .json(body)
        .send()
        .await
        .expect("the control API answers");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.text().await.unwrap_or_default()
    );
}

/// A fault as the control API takes it: `retryAfterInSecsAsDate` becomes an HTTP date.
fn fault_body(fault: &Value) -> Value {
    let mut fault = fault.clone();
    let object = fault.as_object_mut().unwrap();
    if let Some(secs) = object.remove("retryAfterInSecsAsDate") {
        let when = SystemTime::now() + Duration::from_secs(secs.as_u64().unwrap());
        object.insert(
            "retryAfter".into(),
            Value::from(httpdate::fmt_http_date(when)),
        );
    }
    fault
}

async fn https_emulator() -> Emulator {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let tls = TlsConfig {
        cert_pem: certified.cert.pem(),
        key_pem: certified.signing_key.serialize_pem(),
    };
    common::start_with(Vec::new(), |s| s.tls = Some(tls)).await
}

async fn run_row(emulator: &Emulator, row: &Value) {
    let name = row["name"].as_str().unwrap();
    let call = &row["call"];
    let expect = &row["expect"];
    let tls = call.get("tls").is_some();
    let https = if tls {
        Some(https_emulator().await)
    } else {
        None
    };
    let target = https.as_ref().unwrap_or(emulator);
    emulator.reset();
    if let Some(settings) = row.get("settings") {
        control(
            &emulator.url(),
            reqwest::Method::PATCH,
            "settings",
            settings,
        )
        .await;
    }
    let started = Instant::now();
    for fault in row
        .get("faults")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        control(
            &emulator.url(),
            reqwest::Method::POST,
            "faults",
            &fault_body(fault),
        )
        .await;
    }
    let users = call["users"].as_u64().unwrap();
    let mut ids: Vec<String> = (0..users).map(|i| format!("m{i}@example.com")).collect();
    let seed: Vec<Value> = ids.iter().map(|e| json!({ "email": e })).collect();
    if !seed.is_empty() && !tls {
        control(
            &emulator.url(),
            reqwest::Method::POST,
            "users",
            &Value::from(seed),
        )
        .await;
    }
    ids.extend((0..call["unknown"].as_u64().unwrap()).map(|i| format!("ghost{i}@example.com")));

    let settings = target.settings();
    let options =
        authing_resign::ClientOptions::builder(settings.access_key_id, settings.access_key_secret)
            .host(target.url())
            .auth(if call["auth"] == "token" {
                AuthScheme::ManagementToken
            } else {
                AuthScheme::Signature
            })
            .timeout(Duration::from_millis(call["timeoutMs"].as_u64().unwrap()))
            .retry(RetryPolicy {
                max_retries: u32::try_from(call["maxRetries"].as_u64().unwrap()).unwrap(),
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_secs(5),
                total_deadline: None,
            })
            .build()
            .unwrap();
    let client = ManagementClient::new(options).unwrap();
    let result = if call["kind"] == "batch" {
        let error = client
            .resign_user_batch(&ids, Some(UserIdType::Email))
            .await
            .err();
        Result {
            error,
            report: None,
            elapsed: started.elapsed(),
        }
    } else {
        let mid = row.get("afterFirstChunk").cloned();
        let url = emulator.url();
        let fired = std::sync::Once::new();
        // The callback runs on a runtime task and must stay quick: the PATCH goes out
        // on its own task (rows give the next call a server-side delay to land in).
        let on_progress = mid.map(|patch| {
            Arc::new(move |_: &BulkProgress| {
                fired.call_once(|| {
                    let (url, patch) = (url.clone(), patch.clone());
                    tokio::spawn(async move {
                        control(&url, reqwest::Method::PATCH, "settings", &patch).await
                    });
                });
            }) as authing_resign::bulk::ProgressCallback
        });
        let options = BulkOptions {
            chunk_size: usize::try_from(call["chunkSize"].as_u64().unwrap()).unwrap(),
            concurrency: usize::try_from(call["concurrency"].as_u64().unwrap()).unwrap(),
            on_progress,
            ..BulkOptions::default()
        };
        let report = client
            .resign_users(&ids, UserIdType::Email, options)
            .await
            .unwrap();
        Result {
            error: None,
            report: Some(report),
            elapsed: started.elapsed(),
        }
    };
    check(target, name, expect, &result);
    if let Some(https) = https {
        https.shutdown().await;
    }
}

fn check(target: &Emulator, name: &str, expect: &Value, result: &Result) {
    if let Some(report) = &result.report {
        eprintln!(
            "{name}: totals {:?}, stopped {:?}",
            report.totals, report.stopped_early
        );
    }
    let journal = |path: &str| target.journal().iter().filter(|e| e.path == path).count() as u64;
    within(expect, "httpCalls", journal(common::BATCH), name);
    within(expect, "tokenCalls", journal(common::TOKEN), name);
    within(expect, "connections", target.stats().connections, name);
    let elapsed = result.elapsed.as_millis() as u64;
    if let Some(min) = expect.get("minElapsedMs").and_then(Value::as_u64) {
        assert!(
            elapsed >= min,
            "{name}: took {elapsed} ms, expected at least {min}"
        );
    }
    if let Some(max) = expect.get("maxElapsedMs").and_then(Value::as_u64) {
        assert!(
            elapsed <= max,
            "{name}: took {elapsed} ms, expected at most {max}"
        );
    }
    if let Some(report) = &result.report {
        let totals = serde_json::to_value(&report.totals).unwrap();
        for (outcome, count) in expect
            .get("totals")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            assert_eq!(totals[outcome], *count, "{name}: totals {totals}");
        }
        if let Some(want) = expect.get("stoppedEarly") {
            let stopped = report.stopped_early.as_ref().map(|e| e.code.as_str());
            assert_eq!(stopped, want.as_str(), "{name}");
        }
        return;
    }
    let error = result.error.as_ref();
    assert_eq!(
        error.map(|e| e.code()),
        expect["error"].as_str(),
        "{name}: {error:?}"
    );
    if let Some(status) = expect.get("statusCode") {
        assert_eq!(
            error.and_then(|e| e.status_code()).map(u64::from),
            status.as_u64(),
            "{name}"
        );
    }
    if let Some(api_code) = expect.get("apiCode") {
        assert_eq!(
            error.and_then(|e| e.api_code()).map(u64::from),
            api_code.as_u64(),
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_row_of_the_fault_matrix() {
    let matrix: Value = serde_json::from_str(&std::fs::read_to_string(MATRIX).unwrap()).unwrap();
    let rows = matrix["rows"].as_array().unwrap();
    assert!(rows.len() >= 20);
    let emulator = common::start().await;
    let mut ran = 0;
    for row in rows {
        if row.pointer("/notExpressible/rust").is_some() {
            continue;
        }
        run_row(&emulator, row).await;
        ran += 1;
    }
    println!("fault matrix: {ran} of {} rows", rows.len());
}
