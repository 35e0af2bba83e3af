//! What portail reads of HTML that people write (raw HTML in Markdown) or
//! that it publishes: the attributes that hold URLs.

use std::ops::Range;

/// An attribute of a fragment of HTML that holds URLs (`href`, `src`,
/// `srcset`), quoted or not.
#[derive(Debug, PartialEq, Eq)]
pub struct UrlAttribute<'a> {
    /// The text before the value (up to `=` and the opening quote).
    pub before: &'a str,
    pub value: &'a str,
    /// The text after the value (from the closing quote on).
    pub after: &'a str,
    /// Whether the value is a list of image candidates (`srcset`).
    pub srcset: bool,
}

/// The next `href=`, `src=` or `srcset=` attribute of `html`, in one pass
/// and without copying it.
pub fn next_url_attribute(html: &str) -> Option<UrlAttribute<'_>> {
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(eq) = html[from..].find('=').map(|at| from + at) {
        from = eq + 1;
        let name_start = html[..eq]
            .rfind(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .map_or(0, |at| at + 1);
        let name = &html[name_start..eq];
        let srcset = name.eq_ignore_ascii_case("srcset");
        let url = name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src");
        // An attribute starts after whitespace: not `data-href=`, nor
        // `src=` inside another attribute's value.
        let attribute = name_start == 0 || bytes[name_start - 1].is_ascii_whitespace();
        if !(srcset || url) || !attribute {
            continue;
        }
        let (start, end) = match bytes.get(eq + 1) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = eq + 2;
                (start, start + html[start..].find(quote as char)?)
            }
            _ => {
                let start = eq + 1;
                let len = html[start..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .unwrap_or(html.len() - start);
                (start, start + len)
            }
        };
        if start == end {
            continue;
        }
        return Some(UrlAttribute {
            before: &html[..start],
            value: &html[start..end],
            after: &html[end..],
            srcset,
        });
    }
    None
}

/// Where the URLs of a `srcset` value are, by the HTML standard's "parse a
/// srcset attribute": a URL runs to the next whitespace, less the commas
/// that end it; its descriptors run to the next comma outside parentheses.
/// So `a.jpg,b.jpg 2x` is one URL, `a.jpg, b.jpg 2x` two.
pub fn srcset_urls(value: &str) -> Vec<Range<usize>> {
    let mut urls = Vec::new();
    let mut at = 0;
    loop {
        let rest = &value[at..];
        let skipped = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',')
                .len();
        at += skipped;
        let rest = &value[at..];
        if rest.is_empty() {
            return urls;
        }
        let candidate_len = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url_len = rest[..candidate_len].trim_end_matches(',').len();
        urls.push(at..at + url_len);
        at += candidate_len;
        if url_len == candidate_len {
            at = value.len() - after_descriptors(&value[at..]).len();
        }
    }
}

/// What follows the first comma outside parentheses (where the next
/// candidate starts), or nothing.
fn after_descriptors(text: &str) -> &str {
    let mut in_parens = false;
    for (at, c) in text.char_indices() {
        match c {
            '(' => in_parens = true,
            ')' => in_parens = false,
            ',' if !in_parens => return &text[at + 1..],
            _ => {}
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_url_attributes_however_they_are_quoted() {
        let cases = [
            (r#"<a href="/fr/">"#, Some(("/fr/", false))),
            (r#"<img src="/a.svg" alt="">"#, Some(("/a.svg", false))),
            (
                r#"<a class="x" HREF='@/news/a.md'>"#,
                Some(("@/news/a.md", false)),
            ),
            ("<a href=@/news/a.md>x</a>", Some(("@/news/a.md", false))),
            ("<img src=/a.png/>", Some(("/a.png/", false))),
            (
                r#"<img srcset="/a.jpg 1x, /b.jpg 2x">"#,
                Some(("/a.jpg 1x, /b.jpg 2x", true)),
            ),
            (r#"<a data-href="/x">"#, None),
            (r#"<abbr title="src=1">"#, None),
            ("<a href= >", None),
            ("<br>", None),
        ];
        for (html, expected) in cases {
            let got = next_url_attribute(html).map(|a| (a.value, a.srcset));
            assert_eq!(got, expected, "{html}");
        }
        let attribute = next_url_attribute("<a href='x'>y</a>").unwrap();
        assert_eq!(
            (attribute.before, attribute.after),
            ("<a href='", "'>y</a>")
        );
    }

    #[test]
    fn srcset_candidates_are_split_as_the_standard_says() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("  ,, ", &[]),
            ("a.jpg", &["a.jpg"]),
            ("a.jpg 1x, /fr/b.jpg 2x", &["a.jpg", "/fr/b.jpg"]),
            ("a.jpg 480w,b.jpg 800w", &["a.jpg", "b.jpg"]),
            ("a.jpg, b.jpg 2x", &["a.jpg", "b.jpg"]),
            ("a.jpg,,, b.jpg", &["a.jpg", "b.jpg"]),
            // A comma inside a URL, not followed by whitespace, is its own.
            ("a,b.jpg 1x, c.jpg 2x", &["a,b.jpg", "c.jpg"]),
            ("a.jpg,b.jpg 2x", &["a.jpg,b.jpg"]),
            (
                "data:image/png;base64,iVBO 1x, x.png 2x",
                &["data:image/png;base64,iVBO", "x.png"],
            ),
            // A comma inside parentheses belongs to the descriptor.
            ("a.jpg (1x, 2x) 3x, b.jpg", &["a.jpg", "b.jpg"]),
            ("\ta.jpg\n1x,\r\nb.jpg\x0c2x", &["a.jpg", "b.jpg"]),
            ("a.jpg 1x 2x 3x , b.jpg", &["a.jpg", "b.jpg"]),
            ("é.jpg 1x,ü.jpg", &["é.jpg", "ü.jpg"]),
        ];
        for (value, urls) in cases {
            let found: Vec<&str> = srcset_urls(value).into_iter().map(|r| &value[r]).collect();
            assert_eq!(found, *urls, "srcset={value:?}");
        }
    }
}
