//! The human summary printed at the end: counts, then every user not resigned.

use std::fmt::Write;

use authing_resign::{BulkReport, Outcome};

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
            "  ({skipped} of the resigned were resigned by the earlier report given to --resume)"
        );
    }
    if let Some(e) = &report.stopped_early {
        let _ = writeln!(s, "stopped early: {} ({})", e.message, e.code);
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
                .map_or(String::new(), |e| e.message.clone());
            // Api errors already name their request id; other outcomes decided by a call don't.
            let rid = match u.request_id.as_deref() {
                Some(r) if !why.contains(r) => format!(" [requestId {r}]"),
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

/// The id as a debug-quoted string when it holds anything a terminal would
/// interpret or hide (control characters, edge whitespace), else as is; long ids cut.
fn printable(id: &str) -> String {
    let shown = if id.is_empty() || id.trim() != id || id.chars().any(char::is_control) {
        format!("{id:?}")
    } else {
        id.to_string()
    };
    if shown.chars().count() > 32 {
        format!("{}…", shown.chars().take(31).collect::<String>())
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_quoted() {
        assert_eq!(printable("a\u{7}b"), "\"a\\u{7}b\"");
        assert_eq!(printable(""), "\"\"");
        assert_eq!(printable("ok@x.io"), "ok@x.io");
        assert_eq!(printable(&"x".repeat(40)).chars().count(), 32);
    }
}
