//! French typography, as France, Canada or Switzerland write it: the space
//! before `;` `!` `?` and `:` and inside « » (a narrow no-break space,
//! U+202F, a no-break space, U+00A0, or none). Applied to text only — the
//! Markdown stage never passes it code, URLs, attributes or raw HTML — and
//! idempotent: spaces the author already typed are kept.

use std::borrow::Cow;

use crate::load::config::Typography;

pub const NBSP: char = '\u{a0}';
pub const NNBSP: char = '\u{202f}';

/// The spaces of one usage.
#[derive(Debug, Clone, Copy)]
struct Spaces {
    /// Before `;` `!` `?`.
    marks: Option<char>,
    colon: char,
    guillemets: char,
}

/// Applies the rules to a run of text, remembering the last character so
/// that text split over several Markdown events reads as one.
#[derive(Debug)]
pub struct French {
    spaces: Spaces,
    prev: Option<char>,
    /// The previous text ended with a plain space that must become this
    /// no-break space (`Bonjour **!**`): the caller patches that text.
    fix_previous: Option<Option<char>>,
}

impl French {
    /// The rules of `usage`, or none for a language without French ones.
    pub fn new(usage: Typography) -> Option<Self> {
        let spaces = match usage {
            Typography::None => return None,
            Typography::French => Spaces {
                marks: Some(NNBSP),
                colon: NBSP,
                guillemets: NBSP,
            },
            Typography::FrenchCa => Spaces {
                marks: None,
                colon: NBSP,
                guillemets: NBSP,
            },
            Typography::FrenchCh => Spaces {
                marks: Some(NNBSP),
                colon: NNBSP,
                guillemets: NNBSP,
            },
        };
        Some(French {
            spaces,
            prev: None,
            fix_previous: None,
        })
    }

    /// Forgets the previous character (at a block boundary).
    pub fn reset(&mut self) {
        self.prev = None;
    }

    /// Continues after something that is not text (code, a line break).
    pub fn after_other(&mut self, last: char) {
        self.prev = Some(last);
    }

    /// Whether the last character was an opening « (a no-break space must
    /// follow it, even before code).
    pub fn after_opening_guillemet(&self) -> bool {
        self.prev == Some('«')
    }

    /// The space the previous text's trailing plain space must become, if any.
    /// (`Some(None)`: removed, as Canada writes `Bonjour!`.)
    pub fn take_fix_previous(&mut self) -> Option<Option<char>> {
        self.fix_previous.take()
    }

    pub fn apply<'t>(&mut self, text: &'t str) -> Cow<'t, str> {
        if !text.contains([';', '!', '?', ':', '«', '»']) && self.prev != Some('«') {
            if let Some(last) = text.chars().last() {
                self.prev = Some(last);
            }
            return Cow::Borrowed(text);
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 8);
        // Start of the current word within `out`, for URL detection.
        let mut word_start = 0;
        let Spaces {
            marks,
            colon,
            guillemets,
        } = self.spaces;
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied();
            if self.prev == Some('«') && c == ' ' {
                out.push(guillemets);
                self.prev = Some(guillemets);
                word_start = out.len();
                continue;
            }
            if self.prev == Some('«') && !is_space(c) && c != '»' {
                out.push(guillemets);
            }
            let in_url = looks_like_url(out.get(word_start..).unwrap_or(""));
            let space = match c {
                ':' => Some(colon),
                ';' | '!' | '?' => marks,
                _ => None,
            };
            match c {
                ';' | '!' | '?' | ':' if !in_url => {
                    // `a;b`, `http://`, `14:30`: not prose punctuation.
                    let skip = next.is_some_and(|n| n.is_alphanumeric() || (c == ':' && n == '/'));
                    if !skip {
                        self.space_before(&mut out, space, |p| {
                            p.is_alphanumeric()
                                || matches!(
                                    p,
                                    ')' | ']' | '’' | '"' | '”' | '.' | '…' | '»' | '%' | '€' | '$'
                                )
                        });
                    }
                }
                '»' => self.space_before(&mut out, Some(guillemets), |p| p != '«'),
                _ => {}
            }
            out.push(c);
            if c.is_whitespace() {
                word_start = out.len();
            }
            self.prev = Some(c);
        }
        Cow::Owned(out)
    }

    /// Puts `space` (or none) before the punctuation about to be written:
    /// replaces a plain space just written (or asks the caller to, when it
    /// ended the previous text), keeps a no-break one, adds one after
    /// `wants_space`.
    fn space_before(
        &mut self,
        out: &mut String,
        space: Option<char>,
        wants_space: impl Fn(char) -> bool,
    ) {
        match self.prev {
            Some(' ') if out.ends_with(' ') => {
                out.pop();
                out.extend(space);
            }
            Some(' ') if out.is_empty() => self.fix_previous = Some(space),
            Some(p) if !is_space(p) && wants_space(p) => out.extend(space),
            _ => {}
        }
    }
}

