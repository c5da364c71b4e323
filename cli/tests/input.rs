//! Every way ids reach the tool: arguments, a lines file, CSV (named or implied
//! column), stdin, and the shipped example run with --emulator.

mod common;

use common::{
    cmd, exits_with, parts, read_report, repo_file, run, run_with_stdin, tmp_dir, Server,
};

#[test]
fn ids_as_arguments() {
    let srv = Server::with_emails(&["a@example.com", "b@example.com"]);
    let mut c = srv.job();
    c.args(["a@example.com", "b@example.com"]);
    let (code, out, err) = parts(&run(c));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("resigned             2"), "{out}");
    assert_eq!(
        srv.emu.find_user("b@example.com", "email").unwrap().status,
        "Resigned"
    );
}

#[test]
fn a_file_with_one_id_per_line() {
    let srv = Server::with_emails(&["a@example.com", "b@example.com", "c@example.com"]);
    let dir = tmp_dir("lines");
    let file = dir.join("ids.txt");
    std::fs::write(&file, "a@example.com\r\nb@example.com\n\nc@example.com\n").unwrap();
    let mut c = srv.job();
    c.args(["--file"]).arg(&file);
    let (code, out, err) = parts(&run(c));
    assert_eq!(code, 0, "{out}{err}");
    let sent: usize = srv
        .batch_calls()
        .iter()
        .map(|e| e.body["userIds"].as_array().unwrap().len())
        .sum();
    assert_eq!(sent, 3);
}

#[test]
fn a_csv_column_by_name_and_by_id_type() {
    let srv = Server::with_emails(&["a@example.com", "b@example.com"]);
    let dir = tmp_dir("csv");
    let named = dir.join("people.txt");
    std::fs::write(
        &named,
        "name,mail\n\"Ada, A\",a@example.com\nBob,b@example.com\n",
    )
    .unwrap();
    let mut c = srv.job();
    c.args(["--column", "mail", "--file"]).arg(&named);
    let (code, out, err) = parts(&run(c));
    assert_eq!(code, 0, "{out}{err}");

    // A .csv file without --column uses the column named like --id-type.
    let implied = dir.join("people.csv");
    std::fs::write(&implied, "email,name\na@example.com,Ada\n").unwrap();
    let mut c = srv.job();
    c.args(["--file"]).arg(&implied);
    assert_eq!(parts(&run(c)).0, 0);

    let nope = ["--column", "nope", "--file"];
    exits_with(
        srv.job().args(nope).arg(&implied),
        2,
        &["no column \"nope\"", "email, name"],
    );
}

#[test]
fn ids_from_stdin() {
    let srv = Server::with_emails(&["a@example.com", "b@example.com"]);
    let mut c = srv.job();
    c.args(["--file", "-"]);
    let (code, out, err) = parts(&run_with_stdin(c, "a@example.com\nb@example.com\n"));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(srv.batch_calls().len(), 1);
}

#[test]
fn no_ids_is_a_usage_error() {
    let no_ids = ["--id-type", "email", "--yes", "--emulator"];
    exits_with(cmd().args(no_ids), 2, &["no ids given"]);
}

#[test]
fn the_shipped_example_shows_every_outcome() {
    let dir = tmp_dir("example");
    let report = dir.join("report.json");
    let mut c = cmd();
    c.args(["--emulator", "--id-type", "email", "--yes", "--file"])
        .arg(repo_file("examples/leavers.csv"))
        .arg("--report")
        .arg(&report);
    let (code, out, err) = parts(&run(c));
    assert_eq!(code, 1, "some users are not resigned: {out}{err}");
    let r = read_report(&report);
    let t = &r.totals;
    assert_eq!(
        (
            t.resigned,
            t.failed,
            t.invalid,
            t.duplicate,
            t.not_attempted
        ),
        (112, 1, 4, 1, 0)
    );
    assert_eq!(r.users.len(), 118, "one entry per data row");
    let failed = r
        .users
        .iter()
        .find(|u| u.outcome == authing_resign::Outcome::Failed)
        .unwrap();
    assert_eq!(failed.user_id, "unknown.contractor@example.com");
    assert_eq!(failed.error.as_ref().unwrap().api_code, Some(2004));
    for word in [
        "resigned",
        "failed",
        "invalid",
        "duplicate",
        "unknown.contractor@example.com",
        "\"tab\\tinside@example.com\"",
    ] {
        assert!(out.contains(word), "summary shows {word}: {out}");
    }
    assert!(
        err.contains("progress: "),
        "plain progress lines on a non-terminal stderr: {err}"
    );
}

#[test]
fn connection_flags_reach_the_wire() {
    let srv = Server::with_emails(&["a@example.com", "b@example.com"]);
    let mut c = srv.job();
    c.args([
        "--lang",
        "en-US",
        "--tenant-id",
        "tenant-7",
        "--chunk-size",
        "1",
    ])
    .args(["--auth", "token", "a@example.com", "b@example.com"]);
    let (code, out, err) = parts(&run(c));
    assert_eq!(code, 0, "{out}{err}");
    let calls = srv.batch_calls();
    assert_eq!(calls.len(), 2, "--chunk-size 1: one call per id");
    for e in &calls {
        assert_eq!(
            e.headers.get("x-authing-lang").map(String::as_str),
            Some("en-US")
        );
        assert_eq!(
            e.headers.get("x-authing-tenant-id").map(String::as_str),
            Some("tenant-7")
        );
        assert_eq!(e.auth, authing_emulator::AuthKind::Token);
        assert!(e.headers["x-authing-sdk-version"].starts_with("authing-resign-cli:"));
    }
}
