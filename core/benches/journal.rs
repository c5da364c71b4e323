//! Benchmark: what the write-ahead journal costs. `resign_users` for 100,000 users
//! (`JOURNAL_BENCH_USERS` to change it) in chunks of 50 at concurrency 16 against the
//! in-process emulator (release build), with and without `journal`, with no added
//! latency and with 20 ms per call (a stand-in for a real host's round trip). Runs
//! alternate, five of each; the medians are printed with the throughput lost. Then the
//! journal's fixed cost per job (creating the file, the syncs a job waits for whatever
//! its size): one-call jobs with and without it, fifteen of each.
//! Numbers, not assertions: `make bench-journal`.
//!
//! Why 100,000 users: in-process a 10,000-user job takes ~55 ms, so the journal's fixed
//! cost per job (a few ms of syncs) weighed as much as its cost per call; the throughput
//! of a job worth journaling is its cost per call. The emulator knows none of the ids
//! and skips unknown ones (`UnknownIdPolicy::Ignore`): every call succeeds, and the
//! server's work per call does not grow with the number of users seeded (with 100,000
//! seeded users a one-call job took ~90 ms, which would have hidden the client's costs).

use std::path::{Path, PathBuf};
use std::time::Instant;

use authing_emulator::{Emulator, Settings, UnknownIdPolicy};
use authing_resign::{AuthScheme, BulkOptions, ManagementClient, UserIdType};

mod support;

const USERS: usize = 100_000;
const CONCURRENCY: usize = 16;
const ROUNDS: usize = 5;
const FIXED_ROUNDS: usize = 15;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let users = std::env::var("JOURNAL_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(USERS);
    let ids: Vec<String> = (0..users)
        .map(|i| format!("jbench{i:06}@example.com"))
        .collect();
    let emu = Emulator::start(Settings {
        unknown_ids: UnknownIdPolicy::Ignore,
        ..Settings::default()
    })
    .await
    .expect("emulator starts");
    let client = support::client(&emu, AuthScheme::Signature);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("journal-bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");

    println!(
        "journal cost: {users} users, chunks of 50, concurrency {CONCURRENCY}, emulator on \
         127.0.0.1, journal in {} (median of {ROUNDS})",
        dir.display()
    );
    println!(
        "{:<22} {:>12} {:>12} {:>12} {:>12} {:>8}",
        "latency per call", "plain (s)", "plain u/s", "journal (s)", "journal u/s", "cost"
    );
    for latency_ms in [0u64, 20] {
        let (p, j) = alternate(&client, &emu, &ids, ROUNDS, latency_ms, &dir).await;
        let (pu, ju) = (users as f64 / p, users as f64 / j);
        println!(
            "{:<22} {p:>12.3} {pu:>12.0} {j:>12.3} {ju:>12.0} {:>7.1}%",
            format!("+{latency_ms} ms"),
            (1.0 - ju / pu) * 100.0
        );
    }
    // The journal's cost per job, whatever its size: a job of one call (50 users).
    let (p, j) = alternate(&client, &emu, &ids[..50], FIXED_ROUNDS, 0, &dir).await;
    println!(
        "fixed cost per job (one call of 50 users, median of {FIXED_ROUNDS}): {:.2} ms \
         without a journal, {:.2} ms with one: {:.2} ms",
        p * 1e3,
        j * 1e3,
        (j - p) * 1e3
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `rounds` jobs over `ids` without and with a journal, alternating, each after a reset
/// of the emulator and with `latency_ms` added to every call: the median seconds of each.
async fn alternate(
    client: &ManagementClient,
    emu: &Emulator,
    ids: &[String],
    rounds: usize,
    latency_ms: u64,
    dir: &Path,
) -> (f64, f64) {
    let mut plain = Vec::new();
    let mut journaled = Vec::new();
    for round in 0..rounds {
        for with_journal in [false, true] {
            emu.reset();
            support::delay_batches(emu, latency_ms);
            let name = format!("j-{}-{latency_ms}-{round}.journal", ids.len());
            let journal = with_journal.then(|| dir.join(name));
            let started = Instant::now();
            let report = client
                .resign_users(
                    ids,
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
    (median(&mut plain), median(&mut journaled))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
