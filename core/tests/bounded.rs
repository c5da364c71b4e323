//! Bounded answers: the body cap (default 1 MiB) on resignation and token calls, its
//! connection never reused, server messages cut at 1 KiB, and decode snippets that
//! never show a credential.

mod common;

use authing_emulator::{Fault, FaultKind};
use authing_resign::response::MAX_MESSAGE_BYTES;
use authing_resign::{AuthScheme, BulkOptions, ClientOptions, Error, Outcome, UserIdType};
use common::{client, new_users, start_with, BATCH, TOKEN};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_answer_is_a_decode_error_naming_the_cap_and_its_connection_is_closed() {
    let emu = start_with(new_users("h", 1), |_| {}).await;
    let id = emu.users()[0].user_id.clone();
    let c = client(&emu, |b| b.max_retries(0));
    c.resign_user_batch(&[&id], None).await.unwrap();
    // hyper hands a finished connection back to its pool from the connection's own
    // task; on a loaded machine the next call can start before that and dial anew.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let before = emu.stats().connections;
    emu.add_fault(Fault::once(
        BATCH,
        FaultKind::HugeBody {
            size_bytes: 64 << 20,
        },
    ));
    let e = c.resign_user_batch(&[&id], None).await.unwrap_err();
    let Error::Decode {
        http_status,
        reason,
        snippet,
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(*http_status, 200);
    assert!(
        reason.contains("1048576-byte cap (max_response_bytes)"),
        "{reason}"
    );
    assert!(
        snippet.starts_with("<html><body>") && snippet.len() <= 200,
        "{snippet}"
    );
    assert_eq!(
        emu.stats().connections,
        before,
        "the huge answer came on the pooled connection"
    );
    c.resign_user_batch(&[&id], None).await.unwrap();
    assert_eq!(
        emu.stats().connections,
        before + 1,
        "the connection of the oversized answer is not reused"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cap_is_an_option_and_covers_the_token_call() {
    let emu = start_with(new_users("t", 1), |_| {}).await;
    let id = emu.users()[0].user_id.clone();
    let c = client(&emu, |b| b.max_response_bytes(4096).max_retries(0));
    emu.add_fault(Fault::once(BATCH, FaultKind::HugeBody { size_bytes: 5000 }));
    let e = c.resign_user_batch(&[&id], None).await.unwrap_err();
    assert!(e.to_string().contains("4096-byte cap"), "{e}");
    c.resign_user_batch(&[&id], None).await.unwrap();

    let c = client(&emu, |b| b.auth(AuthScheme::ManagementToken).max_retries(0));
    emu.add_fault(Fault::once(
        TOKEN,
        FaultKind::HugeBody {
            size_bytes: 2 << 20,
        },
    ));
    let e = c.resign_user_batch(&[&id], None).await.unwrap_err();
    assert_eq!(e.code(), "decode", "{e:?}");
    assert!(e.to_string().contains("1048576-byte cap"), "{e}");

    for bad in [0u64, 1023, (1 << 30) + 1] {
        let err = ClientOptions::builder("k", "s")
            .max_response_bytes(bad)
            .build()
            .unwrap_err();
        assert!(
            matches!(&err, Error::Config { option, .. } if option == "max_response_bytes"),
            "{err:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_answer_in_bulk_is_unknown_and_the_job_ends() {
    let (emu, ids) = common::start_with_new_users("b", 120).await;
    emu.add_fault(Fault::always(
        BATCH,
        FaultKind::HugeBody {
            size_bytes: 32 << 20,
        },
    ));
    let report = client(&emu, |b| b.max_retries(1))
        .resign_users(&ids, UserIdType::UserId, BulkOptions::default())
        .await
        .unwrap();
    assert_eq!(report.totals.sum(), 120);
    assert!(report.totals.unknown >= 50, "{:?}", report.totals);
    for u in report
        .users
        .iter()
        .filter(|u| u.outcome == Outcome::Unknown)
    {
        let e = u.error.as_ref().unwrap();
        assert_eq!(e.code, "decode");
        assert!(e.message.len() < 600, "{}", e.message.len());
    }
}

/// A hand-written hostile server on loopback: answers every request with HTTP 200 and
/// `body`, closing the connection after each answer.
async fn hostile(body: String) -> String {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                // Read the head and the announced body, then answer.
                if common::raw_http::read_request(&mut sock).await.is_empty() {
                    return;
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(body.as_bytes()).await;
            });
        }
    });
    url
}

fn hostile_client(url: &str) -> authing_resign::ManagementClient {
    let options = ClientOptions::builder("62a0000000000000000000aa", "TopSecret-123456")
        .host(url)
        .max_retries(0)
        .build()
        .unwrap();
    authing_resign::ManagementClient::new(options).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_server_message_is_cut_to_1_kib_in_errors_and_reports() {
    let message = "很长的消息".repeat(50_000);
    let url = hostile(format!(
        r#"{{"statusCode":422,"message":"{message}","requestId":"r-1"}}"#
    ))
    .await;
    let c = hostile_client(&url);
    let e = c.resign_user_batch(&["u1"], None).await.unwrap_err();
    let Error::Api { message: kept, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(kept.len() <= MAX_MESSAGE_BYTES + 40, "{}", kept.len());
    assert!(kept.contains("… [cut: "), "a visible marker");
    let ids: Vec<String> = (0..4).map(|i| format!("u{i}")).collect();
    let report = c
        .resign_users(&ids, UserIdType::UserId, BulkOptions::default())
        .await
        .unwrap();
    let json = serde_json::to_string(&report).unwrap();
    assert!(
        json.len() < 4 * 2048 + 4096,
        "the report stays small: {}",
        json.len()
    );
    for u in &report.users {
        assert!(u.error.as_ref().unwrap().message.contains("… [cut: "));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decode_snippet_never_shows_a_credential() {
    let url = hostile(
        "<html>echo: authorization: authing 62a0000000000000000000aa:lQ7FbNqsmxfE8ldW5nzTtpQCHQk= \
         Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln secret=TopSecret-123456</html>"
            .into(),
    )
    .await;
    let e = hostile_client(&url)
        .resign_user_batch(&["u1"], None)
        .await
        .unwrap_err();
    let text = format!("{e} | {e:?}");
    assert_eq!(e.code(), "decode");
    for leak in ["lQ7Fb", "eyJ", "TopSecret-123456", "aa:lQ"] {
        assert!(!text.contains(leak), "{leak} leaked: {text}");
    }
    assert!(
        text.contains("authing ***") && text.contains("Bearer ***"),
        "{text}"
    );
}
