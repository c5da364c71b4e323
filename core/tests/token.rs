//! The management-token scheme: one fetch for many callers, refresh ahead of expiry,
//! refresh once after a 401, fetch failures.

mod common;

use std::time::Duration;

use authing_emulator::{Fault, FaultKind, NewUser};
use authing_resign::AuthScheme;
use common::*;

const USER: &str = "62a0000000000000000000a1";

fn fixed_user() -> Vec<NewUser> {
    vec![NewUser {
        user_id: Some(USER.into()),
        ..NewUser::default()
    }]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_fetch_serves_200_concurrent_calls() {
    let emulator = start_with(fixed_user(), |_| {}).await;
    let client = client(&emulator, |b| b.auth(AuthScheme::ManagementToken));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let client = client.clone();
        tasks.spawn(async move { client.resign_user_batch(&[USER], None).await });
    }
    while let Some(result) = tasks.join_next().await {
        assert!(result.unwrap().unwrap().data.success);
    }
    assert_eq!(calls(&emulator, TOKEN).len(), 1);
    assert_eq!(calls(&emulator, BATCH).len(), 200);
}

#[tokio::test]
async fn token_is_refreshed_ahead_of_expiry() {
    // A 2 s lifetime has a 0.2 s margin: at 1.85 s the server would still accept the
    // token, but the client already fetches a new one, so no call ever sees a 401.
    let emulator = start_with(fixed_user(), |s| s.token_ttl = Duration::from_secs(2)).await;
    let client = client(&emulator, |b| b.auth(AuthScheme::ManagementToken));
    client.resign_user_batch(&[USER], None).await.unwrap();
    client.resign_user_batch(&[USER], None).await.unwrap();
    assert_eq!(calls(&emulator, TOKEN).len(), 1);
    tokio::time::sleep(Duration::from_millis(1850)).await;
    client.resign_user_batch(&[USER], None).await.unwrap();
    assert_eq!(calls(&emulator, TOKEN).len(), 2);
    assert!(calls(&emulator, BATCH).iter().all(|e| e.status_code == 200));
}

#[tokio::test]
async fn expired_token_is_replaced() {
    let emulator = start_with(fixed_user(), |s| s.token_ttl = Duration::from_secs(1)).await;
    let client = client(&emulator, |b| b.auth(AuthScheme::ManagementToken));
    client.resign_user_batch(&[USER], None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.resign_user_batch(&[USER], None).await.unwrap();
    assert_eq!(calls(&emulator, TOKEN).len(), 2);
}

#[tokio::test]
async fn a_401_drops_the_token_and_the_call_is_retried_once_with_a_new_one() {
    let emulator = start_with(fixed_user(), |_| {}).await;
    let client = client(&emulator, |b| {
        b.auth(AuthScheme::ManagementToken).max_retries(0)
    });
    client.resign_user_batch(&[USER], None).await.unwrap();
    // A reset forgets every issued token: the cached one is now rejected.
    emulator.reset();
    let r = client.resign_user_batch(&[USER], None).await.unwrap();
    assert!(r.data.success);
    let batch = calls(&emulator, BATCH);
    assert_eq!(
        batch.iter().map(|e| e.status_code).collect::<Vec<_>>(),
        vec![401, 200]
    );
    assert_eq!(calls(&emulator, TOKEN).len(), 1);
}

#[tokio::test]
async fn failed_token_fetch_is_an_api_error_and_5xx_fetches_are_retried() {
    let emulator = start_with(fixed_user(), |_| {}).await;
    emulator.add_fault(Fault::once(TOKEN, envelope(503, None)));
    let client = client(&emulator, |b| b.auth(AuthScheme::ManagementToken));
    assert_resigns(&client, &[USER]).await;
    assert_eq!(calls(&emulator, TOKEN).len(), 2);

    emulator.clear_journal();
    let bad = authing_resign::ManagementClient::new(
        authing_resign::ClientOptions::builder("emulator-access-key-id", "not-the-secret")
            .host(emulator.url())
            .auth(AuthScheme::ManagementToken)
            .retry(fast_retry())
            .build()
            .unwrap(),
    )
    .unwrap();
    let err = bad.resign_user_batch(&[USER], None).await.unwrap_err();
    assert_eq!(err.code(), "api_error");
    assert!(err.is_auth(), "{err:?}");
    assert!(matches!(&err, authing_resign::Error::Api { message, .. } if !message.is_empty()));
    assert_eq!(
        emulator.journal().len(),
        1,
        "bad credentials are not retried"
    );
    assert!(calls(&emulator, BATCH).is_empty());
}

/// Clients made by `with_own_connections`, each driven by a current-thread runtime on a
/// thread of its own (as the Python binding's blocking client does): one token fetch
/// serves them all (the holder of the single flight polls the fetch on its own runtime,
/// the other waits on the lock from its own), and each uses its own connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_connection_clients_on_two_runtimes_share_one_token_fetch() {
    let emulator = start_with(fixed_user(), |_| {}).await;
    // Slow token answers: the second thread queues behind the first one's fetch.
    emulator.add_fault(Fault::once(
        TOKEN,
        FaultKind::Delay(Duration::from_millis(300)),
    ));
    let base = client(&emulator, |b| b.auth(AuthScheme::ManagementToken));
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let own = base.with_own_connections().unwrap();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                barrier.wait();
                for _ in 0..3 {
                    let r = rt.block_on(own.resign_user_batch(&[USER], None)).unwrap();
                    assert!(r.data.success);
                }
            })
        })
        .collect();
    tokio::task::spawn_blocking(move || threads.into_iter().for_each(|t| t.join().unwrap()))
        .await
        .unwrap();
    assert_eq!(calls(&emulator, TOKEN).len(), 1);
    // The base client has the token too, and neither its pool nor theirs are shared.
    base.resign_user_batch(&[USER], None).await.unwrap();
    assert_eq!(calls(&emulator, TOKEN).len(), 1);
    let batches = calls(&emulator, BATCH);
    assert_eq!(batches.len(), 7);
    let connections: std::collections::BTreeSet<_> =
        batches.iter().map(|e| e.connection_id).collect();
    assert_eq!(
        connections.len(),
        3,
        "one connection per pool: {connections:?}"
    );
}
