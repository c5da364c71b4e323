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

/// The id as a debug-quoted string when it holds anything a terminal would
/// interpret, hide or reorder (see [`hidden`]) or edge whitespace, else as is; long
/// ids cut.
fn printable(id: &str) -> String {
    let shown = if id.is_empty() || id.trim() != id || id.chars().any(hidden) {
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

/// Server text (messages, request ids) with every hidden character escaped in place
/// (`\u{202e}`, `\n`), so a message cannot rewrite or disguise the table.
fn escape_hidden(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a terminal would not show `c` as itself: control characters (Cc), format
/// characters (Cf: bidi overrides such as U+202E, zero-width spaces and joiners),
/// line and paragraph separators, spaces other than ' ', private-use and unassigned
/// code points, combining marks. This is exactly what Rust's debug escaping escapes,
/// apart from the quote and backslash it escapes for its own syntax.
fn hidden(c: char) -> bool {
    !matches!(c, '"' | '\'' | '\\') && c.escape_debug().next() == Some('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_characters_are_quoted_in_ids_and_escaped_in_messages() {
        for id in [
            "abc\u{202e}fdp.exe",
            "a\u{200b}b",
            "x\u{2066}y",
            "z\u{feff}",
            "n\u{a0}b",
        ] {
            let shown = printable(id);
            assert!(
                shown.starts_with('"') && shown.contains("\\u{"),
                "{id:?} -> {shown}"
            );
        }
        assert_eq!(printable("用户-ada@x.io"), "用户-ada@x.io");
        assert_eq!(printable("o'brien\\x"), "o'brien\\x");
        assert_eq!(
            escape_hidden("用户不存在\u{202e}txt.exe\nforged line"),
            "用户不存在\\u{202e}txt.exe\\nforged line"
        );
        assert_eq!(escape_hidden("plain \"text\" ok"), "plain \"text\" ok");
    }

    #[test]
    fn control_characters_are_quoted() {
        assert_eq!(printable("a\u{7}b"), "\"a\\u{7}b\"");
        assert_eq!(printable(""), "\"\"");
        assert_eq!(printable("ok@x.io"), "ok@x.io");
        assert_eq!(printable(&"x".repeat(40)).chars().count(), 32);
    }
}
