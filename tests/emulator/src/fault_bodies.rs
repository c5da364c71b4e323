//! Streamed answers of the `huge_body` and `stall_body` faults: never held in memory.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, Response, StatusCode};
use futures_util::stream::{self, StreamExt};

/// Bytes per streamed piece of a `huge_body` answer.
const PIECE: usize = 64 * 1024;

/// One piece of a "captive portal" page (HTML, so never an envelope), repeated.
static FILLER: [u8; PIECE] = {
    let mut piece = [b'x'; PIECE];
    let head = b"<html><body>";
    let mut i = 0;
    while i < head.len() {
        piece[i] = head[i];
        i += 1;
    }
    piece
};

/// What a `stall_body` answer sends before it stalls: the start of an envelope.
const STALL_HEAD: &str = r#"{"statusCode":200,"message":""#;

/// HTTP 200 with `size` bytes, streamed as fast as the client reads.
pub(crate) fn huge(size: u64, request_id: &str) -> Response<Body> {
    let body = stream::unfold(size, |left| async move {
        if left == 0 {
            return None;
        }
        let n = usize::try_from(left).map_or(PIECE, |l| l.min(PIECE));
        Some((
            Ok::<_, std::io::Error>(Bytes::from_static(&FILLER[..n])),
            left - n as u64,
        ))
    });
    response(
        Body::from_stream(body),
        "text/html; charset=utf-8",
        request_id,
    )
}

/// HTTP 200 headers and the start of an envelope, then nothing for `stall`, then an
/// error that makes the server close the connection with the body unfinished.
pub(crate) fn stalled(stall: Duration, request_id: &str) -> Response<Body> {
    let body = stream::once(async { Ok(Bytes::from_static(STALL_HEAD.as_bytes())) }).chain(
        stream::once(async move {
            tokio::time::sleep(stall).await;
            Err(std::io::Error::other(
                "stall_body: the answer is never finished",
            ))
        }),
    );
    response(
        Body::from_stream(body),
        "application/json; charset=utf-8",
        request_id,
    )
}

fn response(body: Body, content_type: &'static str, request_id: &str) -> Response<Body> {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert("x-request-id", value);
    }
    response
}
