//! Helpers of the CLI tests: the built binary run as a process, and an emulator on
//! its own runtime thread so tests stay synchronous like a shell session.
#![allow(dead_code)] // each test binary uses a different subset

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use authing_emulator::{Emulator, JournalEntry, NewUser, Settings};

pub const BATCH: &str = "/api/v3/resign-user-batch";

/// An emulator serving from a runtime of its own.
pub struct Server {
    pub emu: Emulator,
    _rt: tokio::runtime::Runtime,
}

impl Server {
    /// Starts an emulator that knows these emails.
    pub fn with_emails(emails: &[impl AsRef<str>]) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let users = emails
            .iter()
            .map(|e| NewUser::with_email(e.as_ref()))
            .collect();
        let emu = rt
            .block_on(Emulator::start(Settings {
                users,
                ..Settings::default()
            }))
            .unwrap();
        Self { emu, _rt: rt }
    }

    /// Slows every batch call down by `ms` milliseconds (the work is done after the
    /// delay), so that calls are in flight when a test signals or kills the tool.
    pub fn slow_batches(&self, ms: u64) {
        self.emu.add_fault(authing_emulator::Fault::always(
            BATCH,
            authing_emulator::FaultKind::Delay(std::time::Duration::from_millis(ms)),
        ));
    }

    /// The batch calls received so far.
    pub fn batch_calls(&self) -> Vec<JournalEntry> {
        self.emu
            .journal()
            .into_iter()
            .filter(|e| e.path == BATCH)
            .collect()
    }

    /// Runs a confirmed job on `ids` that writes `--report report`; returns its exit code.
    pub fn run_reported(&self, report: &Path, ids: &[&str]) -> i32 {
        let mut c = self.job();
        c.arg("--report").arg(report).args(ids);
        parts(&run(c)).0
    }

    /// Runs a confirmed job on `ids` with `--resume earlier` and `extra` arguments;
    /// returns (code, stdout, stderr).
    pub fn resume(&self, earlier: &Path, extra: &[&str], ids: &[&str]) -> (i32, String, String) {
        let mut c = self.job();
        c.arg("--resume").arg(earlier).args(extra).args(ids);
        parts(&run(c))
    }

    /// [`Server::cmd`] for a job on email ids, confirmed: `--id-type email --yes`.
    pub fn job(&self) -> Command {
        let mut c = self.cmd();
        c.args(["--id-type", "email", "--yes"]);
        c
    }

    /// A command pointed at this emulator with its credentials in the environment.
    pub fn cmd(&self) -> Command {
        let s = self.emu.settings();
        let mut c = cmd();
        c.env("AUTHING_ACCESS_KEY_ID", s.access_key_id)
            .env("AUTHING_ACCESS_KEY_SECRET", s.access_key_secret)
            .env("AUTHING_HOST", self.emu.url());
        c
    }
}

/// The built `authing-resign` binary, with no Authing variables inherited.
pub fn cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_authing-resign"));
    for var in [
        "AUTHING_ACCESS_KEY_ID",
        "AUTHING_ACCESS_KEY_SECRET",
        "AUTHING_HOST",
        "AUTHING_RESIGN_LOG",
    ] {
        c.env_remove(var);
    }
    // Journals of runs without --report go here, not under the user's home.
    let state = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-state");
    c.env("XDG_STATE_HOME", state);
    c.stdin(Stdio::null());
    c
}

/// Runs `c` to completion, feeding `stdin`.
pub fn run_with_stdin(mut c: Command, stdin: &str) -> Output {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `c` to completion.
pub fn run(mut c: Command) -> Output {
    c.output().unwrap()
}

/// Exit code, stdout and stderr.
pub fn parts(o: &Output) -> (i32, String, String) {
    (
        o.status.code().expect("exited normally"),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs `c` (built in place: `exits_with(srv.job().args(..), 2, ..)`); asserts it exits
/// with `code` and that stderr holds every one of `in_stderr`. Returns stdout and stderr.
pub fn exits_with(c: &mut Command, code: i32, in_stderr: &[&str]) -> (String, String) {
    let (got, out, err) = parts(&c.output().unwrap());
    assert_eq!(got, code, "{out}{err}");
    for needle in in_stderr {
        assert!(err.contains(needle), "{needle:?} missing: {err}");
    }
    (out, err)
}

/// A fresh directory for one test's files.
pub fn tmp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The report written by `--report PATH.json`.
pub fn read_report(path: &std::path::Path) -> authing_resign::BulkReport {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Path of a file shipped in the repository.
pub fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
}

/// The report file as raw JSON (to see the tool's own fields: `source`, `earlier_run`).
pub fn read_json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// For tests that interrupt a job: 300 users (`{tag}0@example.com`, …), every batch call
/// taking `ms`, sent 5 ids a call, one call at a time, with `--report`; the tool is
/// started with stdout and stderr piped. Returns the server, the report's path and the
/// running tool.
pub fn slow_job(tag: &str, ms: u64) -> (Server, PathBuf, Child) {
    let ids: Vec<String> = (0..300).map(|i| format!("{tag}{i}@example.com")).collect();
    let srv = Server::with_emails(&ids);
    srv.slow_batches(ms);
    let path = tmp_dir(tag).join("report.json");
    let mut c = srv.job();
    c.args(["--chunk-size", "5", "--concurrency", "1", "--report"])
        .arg(&path)
        .args(&ids)
        .stderr(Stdio::piped())
        .stdout(Stdio::piped());
    let child = c.spawn().unwrap();
    (srv, path, child)
}

/// Sends SIGINT (what Ctrl-C sends) to `child`.
pub fn interrupt(child: &Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}
