//! Text to index terms, exactly as lunr.js does it in the browser with the
//! settings the theme's script applies: the tokenizer (JS `\s`, `-` and both
//! apostrophes, so French elisions split off), then one pipeline per
//! language.
//!
//! - English: `portail-fold`, `trimmer`, `stopWordFilter`, `stemmer`
//!   (lunr's own functions, after an accent fold the theme registers, so
//!   `cafe` finds "café").
//! - French: lunr-languages 1.22.0's `trimmer-fr`, `stopWordFilter-fr`,
//!   `accentFold-fr`, `stemmer-fr` (rust-stemmers' French equals it on
//!   folded input).
//! - Arabic: lunr-languages 1.22.0's `trimmer-ar`, `stopWordFilter-ar`,
//!   `stemmer-ar` (ported in [`super::arabic`]); queries get the stemmer
//!   only.
//! - Generic (languages without a stemmer, chosen in config.toml):
//!   `portail-fold`, `trimmer`.
//!
//! The stop-word lists and the French and Arabic word characters are read
//! from the vendored lunr files the theme ships, so both sides share one
//! source.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use rustc_hash::{FxHashMap, FxHashSet};

use unicode_normalization::UnicodeNormalization;

/// lunr 2.3.9 and lunr-languages 1.22.0, as the browser gets them.
const LUNR_JS: &str = include_str!("../../themes/default/static/search/lunr.min.js");
const LUNR_FR_JS: &str = include_str!("../../themes/default/static/search/lunr.fr.min.js");
pub(super) const LUNR_AR_JS: &str =
    include_str!("../../themes/default/static/search/lunr.ar.min.js");

pub use crate::load::lang::Pipeline;

impl Pipeline {
    /// The pipeline lunr runs on queries, by registered label.
    pub fn search_labels(self) -> &'static [&'static str] {
        match self {
            Pipeline::English => &["portail-fold", "trimmer", "stemmer"],
            Pipeline::French => &["trimmer-fr", "accentFold-fr", "stemmer-fr"],
            Pipeline::Arabic => &["stemmer-ar"],
            Pipeline::Generic => &["portail-fold", "trimmer"],
        }
    }
}

/// JavaScript's `\s` plus `-` and the two apostrophes.
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
                | '-'
                | '\''
                | '’'
    )
}

