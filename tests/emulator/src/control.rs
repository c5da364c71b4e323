//! The control API under `/__emulator/`: JSON, no auth, never journaled or counted.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};

use crate::faults::{Fault, FaultKind};
use crate::locks::read;
use crate::model::{NewUser, STATUSES};
use crate::settings::{RateLimit, Settings, UnknownIdPolicy};
use crate::state::Shared;

type Ctl = State<Arc<Shared>>;

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/health", get(|| async { Json(json!({ "ok": true })) }))
        .route("/reset", post(reset))
        .route("/settings", get(get_settings).patch(patch_settings))
        .route("/users", get(list_users).post(add_users))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/journal", get(journal).delete(clear_journal))
        .route("/stats", get(stats))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such control route".into()) })
        .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
}

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("invalid request: {e}"))
}

async fn reset(State(shared): Ctl) -> Json<Value> {
    shared.reset();
    Json(json!({ "ok": true }))
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RateLimitView {
    rps: u32,
    #[serde(default)]
    retry_after_secs: Option<u64>,
}

/// Settings as the control API shows them (the secret and TLS key are never shown).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SettingsView {
    access_key_id: String,
    userpool_id: String,
    token_ttl_secs: u64,
    unknown_ids: UnknownIdPolicy,
    clock_skew_secs: u64,
    rate_limit: Option<RateLimitView>,
    tls: bool,
}

impl SettingsView {
    fn of(s: &Settings) -> SettingsView {
        SettingsView {
            access_key_id: s.access_key_id.clone(),
            userpool_id: s.userpool_id.clone(),
            token_ttl_secs: s.token_ttl.as_secs(),
            unknown_ids: s.unknown_ids,
            clock_skew_secs: s.clock_skew.as_secs(),
            rate_limit: s.rate_limit.map(|r| RateLimitView {
                rps: r.rps,
                retry_after_secs: r.retry_after,
            }),
            tls: s.tls.is_some(),
        }
    }
}

// Distinguishes an absent field (no change) from `null` (remove the rate limit).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SettingsPatch {
    unknown_ids: Option<UnknownIdPolicy>,
    token_ttl_secs: Option<u64>,
    clock_skew_secs: Option<u64>,
    #[serde(default, deserialize_with = "present")]
    rate_limit: Option<Option<RateLimitView>>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    userpool_id: Option<String>,
}

async fn get_settings(State(shared): Ctl) -> Json<SettingsView> {
    Json(shared.with_settings(SettingsView::of))
}

