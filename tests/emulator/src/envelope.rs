//! Answers: the JSON envelope (always HTTP 200), raw bodies for faults, or nothing.

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use serde_json::{json, Value};

use crate::messages::{Lang, Msg};

/// What the emulator answers to one API request.
#[derive(Debug)]
pub(crate) enum Reply {
    /// HTTP 200 with `{statusCode, message, apiCode?, requestId, data?}`.
    Envelope {
        status_code: u16,
        api_code: Option<u32>,
        message: String,
        data: Option<Value>,
        retry_after: Option<String>,
    },
    /// A non-envelope body (HTML error pages, non-JSON faults).
    Raw {
        http_status: u16,
        body: String,
        retry_after: Option<String>,
    },
}

impl Reply {
    pub(crate) fn ok(lang: Lang, data: Value) -> Reply {
        Reply::Envelope {
            status_code: 200,
            api_code: None,
            message: Msg::Ok.text(lang),
            data: Some(data),
            retry_after: None,
        }
    }

    /// HTTP 200, `statusCode` 200, `data.success: false`: accepted, not done.
    pub(crate) fn not_done(lang: Lang) -> Reply {
        Reply::Envelope {
            status_code: 200,
            api_code: None,
            message: Msg::NotDone.text(lang),
            data: Some(json!({ "success": false })),
            retry_after: None,
        }
    }

    pub(crate) fn fail(status_code: u16, api_code: Option<u32>, message: String) -> Reply {
        Reply::Envelope {
            status_code,
            api_code,
            message,
            data: None,
            retry_after: None,
        }
    }

    pub(crate) fn msg(status_code: u16, api_code: Option<u32>, msg: Msg, lang: Lang) -> Reply {
        Reply::fail(status_code, api_code, msg.text(lang))
    }

    pub(crate) fn with_retry_after(mut self, value: Option<String>) -> Reply {
        match &mut self {
            Reply::Envelope { retry_after, .. } | Reply::Raw { retry_after, .. } => {
                *retry_after = value
            }
        }
        self
    }

    /// (envelope statusCode or 0, apiCode, HTTP status) for the journal.
    pub(crate) fn outcome(&self) -> (u16, Option<u32>, u16) {
        match self {
            Reply::Envelope {
                status_code,
                api_code,
                ..
            } => (*status_code, *api_code, 200),
            Reply::Raw { http_status, .. } => (0, None, *http_status),
        }
    }

    pub(crate) fn into_response(self, request_id: &str) -> Response<Body> {
        let (status, content_type, body, retry_after) = match self {
            Reply::Envelope {
                status_code,
                api_code,
                message,
                data,
                retry_after,
            } => {
                let mut envelope = json!({
                    "statusCode": status_code,
                    "message": message,
                    "requestId": request_id,
                });
                if let Some(code) = api_code {
                    envelope["apiCode"] = json!(code);
                }
                if let Some(data) = data {
                    envelope["data"] = data;
                }
                (
                    200,
                    "application/json; charset=utf-8",
                    envelope.to_string(),
                    retry_after,
                )
            }
            Reply::Raw {
                http_status,
                body,
                retry_after,
            } => (http_status, "text/html; charset=utf-8", body, retry_after),
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() =
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        if let Ok(value) = HeaderValue::from_str(request_id) {
            headers.insert("x-request-id", value);
        }
        if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// The HTML error page a reverse proxy would send for `status`.
pub(crate) fn proxy_page(status: u16) -> String {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n\
         <center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n\
         </body>\r\n</html>\r\n"
    )
}
