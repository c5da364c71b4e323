//! Keeping credentials embedded in URLs (`scheme://user:pass@host`) out of messages
//! and `Debug` output: a proxy URL or a mistyped host may carry them, and so may the
//! text of errors that quote a URL.

/// `text` with the userinfo of every `scheme://user:pass@host` in it replaced by `***`.
pub(crate) fn userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        // The authority ends at the first path, query or fragment delimiter, or at
        // whitespace or a quote when the URL sits inside a sentence.
        let end = tail
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '"' | '\'' | ')' | '>') || c.is_whitespace()
            })
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => {
                out.push_str("***");
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// A proxy URL safe to show: its userinfo replaced by `***`. Anything else holding an
/// `@` (e.g. `user:pass@host` without a scheme) is shown only from its last `@` on.
pub(crate) fn proxy(proxy: &str) -> String {
    if let Ok(mut url) = url::Url::parse(proxy) {
        if (!url.username().is_empty() || url.password().is_some())
            && url.set_username("***").is_ok()
            && url.set_password(None).is_ok()
        {
            return url.to_string();
        }
    }
    match proxy.rfind('@') {
        Some(at) => format!("***{}", &proxy[at..]),
        None => proxy.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_hidden_wherever_a_url_appears() {
        assert_eq!(
            userinfo("error sending request for url (http://u:p@h:1/x?y=1): reset"),
            "error sending request for url (http://***@h:1/x?y=1): reset"
        );
        assert_eq!(
            userinfo("\"https://a@b@c\" and socks5://k:s@proxy"),
            "\"https://***@c\" and socks5://***@proxy"
        );
        assert_eq!(userinfo("no url here @all"), "no url here @all");
        assert_eq!(userinfo("http://host/p@th"), "http://host/p@th");
    }

    #[test]
    fn proxy_credentials_are_hidden() {
        assert_eq!(
            proxy("http://user:pa55@proxy.local:3128"),
            "http://***@proxy.local:3128/"
        );
        assert_eq!(proxy("http://proxy.local:3128"), "http://proxy.local:3128");
        assert_eq!(proxy("user:pa55@proxy.local:3128"), "***@proxy.local:3128");
    }
}
