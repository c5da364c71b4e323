//! The request pipeline for every non-control route: faults, rate limit, route, body,
//! authentication, handler, journal.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Response, StatusCode};

use crate::auth::{self, AuthInput};
use crate::body::{journal_body, parse_json, read_bounded, BodyRead};
use crate::envelope::{proxy_page, Reply};
use crate::fault_bodies;
use crate::faults::FaultKind;
use crate::journal::{redact_authorization, redact_body, AuthKind, JournalEntry};
use crate::messages::{for_status, Lang, Msg};
use crate::params::QueryParams;
use crate::routes::{dispatch, Input, Route};
use crate::server::ConnCtx;
use crate::state::Shared;
use crate::MAX_BODY_BYTES;

const NON_JSON_PAGE: &str = "<!DOCTYPE html><html><head><title>Authing</title></head>\
<body><h1>系统维护中 / Under maintenance</h1></body></html>";

/// Bounds how long a request whose connection was told to drop can linger.
const DROP_GRACE: Duration = Duration::from_secs(30);

pub(crate) async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response<Body> {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let conn = req.extensions().get::<ConnCtx>().cloned();
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = req.into_parts();
    let lang = Lang::from_headers(&parts.headers);
    let body = read_bounded(body, MAX_BODY_BYTES).await;

    let mut entry = JournalEntry {
        seq: 0,
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: journal_headers(&parts.headers),
        body: redact_body(journal_body(&body)),
        auth: AuthKind::None,
        status_code: 0,
        api_code: None,
        http_status: 0,
        request_id: request_id.clone(),
        connection_id: conn.as_ref().map_or(0, |c| c.id),
        fault: None,
    };

    let triggered = shared.faults.trigger(&entry.path);
    if !triggered.labels.is_empty() {
        entry.fault = Some(triggered.labels.join(", "));
    }
    if !triggered.delay.is_zero() {
        tokio::time::sleep(triggered.delay).await;
    }
    let answer_replaced = matches!(triggered.action, Some(FaultKind::ActThenNonJson));
    let reply = match triggered.action {
        Some(FaultKind::Drop) => return drop_connection(&shared, entry, conn).await,
        Some(FaultKind::HttpStatus {
            status,
            retry_after,
        }) => Reply::Raw {
            http_status: status,
            body: proxy_page(status),
            retry_after,
        },
        Some(FaultKind::EnvelopeStatus {
            status_code,
            retry_after,
        }) => Reply::fail(status_code, None, for_status(lang, status_code))
            .with_retry_after(retry_after),
        Some(FaultKind::NonJson) => non_json(),
        Some(FaultKind::SuccessFalse) => Reply::not_done(lang),
        Some(FaultKind::HugeBody { size_bytes }) => {
            entry.http_status = 200;
            shared.journal.push(entry);
            return fault_bodies::huge(size_bytes, &request_id);
        }
        Some(FaultKind::StallBody(stall)) => {
            entry.http_status = 200;
            shared.journal.push(entry);
            return fault_bodies::stalled(stall, &request_id);
        }
        // The act_then_* faults do the work first; only the answer goes wrong.
        Some(FaultKind::ActThenDrop) => {
            let done = process(&shared, &parts, &body, lang, &mut entry.auth);
            (entry.status_code, entry.api_code, entry.http_status) = done.outcome();
            return drop_connection(&shared, entry, conn).await;
        }
        Some(FaultKind::ActThenNonJson) => {
            let done = process(&shared, &parts, &body, lang, &mut entry.auth);
            (entry.status_code, entry.api_code, _) = done.outcome();
            non_json()
        }
        Some(FaultKind::ActThenDelay(wait)) => {
            let done = process(&shared, &parts, &body, lang, &mut entry.auth);
            tokio::time::sleep(wait).await;
            done
        }
        Some(FaultKind::Delay(_)) | None => process(&shared, &parts, &body, lang, &mut entry.auth),
    };
    if answer_replaced {
        // The journal keeps what the work decided, with the HTTP status actually sent.
        entry.http_status = 200;
        shared.journal.push(entry);
        return reply.into_response(&request_id);
    }
    (entry.status_code, entry.api_code, entry.http_status) = reply.outcome();
    shared.journal.push(entry);
    reply.into_response(&request_id)
}

fn non_json() -> Reply {
    Reply::Raw {
        http_status: 200,
        body: NON_JSON_PAGE.into(),
        retry_after: None,
    }
}

/// Journals the request, then has the connection task close the socket unanswered.
async fn drop_connection(
    shared: &Shared,
    entry: JournalEntry,
    conn: Option<ConnCtx>,
) -> Response<Body> {
    shared.journal.push(entry);
    if let Some(conn) = conn {
        conn.kill.notify_one();
    }
    // The connection task drops this future together with the socket.
    tokio::time::sleep(DROP_GRACE).await;
    let mut gone = Response::new(Body::empty());
    *gone.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    gone
}

fn process(
    shared: &Shared,
    parts: &Parts,
    body: &BodyRead,
    lang: Lang,
    auth_kind: &mut AuthKind,
) -> Reply {
    let limit = shared.with_settings(|s| s.rate_limit);
    if !shared.limiter.admit(limit) {
        let retry_after = limit.and_then(|l| l.retry_after).map(|s| s.to_string());
        return Reply::msg(429, None, Msg::Throttled, lang).with_retry_after(retry_after);
    }
    let path = parts.uri.path();
    let Some(route) = Route::find(parts.method.as_str(), path) else {
        return Reply::msg(404, None, Msg::NotFound, lang);
    };
    let (input, params) = if route.method() == "GET" {
        let query = QueryParams::parse(parts.uri.query().unwrap_or(""));
        let params = query.canonical();
        (Input::Query(query), params)
    } else {
        match parse_json(&parts.headers, body, lang) {
            Ok(json) => (Input::Body(json.value), json.params),
            Err(reply) => return reply,
        }
    };
    if route.needs_auth() {
        let auth_input = AuthInput {
            method: parts.method.as_str(),
            path,
            headers: &parts.headers,
            params: &params,
            lang,
        };
        match auth::authenticate(shared, &auth_input) {
            Ok(kind) => *auth_kind = kind,
            Err((kind, reply)) => {
                *auth_kind = kind;
                return reply;
            }
        }
    }
    dispatch(route, shared, &input, lang)
}

fn journal_headers(headers: &HeaderMap) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
        let text = if name == header::AUTHORIZATION {
            redact_authorization(&text)
        } else {
            text
        };
        out.entry(name.as_str().to_owned())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&text);
            })
            .or_insert(text);
    }
    out
}
