//! Retries on throttling, 5xx, dropped connections and timeouts; deadlines; giving up.

mod common;

use std::time::{Duration, Instant};

use authing_emulator::{Fault, FaultKind, NewUser};
use authing_resign::{
    ClientOptions, ClientOptionsBuilder, Error, ManagementClient, ResignUserResponse, RetryPolicy,
    TimeoutPhase,
};
use common::*;

const USER: &str = "62a0000000000000000000b2";

async fn emulator() -> authing_emulator::Emulator {
    start_with(
        vec![NewUser {
            user_id: Some(USER.into()),
            ..NewUser::default()
        }],
        |_| {},
    )
    .await
}

/// An emulator that knows `USER`, with `fault` on the batch route.
async fn emulator_with(fault: Fault) -> authing_emulator::Emulator {
    let emulator = emulator().await;
    emulator.add_fault(fault);
    emulator
}

/// One batch call for `USER` by a client for `emulator` after `tweak`.
async fn resign_user(
    emulator: &authing_emulator::Emulator,
    tweak: impl FnOnce(ClientOptionsBuilder) -> ClientOptionsBuilder,
) -> authing_resign::Result<ResignUserResponse> {
    client(emulator, tweak)
        .resign_user_batch(&[USER], None)
        .await
}

/// The timeout error of `phase`.
fn timeout(phase: TimeoutPhase) -> Error {
    Error::Timeout { phase }
}

/// A client for `url`, where no emulator answers, after `tweak`.
fn client_of_nowhere(
    url: String,
    tweak: impl FnOnce(ClientOptionsBuilder) -> ClientOptionsBuilder,
) -> ManagementClient {
    let options = ClientOptions::builder("id", "secret").host(url);
    ManagementClient::new(tweak(options).build().unwrap()).unwrap()
}

fn statuses(emulator: &authing_emulator::Emulator) -> Vec<(u16, u16)> {
    calls(emulator, BATCH)
        .iter()
        .map(|e| (e.http_status, e.status_code))
        .collect()
}

#[tokio::test]
async fn throttled_429_without_retry_after_then_success() {
    let emulator = emulator_with(Fault::once(BATCH, envelope(429, None))).await;
    let r = resign_user(&emulator, |b| b).await.unwrap();
    assert!(r.data.success);
    assert_eq!(statuses(&emulator), vec![(200, 429), (200, 200)]);
}

/// How long a call takes to succeed after one `fault`, with `max_delay` as the cap.
async fn time_to_success(fault: authing_emulator::FaultKind, max_delay: Duration) -> Duration {
    let emulator = emulator_with(Fault::once(BATCH, fault)).await;
    let client = client(&emulator, |b| {
        b.retry(RetryPolicy {
            max_delay,
            ..fast_retry()
        })
    });
    let started = Instant::now();
    assert_resigns(&client, &[USER]).await;
    assert_eq!(calls(&emulator, BATCH).len(), 2);
    started.elapsed()
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let took = time_to_success(http_page(429, Some("1")), Duration::from_secs(5)).await;
    // The fast policy alone would wait at most 5 ms.
    assert!(took >= Duration::from_millis(950), "{took:?}");
}

#[tokio::test]
async fn retry_after_date_is_honoured_and_capped_by_max_delay() {
    let in_an_hour =
        httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3600));
    let fault = envelope(429, Some(&in_an_hour));
    let took = time_to_success(fault, Duration::from_millis(300)).await;
    assert!(took >= Duration::from_millis(280), "{took:?}");
    assert!(took < Duration::from_secs(3600));
}

#[tokio::test]
async fn proxy_502_html_page_then_success() {
    let emulator = emulator_with(Fault::once(BATCH, http_page(502, None))).await;
    assert_resigns(&client(&emulator, |b| b), &[USER]).await;
    assert_eq!(statuses(&emulator)[0].0, 502);
    assert_eq!(calls(&emulator, BATCH).len(), 2);
}

#[tokio::test]
async fn envelope_503_then_success() {
    let emulator = emulator_with(Fault::once(BATCH, envelope(503, None))).await;
    assert_resigns(&client(&emulator, |b| b), &[USER]).await;
    assert_eq!(statuses(&emulator), vec![(200, 503), (200, 200)]);
}

