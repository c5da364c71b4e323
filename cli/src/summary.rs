//! The human summary printed at the end: counts, then every user not resigned.

use std::fmt::Write;

use authing_resign::{CompactReport, Outcome, UserLine};

use crate::text::{escape_hidden, printable};

/// At most this many not-resigned users are listed; the report file has them all.
const MAX_LISTED: usize = 50;

/// Whether a user is listed: not resigned (a planned user of a dry run is not a
/// problem), or resigned but not confirmed by `--verify`; with `--verify-only`, every
/// user not seen `Resigned`.
fn worth_listing(report: &CompactReport, u: &UserLine<'_>) -> bool {
    if report.verify_only {
        return u.outcome != Outcome::Duplicate && u.status != Some("Resigned");
    }
    (u.outcome != Outcome::Resigned && !(report.dry_run && u.outcome == Outcome::NotAttempted))
        || u.verified == Some(false)
}

/// Renders the summary table.
pub fn render(report: &CompactReport, host: &str, skipped: usize) -> String {
    let t = &report.totals;
    let mut s = String::new();
    let what = if report.dry_run {
        "dry run (nothing sent)"
    } else if report.verify_only {
        "verify only (nobody resigned)"
    } else {
        "resignation"
    };
    let lookups = if report.lookup_calls > 0 {
        format!(" + {} lookups", report.lookup_calls)
    } else {
        String::new()
    };
    let _ = writeln!(
        s,
        "{what}: {} ids by {} at {host}: {} HTTP calls{lookups}, {:.2} s",
        report.len(),
        report.user_id_type,
        report.http_calls,
        report.elapsed_ms as f64 / 1000.0
    );
    if report.dry_run {
        let sizes: Vec<String> = report.chunks().map(|c| c.len().to_string()).collect();
        let _ = writeln!(
            s,
            "  planned calls   {:>6}  (ids per call: {})",
            report.chunks().len(),
            sizes.join(", ")
        );
    }
    for (label, n) in [
        ("resigned", t.resigned),
        ("failed", t.failed),
        ("unknown", t.unknown),
        ("invalid", t.invalid),
        ("duplicate", t.duplicate),
        ("not attempted", t.not_attempted),
    ] {
        let _ = writeln!(s, "  {label:<14}  {n:>6}");
    }
    let checked: Vec<bool> = report.users().filter_map(|u| u.verified).collect();
    if !checked.is_empty() {
        let seen = checked.iter().filter(|v| **v).count();
        let _ = writeln!(
            s,
            "  verified        {seen:>6}  (not verified: {}; see the list)",
            checked.len() - seen
        );
    }
    if t.unknown > 0 {
        let _ = writeln!(
            s,
            "  (unknown: the answer was lost after sending; the server may have resigned them. \
             Send them again (--resume) or check them (--verify-only).)"
        );
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
    let not_resigned: Vec<(usize, UserLine<'_>)> = report
        .users()
        .enumerate()
        .filter(|(_, u)| worth_listing(report, u))
        .collect();
    if !not_resigned.is_empty() {
        let _ = writeln!(s, "\n  {:>5}  {:<32}  {:<13}  why", "row", "id", "outcome");
        for (i, u) in not_resigned.iter().take(MAX_LISTED) {
            let mut why = u.error.map_or(String::new(), |e| escape_hidden(&e.message));
            if let Some(status) = u.status {
                why = format!("status {} {why}", escape_hidden(status));
            }
            if let Some(note) = u.verify_note {
                why = format!("{why} ({})", escape_hidden(note));
            }
            let why = why.trim().to_string();
            // Api errors already name their request id; other outcomes decided by a call don't.
            let rid = match u.request_id {
                Some(r) if !why.contains(r) => format!(" [requestId {}]", escape_hidden(r)),
                _ => String::new(),
            };
            let _ = writeln!(
                s,
                "  {:>5}  {:<32}  {:<13}  {why}{rid}",
                i + 1,
                printable(u.user_id),
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
