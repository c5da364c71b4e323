//! Reports: JSON and CSV files, --json on stdout, --resume, --dry-run, and Ctrl-C
//! still writing the report.

mod common;

use std::io::{BufRead, BufReader};

use authing_emulator::NewUser;
use authing_resign::Outcome;
use common::{cmd, parts, read_report, run, tmp_dir, Server};

const IDS: [&str; 4] = [
    "a@example.com",
    "b@example.com",
    "ghost@example.com",
    "a@example.com",
];

#[test]
fn json_and_csv_report_files() {
    let srv = Server::with_emails(&IDS[..2]);
    let dir = tmp_dir("files");
    let (json, csv) = (dir.join("r.json"), dir.join("r.csv"));
    for path in [&json, &csv] {
        srv.emu.reset();
        let mut c = srv.job();
        c.args(["--report"]).arg(path).args(IDS);
        assert_eq!(parts(&run(c)).0, 1);
    }
    let r = read_report(&json);
    let outcomes: Vec<Outcome> = r.users.iter().map(|u| u.outcome).collect();
    assert_eq!(
        outcomes,
        vec![
            Outcome::Resigned,
            Outcome::Resigned,
            Outcome::Failed,
            Outcome::Duplicate
        ]
    );
    assert!(r.http_calls >= 3, "the chunk, then its halves");

    let text = std::fs::read_to_string(&csv).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header = rows.headers().unwrap().iter().collect::<Vec<_>>().join(",");
    let expected = "row,user_id,outcome,error_code,status_code,api_code,request_id,message,\
                    earlier_run,verified,status,verify_note";
    assert_eq!(header, expected);
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[2][1], "ghost@example.com");
    assert_eq!(
        (&rows[2][2], &rows[2][3], &rows[2][4], &rows[2][5]),
        ("failed", "api_error", "404", "2004")
    );
    assert!(!rows[2][6].is_empty(), "request id kept");
    assert_eq!(&rows[3][2], "duplicate");
}

#[test]
fn json_flag_prints_the_report_on_stdout_only() {
    let srv = Server::with_emails(&IDS[..2]);
    let mut c = srv.job();
    c.args(["--json"]).args(&IDS[..2]);
    let (code, out, err) = parts(&run(c));
    assert_eq!(code, 0);
    let report: authing_resign::BulkReport =
        serde_json::from_str(&out).expect("stdout is exactly the JSON report");
    assert_eq!(report.totals.resigned, 2);
    assert!(
        err.contains("resigned"),
        "the summary goes to stderr: {err}"
    );
}

#[test]
fn resume_skips_users_already_resigned() {
    let srv = Server::with_emails(&IDS[..2]);
    let dir = tmp_dir("resume");
    let first = dir.join("first.json");
    assert_eq!(srv.run_reported(&first, &IDS), 1);

    // The missing user appears in the directory; only they are sent this time.
    srv.emu.seed_users(vec![NewUser {
        email: Some("ghost@example.com".into()),
        ..NewUser::default()
    }]);
    srv.emu.clear_journal();
    let second = dir.join("second.json");
    let (code, out, err) = srv.resume(&first, &["--report", second.to_str().unwrap()], &IDS);
    assert_eq!(code, 0, "{out}{err}");
    let calls = srv.batch_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].body["userIds"],
        serde_json::json!(["ghost@example.com"])
    );
    let r = read_report(&second);
    assert_eq!(r.users.len(), 4);
    assert_eq!((r.totals.resigned, r.totals.duplicate), (3, 1));
    let earlier = read_report(&first);
    assert_eq!(
        r.users[0].request_id, earlier.users[0].request_id,
        "the earlier request id is kept"
    );
    assert!(out.contains("resigned in an earlier run"), "{out}");

    // Resuming a report of another id type is refused.
    let mut c = srv.cmd();
    c.args(["--id-type", "username", "--yes", "--resume"])
        .arg(&second)
        .args(IDS);
    assert_eq!(parts(&run(c)).0, 2);
}

#[test]
fn dry_run_needs_no_credentials_and_sends_nothing() {
    let dir = tmp_dir("dry");
    let path = dir.join("plan.json");
    let ids: Vec<String> = (0..120).map(|i| format!("u{i}@example.com")).collect();
    let mut c = cmd();
    c.args([
        "--id-type",
        "email",
        "--dry-run",
        "--chunk-size",
        "50",
        "--report",
    ])
    .arg(&path)
    .args(&ids)
    .arg("");
    let (code, out, _) = parts(&run(c));
    assert_eq!(code, 1, "the plan has an invalid id");
    assert!(
        out.contains("dry run (nothing sent)") && out.contains("ids per call: 50, 50, 20"),
        "{out}"
    );
    let r = read_report(&path);
    assert!(r.dry_run);
    assert_eq!(
        (r.totals.not_attempted, r.totals.invalid, r.http_calls),
        (120, 1, 0)
    );
}

#[test]
fn ctrl_c_stops_after_calls_in_flight_and_still_writes_the_report() {
    let (_srv, path, mut child) = common::slow_job("slow", 150);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 && !line.contains("progress:") {
        line.clear();
    }
    assert!(
        line.contains("progress:"),
        "a progress line before the interrupt"
    );
    common::interrupt(&child);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let code = child.wait().unwrap().code();
    assert_eq!(code, Some(1), "{rest}");
    assert!(rest.contains("cancelling"), "{rest}");
    let r = read_report(&path);
    assert_eq!(
        r.stopped_early.as_ref().map(|e| e.code.as_str()),
        Some("cancelled")
    );
    assert!(
        r.totals.not_attempted > 0 && r.totals.resigned > 0,
        "{:?}",
        r.totals
    );
    assert_eq!(r.totals.failed, 0, "calls in flight finished normally");
    assert_eq!(r.totals.sum(), 300);
}
