//! End to end: `resign_user_batch` calls per second against the in-process emulator,
//! sequential (which must reuse one TCP connection) and concurrent, for both schemes.
//! Prints figures; asserts nothing about speed. `BENCH_CALLS` sets the calls per run
//! (default 2000). Run with `cargo bench -p authing-resign --bench e2e`.
//!
//! The emulator gets a runtime of its own, as a remote server would: sharing the
//! client's worker threads delays the moment hyper hands a finished connection back
//! to the pool, and the next call may then open a new one. The integration test
//! `one_connection_is_reused_for_sequential_calls` checks exactly one connection on a
//! single-threaded runtime, where that hand-back cannot lag.

use std::time::{Duration, Instant};

use authing_emulator::{Emulator, NewUser};
use authing_resign::AuthScheme;

mod support;

const CONCURRENCY: usize = 16;

fn main() {
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    let client = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let ids: Vec<String> = (0..50)
        .map(|i| format!("62a1b2c3d4e5f607182{i:05}"))
        .collect();
    let settings = support::settings_knowing(&ids, NewUser::with_user_id);
    let emulator = server
        .block_on(Emulator::start(settings))
        .expect("emulator");
    client.block_on(run(&emulator, &ids));
}

async fn run(emulator: &Emulator, ids: &[String]) {
    let calls: usize = std::env::var("BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    println!(
        "end-to-end, 50 ids per call, {calls} calls per run, in-process emulator on its own runtime"
    );
    for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
        emulator.reset();
        let client = support::client(emulator, scheme);
        // Warm-up: the first connection (and token) are not part of the figures.
        client
            .resign_user_batch(ids, None)
            .await
            .expect("warm-up call");
        let started = Instant::now();
        for _ in 0..calls {
            client.resign_user_batch(ids, None).await.expect("call");
        }
        let sequential = rate(calls, started.elapsed());
        let connections = emulator.stats().connections;

        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for worker in 0..CONCURRENCY {
            let (client, ids) = (client.clone(), ids.to_vec());
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
        // One connection is the norm; under CPU contention hyper may hand a finished
        // connection back to the pool a moment after the next call asked for one and
        // open another. A connection per call would mean the pool is not reused.
        assert!(
            (connections as usize) * 10 < calls,
            "{connections} connections for {calls} sequential calls: the pool is not reused"
        );
    }
}

fn rate(calls: usize, elapsed: Duration) -> f64 {
    calls as f64 / elapsed.as_secs_f64()
}
