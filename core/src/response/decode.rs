//! Turning an HTTP response into the envelope or a typed error: HTTP status first,
//! then the JSON body, then the envelope's `statusCode`.

use serde_json::Value;

use super::scrub::{cut, scrub_credentials};
use super::{ResignUserData, ResignUserResponse, MAX_MESSAGE_BYTES};
use crate::error::{Error, Result};

/// Longest body snippet kept in a [`Error::Decode`].
const SNIPPET_CHARS: usize = 200;
/// Longest `requestId` kept: real ones are 36-character UUIDs.
const MAX_REQUEST_ID_BYTES: usize = 128;

/// The parts of a response the decoder looks at.
pub(crate) struct RawResponse<'a> {
    pub http_status: u16,
    /// A request id from a response header, used when the envelope has none.
    pub header_request_id: Option<String>,
    pub body: &'a [u8],
    /// Whether the body may be quoted in errors. False for the token endpoint, whose
    /// body carries a token.
    pub quotable: bool,
    /// The access key secret, never quoted even if a hostile server echoes it.
    pub secret: &'a str,
}

/// The v3 envelope.
#[derive(Debug)]
pub(crate) struct Envelope {
    pub status_code: u16,
    pub message: String,
    pub api_code: Option<u32>,
    pub request_id: Option<String>,
    pub data: Option<Value>,
}

/// Decodes the envelope; a failure envelope (statusCode ≠ 200) or a non-2xx HTTP
/// status becomes [`Error::Api`], a body that is not the envelope [`Error::Decode`].
pub(crate) fn decode(raw: &RawResponse<'_>) -> Result<Envelope> {
    let value: Value =
        serde_json::from_slice(raw.body).map_err(|_| decode_error(raw, "the body is not JSON"))?;
    let Value::Object(mut obj) = value else {
        return Err(decode_error(raw, "the body is not a JSON object"));
    };
    let Some(status_code) = obj.get("statusCode").and_then(as_u16) else {
        return Err(decode_error(raw, "the body has no numeric statusCode"));
    };
    let envelope = Envelope {
        status_code,
        message: cut(
            obj.get("message")
                .and_then(Value::as_str)
                .unwrap_or_default(),
            MAX_MESSAGE_BYTES,
        ),
        api_code: obj
            .get("apiCode")
            .and_then(Value::as_u64)
            .and_then(|c| u32::try_from(c).ok()),
        request_id: obj
            .get("requestId")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| raw.header_request_id.clone())
            .map(|id| cut(&id, MAX_REQUEST_ID_BYTES)),
        // Moved out, not copied: the envelope is the parsed body's last user.
        data: obj.remove("data"),
    };
    let http_ok = (200..300).contains(&raw.http_status);
    if envelope.status_code != 200 || !http_ok {
        return Err(Error::Api {
            // An HTTP failure wrapped around a "200" envelope is still a failure.
            status_code: if envelope.status_code == 200 {
                raw.http_status
            } else {
                envelope.status_code
            },
            api_code: envelope.api_code,
            message: envelope.message,
            request_id: envelope.request_id,
            http_status: raw.http_status,
        });
    }
    Ok(envelope)
}

/// A successful envelope as a [`ResignUserResponse`]; `data.success` must be a boolean,
/// and `false` is [`Error::ApiRejected`].
pub(crate) fn resign_response(raw: &RawResponse<'_>) -> Result<ResignUserResponse> {
    let env = decode(raw)?;
    let success = env
        .data
        .as_ref()
        .and_then(|d| d.get("success"))
        .and_then(Value::as_bool)
        .ok_or_else(|| decode_error(raw, "the envelope has no boolean data.success"))?;
    if !success {
        return Err(Error::ApiRejected {
            message: env.message,
            request_id: env.request_id,
        });
    }
    Ok(ResignUserResponse {
        status_code: env.status_code,
        message: env.message,
        api_code: env.api_code,
        request_id: env.request_id,
        data: ResignUserData { success },
    })
}

fn as_u16(v: &Value) -> Option<u16> {
    v.as_u64().and_then(|n| u16::try_from(n).ok())
}

/// A [`Error::Decode`] with the HTTP status and, when allowed, a short safe snippet.
pub(crate) fn decode_error(raw: &RawResponse<'_>, reason: &str) -> Error {
    let snippet = if raw.quotable {
        snippet(raw.body, raw.secret)
    } else {
        "(not shown: this response may hold a token)".to_owned()
    };
    Error::Decode {
        http_status: raw.http_status,
        reason: reason.to_owned(),
        snippet,
    }
}

