//! Keeping what a hostile or broken server sends short and free of credentials before
//! it reaches an error, a report or a log.

/// `text` cut to at most `max` bytes at a character boundary, with a visible
/// `… [cut: N more bytes]` marker when anything was cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… [cut: {} more bytes]", &text[..end], text.len() - end)
}

/// `text` with credential-looking words replaced by `***`: the word after `Bearer` and
/// after `authing` (the signature scheme's `authing <keyId>:<signature>`), anything
/// shaped like a JWT (`eyJ…`), and every occurrence of `secret` (when not empty).
pub(crate) fn scrub_credentials(text: &str, secret: &str) -> String {
    let text = if secret.is_empty() {
        text.to_owned()
    } else {
        text.replace(secret, "***")
    };
    let mut out = String::with_capacity(text.len());
    let mut hide_next = false;
    for (i, piece) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let word = piece.trim_matches(|c: char| matches!(c, '"' | '\'' | ',' | ';'));
        if hide_next && !word.is_empty() {
            out.push_str("***");
        } else {
            out.push_str(piece);
        }
        if !word.is_empty() || !hide_next {
            hide_next = word.eq_ignore_ascii_case("bearer") || word.eq_ignore_ascii_case("authing");
        }
    }
    hide_jwts(&out)
}

/// Every `eyJ…` run (a base64url JSON header: a JWT) replaced by `***`, wherever it is.
fn hide_jwts(text: &str) -> String {
    let jwt_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("eyJ") {
        out.push_str(&rest[..at]);
        out.push_str("***");
        let tail = &rest[at..];
        let end = tail.find(|c: char| !jwt_char(c)).unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_short_text_and_marks_long_text() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "abc… [cut: 1 more bytes]");
        // Never inside a character.
        assert_eq!(cut("éé", 3), "é… [cut: 2 more bytes]");
    }

    #[test]
    fn scrubs_schemes_jwts_and_the_secret() {
        assert_eq!(
            scrub_credentials("x Bearer abc.def y", ""),
            "x Bearer *** y"
        );
        assert_eq!(
            scrub_credentials("AUTHING  key:sig end", ""),
            "AUTHING  *** end"
        );
        assert_eq!(
            scrub_credentials(r#"{"t":"eyJa.b-c_d"}"#, ""),
            r#"{"t":"***"}"#
        );
        assert_eq!(scrub_credentials("k=TopSecret!", "TopSecret!"), "k=***");
    }
}
