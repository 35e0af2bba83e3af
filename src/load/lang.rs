//! Language codes as they appear in file names (`page.fr.md`) and URLs (`/fr/`).

/// Whether `s` has the shape of a language code: `fr`, `en`, `pt-br`, `zh-hant`.
///
/// Only such a suffix is read as a language in a file name, so `v1.2.md` or
/// `rapport.final.md` stay plain default-language pages.
pub fn is_language_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase());
    primary_ok
        && parts.all(|p| {
            (2..=8).contains(&p.len())
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Splits `name.fr` into (`name`, Some(`fr`)) when the suffix looks like a
/// language code.
pub fn split_language_suffix(stem: &str) -> (&str, Option<&str>) {
    match stem.rsplit_once('.') {
        Some((name, suffix)) if !name.is_empty() && is_language_code(suffix) => {
            (name, Some(suffix))
        }
        _ => (stem, None),
    }
}

/// What a language's search index is built with (configured per
/// language; the search stage runs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pipeline {
    English,
    French,
    /// lunr-languages' `lunr.ar`.
    Arabic,
    /// Accent fold and trim only: no stop words, no stemming.
    Generic,
}

impl Pipeline {
    /// The built-in pipeline for a language code, if there is one.
    pub fn for_code(code: &str) -> Option<Pipeline> {
        match code.split('-').next() {
            Some("en") => Some(Pipeline::English),
            Some("fr") => Some(Pipeline::French),
            Some("ar") => Some(Pipeline::Arabic),
            _ => None,
        }
    }
}

/// Which way a language's text runs: the `dir` of its pages and of every
/// piece of it inside another language's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    /// Right to left for the languages written in the Arabic, Hebrew,
    /// Syriac or Thaana scripts (by primary code, or a `-arab` subtag);
    /// `direction` in `config.toml` says otherwise where needed.
    pub fn for_code(code: &str) -> Direction {
        const RTL: [&str; 15] = [
            "ar", "arc", "ckb", "dv", "fa", "he", "iw", "khw", "ks", "ps", "sd", "syr", "ug", "ur",
            "yi",
        ];
        let mut parts = code.split('-');
        let primary = parts.next().unwrap_or("");
        let arabic_script = parts.any(|p| p == "arab" || p == "hebr");
        let latin_script = code.split('-').skip(1).any(|p| p == "latn" || p == "cyrl");
        if (RTL.contains(&primary) && !latin_script) || arabic_script {
            Direction::Rtl
        } else {
            Direction::Ltr
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_language_suffixes() {
        let cases = [
            ("page.fr", ("page", Some("fr"))),
            ("page.pt-br", ("page", Some("pt-br"))),
            ("page", ("page", None)),
            ("v1.2", ("v1.2", None)),
            ("rapport.final", ("rapport.final", None)),
            ("page.de", ("page", Some("de"))),
            (".fr", (".fr", None)),
        ];
        for (input, expected) in cases {
            assert_eq!(split_language_suffix(input), expected, "{input}");
        }
    }

    #[test]
    fn knows_which_way_a_language_runs() {
        for (code, dir) in [
            ("ar", Direction::Rtl),
            ("ar-ma", Direction::Rtl),
            ("he", Direction::Rtl),
            ("fa", Direction::Rtl),
            ("ur", Direction::Rtl),
            ("fr", Direction::Ltr),
            ("en", Direction::Ltr),
            ("ku", Direction::Ltr),
            ("sd-latn", Direction::Ltr),
            ("pa-arab", Direction::Rtl),
            ("arn", Direction::Ltr),
        ] {
            assert_eq!(Direction::for_code(code), dir, "{code}");
        }
    }
}
