//! Translations that were meant to pair but don't: `2025-05-12-dakar.fr.md`
//! beside `2025-05-12-dakr.en.md` become two one-language pages. Two pages
//! of one folder whose languages don't overlap, with the same date in front
//! of their names or names one or two letters apart, are named together.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::page::Doc;

/// Pages of one key: its folder, name and files by language.
struct Group<'a> {
    section: &'a str,
    key: &'a str,
    name: &'a str,
    files: BTreeMap<&'a str, &'a str>,
}

/// Two pages that look like one: their files, and the first's key.
pub struct NearPair {
    pub first: String,
    pub second: String,
    /// The `translation_key` that would pair the second with the first.
    pub name: String,
}

/// Each near pair of pages.
pub fn near_pairs(docs: &[Arc<Doc>], languages: usize) -> Vec<NearPair> {
    let mut groups: BTreeMap<&str, Group> = BTreeMap::new();
    for doc in docs.iter().filter(|d| !d.is_section()) {
        let source = &doc.source;
        groups
            .entry(source.key.as_str())
            .or_insert_with(|| Group {
                section: &source.section_dir,
                key: &source.key,
                name: &source.name,
                files: BTreeMap::new(),
            })
            .files
            .insert(&source.lang, &source.rel_path);
    }
    let lonely: Vec<&Group> = groups
        .values()
        .filter(|g| g.files.len() < languages)
        .collect();
    let mut pairs = Vec::new();
    for (i, a) in lonely.iter().enumerate() {
        for b in &lonely[i + 1..] {
            let apart = a.section == b.section
                && a.files.keys().all(|lang| !b.files.contains_key(lang))
                && near(a.name, b.name);
            if let (true, Some(first), Some(second)) =
                (apart, a.files.values().next(), b.files.values().next())
            {
                pairs.push(NearPair {
                    first: first.to_string(),
                    second: second.to_string(),
                    name: a.key.rsplit('/').next().unwrap_or(a.key).to_string(),
                });
            }
        }
    }
    pairs
}

/// `2025-05-12-` in front of a name.
fn date_prefix(name: &str) -> Option<&str> {
    let prefix = name.get(..11)?;
    let b = prefix.as_bytes();
    (b[4] == b'-' && b[7] == b'-' && b[10] == b'-' && prefix[..4].parse::<u16>().is_ok())
        .then_some(prefix)
}

/// One date in front, or one or two letters apart in longer names.
fn near(a: &str, b: &str) -> bool {
    if let (Some(x), Some(y)) = (date_prefix(a), date_prefix(b)) {
        return x == y;
    }
    // Lengths first: the distance is asked of few pairs on a site with
    // many pages in one language only.
    let (x, y) = (a.chars().count(), b.chars().count());
    x.min(y) >= 6 && x.abs_diff(y) <= 2 && strsim::damerau_levenshtein(a, b) <= 2
}

/// A warning per near pair, on the second file.
pub fn warnings(docs: &[Arc<Doc>], languages: usize) -> Diagnostics {
    let mut warnings = Diagnostics::new();
    for NearPair {
        first,
        second,
        name,
    } in near_pairs(docs, languages)
    {
        let rename = renamed(&second, &first);
        warnings.push(
            Diagnostic::warning(msg!("site.near_pair", first = &first, second = &second))
                .in_file(second)
                .with_help(msg!("site.near_pair_help", rename, name)),
        );
    }
    warnings
}

/// `second` renamed to pair with `first`: its folder, `first`'s name, its
/// own language (`news/a.fr.md`, `news/b.en.md` → `news/a.en.md`).
fn renamed(second: &str, first: &str) -> String {
    let stem = |path: &str| {
        let (rest, _ext) = path.rsplit_once('.')?;
        let (stem, lang) = rest.rsplit_once('.')?;
        Some((stem.to_string(), lang.to_string()))
    };
    match (stem(first), stem(second)) {
        (Some((name, _)), Some((_, lang))) => format!("{name}.{lang}.md"),
        _ => first.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{near, renamed};

    #[test]
    fn near_names_are_a_date_or_two_letters_apart() {
        assert!(near("2025-05-12-dakar", "2025-05-12-workshop-dakar"));
        assert!(!near("2025-05-12-dakar", "2025-05-13-dakar"));
        assert!(near("reunion-dakar", "reunoin-dakar"));
        assert!(near("reunion-dakar", "reunion-dakr"));
        assert!(!near("reunion-dakar", "reunion-lome"));
        assert!(!near("a", "b"));
    }

    #[test]
    fn the_rename_keeps_the_language() {
        assert_eq!(
            renamed(
                "content/news/reunion-dakr.en.md",
                "content/news/reunion-dakar.fr.md"
            ),
            "content/news/reunion-dakar.en.md"
        );
        assert_eq!(
            renamed("content/news/b/index.en.md", "content/news/a.fr.md"),
            "content/news/a.en.md"
        );
    }
}
