//! Benchmark: what the write-ahead journal costs. `resign_users` for 100,000 users
//! (`JOURNAL_BENCH_USERS` to change it) in chunks of 50 at concurrency 16 against the
//! in-process emulator (release build), with and without `journal`, with no added
//! latency and with 20 ms per call (a stand-in for a real host's round trip). Runs
//! alternate, five of each; the medians are printed with the throughput lost. Then the
//! journal's fixed cost per job (creating the file, the syncs a job waits for whatever
//! its size): one-call jobs with and without it, fifteen of each.
//! Besides wall time, each row gives CPU per call (user + sys): of the whole process
//! (client, in-process emulator, journal thread) and of the thread that runs the job's
//! loop and polls every call (the serial part; its busy share is CPU over wall time).
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
        "{:<10} {:>9} {:>9} {:>9} {:>9} {:>7}   {:>21} {:>21}",
        "latency",
        "plain s",
        "plain u/s",
        "journal s",
        "journ u/s",
        "cost",
        "CPU us/call, process",
        "job thread: us, busy"
    );
    let calls = users.div_ceil(50) as f64;
    for latency_ms in [0u64, 20] {
        let (p, j) = alternate(&client, &emu, &ids, ROUNDS, latency_ms, &dir).await;
        let (pu, ju) = (users as f64 / p.wall, users as f64 / j.wall);
        let per_call = |s: f64| s * 1e6 / calls;
        println!(
            "{:<10} {:>9.3} {pu:>9.0} {:>9.3} {ju:>9.0} {:>6.1}%   {:>9.1} -> {:>8.1} {:>5.1} {:>3.0}% -> {:>5.1} {:>3.0}%",
            format!("+{latency_ms} ms"),
            p.wall,
            j.wall,
            (1.0 - ju / pu) * 100.0,
            per_call(p.process),
            per_call(j.process),
            per_call(p.thread),
            p.thread / p.wall * 100.0,
            per_call(j.thread),
            j.thread / j.wall * 100.0,
        );
    }
    // The journal's cost per job, whatever its size: a job of one call (50 users).
    let (p, j) = alternate(&client, &emu, &ids[..50], FIXED_ROUNDS, 0, &dir).await;
    println!(
        "fixed cost per job (one call of 50 users, median of {FIXED_ROUNDS}): {:.2} ms \
         without a journal, {:.2} ms with one: {:.2} ms",
        p.wall * 1e3,
        j.wall * 1e3,
        (j.wall - p.wall) * 1e3
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Seconds a job took: wall time, CPU of the process and of the thread running the job.
/// (Each field of a median is the median of that field.)
#[derive(Clone, Copy)]
struct Took {
    wall: f64,
    process: f64,
    thread: f64,
}

/// `rounds` jobs over `ids` without and with a journal, alternating, each after a reset
/// of the emulator and with `latency_ms` added to every call: the median of each.
async fn alternate(
    client: &ManagementClient,
    emu: &Emulator,
    ids: &[String],
    rounds: usize,
    latency_ms: u64,
    dir: &Path,
) -> (Took, Took) {
    let mut plain = Vec::new();
    let mut journaled = Vec::new();
    for round in 0..rounds {
        for with_journal in [false, true] {
            emu.reset();
            support::delay_batches(emu, latency_ms);
            let name = format!("j-{}-{latency_ms}-{round}.journal", ids.len());
            let journal = with_journal.then(|| dir.join(name));
            let (started, process, thread) = (Instant::now(), cpu(SELF), cpu(THREAD));
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
            let took = Took {
                wall: started.elapsed().as_secs_f64(),
                process: cpu(SELF) - process,
                thread: cpu(THREAD) - thread,
            };
            assert!(report.all_resigned(), "{:?}", report.totals);
            if with_journal {
                journaled.push(took);
            } else {
                plain.push(took);
            }
        }
    }
    (median(&plain), median(&journaled))
}

fn median(v: &[Took]) -> Took {
    let mid = |f: fn(&Took) -> f64| {
        let mut x: Vec<f64> = v.iter().map(f).collect();
        x.sort_by(f64::total_cmp);
        x[x.len() / 2]
    };
    Took {
        wall: mid(|t| t.wall),
        process: mid(|t| t.process),
        thread: mid(|t| t.thread),
    }
}

const SELF: libc::c_int = libc::RUSAGE_SELF;
const THREAD: libc::c_int = libc::RUSAGE_THREAD;

/// User + system CPU seconds of the process or of the calling thread so far.
fn cpu(who: libc::c_int) -> f64 {
    // SAFETY: `getrusage` only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(who, &mut u) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(u.ru_utime) + secs(u.ru_stime)
}
