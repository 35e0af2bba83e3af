//! Taxonomy terms: one identity each (`maroc`), with a label and a URL slug
//! per language, from `data/<taxonomy>.toml`:
//!
//! ```toml
//! [maroc]
//! fr = "Maroc"
//! en = { label = "Morocco", slug = "morocco" }
//! ```
//!
//! A taxonomy with such a file accepts only its terms; one without it
//! accepts any term, labelled by itself in every language.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::config::Config;
use crate::load::page::Doc;
use crate::load::slug::{MAX_SLUG_LEN, slugify};

/// A term's label and slug in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub label: String,
    pub slug: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawLabel {
    Text(String),
    Full { label: String, slug: Option<String> },
}

/// A taxonomy's terms: term → language → label.
type TermList = BTreeMap<String, BTreeMap<String, Label>>;

/// The terms of every taxonomy.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    /// Taxonomy → term → language → label. `None` for a free taxonomy.
    lists: BTreeMap<String, Option<TermList>>,
}

impl Terms {
    /// Reads `data/<taxonomy>.toml` for each configured taxonomy.
    pub fn load(root: &Path, config: &Config) -> Result<Terms, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let mut lists = BTreeMap::new();
        for taxonomy in &config.taxonomies {
            let rel = format!("data/{}.toml", taxonomy.name);
            let path = root.join(&rel);
            if !path.is_file() {
                lists.insert(taxonomy.name.clone(), None);
                continue;
            }
            match read_list(&path, &rel, config) {
                Ok(list) => {
                    lists.insert(taxonomy.name.clone(), Some(list));
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(Terms { lists })
    }

    /// A term's label and slug in a language.
    pub fn label(&self, taxonomy: &str, term: &str, lang: &str) -> Label {
        self.lists
            .get(taxonomy)
            .and_then(|list| list.as_ref())
            .and_then(|list| list.get(term))
            .and_then(|labels| labels.get(lang))
            .cloned()
            .unwrap_or_else(|| Label {
                label: term.to_string(),
                slug: slugify(term),
            })
    }

    /// The listed terms of a taxonomy, if it has a list.
    pub fn listed(&self, taxonomy: &str) -> Option<Vec<&str>> {
        self.lists
            .get(taxonomy)?
            .as_ref()
            .map(|list| list.keys().map(String::as_str).collect())
    }

    /// Every term a doc uses must be listed (for taxonomies with a list),
    /// and each term of a free taxonomy needs a slug of its own. A site
    /// repeats its terms on many pages: each is judged once, and every
    /// page that uses a wrong one hears of it.
    pub fn check<'a>(&self, docs: impl IntoIterator<Item = &'a Doc>) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        let mut listed: HashMap<&str, Option<HashSet<&str>>> = HashMap::default();
        // Terms of free taxonomies (no data file) need distinct, non-empty
        // slugs, keyed by language too: each language has its own pages.
        let mut slugs: HashMap<(&str, &str, String), &str> = HashMap::default();
        let mut verdicts: HashMap<(&str, &str, &str), Option<Diagnostic>> = HashMap::default();
        for doc in docs {
            let lang = doc.source.lang.as_str();
            for (taxonomy, terms) in &doc.front_matter.taxonomies {
                let list = listed.entry(taxonomy).or_insert_with(|| {
                    self.listed(taxonomy)
                        .map(|terms| terms.into_iter().collect())
                });
                for (i, term) in terms.iter().enumerate() {
                    let verdict =
                        verdicts
                            .entry((taxonomy, lang, term))
                            .or_insert_with(|| match list {
                                Some(list) => self.unlisted(taxonomy, term, list),
                                None => free_term_problem(&mut slugs, taxonomy, lang, term),
                            });
                    if let Some(d) = verdict {
                        diagnostics.push(at_term(d.clone(), doc, taxonomy, i));
                    }
                }
            }
        }
        diagnostics
    }

    /// The error for a term missing from its taxonomy's list, if it is.
    fn unlisted(&self, taxonomy: &str, term: &str, list: &HashSet<&str>) -> Option<Diagnostic> {
        if list.contains(term) {
            return None;
        }
        let mut names: Vec<&str> = list.iter().copied().collect();
        names.sort_unstable();
        Some(
            Diagnostic::error(msg!("taxonomy.unknown_term", taxonomy, term)).with_help(msg!(
                "taxonomy.unknown_term_help",
                hint = did_you_mean(term, &names),
                taxonomy
            )),
        )
    }
}

/// The error for a term of a free taxonomy whose slug is empty, too long,
/// or another term's (the first to take a slug keeps it).
fn free_term_problem<'a>(
    slugs: &mut HashMap<(&'a str, &'a str, String), &'a str>,
    taxonomy: &'a str,
    lang: &'a str,
    term: &'a str,
) -> Option<Diagnostic> {
    let slug = slugify(term);
    let key = (taxonomy, lang, slug.clone());
    let problem = match slugs.get(&key) {
        Some(first) if *first != term => Some(msg!(
            "taxonomy.shared_page",
            taxonomy,
            term,
            first,
            slug = &slug
        )),
        Some(_) => None,
        None if slug.is_empty() => Some(msg!("taxonomy.no_slug", taxonomy, term)),
        None if slug.len() > MAX_SLUG_LEN => Some(msg!(
            "taxonomy.long_slug",
            taxonomy,
            term,
            length = slug.len(),
            max = MAX_SLUG_LEN
        )),
        None => {
            slugs.insert(key, term);
            None
        }
    };
    problem.map(|p| Diagnostic::error(p).with_help(msg!("taxonomy.free_term_help", taxonomy)))
}

