//! Escaping for text written into HTML and XML outside templates.

/// Escapes `&`, `<`, `>` and `"` (safe in text and double-quoted attributes,
/// in HTML and XML alike), and drops the control characters XML forbids.
pub fn html(s: &str) -> String {
    let allowed = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    let cleaned: std::borrow::Cow<str> = if s.chars().all(allowed) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().filter(|c| allowed(*c)).collect())
    };
    let mut out = String::with_capacity(cleaned.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, &cleaned);
    out
}

/// Characters kept as they are in a URL path segment (RFC 3986 unreserved).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A relative path (`docs/mon rapport#1.pdf`) as a URL path, each segment
/// percent-encoded (`docs/mon%20rapport%231.pdf`).
pub fn url_path(path: &str) -> String {
    path.split('/')
        .map(|segment| percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_path_segments_and_drops_control_characters() {
        assert_eq!(
            super::url_path("docs/mon rapport#1.PDF"),
            "docs/mon%20rapport%231.PDF"
        );
        assert_eq!(super::url_path("été.pdf"), "%C3%A9t%C3%A9.pdf");
        assert_eq!(super::html("a\u{c}b\tc"), "ab\tc");
    }

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            super::html(r#"<a href="x">&</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}