/// lunr's tokenizer: the lower-cased text split on separators.
pub fn tokenize(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(is_separator)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

struct Data {
    english_stop_words: HashSet<String>,
    french_stop_words: HashSet<String>,
    french_word_chars: Vec<(char, char)>,
    /// With the empty word (a double space in lunr's list): a token the
    /// trimmer empties, Latin or other, is dropped.
    arabic_stop_words: HashSet<String>,
    arabic_word_chars: Vec<(char, char)>,
}

static DATA: LazyLock<Data> = LazyLock::new(|| Data {
    english_stop_words: english_stop_words(LUNR_JS),
    french_stop_words: french_stop_words(LUNR_FR_JS),
    french_word_chars: word_chars(LUNR_FR_JS, 20),
    arabic_stop_words: arabic_stop_words(LUNR_AR_JS),
    arabic_word_chars: word_chars(LUNR_AR_JS, 3),
});

/// `generateStopWordFilter(["a","able",…])` in lunr.min.js.
fn english_stop_words(js: &str) -> HashSet<String> {
    let start = js
        .find("generateStopWordFilter([")
        .map(|i| i + "generateStopWordFilter(".len());
    let list = start.and_then(|s| js[s..].find(']').map(|e| &js[s..=s + e]));
    let words: Vec<String> = list
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_default();
    assert!(
        words.len() > 100,
        "the vendored lunr.min.js has no stop-word list"
    );
    words.into_iter().collect()
}

/// The list in `generateStopWordFilter("…".split(" "))` in a
/// lunr-languages file.
fn stop_word_list(js: &str) -> &str {
    let start = js
        .find("generateStopWordFilter(\"")
        .map(|i| i + "generateStopWordFilter(\"".len());
    let list = start.and_then(|s| js[s..].find('"').map(|e| &js[s..s + e]));
    list.unwrap_or("")
}

/// `generateStopWordFilter("ai aie …".split(" "))` in lunr.fr.min.js.
fn french_stop_words(js: &str) -> HashSet<String> {
    let words: HashSet<String> = stop_word_list(js)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    assert!(
        words.len() > 100,
        "the vendored lunr.fr.min.js has no stop-word list"
    );
    words
}

/// `generateStopWordFilter("، اض …".split(" "))` in lunr.ar.min.js, empty
/// word included.
fn arabic_stop_words(js: &str) -> HashSet<String> {
    let words: HashSet<String> = stop_word_list(js).split(' ').map(str::to_string).collect();
    assert!(
        words.len() > 400,
        "the vendored lunr.ar.min.js has no stop-word list"
    );
    words
}

/// `wordCharacters="A-Za-zªº…"` in a lunr-languages file, as ranges, plus
/// the digits lunr-languages' trimmer adds; at least `min` of them.
fn word_chars(js: &str, min: usize) -> Vec<(char, char)> {
    let start = js
        .find("wordCharacters=\"")
        .map(|i| i + "wordCharacters=\"".len());
    let class = start
        .and_then(|s| js[s..].find('"').map(|e| &js[s..s + e]))
        .unwrap_or("");
    let chars: Vec<char> = class.chars().collect();
    let mut ranges = vec![('0', '9')];
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && chars[i + 1] == '-' {
            ranges.push((chars[i], chars[i + 2]));
            i += 3;
        } else {
            ranges.push((chars[i], chars[i]));
            i += 1;
        }
    }
    assert!(
        ranges.len() > min,
        "a vendored lunr-languages file has no word characters"
    );
    ranges
}

/// The theme's `portail-fold`: `s.normalize('NFD')` without combining marks.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

/// lunr's `trimmer`: ASCII word characters only (JS `\W` without `u`).
fn trim_ascii(s: &str) -> &str {
    s.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
}

/// lunr-languages' trimmers. Their regexes match UTF-16 code units, but
/// every range is in the BMP, so an astral character is outside as a char
/// as both its surrogates are.
fn trim_with<'a>(s: &'a str, ranges: &[(char, char)]) -> &'a str {
    s.trim_matches(|c: char| !ranges.iter().any(|(a, b)| (*a..=*b).contains(&c)))
}

/// lunr-languages' `accentFold-fr`.
fn fold_french(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' | 'Â' | 'Ä' => out.push('a'),
            'ç' | 'Ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => out.push('e'),
            'î' | 'ï' | 'Î' | 'Ï' => out.push('i'),
            'ô' | 'ö' | 'Ô' | 'Ö' => out.push('o'),
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => out.push('u'),
            'ÿ' | 'Ÿ' => out.push('y'),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            other => out.push(other),
        }
    }
    out
}

/// Runs a language's index pipeline over tokens. Every stage is a pure
/// function of the token, so results are cached by token: a site repeats a
/// few thousand words millions of times.
pub struct Terms {
    pipeline: Pipeline,
    /// Token as written → its term and word (`None`: a stop word), shared
    /// by every occurrence. (FxHash: the hashing of millions of short
    /// words dominates otherwise.)
    terms: FxHashMap<Box<str>, Option<Found>>,
    /// One `Arc` per distinct term, whatever tokens it comes from
    /// ("Réunion", "réunion"): a term's pointer identifies it.
    interned: FxHashSet<Arc<str>>,
    /// Each distinct word's number, by its `Arc`'s address.
    word_ids: FxHashMap<usize, u32>,
    /// By word number: the last document it was seen in, so that a
    /// document's distinct words are found without hashing every token.
    stamps: Vec<u32>,
    document: u32,
    french: rust_stemmers::Stemmer,
}

