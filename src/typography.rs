//! French typography: a narrow no-break space (U+202F) before `;` `!` `?`,
//! a no-break space (U+00A0) before `:` and inside « ». Applied to text
//! only — the Markdown stage never passes it code, URLs, attributes or raw
//! HTML — and idempotent: spaces the author already typed are kept.

use std::borrow::Cow;

pub const NBSP: char = '\u{a0}';
pub const NNBSP: char = '\u{202f}';

/// Applies the rules to a run of text, remembering the last character so
/// that text split over several Markdown events reads as one.
#[derive(Debug, Default)]
pub struct French {
    prev: Option<char>,
}

impl French {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets the previous character (at a block boundary).
    pub fn reset(&mut self) {
        self.prev = None;
    }

    /// Continues after something that is not text (code, a line break).
    pub fn after_other(&mut self, last: char) {
        self.prev = Some(last);
    }

    pub fn apply<'t>(&mut self, text: &'t str) -> Cow<'t, str> {
        if !text.contains([';', '!', '?', ':', '«', '»']) {
            if let Some(last) = text.chars().last() {
                self.prev = Some(last);
            }
            return Cow::Borrowed(text);
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 8);
        // Start of the current word within `out`, for URL detection.
        let mut word_start = 0;
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied();
            let in_url = looks_like_url(out.get(word_start..).unwrap_or(""));
            match c {
                ';' | '!' | '?' | ':' if !in_url => {
                    let space = if c == ':' { NBSP } else { NNBSP };
                    let skip = next.is_some_and(|n| n.is_alphanumeric() || (c == ':' && n == '/'))
                        || (c == ':' && self.prev.is_some_and(|p| p.is_ascii_digit()));
                    if !skip {
                        space_before(&mut out, self.prev, space);
                    }
                }
                '»' => space_before(&mut out, self.prev, NBSP),
                _ => {}
            }
            if self.prev == Some('«') && !is_space(c) && c != '»' {
                out.push(NBSP);
            }
            if self.prev == Some('«') && c == ' ' {
                out.push(NBSP);
                self.prev = Some(NBSP);
                word_start = out.len();
                continue;
            }
            out.push(c);
            if c.is_whitespace() {
                word_start = out.len();
            }
            self.prev = Some(c);
        }
        Cow::Owned(out)
    }
}

fn is_space(c: char) -> bool {
    c == NBSP || c == NNBSP || c.is_whitespace()
}

/// Puts `space` before the punctuation about to be written: replaces a
/// plain space just written, keeps a no-break one, adds one after a word.
fn space_before(out: &mut String, prev: Option<char>, space: char) {
    match prev {
        Some(' ') if out.ends_with(' ') => {
            out.pop();
            out.push(space);
        }
        Some(p) if p.is_alphanumeric() || matches!(p, ')' | ']' | '’' | '"' | '”' | '.' | '…') => {
            out.push(space)
        }
        _ => {}
    }
}

fn looks_like_url(word: &str) -> bool {
    word.contains("://")
        || word.starts_with("www.")
        || word.contains('@')
        || word.starts_with("mailto")
}

/// Applies French typography to a whole string (titles, descriptions).
pub fn french(text: &str) -> Cow<'_, str> {
    French::new().apply(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> String {
        s.replace(NBSP, "~").replace(NNBSP, "^")
    }

    #[test]
    fn french_rules() {
        let cases = [
            ("Bonjour !", "Bonjour^!"),
            ("Bonjour!", "Bonjour^!"),
            ("Vraiment ?!", "Vraiment^?!"),
            ("Quoi ; et puis", "Quoi^; et puis"),
            ("Note : ceci", "Note~: ceci"),
            ("Note: ceci", "Note~: ceci"),
            ("« Bonjour »", "«~Bonjour~»"),
            ("«Bonjour»", "«~Bonjour~»"),
            ("à 14:30 précises", "à 14:30 précises"),
            ("ratio 1:2", "ratio 1:2"),
            (
                "voir https://exemple.org/a?b=1&c=2 !",
                "voir https://exemple.org/a?b=1&c=2^!",
            ),
            ("www.exemple.org!", "www.exemple.org!"),
            (
                "écrire à contact@exemple.org : merci",
                "écrire à contact@exemple.org~: merci",
            ),
            ("a;b", "a;b"),
            ("(voir ci-dessus) !", "(voir ci-dessus)^!"),
            ("Sans ponctuation", "Sans ponctuation"),
        ];
        for (input, expected) in cases {
            assert_eq!(show(&french(input)), expected, "{input:?}");
        }
    }

    #[test]
    fn already_typed_spaces_are_kept_and_rules_are_idempotent() {
        for input in [
            "Bonjour\u{202f}!",
            "Note\u{a0}: ceci",
            "«\u{a0}Oui\u{a0}»",
            "Bonjour !",
            "« Non » : fin ?",
        ] {
            let once = french(input).into_owned();
            let twice = french(&once).into_owned();
            assert_eq!(once, twice, "{input:?}");
            assert!(
                !once.contains(" !") && !once.contains(" :"),
                "{input:?} → {}",
                show(&once)
            );
        }
    }

    #[test]
    fn text_split_across_events_reads_as_one() {
        let mut t = French::new();
        let a = t.apply("un mot").into_owned();
        let b = t.apply("!").into_owned();
        assert_eq!(show(&(a + &b)), "un mot^!");
    }
}