fn read_list(
    path: &Path,
    rel: &str,
    config: &Config,
) -> Result<BTreeMap<String, BTreeMap<String, Label>>, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(msg!("taxonomy.unreadable", error = e)).in_file(rel)]
    })?;
    let raw: BTreeMap<String, BTreeMap<String, RawLabel>> =
        toml::from_str(&text).map_err(|err| {
            let d = Diagnostic::error(msg!(
                "taxonomy.invalid",
                error = err.message().lines().next().unwrap_or("")
            ))
            .with_help(msg!("taxonomy.invalid_help"));
            vec![match err.span() {
                Some(span) => d.at_span(rel, &text, span),
                None => d.in_file(rel),
            }]
        })?;
    let file = ListFile { rel, text: &text };
    let mut errors = Vec::new();
    let mut list = BTreeMap::new();
    for (term, labels) in raw {
        let resolved = file.labels(&term, &labels, config, &mut errors);
        list.insert(term, resolved);
    }
    // Two terms may not share a page: slugs must be unique and not empty.
    for lang in config.language_codes() {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (term, labels) in &list {
            if let Some(label) = labels.get(lang)
                && let Some(error) = file.slug_problem(term, lang, label, &mut seen)
            {
                errors.push(error);
            }
        }
    }
    if errors.is_empty() {
        Ok(list)
    } else {
        Err(errors)
    }
}

/// A term list being read, for its errors' places.
struct ListFile<'a> {
    rel: &'a str,
    text: &'a str,
}

impl ListFile<'_> {
    /// Where the table of `term` starts (`[term]`).
    fn span_of(&self, term: &str) -> std::ops::Range<usize> {
        let at = self.text.find(&format!("[{term}]")).unwrap_or(0);
        at..at + term.len() + 2
    }

    /// A term's label and slug in each language, which each must have.
    fn labels(
        &self,
        term: &str,
        labels: &BTreeMap<String, RawLabel>,
        config: &Config,
        errors: &mut Vec<Diagnostic>,
    ) -> BTreeMap<String, Label> {
        let mut resolved = BTreeMap::new();
        for lang in config.language_codes() {
            let label = match labels.get(lang) {
                Some(RawLabel::Text(label)) => Label {
                    slug: slugify(label),
                    label: label.clone(),
                },
                Some(RawLabel::Full { label, slug }) => Label {
                    slug: slugify(slug.as_deref().unwrap_or(label)),
                    label: label.clone(),
                },
                None => {
                    errors.push(
                        Diagnostic::error(msg!("taxonomy.no_label", term, lang))
                            .at_span(self.rel, self.text, self.span_of(term))
                            .with_help(msg!("taxonomy.no_label_help", lang, term)),
                    );
                    continue;
                }
            };
            resolved.insert(lang.to_string(), label);
        }
        resolved
    }

    /// Why a term's slug in `lang` cannot make its page: empty, too long,
    /// or another term's (`seen`: the slugs so far).
    fn slug_problem<'t>(
        &self,
        term: &'t str,
        lang: &str,
        label: &'t Label,
        seen: &mut BTreeMap<&'t str, &'t str>,
    ) -> Option<Diagnostic> {
        let span = self.span_of(term);
        let error = if label.slug.is_empty() {
            Diagnostic::error(msg!("taxonomy.no_term_slug", term, lang)).with_help(msg!(
                "taxonomy.no_term_slug_help",
                lang,
                label = &label.label
            ))
        } else if label.slug.len() > MAX_SLUG_LEN {
            Diagnostic::error(msg!(
                "taxonomy.long_term_slug",
                term,
                lang,
                length = label.slug.len(),
                max = MAX_SLUG_LEN
            ))
            .with_help(msg!("taxonomy.long_term_slug_help", lang))
        } else if let Some(first) = seen.insert(&label.slug, term) {
            Diagnostic::error(msg!(
                "taxonomy.same_slug",
                first,
                term,
                slug = &label.slug,
                lang
            ))
            .with_help(msg!("taxonomy.same_slug_help", lang))
        } else {
            return None;
        };
        Some(error.at_span(self.rel, self.text, span))
    }
}

/// Places `d` on the `i`-th term of `taxonomy` in `doc`'s front matter.
fn at_term(d: Diagnostic, doc: &Doc, taxonomy: &str, i: usize) -> Diagnostic {
    match doc
        .front_matter
        .term_spans
        .get(taxonomy)
        .and_then(|s| s.get(i))
    {
        Some(span) => d.at_span(doc.source.rel_path.clone(), &doc.text, span.clone()),
        None => d.in_file(doc.source.rel_path.clone()),
    }
}
