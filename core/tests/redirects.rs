//! A 3xx answer is an error and is never followed: following it would re-send the
//! signed batch body, or the access key secret of the token call, to wherever
//! `Location` points. Two hand-written HTTP servers on 127.0.0.1: one redirects, the
//! other records whatever reaches it.

mod common;

use std::sync::{Arc, Mutex};

use authing_resign::{AuthScheme, ClientOptions, Error, ManagementClient};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const SECRET: &str = "TOPSECRET-redirect-secret";
const USER: &str = "62a0000000000000000000f1";

/// Serves every connection with `answer(request path)` and records the requests.
async fn serve(
    answer: impl Fn(&str) -> String + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let log = Arc::clone(&log);
            let answer = Arc::clone(&answer);
            tokio::spawn(async move {
                let request = common::raw_http::read_request(&mut stream).await;
                let path = request.split(' ').nth(1).unwrap_or("/").to_owned();
                log.lock().unwrap().push(request);
                let _ = stream.write_all(answer(&path).as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (format!("http://{addr}"), seen)
}

/// An envelope that would pass for success, token call included.
fn ok_answer(_path: &str) -> String {
    let body = r#"{"statusCode":200,"message":"ok","requestId":"elsewhere","data":{"success":true,"access_token":"x.eyJ9.y","expires_in":7200}}"#;
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn redirects_are_errors_and_never_followed() {
    let (elsewhere, reached) = serve(ok_answer).await;
    for (status, auth) in [
        ("307 Temporary Redirect", AuthScheme::Signature),
        ("308 Permanent Redirect", AuthScheme::ManagementToken),
        ("302 Found", AuthScheme::Signature),
    ] {
        // The target carries user info and a query, which the error must not repeat.
        let target = elsewhere.replace("http://", "http://mallory:pw0wned@");
        let (host, redirected) = serve(move |path| {
            format!(
                "HTTP/1.1 {status}\r\nlocation: {target}{path}?sig=leaky\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            )
        })
        .await;
        let client = ManagementClient::new(
            ClientOptions::builder("redirect-key-id", SECRET)
                .host(host)
                .auth(auth)
                .max_retries(2)
                .build()
                .unwrap(),
        )
        .unwrap();
        let err = client.resign_user_batch(&[USER], None).await.unwrap_err();
        let code = status[..3].parse::<u16>().unwrap();
        match &err {
            Error::Decode {
                http_status,
                reason,
                ..
            } => {
                assert_eq!(*http_status, code, "{err}");
                assert!(reason.contains("redirect"), "{reason}");
                assert!(reason.contains("127.0.0.1"), "names the target: {reason}");
            }
            other => panic!("{status}/{auth:?}: expected a Decode error, got {other:?}"),
        }
        assert!(!err.is_retryable(), "a redirect is not retried");
        let text = format!("{err} {err:?}");
        for leak in ["pw0wned", "mallory", "sig=leaky", SECRET] {
            assert!(!text.contains(leak), "{leak:?} in {text}");
        }
        assert_eq!(redirected.lock().unwrap().len(), 1, "one request, no retry");
    }
    let reached = reached.lock().unwrap();
    assert!(
        reached.is_empty(),
        "nothing may reach the redirect target: {reached:?}"
    );
}
