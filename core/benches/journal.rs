//! Benchmark: what the write-ahead journal costs. `resign_users` for 10,000 users in
//! chunks of 50 at concurrency 16 against the in-process emulator (release build),
//! with and without `journal`, with no added latency and with 20 ms per call (a stand-in
//! for a real host's round trip). Runs alternate, five of each; the medians are
//! printed with the throughput lost. Numbers, not assertions: `make bench-journal`.

use std::path::PathBuf;
use std::time::Instant;

use authing_resign::{BulkOptions, UserIdType};

mod support;

const USERS: usize = 10_000;
const CONCURRENCY: usize = 16;
const ROUNDS: usize = 5;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let (ids, emu, client) = support::emails_emulator_client("jbench", USERS).await;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("journal-bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");

    println!(
        "journal cost: {USERS} users, chunks of 50, concurrency {CONCURRENCY}, emulator on \
         127.0.0.1, journal in {} (median of {ROUNDS})",
        dir.display()
    );
    println!(
        "{:<22} {:>12} {:>12} {:>12} {:>12} {:>8}",
        "latency per call", "plain (s)", "plain u/s", "journal (s)", "journal u/s", "cost"
    );
    for latency_ms in [0u64, 20] {
        let mut plain = Vec::new();
        let mut journaled = Vec::new();
        for round in 0..ROUNDS {
            for with_journal in [false, true] {
                emu.reset();
                support::delay_batches(&emu, latency_ms);
                let journal =
                    with_journal.then(|| dir.join(format!("j-{latency_ms}-{round}.journal")));
                let started = Instant::now();
                let report = client
                    .resign_users(
                        &ids,
                        UserIdType::Email,
                        BulkOptions {
                            concurrency: CONCURRENCY,
                            journal,
                            ..BulkOptions::default()
                        },
                    )
                    .await
                    .expect("the job runs");
                let secs = started.elapsed().as_secs_f64();
                assert!(report.all_resigned(), "{:?}", report.totals);
                if with_journal {
                    journaled.push(secs);
                } else {
                    plain.push(secs);
                }
            }
        }
        let (p, j) = (median(&mut plain), median(&mut journaled));
        let (pu, ju) = (USERS as f64 / p, USERS as f64 / j);
        println!(
            "{:<22} {p:>12.3} {pu:>12.0} {j:>12.3} {ju:>12.0} {:>7.1}%",
            format!("+{latency_ms} ms"),
            (1.0 - ju / pu) * 100.0
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
