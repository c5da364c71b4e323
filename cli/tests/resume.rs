//! `--resume` trusts only a report of the same place: host, access key id, tenant and
//! emulator are recorded in the report and checked before anything is sent; users it
//! skips are marked as resigned by the earlier run.

mod common;

use std::path::{Path, PathBuf};

use common::{cmd, exits_with, parts, read_json, read_report, run, tmp_dir, Server};

const IDS: [&str; 2] = ["a@example.com", "b@example.com"];

/// A fresh directory named for `tag`, a server that knows `IDS`, and the report
/// (`first.json` in that directory) of a successful run on `ids` against it.
fn first_run(tag: &str, ids: &[&str]) -> (PathBuf, Server, PathBuf) {
    let dir = tmp_dir(tag);
    let srv = Server::with_emails(&IDS);
    let report = dir.join("first.json");
    assert_eq!(srv.run_reported(&report, ids), 0);
    (dir, srv, report)
}

/// A report of a full emulator run over `IDS`.
fn emulator_report(dir: &Path) -> PathBuf {
    let path = dir.join("emulator.json");
    let mut c = cmd();
    c.args(["--emulator", "--id-type", "email", "--yes", "--report"])
        .arg(&path)
        .args(IDS);
    assert_eq!(parts(&run(c)).0, 0);
    let source = &read_json(&path)["source"];
    assert_eq!(source["emulator"], true, "{source}");
    path
}

#[test]
fn a_report_of_the_emulator_is_refused_for_a_real_host_unless_forced() {
    let dir = tmp_dir("resume-emulator");
    let earlier = emulator_report(&dir);
    let srv = Server::with_emails(&IDS);

    let (code, out, err) = srv.resume(&earlier, &[], &IDS);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("written for the built-in emulator") && err.contains("--resume-force"),
        "{err}"
    );
    assert!(srv.emu.journal().is_empty(), "nothing sent");

    // Forced: the users are skipped, marked as resigned by the earlier run.
    let second = dir.join("forced.json");
    let report_arg = second.to_str().unwrap();
    let (code, out, err) = srv.resume(&earlier, &["--resume-force", "--report", report_arg], &IDS);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("warning") && err.contains("resuming anyway"),
        "{err}"
    );
    assert!(srv.emu.journal().is_empty());
    let json = read_json(&second);
    for user in json["users"].as_array().unwrap() {
        assert_eq!(user["earlier_run"], true, "{user}");
    }
    assert_eq!(json["source"]["emulator"], false);
    assert!(
        out.contains("resigned in an earlier run"),
        "the summary says who did it: {out}"
    );
}

#[test]
fn another_host_key_or_tenant_is_refused() {
    let (_, srv, earlier) = first_run("resume-host", &IDS);
    let source = &read_json(&earlier)["source"];
    assert_eq!(
        (
            source["host"].as_str(),
            source["access_key_id"].as_str(),
            source["emulator"].as_bool()
        ),
        (
            Some(srv.emu.url().as_str()),
            Some(srv.emu.settings().access_key_id.as_str()),
            Some(false)
        )
    );

    let other = Server::with_emails(&IDS);
    let (code, _, err) = other.resume(&earlier, &[], &IDS);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("host {}", srv.emu.url())), "{err}");
    assert!(other.emu.journal().is_empty());

    let (code, _, err) = srv.resume(&earlier, &["--tenant-id", "t1"], &IDS);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("tenant t1"), "{err}");

    let mut c = srv.cmd();
    c.env("AUTHING_ACCESS_KEY_ID", "another-key")
        .args(["--id-type", "email", "--yes", "--resume"])
        .arg(&earlier)
        .args(IDS);
    exits_with(&mut c, 2, &["access key id another-key"]);
    assert_eq!(srv.batch_calls().len(), 1, "only the first run's call");

    // The same place: accepted, nothing left to send, and no "progress: 0/0" line.
    let (code, out, err) = srv.resume(&earlier, &[], &IDS);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("progress:"), "{err}");
}

#[test]
fn a_report_without_provenance_is_refused_unless_forced() {
    let (dir, srv, earlier) = first_run("resume-old", &IDS);
    // What an older version wrote: the bare core report.
    let old = dir.join("old.json");
    std::fs::write(&old, serde_json::to_string(&read_report(&earlier)).unwrap()).unwrap();
    srv.emu.clear_journal();

    let (code, _, err) = srv.resume(&old, &[], &IDS);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("does not record the host") && err.contains("--resume-force"),
        "{err}"
    );
    let (code, out, err) = srv.resume(&old, &["--resume-force"], &IDS);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("resuming anyway"), "{err}");
    assert!(srv.emu.journal().is_empty());

    // --resume-force means nothing without --resume.
    let mut c = srv.job();
    c.args(["--resume-force"]).args(IDS);
    assert_eq!(parts(&run(c)).0, 2);
}

/// After a run killed before writing its report, `--resume REPORT` reads the journal
/// beside it; rows and "duplicate of" indexes in the resumed report are the input's.
#[test]
fn resuming_from_the_journal_keeps_input_rows_and_dry_run_checks_the_place() {
    let (dir, srv, report) = first_run("resume-journal", &IDS[..1]);
    // What a SIGKILL leaves: the journal, and an empty report file.
    std::fs::write(&report, b"").unwrap();
    srv.emu.clear_journal();

    let input = [IDS[0], IDS[1], " ", IDS[0]];
    let other = Server::with_emails(&IDS);
    let mut c = other.cmd();
    c.args(["--id-type", "email", "--dry-run", "--resume"])
        .arg(&report)
        .args(input);
    let (code, _, err) = parts(&run(c));
    assert_eq!(
        code, 2,
        "a dry run checks the place like the real run: {err}"
    );
    assert!(
        err.contains("host") && err.contains("--resume-force"),
        "{err}"
    );

    let (code, out, err) = srv.resume(&report, &["--report", report.to_str().unwrap()], &input);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(srv.batch_calls().len(), 1, "only b is sent");
    let r = read_report(&report);
    assert!(r.users[0].earlier_run);
    let msg = |i: usize| r.users[i].error.as_ref().unwrap().message.clone();
    assert!(msg(2).contains("userIds[2]"), "{}", msg(2));
    assert!(
        msg(3).contains("userIds[3]") && msg(3).contains("userIds[0]"),
        "{}",
        msg(3)
    );
    assert!(out.contains("journal: "), "{out}");
    // The journal was continued, not replaced: two runs in it.
    let j = std::fs::read(dir.join("first.json.journal")).unwrap();
    assert_eq!(authing_resign::bulk::journal::read(&j).unwrap().runs, 2);
}
