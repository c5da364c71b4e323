//! Load generator: signed `resign-user-batch` calls with 50 ids against an in-process
//! emulator, at concurrency 1 and 16. Prints requests per second and latency; it
//! asserts nothing about speed. `BENCH_SECS` sets the measuring time per level (default 5).
//! Client and server share the machine's cores, so the figures are a lower bound.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use authing_emulator::{Emulator, Settings};
use common::Client;
use serde_json::json;

const BATCH: &str = "/api/v3/resign-user-batch";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run());
}

async fn load(client: Arc<Client>, body: Arc<serde_json::Value>, until: Instant) -> Vec<Duration> {
    let mut latencies = Vec::new();
    while Instant::now() < until {
        let started = Instant::now();
        let resp = client.post(BATCH, &body).await;
        assert_eq!(resp.status_code(), 200, "{}", resp.text);
        latencies.push(started.elapsed());
    }
    latencies
}

async fn run() {
    let secs: u64 = std::env::var("BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let emulator = Emulator::start(Settings::default())
        .await
        .expect("emulator starts");
    let users = emulator.seed_users(
        (0..50)
            .map(|i| common::user(&format!("bench{i}")))
            .collect(),
    );
    let ids: Vec<String> = users.into_iter().map(|u| u.user_id).collect();
    let body = Arc::new(json!({ "userIds": ids, "userIdType": "user_id" }));

    for concurrency in [1usize, 16] {
        let client = Arc::new(Client::for_emulator(&emulator));
        // Warm-up: open pooled connections and fault in the code paths.
        let warm = Instant::now() + Duration::from_millis(500);
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| tokio::spawn(load(client.clone(), body.clone(), warm)))
            .collect();
        for t in tasks {
            t.await.expect("warm-up task");
        }
        emulator.clear_journal();

        let started = Instant::now();
        let until = started + Duration::from_secs(secs);
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| tokio::spawn(load(client.clone(), body.clone(), until)))
            .collect();
        let mut latencies = Vec::new();
        for t in tasks {
            latencies.extend(t.await.expect("load task"));
        }
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort();
        let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
        println!(
            "resign-user-batch, 50 ids, signed, concurrency {concurrency:>2}: {:>7.0} req/s  \
             (p50 {:.2} ms, p99 {:.2} ms, {} requests in {elapsed:.1} s)",
            latencies.len() as f64 / elapsed,
            pct(0.5).as_secs_f64() * 1e3,
            pct(0.99).as_secs_f64() * 1e3,
            latencies.len(),
        );
    }
    emulator.shutdown().await;
}
