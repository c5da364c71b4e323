//! The response envelope and `ResignUserResponse` decoding: arbitrary bytes and
//! statuses, and structured envelopes with arbitrary field values. Never a panic; a
//! success only for HTTP 2xx with statusCode 200 and a boolean data.success; every
//! failure typed (`api_error` or `decode`) with a short one-line snippet.
#![no_main]

#[path = "common/json.rs"]
mod json;

use arbitrary::Arbitrary;
use authing_resign::fuzzing;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[derive(Arbitrary, Debug)]
enum Body {
    Raw(Vec<u8>),
    Envelope(Vec<(json::Key, json::Json)>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    http_status: u16,
    header_request_id: Option<String>,
    body: Body,
}

fuzz_target!(|input: Input| {
    let bytes = match &input.body {
        Body::Raw(bytes) => bytes.clone(),
        Body::Envelope(fields) => json::object(fields).to_string().into_bytes(),
    };
    let result = fuzzing::decode_resign(input.http_status, input.header_request_id.clone(), &bytes);
    let parsed: Option<Value> = serde_json::from_slice(&bytes).ok();
    match result {
        Ok(response) => {
            assert!((200..300).contains(&input.http_status));
            assert_eq!(response.status_code, 200);
            let v = parsed.expect("a success decoded from JSON");
            assert_eq!(v["statusCode"].as_u64(), Some(200));
            assert_eq!(v["data"]["success"].as_bool(), Some(response.data.success));
            let expected_id = v["requestId"]
                .as_str()
                .map(str::to_owned)
                .or(input.header_request_id);
            assert_eq!(response.request_id, expected_id);
            serde_json::to_string(&response).expect("a response serializes");
        }
        Err(error) => {
            let shown = error.to_string();
            let _ = (
                format!("{error:?}"),
                error.is_retryable(),
                error.is_auth(),
                error.api_code(),
            );
            // Decoding can only say "the server refused" or "not the envelope" (or a
            // code the core adds for an answer it refuses): never a local kind.
            let code = error.code();
            assert!(
                ![
                    "invalid_argument",
                    "config",
                    "timeout",
                    "transport",
                    "cancelled"
                ]
                .contains(&code),
                "decoding gave {code}: {shown}"
            );
            if code == "api_error" {
                let ok_http = (200..300).contains(&input.http_status);
                assert!(!(ok_http && error.status_code() == Some(200) && parsed_success(&parsed)));
            }
            if code == "decode" {
                assert_eq!(error.status_code(), Some(input.http_status));
                assert!(!shown.contains('\n') && !shown.contains('\r'), "{shown:?}");
            }
        }
    }
});

/// Whether the body is an envelope a client would take as a success.
fn parsed_success(parsed: &Option<Value>) -> bool {
    parsed.as_ref().is_some_and(|v| {
        v["statusCode"].as_u64() == Some(200) && v["data"]["success"] == Value::Bool(true)
    })
}
