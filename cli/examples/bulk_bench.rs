//! Benchmark: `resign_users` for 10,000 users against the in-process emulator at
//! concurrency 1, 4 and 16, printing wall time, HTTP calls and throughput.
//! Run with `make bench-bulk` (release build). Numbers, not assertions.

use std::time::Instant;

use authing_resign::{BulkOptions, UserIdType};

#[path = "../../core/benches/support/mod.rs"]
mod support;

const USERS: usize = 10_000;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let (ids, emu, client) = support::emails_emulator_client("bench", USERS).await;

    // 1% of the ids unknown to the emulator: shows what isolating them by splitting costs.
    let mut with_unknown = ids.clone();
    for i in (0..USERS).step_by(100) {
        with_unknown[i] = format!("unknown{i:05}@example.com");
    }

    println!("resign_users, {USERS} users, chunks of 50, emulator on 127.0.0.1 (signature auth)");
    println!(
        "{:<27} {:>11} {:>9} {:>9} {:>6} {:>9}",
        "case", "concurrency", "time (s)", "users/s", "HTTP", "new conns"
    );
    for (label, input, concurrency, latency_ms) in [
        ("all known", &ids, 1, 0),
        ("all known", &ids, 4, 0),
        ("all known", &ids, 16, 0),
        ("all known, +20 ms per call", &ids, 1, 20),
        ("all known, +20 ms per call", &ids, 4, 20),
        ("all known, +20 ms per call", &ids, 16, 20),
        ("1% unknown (split out)", &with_unknown, 4, 0),
    ] {
        // Users back to Activated, journal and counters cleared; pooled connections stay.
        emu.reset();
        support::delay_batches(&emu, latency_ms);
        let started = Instant::now();
        let options = BulkOptions {
            concurrency,
            ..BulkOptions::default()
        };
        let report = client
            .resign_users(input, UserIdType::Email, options)
            .await
            .expect("valid options");
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(report.totals.sum(), USERS as u64);
        println!(
            "{label:<27} {concurrency:>11} {secs:>9.3} {:>9.0} {:>6} {:>9}   (resigned {}, failed {})",
            USERS as f64 / secs,
            report.http_calls,
            emu.stats().connections,
            report.totals.resigned,
            report.totals.failed
        );
    }
}
