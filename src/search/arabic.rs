//! lunr-languages 1.22.0's Arabic stemmer (`stemmer-ar`), ported step by
//! step so that every token stems as `lunr.ar` stems it, quirks included.
//! Its prefixes, suffixes, stop words and patterns are read from the
//! vendored `lunr.ar.min.js`, the file the browser runs.
//!
//! JavaScript strings are UTF-16 and lunr's steps count and index code
//! units, so the port works on code units: lengths and positions agree for
//! any token, astral characters included. (The one case a Rust string
//! cannot follow: a pattern that keeps half of a surrogate pair, which
//! becomes U+FFFD here and a lone surrogate in lunr.)

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Deserialize;

use super::text::LUNR_AR_JS;

const TATWEEL: u16 = 0x640;
const ALEF: u16 = 0x627;
const HAMZA: u16 = 0x621;
const WAW: u16 = 0x648;
const TAA_MARBUTA: u16 = 0x629;
/// `آ أ إ ٱ ى`, which `cleanAlef` turns into a plain alef.
const ALEF_VARIANTS: [u16; 5] = [0x622, 0x623, 0x625, 0x671, 0x649];

type Units = Vec<u16>;

struct Data {
    /// `pre1` to `pre4`, each list in lunr's order.
    pre: [Vec<Units>; 4],
    /// `suf1` to `suf4`.
    suf: [Vec<Units>; 4],
    /// The stemmer's own list (`removeStopWords`), not the filter's.
    stop_words: HashSet<Units>,
    patterns: Patterns,
}

/// `e.patterns=JSON.parse('…')`; `pt75` is there but lunr never uses it.
#[derive(Deserialize)]
struct Patterns {
    pt43: Vec<Pattern>,
    pt53: Vec<Pattern>,
    pt54: Vec<Pattern>,
    pt63: Vec<Pattern>,
    pt64: Vec<Pattern>,
    pt73: Vec<Pattern>,
}

#[derive(Deserialize)]
struct Pattern {
    pt: Vec<Check>,
    #[serde(rename = "mPt")]
    m_pt: Option<Vec<Place>>,
}

/// Position `l` holds one of the comma-separated letters `c`.
#[derive(Deserialize)]
struct Check {
    #[serde(rename = "c", deserialize_with = "alternatives")]
    letters: Vec<Units>,
    #[serde(rename = "l")]
    at: usize,
}

/// The new word's position `l` gets the old word's letter `m`, or `c`.
#[derive(Deserialize)]
struct Place {
    #[serde(deserialize_with = "units")]
    c: Units,
    l: usize,
    m: Option<usize>,
}

fn units<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Units, D::Error> {
    Ok(String::deserialize(d)?.encode_utf16().collect())
}

fn alternatives<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Units>, D::Error> {
    Ok(String::deserialize(d)?
        .split(',')
        .map(|s| s.encode_utf16().collect())
        .collect())
}

/// The text between `marker` and the next `end` in the vendored file.
fn quoted<'a>(js: &'a str, marker: &str, end: char) -> &'a str {
    let start = js.find(marker).map(|i| i + marker.len());
    start
        .and_then(|s| js[s..].find(end).map(|e| &js[s..s + e]))
        .unwrap_or_else(|| panic!("the vendored lunr.ar.min.js has no {marker}"))
}

/// A space-separated list, as lunr's `split(" ")` makes it (so a double
/// space gives an empty word).
fn list(js: &str, marker: &str) -> Vec<Units> {
    quoted(js, marker, '"')
        .split(' ')
        .map(|w| w.encode_utf16().collect())
        .collect()
}

static DATA: LazyLock<Data> = LazyLock::new(|| {
    let js = LUNR_AR_JS;
    let stop_words: HashSet<Units> = list(js, "removeStopWords=function(){if(\"")
        .into_iter()
        .collect();
    assert!(
        stop_words.len() > 400,
        "the vendored lunr.ar.min.js has no stop-word list"
    );
    let patterns = serde_json::from_str(quoted(js, "patterns=JSON.parse('", '\''))
        .expect("the vendored lunr.ar.min.js has patterns lunr can read");
    Data {
        pre: ["pre1:\"", "pre2:\"", "pre3:\"", "pre4:\""].map(|m| list(js, m)),
        suf: ["suf1:\"", "suf2:\"", "suf3:\"", "suf4:\""].map(|m| list(js, m)),
        stop_words,
        patterns,
    }
});

/// A word's stem, as `lunr.ar.stemmer` gives it.
pub fn stem(word: &str) -> String {
    let mut stemmer = Stemmer {
        word: word.encode_utf16().collect(),
        result: false,
        pre_removed: false,
        suf_removed: false,
        data: &DATA,
    };
    stemmer.stem();
    String::from_utf16_lossy(&stemmer.word)
}

