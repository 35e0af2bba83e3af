//! Characters that may not reach a page. Control characters (NUL, ESC…)
//! from config and front matter would reach `<title>`, lists, the footer
//! and share tags; whitespace in a URL is dropped by browsers, so that
//! `/<tab>/evil.example/` leads to another host. Both are located errors.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::Diagnostic;

/// A control character with no place in a page: every C0 control but tab,
/// line feed and carriage return, and DEL.
pub fn is_forbidden_control(c: char) -> bool {
    c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// What is wrong with a string, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Control(char),
    /// Whitespace in a URL.
    UrlSpace(char),
}

impl Problem {
    /// The problem of `text`, a URL or not. A URL may hold plain spaces
    /// inside it (`/fr/été 2024/`, an old address kept as an alias), which
    /// browsers send as `%20`; not at its ends, which browsers drop, and no
    /// other whitespace: tabs and line breaks are dropped wherever they are.
    pub fn of(text: &str, url: bool) -> Option<Problem> {
        if url && (text.starts_with(' ') || text.ends_with(' ')) {
            return Some(Problem::UrlSpace(' '));
        }
        text.chars().find_map(|c| {
            if is_forbidden_control(c) {
                Some(Problem::Control(c))
            } else if url && c.is_whitespace() && c != ' ' {
                Some(Problem::UrlSpace(c))
            } else {
                None
            }
        })
    }

    /// An error at `span` of `path`'s `text`.
    pub fn diagnostic(self, path: &str, text: &str, span: Range<usize>) -> Diagnostic {
        let (message, help) = match self {
            Problem::Control(c) => (
                msg!("characters.control", code = code_point(c)),
                msg!("characters.control_help"),
            ),
            Problem::UrlSpace(c) => (
                msg!("characters.url_space", code = code_point(c)),
                msg!("characters.url_space_help"),
            ),
        };
        Diagnostic::error(message)
            .at_span(path, text, span)
            .with_help(help)
    }
}

/// The first forbidden control character of each line of `text` (a
/// Markdown body), with its span.
pub fn in_text(text: &str) -> Vec<(Range<usize>, Problem)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    // Control characters are ASCII: a byte search finds them.
    while let Some(at) = first_control(&bytes[from..]).map(|at| from + at) {
        found.push((at..at + 1, Problem::Control(bytes[at] as char)));
        from = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |end| at + end + 1);
    }
    found
}

/// Where the first forbidden control character of `bytes` is. Every body
/// of the site is scanned: eight bytes at a time, a word is looked at
/// byte by byte only when one of its bytes may be one (below 0x20, or
/// DEL; tabs and line breaks are, so a few words of each line are).
fn first_control(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let exact = |from: usize, part: &[u8]| {
        part.iter()
            .position(|&b| is_forbidden_control(b as char))
            .map(|at| from + at)
    };
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    for (i, word) in words.enumerate() {
        let Ok(word_bytes) = <[u8; 8]>::try_from(word) else {
            continue;
        };
        let x = u64::from_le_bytes(word_bytes);
        // A byte below 0x20, or a byte equal to DEL (the classic "has a
        // zero byte" test; its rare false alarms are looked at exactly).
        let below = x.wrapping_sub(0x20 * ONES) & !x & HIGHS;
        let del = x ^ (0x7f * ONES);
        let is_del = del.wrapping_sub(ONES) & !del & HIGHS;
        if below | is_del != 0
            && let Some(at) = exact(i * 8, word)
        {
            return Some(at);
        }
    }
    exact(bytes.len() - tail.len(), tail)
}

/// `U+001B`.
fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Whether a key names a URL: `url`, `…_url`, `logo`, `aliases`, `image`.
pub fn is_url_key(key: &str) -> bool {
    matches!(key, "url" | "logo" | "aliases" | "image") || key.ends_with("_url")
}

/// The problems of every key and string of `table`, with their spans;
/// strings under a key that [`is_url_key`] accepts are URLs.
pub fn in_table(table: &DeTable) -> Vec<(Range<usize>, Problem)> {
    let mut found = Vec::new();
    walk_table(table, &mut found);
    found
}

fn walk_table(table: &DeTable, found: &mut Vec<(Range<usize>, Problem)>) {
    for (key, value) in table {
        if let Some(problem) = Problem::of(key.get_ref(), false) {
            found.push((key.span(), problem));
        }
        walk(value, is_url_key(key.get_ref()), found);
    }
}

fn walk(value: &Spanned<DeValue>, url: bool, found: &mut Vec<(Range<usize>, Problem)>) {
    match value.get_ref() {
        DeValue::String(text) => {
            if let Some(problem) = Problem::of(text, url) {
                found.push((value.span(), problem));
            }
        }
        DeValue::Array(items) => {
            for item in items {
                walk(item, url, found);
            }
        }
        DeValue::Table(table) => walk_table(table, found),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_scan_finds_what_a_byte_scan_finds() {
        let mut text: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8 % 128).collect();
        for start in 0..text.len() {
            let slow = text[start..]
                .iter()
                .position(|&b| is_forbidden_control(b as char));
            assert_eq!(first_control(&text[start..]), slow, "from {start}");
        }
        text.retain(|b| !is_forbidden_control(*b as char));
        assert_eq!(first_control(&text), None);
        assert_eq!(first_control(b"abc\x7f"), Some(3));
        assert_eq!(first_control("é\t\r\nü\u{1}".as_bytes()), Some(7));
    }

    #[test]
    fn finds_the_first_control_of_each_line() {
        let text = "a\u{1b}b\u{1b}\nfine\ttab\r\n\u{0}\u{7f}\n\u{b}";
        let found: Vec<usize> = in_text(text).into_iter().map(|(s, _)| s.start).collect();
        assert_eq!(found, [1, 15, 18]);
    }

    #[test]
    fn finds_controls_everywhere_and_whitespace_in_urls() {
        let text = concat!(
            "title = \"A\\u0000B\"\n",
            "ok = \"tab\\there, line\\nbreak\"\n",
            "aliases = [\"/fr/été 2024/\", \"/fr/a\\u00a0b/\", \" /fr/c/\"]\n",
            "[extra]\n",
            "\"k\\u001b\" = 1\n",
            "menu = [{ name = \"x\", url = \"/\\t/evil.example/\" }]\n",
            "deep = [[\"\\u007f\"]]\n",
        );
        let table = DeTable::parse(text).unwrap().into_inner();
        let found: Vec<(&str, Problem)> = in_table(&table)
            .into_iter()
            .map(|(span, problem)| (&text[span], problem))
            .collect();
        assert_eq!(
            found,
            [
                ("\"/fr/a\\u00a0b/\"", Problem::UrlSpace('\u{a0}')),
                ("\" /fr/c/\"", Problem::UrlSpace(' ')),
                ("\"\\u007f\"", Problem::Control('\u{7f}')),
                ("\"k\\u001b\"", Problem::Control('\u{1b}')),
                ("\"/\\t/evil.example/\"", Problem::UrlSpace('\t')),
                ("\"A\\u0000B\"", Problem::Control('\0')),
            ]
        );
    }
}
