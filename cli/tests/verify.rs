//! `unknown` in the summary, JSON and CSV (and exit 1); `--verify` settling it;
//! `--verify-only` auditing without resigning anyone.

mod common;

use authing_emulator::{Fault, FaultKind};
use authing_resign::Outcome;
use common::{parts, read_report, run, tmp_dir, Server, BATCH};

const IDS: [&str; 2] = ["ann@example.com", "bob@example.com"];

fn job(server: &Server) -> std::process::Command {
    let mut c = server.job();
    c.args(["--max-retries", "0"]);
    c
}

/// A server that knows `IDS` and acts on every batch call but drops its answer.
fn losing_every_answer() -> Server {
    let server = Server::with_emails(&IDS);
    server
        .emu
        .add_fault(Fault::always(BATCH, FaultKind::ActThenDrop));
    server
}

#[test]
fn a_lost_answer_is_unknown_everywhere_and_exits_1() {
    let server = losing_every_answer();
    let dir = tmp_dir("unknown");
    let (json, csv) = (dir.join("r.json"), dir.join("r.csv"));
    for path in [&json, &csv] {
        let mut c = job(&server);
        c.arg("--report").arg(path).args(IDS);
        let (code, stdout, stderr) = parts(&run(c));
        assert_eq!(code, 1, "{stdout}{stderr}");
        assert!(stdout.contains("unknown              2"), "{stdout}");
        assert!(stdout.contains("the answer was lost"), "{stdout}");
    }
    let r = read_report(&json);
    assert_eq!(r.totals.unknown, 2);
    assert!(r.users.iter().all(|u| u.outcome == Outcome::Unknown));
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    for row in rows.records() {
        let row = row.unwrap();
        assert_eq!((&row[2], &row[3]), ("unknown", "transport"));
    }
}

#[test]
fn verify_settles_unknown_users_by_the_status_seen() {
    let server = losing_every_answer();
    let dir = tmp_dir("verify");
    let csv = dir.join("r.csv");
    let mut c = job(&server);
    c.arg("--verify").arg("--report").arg(&csv).args(IDS);
    let (code, stdout, stderr) = parts(&run(c));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("resigned             2"), "{stdout}");
    assert!(stdout.contains("verified             2"), "{stdout}");
    assert!(stdout.contains("+ 1 lookups"), "{stdout}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    for row in rows.records() {
        let row = row.unwrap();
        assert_eq!(
            (&row[2], &row[9], &row[10]),
            ("resigned", "true", "Resigned")
        );
    }
}

#[test]
fn verify_only_resigns_nobody_and_exits_1_unless_all_are_resigned() {
    let server = Server::with_emails(&IDS);
    let mut c = job(&server);
    c.arg(IDS[0]);
    assert_eq!(parts(&run(c)).0, 0);
    let before = server.batch_calls().len();

    let mut c = server.cmd();
    c.args(["--id-type", "email", "--verify-only", "--json"])
        .args(IDS);
    let (code, stdout, stderr) = parts(&run(c));
    assert_eq!(code, 1, "bob is still active: {stdout}{stderr}");
    assert_eq!(server.batch_calls().len(), before, "nobody resigned");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["verify_only"], true);
    assert_eq!(report["users"][0]["status"], "Resigned");
    assert_eq!(report["users"][1]["status"], "Activated");
    assert_eq!(report["users"][1]["verified"], true);
    assert!(stderr.contains("verify only (nobody resigned)"), "{stderr}");
    assert!(stderr.contains("status Activated"), "{stderr}");

    let mut c = server.cmd();
    c.args(["--id-type", "email", "--verify-only", "-q"])
        .arg(IDS[0]);
    assert_eq!(parts(&run(c)).0, 0, "every user seen Resigned");

    let mut c = server.cmd();
    c.args(["--id-type", "email", "--verify-only", "--dry-run"])
        .arg(IDS[0]);
    assert_eq!(parts(&run(c)).0, 2, "verify-only and dry-run do not mix");
}
