//! The human summary printed at the end: counts, then every user not resigned.

use std::fmt::Write;

use authing_resign::{BulkReport, Outcome};

use crate::text::{escape_hidden, printable};

/// At most this many not-resigned users are listed; the report file has them all.
const MAX_LISTED: usize = 50;

/// Renders the summary table.
pub fn render(report: &BulkReport, host: &str, skipped: usize) -> String {
    let t = &report.totals;
    let mut s = String::new();
    let what = if report.dry_run {
        "dry run (nothing sent)"
    } else {
        "resignation"
    };
    let _ = writeln!(
        s,
        "{what}: {} ids by {} at {host}: {} HTTP calls, {:.2} s",
        report.users.len(),
        report.user_id_type,
        report.http_calls,
        report.elapsed_ms as f64 / 1000.0
    );
    if report.dry_run {
        let sizes: Vec<String> = report.chunks.iter().map(|c| c.len().to_string()).collect();
        let _ = writeln!(
            s,
            "  planned calls   {:>6}  (ids per call: {})",
            report.chunks.len(),
            sizes.join(", ")
        );
    }
    for (label, n) in [
        ("resigned", t.resigned),
        ("failed", t.failed),
        ("invalid", t.invalid),
        ("duplicate", t.duplicate),
        ("not attempted", t.not_attempted),
    ] {
        let _ = writeln!(s, "  {label:<14}  {n:>6}");
    }
    if skipped > 0 {
        let _ = writeln!(
            s,
            "  ({skipped} of the resigned were resigned in an earlier run, per the report given \
             to --resume: not sent again; marked earlier_run in --report)"
        );
    }
    if let Some(e) = &report.stopped_early {
        let _ = writeln!(
            s,
            "stopped early: {} ({})",
            escape_hidden(&e.message),
            escape_hidden(&e.code)
        );
    }
    let not_resigned: Vec<(usize, &authing_resign::UserOutcome)> = report
        .users
        .iter()
        .enumerate()
        .filter(|(_, u)| {
            u.outcome != Outcome::Resigned
                && !(report.dry_run && u.outcome == Outcome::NotAttempted)
        })
        .collect();
    if !not_resigned.is_empty() {
        let _ = writeln!(s, "\n  {:>5}  {:<32}  {:<13}  why", "row", "id", "outcome");
        for (i, u) in not_resigned.iter().take(MAX_LISTED) {
            let why = u
                .error
                .as_ref()
                .map_or(String::new(), |e| escape_hidden(&e.message));
            // Api errors already name their request id; other outcomes decided by a call don't.
            let rid = match u.request_id.as_deref() {
                Some(r) if !why.contains(r) => format!(" [requestId {}]", escape_hidden(r)),
                _ => String::new(),
            };
            let _ = writeln!(
                s,
                "  {:>5}  {:<32}  {:<13}  {why}{rid}",
                i + 1,
                printable(&u.user_id),
                u.outcome.as_str()
            );
        }
        if not_resigned.len() > MAX_LISTED {
            let _ = writeln!(
                s,
                "  … and {} more (see --report)",
                not_resigned.len() - MAX_LISTED
            );
        }
    }
    s
}
