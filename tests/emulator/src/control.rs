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
use crate::limits::{integer, MAX_DELAY_MS, MAX_FAULT_BODY_BYTES, MAX_RPS, MAX_SECS, MAX_TIMES};
use crate::locks::read;
use crate::model::NewUser;
use crate::seeding::SeedError;
use crate::settings::{Credentials, RateLimit, Settings, UnknownIdPolicy};
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RateLimitView {
    rps: u32,
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

// Numbers arrive as JSON values so that out-of-range ones get a message naming the field.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RateLimitPatch {
    rps: Value,
    #[serde(default)]
    retry_after_secs: Option<Value>,
}

impl RateLimitPatch {
    fn check(&self) -> Result<RateLimit, String> {
        let rps = integer(&self.rps, "rateLimit.rps", 1, MAX_RPS)?;
        let retry_after = match &self.retry_after_secs {
            None | Some(Value::Null) => None,
            Some(v) => Some(integer(v, "rateLimit.retryAfterSecs", 0, MAX_SECS)?),
        };
        Ok(RateLimit {
            rps: u32::try_from(rps).map_err(|_| "rateLimit.rps is too large".to_owned())?,
            retry_after,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SettingsPatch {
    unknown_ids: Option<UnknownIdPolicy>,
    token_ttl_secs: Option<Value>,
    clock_skew_secs: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    rate_limit: Option<Option<RateLimitPatch>>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    userpool_id: Option<String>,
}

type Numbers = (Option<u64>, Option<u64>, Option<Option<RateLimit>>);

impl SettingsPatch {
    /// The numeric fields, each checked against its bounds.
    fn numbers(&self) -> Result<Numbers, String> {
        let secs = |value: &Option<Value>, name: &str, min: u64| {
            value
                .as_ref()
                .map(|v| integer(v, name, min, MAX_SECS))
                .transpose()
        };
        let limit = match &self.rate_limit {
            None => None,
            Some(None) => Some(None),
            Some(Some(limit)) => Some(Some(limit.check()?)),
        };
        Ok((
            secs(&self.token_ttl_secs, "tokenTtlSecs", 1)?,
            secs(&self.clock_skew_secs, "clockSkewSecs", 0)?,
            limit,
        ))
    }
}

async fn get_settings(State(shared): Ctl) -> Json<SettingsView> {
    Json(shared.with_settings(SettingsView::of))
}

async fn patch_settings(State(shared): Ctl, body: Bytes) -> Response {
    let patch: SettingsPatch = match parse(&body) {
        Ok(p) => p,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    // Everything is checked before anything changes: a bad patch changes nothing.
    let (ttl, skew, limit) = match patch.numbers() {
        Ok(values) => values,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let Some(credentials) = Credentials::given(
        patch.access_key_id,
        patch.access_key_secret,
        patch.userpool_id,
    ) else {
        let message = "credentials and userpoolId must not be empty";
        return error(StatusCode::BAD_REQUEST, message.into());
    };
    shared.update_settings(|s| {
        if let Some(v) = patch.unknown_ids {
            s.unknown_ids = v;
        }
        if let Some(v) = ttl {
            s.token_ttl = Duration::from_secs(v);
        }
        if let Some(v) = skew {
            s.clock_skew = Duration::from_secs(v);
        }
        if let Some(v) = limit {
            s.rate_limit = v;
        }
        credentials.apply(s);
    });
    Json(shared.with_settings(SettingsView::of)).into_response()
}

async fn add_users(State(shared): Ctl, body: Bytes) -> Response {
    let users: Vec<NewUser> = match parse(&body) {
        Ok(u) => u,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    match shared.try_seed(users) {
        Ok(users) => Json(json!({ "users": users })).into_response(),
        Err(e @ SeedError::Invalid(_)) => error(StatusCode::BAD_REQUEST, e.to_string()),
        // 409 like create-users-batch answers for a taken username/email/phone.
        Err(e @ SeedError::Conflict { .. }) => error(StatusCode::CONFLICT, e.to_string()),
    }
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
    status: Option<Value>,
    #[serde(default)]
    retry_after: Option<Value>,
    #[serde(default)]
    delay_ms: Option<Value>,
    #[serde(default)]
    size_bytes: Option<Value>,
    #[serde(default)]
    times: Option<Value>,
}

// An optional JSON number in range; `null` counts as absent.
fn optional(value: &Option<Value>, name: &str, min: u64, max: u64) -> Result<Option<u64>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => integer(v, name, min, max).map(Some),
    }
}

fn fault_from_spec(spec: FaultSpec) -> Result<Fault, String> {
    let retry_after = match spec.retry_after {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err("retryAfter must be a string or a number".into()),
    };
    let times = optional(&spec.times, "times", 0, MAX_TIMES)?;
    let kind = match spec.kind.as_str() {
        "http_status" => {
            let status = optional(&spec.status, "status", 100, 599)
                .map_err(|_| "status must be an HTTP status from 100 to 599".to_owned())?
                .ok_or("http_status needs status (e.g. 502)")?;
            FaultKind::HttpStatus {
                status: status as u16,
                retry_after,
            }
        }
        "envelope_status" => FaultKind::EnvelopeStatus {
            status_code: optional(&spec.status, "status", 0, u64::from(u16::MAX))?
                .ok_or("envelope_status needs status (e.g. 503)")? as u16,
            retry_after,
        },
        "delay" => FaultKind::Delay(delay(&spec.delay_ms, "delay")?),
        "drop" => FaultKind::Drop,
        "non_json" => FaultKind::NonJson,
        "success_false" => FaultKind::SuccessFalse,
        "act_then_drop" => FaultKind::ActThenDrop,
        "act_then_non_json" => FaultKind::ActThenNonJson,
        "act_then_delay" => FaultKind::ActThenDelay(delay(&spec.delay_ms, "act_then_delay")?),
        "huge_body" => FaultKind::HugeBody {
            size_bytes: optional(&spec.size_bytes, "sizeBytes", 0, MAX_FAULT_BODY_BYTES)?
                .ok_or("huge_body needs sizeBytes")?,
        },
        "stall_body" => FaultKind::StallBody(delay(&spec.delay_ms, "stall_body")?),
        other => {
            return Err(format!(
                "unknown kind {other:?}: use http_status, envelope_status, delay, drop, \
                 non_json, success_false, act_then_drop, act_then_non_json, act_then_delay, \
                 huge_body or stall_body"
            ))
        }
    };
    Ok(Fault {
        route: spec.route.unwrap_or_else(|| "*".into()),
        kind,
        // In range by `MAX_TIMES`, so the conversion cannot fail.
        times: match times {
            None => Some(1),
            Some(0) => None,
            Some(n) => Some(u32::try_from(n).unwrap_or(u32::MAX)),
        },
    })
}

/// The `delayMs` a fault of `kind` needs.
fn delay(delay_ms: &Option<Value>, kind: &str) -> Result<Duration, String> {
    let ms = optional(delay_ms, "delayMs", 0, MAX_DELAY_MS)?
        .ok_or_else(|| format!("{kind} needs delayMs"))?;
    Ok(Duration::from_millis(ms))
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