fn is_space(c: char) -> bool {
    c == NBSP || c == NNBSP || c.is_whitespace()
}

fn looks_like_url(word: &str) -> bool {
    word.contains("://")
        || word.starts_with("www.")
        || word.contains('@')
        || word.starts_with("mailto")
}

/// Applies the typography of `usage` to a whole string (titles,
/// descriptions).
pub fn typeset(usage: Typography, text: &str) -> Cow<'_, str> {
    match French::new(usage) {
        Some(mut rules) => rules.apply(text),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> String {
        s.replace(NBSP, "~").replace(NNBSP, "^")
    }

    fn french(text: &str) -> Cow<'_, str> {
        typeset(Typography::French, text)
    }

    fn rules(usage: Typography) -> French {
        French::new(usage).expect("French rules")
    }

    /// Canada: no space before `; ! ?`; Switzerland: a narrow one before
    /// all four and inside « »; both leave times, ratios and URLs alone.
    #[test]
    fn canadian_and_swiss_rules() {
        let cases = [
            ("Bonjour!", "Bonjour!", "Bonjour^!"),
            ("Vraiment ?!", "Vraiment?!", "Vraiment^?!"),
            ("Bonjour !", "Bonjour!", "Bonjour^!"),
            ("Quoi; et puis", "Quoi; et puis", "Quoi^; et puis"),
            ("Note : ceci", "Note~: ceci", "Note^: ceci"),
            ("Note: ceci", "Note~: ceci", "Note^: ceci"),
            ("« Bonjour »", "«~Bonjour~»", "«^Bonjour^»"),
            ("«Oui!»", "«~Oui!~»", "«^Oui^!^»"),
            ("à 14:30 précises", "à 14:30 précises", "à 14:30 précises"),
            ("ratio 1:2", "ratio 1:2", "ratio 1:2"),
            (
                "voir https://exemple.org/a?b=1 : fin",
                "voir https://exemple.org/a?b=1~: fin",
                "voir https://exemple.org/a?b=1^: fin",
            ),
            ("a;b", "a;b", "a;b"),
        ];
        for (input, canada, switzerland) in cases {
            assert_eq!(
                show(&typeset(Typography::FrenchCa, input)),
                canada,
                "{input:?}"
            );
            assert_eq!(
                show(&typeset(Typography::FrenchCh, input)),
                switzerland,
                "{input:?}"
            );
        }
        assert_eq!(typeset(Typography::None, "Bonjour !"), "Bonjour !");
    }

    #[test]
    fn the_locale_chooses_the_usage() {
        for (code, locale, usage) in [
            ("fr", "fr_FR", Typography::French),
            ("fr", "fr", Typography::French),
            ("fr", "fr_BE", Typography::French),
            ("fr", "fr_CA", Typography::FrenchCa),
            ("fr-ca", "fr-CA", Typography::FrenchCa),
            ("fr", "fr_CH.UTF-8", Typography::FrenchCh),
            ("en", "en_CA", Typography::None),
        ] {
            assert_eq!(
                Typography::for_language(code, locale),
                usage,
                "{code} {locale}"
            );
        }
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
            ("Étape 2: installer", "Étape 2~: installer"),
            ("En 2024 : bilan", "En 2024~: bilan"),
            ("« Bonjour »", "«~Bonjour~»"),
            ("«Bonjour»", "«~Bonjour~»"),
            ("«Vraiment!»", "«~Vraiment^!~»"),
            ("Pourquoi?»", "Pourquoi^?~»"),
            ("« oui »: fin", "«~oui~»~: fin"),
            ("50 %!", "50 %^!"),
            ("5 €;", "5 €^;"),
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
            "«Vraiment!»",
            "Étape 2: installer",
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
        let mut t = rules(Typography::French);
        let a = t.apply("un mot").into_owned();
        let b = t.apply("!").into_owned();
        assert_eq!(show(&(a + &b)), "un mot^!");
        // « then emphasis: the space goes at the start of the next text.
        let mut t = rules(Typography::French);
        assert_eq!(show(&t.apply("«")), "«");
        assert_eq!(show(&t.apply("Bonjour")), "~Bonjour");
        assert_eq!(show(&t.apply("»")), "~»");
        // A plain space that ended the previous text must be patched there.
        let mut t = rules(Typography::French);
        t.apply("Bonjour ");
        assert_eq!(t.apply("!"), "!");
        assert_eq!(t.take_fix_previous(), Some(Some(NNBSP)));
        let mut t = rules(Typography::FrenchCa);
        t.apply("Bonjour ");
        assert_eq!(t.apply("!"), "!");
        assert_eq!(t.take_fix_previous(), Some(None));
    }
}