/// The first [`SNIPPET_CHARS`] characters of the body, lossily decoded, with control
/// characters (newlines included) turned into spaces so it fits one log line, and
/// anything that looks like a credential (`Bearer …`, `authing <id>:<sig>`, a JWT, the
/// secret) replaced by `***`. Scrubbed before it is cut, so a cut never reveals part
/// of a credential.
pub(crate) fn snippet(body: &[u8], secret: &str) -> String {
    // Enough beyond the snippet that a credential straddling its end is seen whole.
    let head = &body[..body.len().min(SNIPPET_CHARS * 4 + 2048)];
    let text: String = String::from_utf8_lossy(head)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    scrub_credentials(&text, secret)
        .chars()
        .take(SNIPPET_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &str) -> RawResponse<'_> {
        RawResponse {
            http_status: status,
            header_request_id: None,
            body: body.as_bytes(),
            quotable: true,
            secret: "s3cret-value",
        }
    }

    /// A `resign-user-batch` answer with HTTP 200 and this body, decoded.
    fn resign_200(body: &str) -> Result<ResignUserResponse> {
        resign_response(&raw(200, body))
    }

    #[test]
    fn success() {
        let r = resign_200(
            r#"{"statusCode":200,"message":"操作成功","requestId":"r1","data":{"success":true}}"#,
        )
        .unwrap();
        assert_eq!(r.request_id.as_deref(), Some("r1"));
        assert!(r.data.success);
        let back = serde_json::to_string(&r).unwrap();
        assert_eq!(
            back,
            r#"{"statusCode":200,"message":"操作成功","requestId":"r1","data":{"success":true}}"#
        );
    }

    #[test]
    fn failure_envelope_is_api_error() {
        let e = resign_200(
            r#"{"statusCode":429,"message":"您的请求已超过最大数量限制，请稍后重试","requestId":"934108e5"}"#,
        )
        .unwrap_err();
        assert!(e.is_retryable());
        assert_eq!(
            e.to_string(),
            "Authing rejected the request: statusCode 429, apiCode —, requestId 934108e5: 您的请求已超过最大数量限制，请稍后重试"
        );
        let e = decode(&raw(
            200,
            r#"{"statusCode":401,"apiCode":1300,"message":"bad"}"#,
        ))
        .unwrap_err();
        assert!(e.is_auth());
        assert_eq!(e.api_code(), Some(1300));
    }

    #[test]
    fn html_proxy_page_is_decode_error_with_snippet() {
        let e = decode(&raw(502, "<html>\n<h1>502 Bad Gateway</h1></html>")).unwrap_err();
        match &e {
            Error::Decode {
                http_status,
                snippet,
                ..
            } => {
                assert_eq!(*http_status, 502);
                assert_eq!(snippet, "<html> <h1>502 Bad Gateway</h1></html>");
            }
            other => panic!("{other:?}"),
        }
        assert!(e.is_retryable());
        assert!(!decode(&raw(200, "<html/>")).unwrap_err().is_retryable());
    }

    #[test]
    fn snippet_is_short_and_token_bodies_are_not_quoted() {
        assert_eq!(
            snippet("é".repeat(500).as_bytes(), "k").chars().count(),
            SNIPPET_CHARS
        );
        let mut r = raw(200, r#"{"data":{"access_token":"eyJsecret"}}"#);
        r.quotable = false;
        assert!(!format!("{:?}", decode(&r).unwrap_err()).contains("eyJ"));
    }

    #[test]
    fn success_false_is_api_rejected_and_never_retried() {
        let e = resign_200(
            r#"{"statusCode":200,"message":"操作失败","requestId":"r9","data":{"success":false}}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), "api_rejected");
        assert_eq!(e.request_id(), Some("r9"));
        assert!(!e.is_retryable() && !e.is_auth());
        assert!(e.to_string().contains("操作失败"), "{e}");
    }

    #[test]
    fn long_messages_and_request_ids_are_cut_with_a_marker() {
        let body = format!(
            r#"{{"statusCode":400,"message":"{}","requestId":"{}"}}"#,
            "é".repeat(100_000),
            "r".repeat(10_000)
        );
        let e = decode(&raw(200, &body)).unwrap_err();
        let Error::Api {
            message,
            request_id,
            ..
        } = &e
        else {
            panic!("{e:?}")
        };
        assert!(message.len() <= MAX_MESSAGE_BYTES + 40, "{}", message.len());
        assert!(message.ends_with("… [cut: 198976 more bytes]"), "{message}");
        assert!(request_id.as_ref().unwrap().len() <= MAX_REQUEST_ID_BYTES + 40);
    }

    #[test]
    fn snippets_never_show_credentials() {
        let body = "<html>Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig \
                    authorization: authing 62a0000000000000000000aa:lQ7FbNqsmxfE8ldW5nzTtpQCHQk= \
                    echo s3cret-value</html>";
        let e = decode(&raw(502, body)).unwrap_err();
        let text = format!("{e} {e:?}");
        for leak in ["eyJ", "lQ7Fb", "s3cret-value", "62a0000000000000000000aa:"] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
        assert!(text.contains("Bearer ***"), "{text}");
    }

    #[test]
    fn missing_success_is_decode_error() {
        let e = resign_200(r#"{"statusCode":200,"message":"ok"}"#).unwrap_err();
        assert_eq!(e.code(), "decode");
    }
}