#[tokio::test]
async fn retries_exhausted_gives_the_last_api_error() {
    let emulator = emulator_with(Fault::always(BATCH, envelope(503, None))).await;
    let err = resign_user(&emulator, |b| b).await.unwrap_err();
    let journal = calls(&emulator, BATCH);
    assert_eq!(journal.len(), 4, "1 attempt + max_retries 3");
    assert_eq!(err.status_code(), Some(503));
    assert_eq!(err.request_id(), Some(journal[3].request_id.as_str()));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn max_retries_zero_disables_retries() {
    let emulator = emulator_with(Fault::once(BATCH, http_page(503, None))).await;
    let err = resign_user(&emulator, |b| b.max_retries(0))
        .await
        .unwrap_err();
    match err {
        Error::Decode {
            http_status,
            ref snippet,
            ..
        } => {
            assert_eq!(http_status, 503);
            assert!(
                snippet.contains('<'),
                "the HTML page is quoted: {snippet:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(calls(&emulator, BATCH).len(), 1);
}

#[tokio::test]
async fn non_json_200_is_a_decode_error_and_not_retried() {
    let emulator = emulator_with(Fault::once(BATCH, FaultKind::NonJson)).await;
    let err = resign_user(&emulator, |b| b).await.unwrap_err();
    assert_eq!(err.code(), "decode");
    assert_eq!(err.status_code(), Some(200));
    assert!(!err.is_retryable());
    assert_eq!(calls(&emulator, BATCH).len(), 1);
}

#[tokio::test]
async fn dropped_connection_is_retried() {
    let emulator = emulator_with(Fault::once(BATCH, FaultKind::Drop)).await;
    assert_resigns(&client(&emulator, |b| b), &[USER]).await;
    assert_eq!(calls(&emulator, BATCH).len(), 2);

    emulator.add_fault(Fault::once(BATCH, FaultKind::Drop));
    let err = resign_user(&emulator, |b| b.max_retries(0))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "transport", "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn slow_attempt_times_out_and_is_retried() {
    let emulator = emulator().await;
    emulator.add_fault(Fault::once(
        BATCH,
        FaultKind::Delay(Duration::from_millis(800)),
    ));
    let client = client(&emulator, |b| b.timeout(Duration::from_millis(200)));
    assert_resigns(&client, &[USER]).await;
    // The timed-out request's connection is abandoned (the emulator never finishes,
    // so never journals, that request); the retry opens a second one.
    assert_eq!(emulator.stats().connections, 2);

    emulator.add_fault(Fault::once(
        BATCH,
        FaultKind::Delay(Duration::from_millis(800)),
    ));
    let no_retry = common::client(&emulator, |b| {
        b.timeout(Duration::from_millis(200)).max_retries(0)
    });
    let err = no_retry.resign_user_batch(&[USER], None).await.unwrap_err();
    assert_eq!(err, timeout(TimeoutPhase::Attempt));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn overall_deadline_stops_retrying() {
    let emulator = emulator().await;
    common::slow_batches(&emulator, 400);
    let client = client(&emulator, |b| {
        b.timeout(Duration::from_secs(5)).retry(RetryPolicy {
            total_deadline: Some(Duration::from_millis(250)),
            ..fast_retry()
        })
    });
    let started = Instant::now();
    let err = client.resign_user_batch(&[USER], None).await.unwrap_err();
    assert_eq!(err, timeout(TimeoutPhase::Total));
    assert!(!err.is_retryable());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the deadline cut the attempt short"
    );
}

#[tokio::test]
async fn deadline_before_the_next_backoff_returns_the_servers_error() {
    // A deadline shorter than the next backoff ends the call at once, with the
    // server's last answer (and its request id) rather than a bare timeout: no attempt
    // was cut short.
    let emulator = emulator_with(Fault::always(BATCH, envelope(503, Some("2")))).await;
    let client = common::client(&emulator, |b| {
        b.retry(RetryPolicy {
            max_delay: Duration::from_secs(5),
            total_deadline: Some(Duration::from_secs(1)),
            ..fast_retry()
        })
    });
    let err = client.resign_user_batch(&[USER], None).await.unwrap_err();
    let journal = calls(&emulator, BATCH);
    assert_eq!(journal.len(), 1, "no retry past the deadline");
    assert_eq!(err.code(), "api_error", "{err:?}");
    assert_eq!(err.status_code(), Some(503));
    assert_eq!(err.request_id(), Some(journal[0].request_id.as_str()));
    assert!(err.is_retryable(), "the caller may still retry later");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = client_of_nowhere(url, |b| b.max_retries(1));
    let err = client.resign_user_batch(&[USER], None).await.unwrap_err();
    assert_eq!(err.code(), "transport", "{err:?}");
    assert!(err.to_string().contains("connect"), "{err}");
}

#[tokio::test]
async fn connect_timeout_is_its_own_phase() {
    // A listener whose accept queue is full leaves new handshakes unanswered.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        let connect = tokio::net::TcpStream::connect(addr);
        if let Ok(Ok(stream)) = tokio::time::timeout(Duration::from_millis(100), connect).await {
            fillers.push(stream);
        }
    }
    let client = client_of_nowhere(format!("http://{addr}"), |b| {
        b.connect_timeout(Duration::from_millis(200))
            .timeout(Duration::from_secs(5))
            .max_retries(0)
    });
    let err = client.resign_user_batch(&[USER], None).await.unwrap_err();
    assert_eq!(err, timeout(TimeoutPhase::Connect));
    assert!(err.is_retryable());
    drop(listener);
}

#[tokio::test]
async fn one_connection_is_reused_for_sequential_calls() {
    let emulator = emulator().await;
    let client = client(&emulator, |b| b);
    for _ in 0..20 {
        client.resign_user_batch(&[USER], None).await.unwrap();
    }
    assert_eq!(emulator.stats().connections, 1);
}