/// lunr's stemmer object: the word and the flags its steps share.
struct Stemmer {
    word: Units,
    result: bool,
    pre_removed: bool,
    suf_removed: bool,
    data: &'static Data,
}

type Step = fn(&mut Stemmer) -> bool;
type Action = fn(&mut Stemmer);

impl Stemmer {
    /// `execArray`, in order, until a step says stop.
    fn stem(&mut self) {
        const STEPS: [Step; 9] = [
            Stemmer::clean_word,
            Stemmer::remove_diacritics,
            Stemmer::clean_alef,
            Stemmer::remove_stop_words,
            Stemmer::normalize_hamza_and_alef,
            Stemmer::remove_start_waw,
            Stemmer::remove_pre432,
            Stemmer::remove_end_taa,
            Stemmer::word_check,
        ];
        for step in STEPS {
            self.result = step(self);
            if self.result {
                break;
            }
        }
    }

    /// Removes every tatweel. lunr's check for non-Arabic letters tests an
    /// empty variable instead of the word, so it never stops stemming.
    fn clean_word(&mut self) -> bool {
        self.word.retain(|&u| u != TATWEEL);
        false
    }

    fn remove_diacritics(&mut self) -> bool {
        self.word.retain(|u| !(0x64b..=0x65b).contains(u));
        false
    }

    /// The first alef variant only: lunr's regex is not global.
    fn clean_alef(&mut self) -> bool {
        if let Some(u) = self.word.iter_mut().find(|u| ALEF_VARIANTS.contains(u)) {
            *u = ALEF;
        }
        false
    }

    fn remove_stop_words(&mut self) -> bool {
        self.data.stop_words.contains(&self.word)
    }

    /// The first `ؤ` and the first `ئ` become `ء` (string replaces, not
    /// global); every run of alefs becomes one.
    fn normalize_hamza_and_alef(&mut self) -> bool {
        for from in [0x624, 0x626] {
            if let Some(u) = self.word.iter_mut().find(|u| **u == from) {
                *u = HAMZA;
            }
        }
        self.word.dedup_by(|a, b| *a == ALEF && *b == ALEF);
        false
    }

    fn remove_start_waw(&mut self) -> bool {
        if self.word.len() > 3 && self.word[0] == WAW && self.word[1] == WAW {
            self.word.remove(0);
        }
        false
    }

    /// Like the other affix steps, it only removes: a word that changed is
    /// a shorter one.
    fn remove_pre432(&mut self) -> bool {
        let before = self.word.len();
        if self.word.len() >= 7 {
            self.strip_prefix(3);
        }
        if self.word.len() == before && self.word.len() >= 6 {
            self.strip_prefix(2);
        }
        if self.word.len() == before && self.word.len() >= 5 {
            self.strip_prefix(1);
        }
        if self.word.len() != before {
            self.pre_removed = true;
        }
        false
    }

    /// A final alef, then the first `ة` wherever it is (not global); stops
    /// the stemming at two letters or fewer.
    fn remove_end_taa(&mut self) -> bool {
        if self.word.len() > 2 {
            if self.word.last() == Some(&ALEF) {
                self.word.pop();
            }
            if let Some(i) = self.word.iter().position(|&u| u == TAA_MARBUTA) {
                self.word.remove(i);
            }
            false
        } else {
            true
        }
    }

    fn remove_pre1(&mut self) {
        let before = self.word.len();
        if !self.pre_removed && self.word.len() > 3 {
            self.strip_prefix(0);
        }
        if self.word.len() != before {
            self.pre_removed = true;
        }
    }

    fn remove_suf1(&mut self) {
        let before = self.word.len();
        if !self.suf_removed && self.word.len() > 3 {
            self.strip_suffix(0);
        }
        if self.word.len() != before {
            self.suf_removed = true;
        }
    }

    fn remove_suf432(&mut self) {
        let before = self.word.len();
        if self.word.len() >= 6 {
            self.strip_suffix(3);
        }
        if self.word.len() == before && self.word.len() >= 5 {
            self.strip_suffix(2);
        }
        if self.word.len() == before && self.word.len() >= 4 {
            self.strip_suffix(1);
        }
        if self.word.len() != before {
            self.suf_removed = true;
        }
    }

    /// `^(a|b|…)`: the first alternative, in list order, that begins the
    /// word.
    fn strip_prefix(&mut self, list: usize) {
        let data = self.data;
        if let Some(p) = data.pre[list].iter().find(|p| self.word.starts_with(p)) {
            self.word.drain(..p.len());
        }
    }

    /// `(a|b|…)$`: the regex tries the leftmost start first, so the
    /// longest alternative that ends the word.
    fn strip_suffix(&mut self, list: usize) {
        let data = self.data;
        let longest = data.suf[list]
            .iter()
            .filter(|s| self.word.ends_with(s))
            .map(Vec::len)
            .max();
        if let Some(n) = longest {
            self.word.truncate(self.word.len() - n);
        }
    }

