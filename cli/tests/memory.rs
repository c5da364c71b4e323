//! The memory bound, measured: against an answer of 256 MiB streamed as fast as the
//! tool reads it (the emulator's `huge_body` fault: a wrong host, a captive portal),
//! the CLI's peak resident set stays under 100 MiB. Measured with `wait4`'s
//! `ru_maxrss` of exactly that child process; without the body cap the tool would
//! hold the whole answer (> 256 MiB).

mod common;

use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;

use authing_emulator::{Fault, FaultKind};
use common::{Server, BATCH};

const ANSWER_BYTES: u64 = 256 << 20;
const LIMIT_KIB: i64 = 100 * 1024;

#[test]
// The child is reaped by `wait4` (which also gives its peak RSS), not `Child::wait`.
#[allow(clippy::zombie_processes)]
fn peak_rss_stays_under_100_mib_with_a_256_mib_answer() {
    let server = Server::with_emails(&["big@example.com"]);
    server.emu.add_fault(Fault::always(
        BATCH,
        FaultKind::HugeBody {
            size_bytes: ANSWER_BYTES,
        },
    ));
    let mut c = server.job();
    c.args(["--json"])
        .arg("big@example.com")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    // Read the output meanwhile, so a full pipe can never block the child.
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut out, &mut text).unwrap();
        text
    });
    let mut err = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut text);
        text
    });
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain FFI calls on a zeroed rusage and a child of this process that
    // nothing else waits for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    let code = std::process::ExitStatus::from_raw(status).code();
    let peak_kib = usage.ru_maxrss; // KiB on Linux
    eprintln!(
        "peak RSS of the CLI: {:.1} MiB (answer {} MiB)",
        peak_kib as f64 / 1024.0,
        ANSWER_BYTES >> 20
    );
    let stdout = reader.join().unwrap();
    let stderr = err_reader.join().unwrap();
    assert_eq!(code, Some(1), "the user is unknown: {stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["totals"]["unknown"], 1, "{stdout}");
    let message = report["users"][0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("1048576-byte cap"), "{message}");
    let answered = server
        .batch_calls()
        .iter()
        .filter(|e| {
            e.fault
                .as_deref()
                .is_some_and(|f| f.starts_with("huge_body"))
        })
        .count();
    // An undecodable 2xx is not retried.
    assert_eq!(answered, 1, "the call got the huge answer");
    assert!(
        peak_kib < LIMIT_KIB,
        "peak RSS {peak_kib} KiB is not under {LIMIT_KIB} KiB"
    );
}