impl Terms {
    pub fn new(pipeline: Pipeline) -> Self {
        Terms {
            pipeline,
            terms: FxHashMap::default(),
            interned: FxHashSet::default(),
            word_ids: FxHashMap::default(),
            stamps: Vec::new(),
            document: 0,
            french: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French),
        }
    }

    /// The index terms of a field's text (empty terms kept, as lunr does).
    pub fn of(&mut self, text: &str) -> Vec<String> {
        let mut terms = Vec::new();
        self.each(text, |term| terms.push(term.to_string()));
        terms
    }

    /// Calls `f` with each index term of `text`, in order, without
    /// allocating for tokens seen before. Equal terms are the same `Arc`.
    pub fn each(&mut self, text: &str, mut f: impl FnMut(&Arc<str>)) {
        self.each_found(text, |found, _| f(&found.term));
    }

    /// Starts a new document for [`Self::each_found`]'s first sightings.
    pub fn start_document(&mut self) {
        self.document += 1;
    }

    /// Like [`Self::each`], with the word each term comes from and whether
    /// that word is seen for the first time since [`Self::start_document`].
    pub fn each_found(&mut self, text: &str, mut f: impl FnMut(&Found, bool)) {
        // lunr lower-cases the whole text, then splits it; lower-casing each
        // token alone spares a copy of the text and gives the same terms.
        // (The one letter whose lower case depends on its neighbours, a
        // capital sigma, can only differ at a token's edge, which every
        // pipeline's trimmer removes.)
        for token in text.split(is_separator).filter(|t| !t.is_empty()) {
            if let Some(cached) = self.terms.get(token) {
                if let Some(found) = cached {
                    let stamp = &mut self.stamps[found.word_id as usize];
                    let first = *stamp != self.document;
                    *stamp = self.document;
                    f(found, first);
                }
                continue;
            }
            let found = self.word(&token.to_lowercase()).map(|word| {
                let term = self.stem(&word);
                let term = self.intern(term);
                let word = self.intern(word);
                let next = self.word_ids.len() as u32;
                let word_id = *self.word_ids.entry(word.as_ptr() as usize).or_insert(next);
                if word_id == next {
                    self.stamps.push(0);
                }
                Found {
                    term,
                    word,
                    word_id,
                }
            });
            if let Some(found) = &found {
                let stamp = &mut self.stamps[found.word_id as usize];
                let first = *stamp != self.document;
                *stamp = self.document;
                f(found, first);
            }
            self.terms.insert(token.into(), found);
        }
    }

    fn intern(&mut self, term: String) -> Arc<str> {
        if let Some(known) = self.interned.get(term.as_str()) {
            return Arc::clone(known);
        }
        let term: Arc<str> = Arc::from(term);
        self.interned.insert(Arc::clone(&term));
        term
    }

    /// A token through the pipeline; `None` for a stop word.
    #[cfg(test)]
    fn term(&self, token: &str) -> Option<String> {
        self.word(token).map(|word| self.stem(&word))
    }

    /// A lower-cased token through the pipeline but its stemmer: the word
    /// a visitor types (accents folded); `None` for a stop word. The
    /// search pipeline without its stemmer gives the same in the browser.
    fn word(&self, token: &str) -> Option<String> {
        match self.pipeline {
            Pipeline::English => {
                let folded = fold(token);
                let trimmed = trim_ascii(&folded);
                (!DATA.english_stop_words.contains(trimmed)).then(|| trimmed.to_string())
            }
            Pipeline::French => {
                let trimmed = trim_with(token, &DATA.french_word_chars);
                (!DATA.french_stop_words.contains(trimmed)).then(|| fold_french(trimmed))
            }
            Pipeline::Arabic => {
                let trimmed = trim_with(token, &DATA.arabic_word_chars);
                (!DATA.arabic_stop_words.contains(trimmed)).then(|| trimmed.to_string())
            }
            Pipeline::Generic => Some(trim_ascii(&fold(token)).to_string()),
        }
    }

    /// A word's term: the pipeline's last step.
    pub fn stem(&self, word: &str) -> String {
        match self.pipeline {
            Pipeline::English => super::porter::stem(word),
            Pipeline::French => self.french.stem(word).into_owned(),
            Pipeline::Arabic => super::arabic::stem(word),
            Pipeline::Generic => word.to_string(),
        }
    }
}