    /// By length: 7 or more, then 6, 5 and 4, each with its own steps
    /// until a pattern matches or the steps run out.
    fn word_check(&mut self) -> bool {
        let word7: [Action; 3] = [Self::remove_suf432, Self::remove_suf1, Self::remove_pre1];
        let mut counter = 0;
        let mut pattern_checked = false;
        while self.word.len() >= 7 && !self.result && counter < word7.len() {
            // A word brought to 7 letters is checked once before the next step.
            if self.word.len() == 7 && !pattern_checked {
                self.check73();
                pattern_checked = true;
            } else {
                word7[counter](self);
                counter += 1;
                pattern_checked = false;
            }
        }
        let word6: [Action; 5] = [
            Self::check63,
            Self::remove_suf432,
            Self::remove_suf1,
            Self::remove_pre1,
            Self::check64,
        ];
        let word5: [Action; 5] = [
            Self::check53,
            Self::remove_suf432,
            Self::remove_suf1,
            Self::remove_pre1,
            Self::check54,
        ];
        let word4: [Action; 4] = [
            Self::check43,
            Self::remove_suf1,
            Self::remove_pre1,
            Self::remove_suf432,
        ];
        for (length, steps) in [(6, &word6[..]), (5, &word5[..]), (4, &word4[..])] {
            let mut counter = 0;
            while self.word.len() == length && !self.result && counter < steps.len() {
                steps[counter](self);
                counter += 1;
            }
        }
        true
    }

    fn check43(&mut self) {
        self.pattern_check(&self.data.patterns.pt43);
    }

    fn check53(&mut self) {
        self.pattern_check(&self.data.patterns.pt53);
    }

    fn check54(&mut self) {
        self.pattern_check(&self.data.patterns.pt54);
    }

    fn check63(&mut self) {
        self.pattern_check(&self.data.patterns.pt63);
    }

    fn check64(&mut self) {
        self.pattern_check(&self.data.patterns.pt64);
    }

    fn check73(&mut self) {
        self.pattern_check(&self.data.patterns.pt73);
    }

