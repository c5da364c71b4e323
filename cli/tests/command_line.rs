//! The command line itself: clap value enums for --id-type and --auth (named, with a
//! suggestion, checked even for --dry-run), AUTHING_HOST read by clap, --host against
//! --emulator, shell completions and the man page.

mod common;

use common::{cmd, exits_with, parts, run, Server};

#[test]
fn a_misspelt_id_type_or_auth_names_the_flag_and_suggests_the_value_even_for_a_dry_run() {
    for args in [
        ["--id-type", "emial", "--auth", "token"],
        ["--id-type", "email", "--auth", "tokn"],
    ] {
        let (flag, bad, good) = if args[1] == "emial" {
            ("--id-type", "emial", "email")
        } else {
            ("--auth", "tokn", "token")
        };
        let mut c = cmd();
        c.args(["--dry-run", "a@example.com"]).args(args);
        let (code, out, err) = parts(&run(c));
        assert_eq!(code, 2, "{flag} {bad}: {out}{err}");
        assert!(out.is_empty(), "nothing planned: {out}");
        assert!(
            err.contains(&format!("invalid value '{bad}' for '{flag}"))
                && err.contains(&format!("a similar value exists: '{good}'")),
            "{err}"
        );
    }
}

#[test]
fn every_id_type_and_auth_alias_of_the_core_is_accepted() {
    for t in authing_resign::UserIdType::ALL {
        let mut c = cmd();
        c.args(["--dry-run", "--quiet", "--id-type", t.as_str(), "a:b"]);
        let (code, out, err) = parts(&run(c));
        assert!(code == 0 || code == 1, "{t}: {out}{err}");
    }
    for a in authing_resign::AuthScheme::ALL {
        for name in std::iter::once(a.as_str()).chain(a.aliases().iter().copied()) {
            let mut c = cmd();
            c.args(["--dry-run", "--quiet", "--id-type", "email", "--auth", name])
                .arg("a@example.com");
            let (code, out, err) = parts(&run(c));
            assert_eq!(code, 0, "--auth {name}: {out}{err}");
        }
    }
}

#[test]
fn the_host_comes_from_authing_host_and_host_on_the_command_line_conflicts_with_emulator() {
    // Server::cmd sets AUTHING_HOST only; the job reaches that emulator.
    let srv = Server::with_emails(&["a@example.com"]);
    let mut c = srv.job();
    c.args(["--quiet", "a@example.com"]);
    let (code, out, err) = parts(&run(c));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(srv.batch_calls().len(), 1);

    // With --emulator, AUTHING_HOST from the environment is not used ...
    let mut c = cmd();
    c.env("AUTHING_HOST", "http://127.0.0.1:9").args([
        "--emulator",
        "--id-type",
        "email",
        "--yes",
        "--quiet",
        "a@example.com",
    ]);
    let (code, out, err) = parts(&run(c));
    assert_eq!(code, 0, "{out}{err}");
    // ... but --host on the command line is refused.
    let mut c = cmd();
    c.args([
        "--emulator",
        "--host",
        "http://127.0.0.1:9",
        "--id-type",
        "email",
    ])
    .arg("a@example.com");
    exits_with(
        &mut c,
        2,
        &["'--host <URL>' cannot be used with '--emulator'"],
    );
}

#[test]
fn completions_for_each_shell_name_every_flag() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef authing-resign"),
        ("fish", "complete -c authing-resign"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let mut c = cmd();
        c.args(["completions", shell]);
        let (code, out, err) = parts(&run(c));
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: {out}");
        for flag in ["id-type", "dry-run", "max-users", "resume-force"] {
            assert!(out.contains(flag), "{shell} completes --{flag}");
        }
        // The value enums are completed with the core's names (clap_complete's
        // PowerShell script completes flags only).
        if shell != "powershell" {
            assert!(out.contains("sync_relation"), "{shell}: id types");
        }
    }
    let mut c = cmd();
    c.args(["completions", "tcsh"]);
    assert_eq!(parts(&run(c)).0, 2);
}

#[test]
fn the_man_page_documents_the_flags_and_exit_codes() {
    let mut c = cmd();
    c.arg("man");
    let (code, out, err) = parts(&run(c));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(".ie") || out.contains(".TH authing-resign 1"),
        "{out}"
    );
    for needle in [
        "\\-\\-id\\-type",
        "\\-\\-dry\\-run",
        "Exit codes",
        "AUTHING_HOST",
    ] {
        assert!(out.contains(needle), "man page has {needle}");
    }
}
