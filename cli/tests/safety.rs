//! Safety and configuration: confirmation without a terminal, --max-users, exit
//! codes, credentials only from the environment or a file, and secrets never shown.

mod common;

use std::process::Command;

use common::{cmd, exits_with, parts, run, tmp_dir, Server};

const IDS: [&str; 3] = ["a@example.com", "b@example.com", "c@example.com"];

/// Runs `c`, which must refuse: exit 2, every one of `needles` in stderr, nothing sent.
fn assert_refuses(srv: &Server, c: &mut Command, needles: &[&str]) {
    exits_with(c, 2, needles);
    assert!(srv.emu.journal().is_empty(), "nothing is sent");
}

#[test]
fn without_a_terminal_and_without_yes_it_refuses_and_sends_nothing() {
    let srv = Server::with_emails(&IDS);
    assert_refuses(
        &srv,
        srv.cmd().args(["--id-type", "email"]).args(IDS),
        &[
            "refusing to resign 3 user(s) without confirmation",
            "--yes",
            "cannot be undone",
        ],
    );
}

#[test]
fn max_users_refuses_larger_jobs_unless_raised() {
    let srv = Server::with_emails(&IDS);
    assert_refuses(
        &srv,
        srv.job().args(["--max-users", "2"]).args(IDS),
        &["refusing to resign 3 users: more than --max-users 2"],
    );

    let mut c = srv.job();
    c.args(["--max-users", "3"]).args(IDS);
    assert_eq!(parts(&run(c)).0, 0);
}

#[test]
fn exit_code_1_when_some_users_fail() {
    let srv = Server::with_emails(&IDS[..2]);
    let mut c = srv.job();
    c.args(IDS);
    let (code, out, _) = parts(&run(c));
    assert_eq!(code, 1);
    assert!(
        out.contains("c@example.com") && out.contains("apiCode 2004"),
        "{out}"
    );
}

#[test]
fn usage_errors_exit_2_before_any_call() {
    let srv = Server::with_emails(&IDS);
    let cases: [(&[&str], &str); 5] = [
        (
            &["--id-type", "mail", "--yes", "a@example.com"],
            "invalid value 'mail' for '--id-type <TYPE>'",
        ),
        (
            &[
                "--id-type",
                "email",
                "--yes",
                "--report",
                "r.txt",
                "a@example.com",
            ],
            ".json or .csv",
        ),
        (
            &[
                "--id-type",
                "email",
                "--yes",
                "--chunk-size",
                "51",
                "a@example.com",
            ],
            "chunk_size",
        ),
        (
            &[
                "--id-type",
                "email",
                "--yes",
                "--concurrency",
                "0",
                "a@example.com",
            ],
            "concurrency",
        ),
        (
            &[
                "--id-type",
                "email",
                "--yes",
                "--auth",
                "password",
                "a@example.com",
            ],
            "invalid value 'password' for '--auth <AUTH>'",
        ),
    ];
    for (args, needle) in cases {
        assert_refuses(&srv, srv.cmd().args(args), &[needle]);
    }
    // clap's own usage errors also exit 2.
    assert_refuses(&srv, srv.cmd().args(["--yes", "a@example.com"]), &[]);
}

#[test]
fn credentials_come_only_from_the_environment_or_a_secret_file() {
    let no_credentials = ["--id-type", "email", "--yes", "a@example.com"];
    exits_with(cmd().args(no_credentials), 2, &["AUTHING_ACCESS_KEY_ID"]);

    let mut c = cmd();
    c.args([
        "--id-type",
        "email",
        "--yes",
        "--secret",
        "x",
        "a@example.com",
    ]);
    assert_eq!(parts(&run(c)).0, 2, "there is no --secret flag");

    let srv = Server::with_emails(&IDS);
    let dir = tmp_dir("secret-file");
    let file = dir.join("secret");
    std::fs::write(&file, format!("{}\n", srv.emu.settings().access_key_secret)).unwrap();
    let mut c = srv.cmd();
    c.env_remove("AUTHING_ACCESS_KEY_SECRET")
        .args(["--id-type", "email", "--yes", "--secret-file"])
        .arg(&file)
        .args(IDS);
    let (code, out, err) = parts(&run(c));
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn auth_failure_exits_3_and_the_secret_never_appears() {
    let srv = Server::with_emails(&IDS);
    let secret = "s3cr3t-value-that-must-never-be-printed";
    let dir = tmp_dir("auth");
    for auth in ["signature", "token"] {
        let json = dir.join(format!("{auth}.json"));
        let csv = dir.join(format!("{auth}.csv"));
        let mut outputs = String::new();
        for report in [&json, &csv] {
            let mut c = srv.cmd();
            c.env("AUTHING_ACCESS_KEY_SECRET", secret)
                .env("AUTHING_RESIGN_LOG", "trace")
                .args([
                    "--id-type",
                    "email",
                    "--yes",
                    "--json",
                    "--auth",
                    auth,
                    "--report",
                ])
                .arg(report)
                .args(IDS);
            let (code, out, err) = parts(&run(c));
            assert_eq!(code, 3, "{auth}: {out}{err}");
            outputs.push_str(&out);
            outputs.push_str(&err);
            outputs.push_str(&std::fs::read_to_string(report).unwrap());
        }
        assert!(
            outputs.contains("not_attempted") || outputs.contains("failed"),
            "{outputs}"
        );
        assert!(!outputs.contains(secret), "{auth}: the secret leaked");
        assert!(
            !outputs.contains(&secret[..12]),
            "{auth}: part of the secret leaked"
        );
    }
    // And with the right secret, a successful run prints no secret either.
    let mut c = srv.cmd();
    c.env("AUTHING_RESIGN_LOG", "trace")
        .args(["--id-type", "email", "--yes", "--json"])
        .args(IDS);
    let (code, out, err) = parts(&run(c));
    assert_eq!(code, 0);
    let real = srv.emu.settings().access_key_secret;
    assert!(!out.contains(&real) && !err.contains(&real));
}

/// Runs the tool on a pseudo-terminal (util-linux `script`), typing `answer`.
fn on_a_terminal(srv: &Server, answer: &str) -> (i32, String) {
    let bin = env!("CARGO_BIN_EXE_authing-resign");
    // The same environment as a direct run (credentials, host), through the pty.
    let c = srv.cmd();
    let mut script = std::process::Command::new("script");
    script.args([
        "-qec",
        &format!("{bin} --id-type email a@example.com b@example.com"),
        "/dev/null",
    ]);
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => script.env(k, v),
            None => script.env_remove(k),
        };
    }
    let out = common::run_with_stdin(script, answer);
    let (code, out, err) = parts(&out);
    (code, out + &err)
}

#[test]
fn on_a_terminal_it_asks_and_only_yes_proceeds() {
    let srv = Server::with_emails(&IDS);
    let (code, text) = on_a_terminal(&srv, "no\n");
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("About to resign 2 user(s)") && text.contains("cannot be undone"),
        "{text}"
    );
    assert!(text.contains("not confirmed; nothing was sent"), "{text}");
    assert!(srv.emu.journal().is_empty());

    let (code, text) = on_a_terminal(&srv, "yes\n");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("resigned"), "{text}");
    assert_eq!(srv.batch_calls().len(), 1);
}
