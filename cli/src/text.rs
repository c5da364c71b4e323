//! Untrusted text (ids, server messages, values read from files) made safe to print
//! on a terminal: nothing in it can hide, reorder or rewrite what is shown.

/// The id as a debug-quoted string when it holds anything a terminal would
/// interpret, hide or reorder (see [`hidden`]) or edge whitespace, else as is; long
/// ids cut.
pub fn printable(id: &str) -> String {
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
pub fn escape_hidden(text: &str) -> String {
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