    /// The first pattern whose every position holds one of its letters
    /// ends the stemming; one with `mPt` first rebuilds the word from it
    /// (a position it skips, or a letter past the word's end, is nothing).
    fn pattern_check(&mut self, patterns: &'static [Pattern]) {
        let word = &self.word;
        let matches = |p: &Pattern| {
            p.pt.iter().all(|check| {
                check
                    .letters
                    .iter()
                    .any(|el| el.len() == 1 && word.get(check.at) == Some(&el[0]))
            })
        };
        let Some(pattern) = patterns.iter().find(|p| matches(p)) else {
            return;
        };
        if let Some(places) = &pattern.m_pt {
            let mut new: Vec<Option<&[u16]>> = Vec::new();
            for place in places {
                let letter = match place.m {
                    Some(m) => self.word.get(m..m + 1),
                    None => Some(&place.c[..]),
                };
                if new.len() <= place.l {
                    new.resize(place.l + 1, None);
                }
                new[place.l] = letter;
            }
            self.word = new.into_iter().flatten().flatten().copied().collect();
        }
        self.result = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_vendored_data() {
        let data = &*DATA;
        assert_eq!(data.pre.each_ref().map(Vec::len), [10, 2, 6, 4]);
        assert_eq!(data.suf.each_ref().map(Vec::len), [6, 24, 23, 12]);
        assert_eq!(data.stop_words.len(), 436);
        assert!(data.stop_words.contains(&Units::new()), "its double space");
        assert!(
            data.stop_words
                .contains(&"و".encode_utf16().collect::<Units>())
        );
        assert_eq!(data.patterns.pt53.len(), 21);
    }

    /// Stems given by lunr.ar.stemmer itself (node, lunr 2.3.9,
    /// lunr-languages 1.22.0's lunr.ar.min.js).
    const LUNR: &[(&str, &str)] = &[
        // Stop words (the stemmer's list: `و` too, and the empty word).
        ("", ""),
        ("من", "من"),
        ("و", "و"),
        ("الذي", "الذي"),
        ("ما", "ما"),
        // Diacritics (all), then a stop word found once they are gone.
        ("مِنْ", "من"),
        ("الهِجْرَةُ", "هجر"),
        ("مُهَاجِرٌ", "مهاجر"),
        // Tatweel: removed everywhere, a word of it alone is empty.
        ("ـ", ""),
        ("ــ", ""),
        ("الهجـــرة", "هجر"),
        ("تـدريـب", "تدريب"),
        // Alef variants: the first one only becomes a plain alef.
        ("إلى", "الى"),
        ("أن", "ان"),
        ("أحمد", "حمد"),
        ("أإسلام", "إسلام"),
        ("مستشفى", "استشاف"),
        ("ٱلكتاب", "كتاب"),
        ("آمال", "مال"),
        ("الأمم", "امم"),
        ("الإدماج", "دمج"),
        ("إدماج", "دمج"),
        // Hamza: the first `ؤ` and the first `ئ` only; runs of alef collapse.
        ("مسؤول", "مسءول"),
        ("مسؤولؤن", "مسءولؤ"),
        ("مسؤوليات", "مسءولي"),
        ("رئيس", "رءاس"),
        ("سائق", "ساءق"),
        ("للاجئين", "اجء"),
        ("اللاجئون", "لاجء"),
        ("قراااءة", "قراء"),
        // Double waw at the start, from four letters.
        ("ووطن", "وطن"),
        ("وولد", "ولد"),
        ("ووو", "ووو"),
        // Prefixes of 4, 3 and 2 letters, with their length conditions.
        ("فبالعمل", "عمل"),
        ("وبالتدريب", "تدريب"),
        ("كبالقلم", "قلم"),
        ("وكالهجرة", "هجر"),
        ("بالحوار", "حوار"),
        ("والتدريب", "تدريب"),
        ("فالمهاجرون", "مهاجر"),
        ("تالكتاب", "كتاب"),
        ("كالبحر", "بحر"),
        ("وللشباب", "شباب"),
        ("الحوار", "حوار"),
        ("الدين", "دين"),
        ("الحب", "لحب"),
        ("التنقل", "نقل"),
        // Suffixes of 4, 3, 2 and 1 letters.
        ("ساعدناهم", "ساعد"),
        ("علمتموه", "علم"),
        ("كتبناها", "كتب"),
        ("مدرستين", "مدرس"),
        ("كتابهم", "كتاب"),
        ("مدرستها", "مدرس"),
        ("معلمون", "معلم"),
        ("معلمين", "معلم"),
        ("كتابات", "كتاب"),
        ("كتابه", "كتاب"),
        ("كتابي", "كتاب"),
        ("تعاونهم", "تعا"),
        ("كتبوا", "تبو"),
        ("اجتماعهما", "اجتماع"),
        ("وزارتها", "وزار"),
        // Taa marbuta and a final alef; two letters or fewer stop.
        ("مدرسة", "مدرس"),
        ("ورشة", "ورش"),
        ("وزارة", "وزار"),
        ("المنظمة", "منظم"),
        ("المتحدة", "متحد"),
        ("سنة", "سنة"),
        ("كتا", "كت"),
        ("كت", "كت"),
        ("ة", "ة"),
        // Four letters: patterns with and without mPt.
        ("كاتب", "كاتب"),
        ("يكتب", "كتب"),
        ("كتوب", "كتب"),
        ("كتاب", "كتاب"),
        ("كبير", "كبار"),
        ("مكتب", "مكتب"),
        ("نكتب", "كتب"),
        // Five letters.
        ("تكاتب", "تكاتب"),
        ("انتقل", "انتقال"),
        ("اجتمع", "اجتماع"),
        ("استفاد", "استفاد"),
        ("ورشات", "ورش"),
        ("تتعاون", "تعا"),
        // Six letters.
        ("استخدم", "استخدام"),
        ("مستخدم", "استخدام"),
        ("منظمات", "منظم"),
        ("الجهوي", "جهي"),
        ("تكتبين", "كتب"),
        ("السامية", "سامي"),
        // Seven letters and more: pattern 73 checked whenever the word is 7.
        ("استقبال", "استقبال"),
        ("المهاجرين", "مهاجر"),
        ("المتدربين", "اتدرباب"),
        ("الاجتماعات", "اجتماع"),
        ("والمشاركون", "مشارك"),
        ("بالمشاركة", "مشارك"),
        ("تدريبية", "تدريب"),
        ("الحوارات", "حوار"),
        ("لقاءات", "لقاء"),
        ("استراتيجية", "ستراتيج"),
        ("متنقلون", "اتنقلال"),
        ("يتحاورون", "تحاور"),
        ("المفوضية", "مفض"),
        ("مستفيدين", "استفياد"),
        // Not Arabic, or not only: the stemmer still runs (lunr's cleanWord
        // quirk); lengths count UTF-16 code units, as JavaScript's do.
        ("2024", "2024"),
        ("١٢٣", "١٢٣"),
        ("unhcr", "unhcr"),
        ("a1كتاب", "a1كتاب"),
        ("abcالكتاب", "abcالكتاب"),
        ("ك😀تب", "😀تب"),
    ];

    #[test]
    fn stems_as_lunr_does() {
        let wrong: Vec<String> = LUNR
            .iter()
            .filter(|(word, expected)| stem(word) != *expected)
            .map(|(word, expected)| format!("{word}: {} (lunr: {expected})", stem(word)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