async fn patch_settings(State(shared): Ctl, body: Bytes) -> Response {
    let patch: SettingsPatch = match parse(&body) {
        Ok(p) => p,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    if patch.token_ttl_secs == Some(0) {
        return error(
            StatusCode::BAD_REQUEST,
            "tokenTtlSecs must be at least 1".into(),
        );
    }
    if let Some(Some(limit)) = &patch.rate_limit {
        if limit.rps == 0 {
            return error(
                StatusCode::BAD_REQUEST,
                "rateLimit.rps must be at least 1".into(),
            );
        }
    }
    let blank = [
        &patch.access_key_id,
        &patch.access_key_secret,
        &patch.userpool_id,
    ]
    .into_iter()
    .any(|v| v.as_deref().is_some_and(str::is_empty));
    if blank {
        return error(
            StatusCode::BAD_REQUEST,
            "credentials and userpoolId must not be empty".into(),
        );
    }
    shared.update_settings(|s| {
        if let Some(v) = patch.unknown_ids {
            s.unknown_ids = v;
        }
        if let Some(v) = patch.token_ttl_secs {
            s.token_ttl = Duration::from_secs(v);
        }
        if let Some(v) = patch.clock_skew_secs {
            s.clock_skew = Duration::from_secs(v);
        }
        if let Some(v) = patch.rate_limit {
            s.rate_limit = v.map(|r| RateLimit {
                rps: r.rps,
                retry_after: r.retry_after_secs,
            });
        }
        if let Some(v) = patch.access_key_id {
            s.access_key_id = v;
        }
        if let Some(v) = patch.access_key_secret {
            s.access_key_secret = v;
        }
        if let Some(v) = patch.userpool_id {
            s.userpool_id = v;
        }
    });
    Json(shared.with_settings(SettingsView::of)).into_response()
}

/// Checks users for the control API or the binary's `--users` file: known statuses and
/// non-empty `userId`s. The error names the offending item.
pub fn validate_users(users: &[NewUser]) -> Result<(), String> {
    for (i, user) in users.iter().enumerate() {
        if let Some(status) = &user.status {
            if !STATUSES.contains(&status.as_str()) {
                return Err(format!(
                    "users[{i}].status must be one of {}",
                    STATUSES.join(", ")
                ));
            }
        }
        if user
            .user_id
            .as_deref()
            .is_some_and(|id| id.trim().is_empty())
        {
            return Err(format!("users[{i}].userId must not be empty"));
        }
    }
    Ok(())
}

async fn add_users(State(shared): Ctl, body: Bytes) -> Response {
    let users: Vec<NewUser> = match parse(&body) {
        Ok(u) => u,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    if let Err(message) = validate_users(&users) {
        return error(StatusCode::BAD_REQUEST, message);
    }
    Json(json!({ "users": shared.seed(users) })).into_response()
}

async fn list_users(State(shared): Ctl) -> Response {
    Json(read(&shared.store).all()).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultSpec {
    #[serde(default)]
    route: Option<String>,
    kind: String,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    retry_after: Option<Value>,
    #[serde(default)]
    delay_ms: Option<u64>,
    #[serde(default)]
    times: Option<u32>,
}

fn fault_from_spec(spec: FaultSpec) -> Result<Fault, String> {
    let retry_after = match spec.retry_after {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err("retryAfter must be a string or a number".into()),
    };
    let kind = match spec.kind.as_str() {
        "http_status" => {
            let status = spec.status.ok_or("http_status needs status (e.g. 502)")?;
            if !(100..=599).contains(&status) {
                return Err("status must be an HTTP status from 100 to 599".into());
            }
            FaultKind::HttpStatus {
                status,
                retry_after,
            }
        }
        "envelope_status" => FaultKind::EnvelopeStatus {
            status_code: spec
                .status
                .ok_or("envelope_status needs status (e.g. 503)")?,
            retry_after,
        },
        "delay" => FaultKind::Delay(Duration::from_millis(
            spec.delay_ms.ok_or("delay needs delayMs")?,
        )),
        "drop" => FaultKind::Drop,
        "non_json" => FaultKind::NonJson,
        other => {
            return Err(format!(
                "unknown kind {other:?}: use http_status, envelope_status, delay, drop or non_json"
            ))
        }
    };
    Ok(Fault {
        route: spec.route.unwrap_or_else(|| "*".into()),
        kind,
        times: match spec.times {
            None => Some(1),
            Some(0) => None,
            Some(n) => Some(n),
        },
    })
}

async fn add_fault(State(shared): Ctl, body: Bytes) -> Response {
    let spec: FaultSpec = match parse(&body) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    match fault_from_spec(spec) {
        Ok(fault) => Json(json!({ "id": shared.faults.add(fault) })).into_response(),
        Err(message) => error(StatusCode::BAD_REQUEST, message),
    }
}

async fn list_faults(State(shared): Ctl) -> Response {
    Json(shared.faults.views()).into_response()
}

async fn clear_faults(State(shared): Ctl) -> Json<Value> {
    shared.faults.clear();
    Json(json!({ "ok": true }))
}

async fn journal(State(shared): Ctl) -> Response {
    Json(shared.journal.entries()).into_response()
}

async fn clear_journal(State(shared): Ctl) -> Json<Value> {
    shared.journal.clear();
    Json(json!({ "ok": true }))
}

async fn stats(State(shared): Ctl) -> Json<Value> {
    Json(json!({
        "connections": shared.connections.load(Ordering::Relaxed),
        "requests": shared.requests.load(Ordering::Relaxed),
    }))
}
