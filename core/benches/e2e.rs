//! End to end: `resign_user_batch` calls per second against the in-process emulator,
//! sequential (which must reuse one TCP connection) and concurrent, for both schemes.
//! Prints figures; asserts nothing about speed. `BENCH_CALLS` sets the calls per run
//! (default 2000). Run with `cargo bench -p authing-resign --bench e2e`.

use std::time::{Duration, Instant};

use authing_emulator::{Emulator, NewUser, Settings};
use authing_resign::{AuthScheme, ClientOptions, ManagementClient};

const CONCURRENCY: usize = 16;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let calls: usize = std::env::var("BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let ids: Vec<String> = (0..50)
        .map(|i| format!("62a1b2c3d4e5f607182{i:05}"))
        .collect();
    let users = ids
        .iter()
        .map(|id| NewUser {
            user_id: Some(id.clone()),
            ..NewUser::default()
        })
        .collect();
    let emulator = Emulator::start(Settings {
        users,
        ..Settings::default()
    })
    .await
    .expect("emulator");
    println!("end-to-end, 50 ids per call, {calls} calls per run, in-process emulator");
    for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
        let client = client(&emulator, scheme);
        client
            .resign_user_batch(&ids, None)
            .await
            .expect("warm-up call");

        emulator.reset();
        let client = self::client(&emulator, scheme);
        let started = Instant::now();
        for _ in 0..calls {
            client.resign_user_batch(&ids, None).await.expect("call");
        }
        let sequential = rate(calls, started.elapsed());
        let connections = emulator.stats().connections;

        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for worker in 0..CONCURRENCY {
            let (client, ids) = (client.clone(), ids.clone());
            let share = calls / CONCURRENCY + usize::from(worker < calls % CONCURRENCY);
            tasks.spawn(async move {
                for _ in 0..share {
                    client.resign_user_batch(&ids, None).await.expect("call");
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("task");
        }
        let concurrent = rate(calls, started.elapsed());
        println!(
            "{scheme:?}: sequential {sequential:.0} calls/s over {connections} TCP connection(s); \
             {CONCURRENCY} in flight {concurrent:.0} calls/s ({} connections in total)",
            emulator.stats().connections
        );
        assert_eq!(
            connections, 1,
            "a sequential run must reuse one pooled connection"
        );
    }
    emulator.shutdown().await;
}

fn client(emulator: &Emulator, scheme: AuthScheme) -> ManagementClient {
    let s = emulator.settings();
    let options = ClientOptions::builder(s.access_key_id, s.access_key_secret)
        .host(emulator.url())
        .auth(scheme)
        .build()
        .expect("options");
    ManagementClient::new(options).expect("client")
}

fn rate(calls: usize, elapsed: Duration) -> f64 {
    calls as f64 / elapsed.as_secs_f64()
}
