//! Crash tests: the tool, a separate process, is interrupted with SIGINT, SIGTERM,
//! SIGHUP or SIGKILL (sometimes twice) at seeded random moments while calls are
//! slowed down, then resumed with `--resume REPORT` until it finishes. Each time:
//! - no user the journal recorded as resigned before the kill is sent again (only
//!   users of calls in flight at the kill are);
//! - every report's resigned users are resigned at the server, and after the last run
//!   the users the server shows as resigned are exactly the union of the runs'
//!   reported resigned users: every valid, known user.
//!
//! The seed is printed; `CRASH_SEED=<n> cargo test -p authing-resign-cli --test crash`
//! replays a failure. `CRASH_POINTS` sets the number of kill points (default 20).

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use authing_resign::bulk::journal;
use authing_resign::{BulkReport, Outcome};
use common::{tmp_dir, Server};

/// Users per kill point, and the unknown ones among them (failed, never resigned).
const USERS: usize = 120;
const UNKNOWN: usize = 2;

/// SplitMix64: a few lines, and the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn seed() -> u64 {
    std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        })
}

fn signal(child: &Child, name: &str) {
    let ok = std::process::Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    // The process may have finished on its own just before: that is fine.
    let _ = ok;
}

fn wait(child: &mut Child, what: &str) -> Option<i32> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{what} did not exit"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The batch calls received so far, as lists of ids.
fn batches(srv: &Server) -> Vec<Vec<String>> {
    srv.batch_calls()
        .iter()
        .map(|e| {
            e.body["userIds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn report_if_written(path: &Path) -> Option<BulkReport> {
    let text = std::fs::read_to_string(path).ok()?;
    (!text.trim().is_empty()).then(|| serde_json::from_str(&text).unwrap())
}

fn resigned_in(report: &BulkReport) -> HashSet<String> {
    report
        .users
        .iter()
        .filter(|u| u.outcome == Outcome::Resigned)
        .map(|u| u.user_id.clone())
        .collect()
}

#[test]
fn interrupted_at_random_moments_then_resumed_nothing_is_lost_or_claimed() {
    let seed = seed();
    let points: u64 = std::env::var("CRASH_POINTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    println!("crash test seed: {seed} (replay with CRASH_SEED={seed})");
    let mut rng = Rng(seed);
    let all: Vec<Vec<String>> = (0..points)
        .map(|p| {
            (0..USERS)
                .map(|i| format!("crash{p}-{i}@example.com"))
                .collect()
        })
        .collect();
    let known: Vec<&str> = all
        .iter()
        .flat_map(|ids| ids[UNKNOWN..].iter().map(String::as_str))
        .collect();
    let srv = Server::with_emails(&known);
    srv.slow_batches(25);
    let dir = tmp_dir("crash");
    for (p, ids) in all.iter().enumerate() {
        let ctx = format!("seed {seed}, kill point {p}");
        let mut input = ids.clone();
        input.push(" ".into()); // invalid (blank): never sent
        let report = dir.join(format!("r{p}.json"));
        let run = |extra: &[&str]| {
            let mut c = srv.job();
            c.args(["--quiet", "--chunk-size", "8"])
                .args(["--concurrency", "4", "--report"])
                .arg(&report)
                .args(extra)
                .args(&input)
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            c.spawn().unwrap()
        };

        // The interrupted run: a signal once a random number of calls went out.
        let calls_before = srv.batch_calls().len();
        let mut child = run(&[]);
        let after_calls = rng.below(16) as usize;
        let start = Instant::now();
        while srv.batch_calls().len() < calls_before + after_calls
            && child.try_wait().unwrap().is_none()
            && start.elapsed() < Duration::from_secs(30)
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(rng.below(30)));
        let sig = ["INT", "TERM", "HUP", "KILL"][rng.below(4) as usize];
        signal(&child, sig);
        if sig != "KILL" && rng.below(3) == 0 {
            std::thread::sleep(Duration::from_millis(rng.below(20)));
            signal(&child, ["INT", "TERM", "HUP"][rng.below(3) as usize]);
        }
        let code = wait(&mut child, "the interrupted run");
        let ctx = format!("{ctx}, {sig} after {after_calls} calls, exit {code:?}");
        let sent_by_first = batches(&srv).len() > calls_before;
        if sig != "KILL" && sent_by_first {
            // A signal is not a crash: the tool writes its report and exits 0, 1 or 130.
            // (Before the process has installed its handlers, nothing is sent yet.)
            assert!(matches!(code, Some(0 | 1 | 130)), "{ctx}");
        }

        // What the journal on disk says the first run did.
        let journal_path = dir.join(format!("r{p}.json.journal"));
        let st = match std::fs::read(&journal_path) {
            Ok(bytes) => journal::read(&bytes).unwrap_or_else(|e| panic!("{ctx}: {e}")),
            Err(_) => journal::JournalState::default(),
        };
        let recorded: HashSet<String> = st.resigned().map(|(id, _)| id.to_string()).collect();
        let in_flight: HashSet<String> = st.in_flight().map(str::to_string).collect();
        let first = report_if_written(&report);
        if let Some(r) = &first {
            assert_eq!(resigned_in(r), recorded, "{ctx}: report and journal agree");
        }
        for id in &recorded {
            assert_eq!(
                srv.emu.find_user(id, "email").unwrap().status,
                "Resigned",
                "{ctx}: {id}"
            );
        }

        // The resumed run, to the end.
        let sent_before = batches(&srv).len();
        let mut child = run(&["--resume", report.to_str().unwrap()]);
        let code = wait(&mut child, "the resumed run");
        assert_eq!(code, Some(1), "{ctx}: unknown and invalid users remain");
        let resent: HashSet<String> = batches(&srv)[sent_before..].concat().into_iter().collect();
        let again: Vec<&String> = resent.intersection(&recorded).collect();
        assert!(
            again.is_empty(),
            "{ctx}: recorded as resigned, sent again: {again:?}"
        );
        assert!(
            in_flight.is_subset(&resent),
            "{ctx}: in flight at the kill, not sent again"
        );

        let last = report_if_written(&report).unwrap_or_else(|| panic!("{ctx}: no final report"));
        let reported = resigned_in(&last);
        let earlier: HashSet<String> = last
            .users
            .iter()
            .filter(|u| u.earlier_run)
            .map(|u| u.user_id.clone())
            .collect();
        assert_eq!(
            earlier, recorded,
            "{ctx}: earlier_run marks what the journal recorded"
        );
        let at_server: HashSet<String> = ids
            .iter()
            .filter(|id| {
                srv.emu
                    .find_user(id, "email")
                    .is_some_and(|u| u.status == "Resigned")
            })
            .cloned()
            .collect();
        let valid: HashSet<String> = ids[UNKNOWN..].iter().cloned().collect();
        assert_eq!(
            at_server, reported,
            "{ctx}: the server and the reports agree"
        );
        assert_eq!(
            at_server, valid,
            "{ctx}: every valid user is resigned in the end"
        );
        let t = &last.totals;
        assert_eq!((t.failed, t.invalid), (UNKNOWN as u64, 1), "{ctx}");
        println!(
            "{ctx}: {} recorded resigned, {} in flight, report written: {}",
            recorded.len(),
            in_flight.len(),
            first.is_some()
        );
    }
}

#[test]
fn a_closed_stdout_and_stderr_neither_panic_nor_stop_the_job() {
    let ids: Vec<String> = (0..60).map(|i| format!("pipe{i}@example.com")).collect();
    let srv = Server::with_emails(&ids);
    let dir = tmp_dir("pipe");
    let report = dir.join("r.json");
    let mut c = srv.job();
    c.args(["--chunk-size", "5", "--json", "--report"])
        .arg(&report)
        .args(&ids)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    // Close the reading ends at once: every write of the tool meets a broken pipe.
    drop(child.stdout.take());
    drop(child.stderr.take());
    let code = wait(&mut child, "the tool");
    assert_eq!(
        code,
        Some(0),
        "the exit status is the job's, not a panic's (101)"
    );
    let r = report_if_written(&report).expect("the report is written");
    assert!(r.all_resigned());
    assert_eq!(srv.batch_calls().len(), 12);
}

#[test]
fn an_unwritable_report_path_sends_nothing() {
    let srv = Server::with_emails(&["a@example.com"]);
    let mut c = srv.job();
    c.args(["--report", "/no/such/dir/r.json", "a@example.com"]);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/no/such/dir/r.json") && err.contains("nothing was sent"),
        "{err}"
    );
    assert!(srv.batch_calls().is_empty());
}
