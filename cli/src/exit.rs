//! Exit codes and the CLI's own error type.

use std::fmt;
use std::process::ExitCode;

use authing_resign::{CompactReport, Outcome};

/// Every user resigned (or, for a dry run, the plan has no invalid id).
pub const OK: u8 = 0;
/// Some users failed, are unknown, were invalid or were not attempted (with
/// `--verify-only`: some user was not seen `Resigned`).
pub const INCOMPLETE: u8 = 1;
/// Usage or configuration error: nothing was sent.
pub const USAGE: u8 = 2;
/// Authentication failed.
pub const AUTH: u8 = 3;
/// Interrupted: a second Ctrl-C cut the calls in flight (the report is still written).
pub const INTERRUPTED: u8 = 130;

/// A failure before the job ran: a usage or configuration error (exit code 2).
#[derive(Debug)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<authing_resign::Error> for CliError {
    fn from(e: authing_resign::Error) -> Self {
        Self(e.to_string())
    }
}

/// Shorthand for a usage error.
pub fn usage(msg: impl Into<String>) -> CliError {
    CliError(msg.into())
}

/// The exit code a finished (or planned) job deserves.
pub fn for_report(report: &CompactReport) -> u8 {
    // The core's rule (401/403, apiCode 1300-1306), carried by each flattened error.
    let auth_failed = report
        .stopped_early
        .iter()
        .chain(report.users().filter_map(|u| u.error));
    if !report.dry_run && auth_failed.into_iter().any(|e| e.auth) {
        return AUTH;
    }
    let t = &report.totals;
    if report.verify_only {
        let all_resigned = report.users().all(|u| {
            matches!(u.outcome, Outcome::Duplicate)
                || (u.verified == Some(true) && u.status == Some("Resigned"))
        });
        return if all_resigned { OK } else { INCOMPLETE };
    }
    let incomplete = t.invalid > 0
        || (!report.dry_run && (t.failed > 0 || t.unknown > 0 || t.not_attempted > 0));
    if incomplete {
        INCOMPLETE
    } else {
        OK
    }
}

/// Converts a code to the process exit status.
pub fn code(c: u8) -> ExitCode {
    ExitCode::from(c)
}