/// A token's index term, and the word it comes from (what a visitor would
/// type: [`Terms::each_found`]).
#[derive(Debug, Clone)]
pub struct Found {
    pub term: Arc<str>,
    pub word: Arc<str>,
    /// The word's number in its [`Terms`].
    pub word_id: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_vendored_data() {
        assert_eq!(DATA.english_stop_words.len(), 119);
        assert_eq!(DATA.french_stop_words.len(), 163);
        assert!(DATA.english_stop_words.contains("the"));
        assert!(
            DATA.french_stop_words.contains("celà") && !DATA.french_stop_words.contains("cela")
        );
    }

    #[test]
    fn arabic_drops_what_its_trimmer_empties() {
        assert_eq!(DATA.arabic_stop_words.len(), 435);
        assert!(DATA.arabic_stop_words.contains(""));
        // The filter's list, unlike the stemmer's, lacks «و».
        assert!(!DATA.arabic_stop_words.contains("و"));
        let mut ar = Terms::new(Pipeline::Arabic);
        // From lunr.ar: Latin words and Arabic-Indic digits trim to nothing
        // and go; ASCII digits stay (lunr-languages' trimmer keeps them);
        // tatweel alone is a word whose stem is empty.
        assert_eq!(
            ar.of("UNHCR 2024 الهجرة، ــ والمهاجرين؟ ١٢ «الحوار» a1b من"),
            ["2024", "هجر", "", "مهاجر", "حوار", "1"]
        );
        assert_eq!(Pipeline::Arabic.search_labels(), ["stemmer-ar"]);
    }

    #[test]
    fn french_elisions_accents_and_compounds() {
        let mut fr = Terms::new(Pipeline::French);
        assert_eq!(
            fr.of("L'immigration et l’immigration"),
            ["immigr", "immigr"]
        );
        assert_eq!(
            fr.of("« Réunion » Afrique-UE"),
            ["", "reunion", "", "afriqu", "ue"]
        );
        assert_eq!(fr.of("café"), ["caf"]);
    }

    #[test]
    fn english_folds_accents_before_trimming() {
        let mut en = Terms::new(Pipeline::English);
        assert_eq!(
            en.of("Café réunion, the Europe-Africa dialogue"),
            ["cafe", "reunion", "europ", "africa", "dialogu"]
        );
    }

    #[test]
    fn tokens_are_lower_cased_as_in_the_whole_text() {
        for pipeline in [
            Pipeline::English,
            Pipeline::French,
            Pipeline::Arabic,
            Pipeline::Generic,
        ] {
            let terms = Terms::new(pipeline);
            // The pipeline applied to lunr's own tokens: the whole text
            // lower-cased, then split.
            let expected = |text: &str| -> Vec<String> {
                tokenize(text)
                    .iter()
                    .filter_map(|token| terms.term(token))
                    .collect()
            };
            let mut cached = Terms::new(pipeline);
            for text in [
                "Réunion RÉUNION réunion",
                "ΟΔΟΣ ΟΔΟΣ'Α Σ ΑΣ-Β",
                "İSTANBUL Straße ǅemal",
            ] {
                assert_eq!(cached.of(text), expected(text), "{pipeline:?}: {text}");
            }
        }
    }

    #[test]
    fn equal_terms_are_one_arc() {
        let mut fr = Terms::new(Pipeline::French);
        let mut seen = Vec::new();
        fr.each("Réunion réunion RÉUNIONS", |term| {
            seen.push(Arc::clone(term))
        });
        assert_eq!(seen.len(), 3);
        assert!(seen.iter().all(|t| Arc::ptr_eq(t, &seen[0])), "{seen:?}");
    }

    #[test]
    fn tokenizer_splits_like_javascript() {
        assert_eq!(
            tokenize("a\u{a0}b\u{202f}c\u{85}d\u{200b}e–f—g/h"),
            ["a", "b", "c\u{85}d\u{200b}e–f—g/h"]
        );
    }
}
