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

    /// Whether terms `new` to a site whose terms [`Self::check`] found
    /// right would make it wrong: a term of a free taxonomy with no slug,
    /// or with the slug of another term of that taxonomy and language in
    /// `docs` (the same test as `check`'s, for the new terms alone).
    pub fn new_terms_clash<'a>(
        &self,
        docs: impl IntoIterator<Item = &'a Doc>,
        new: &[(&str, &str, &str)],
    ) -> bool {
        let free: Vec<(&str, &str, &str, String)> = new
            .iter()
            .filter(|(taxonomy, _, _)| self.listed(taxonomy).is_none())
            .map(|(taxonomy, lang, term)| (*taxonomy, *lang, *term, slugify(term)))
            .collect();
        if free.iter().any(|(_, _, _, slug)| slug.is_empty()) {
            return true;
        }
        if free.is_empty() {
            return false;
        }
        // A site repeats its few terms on many pages: each slug is made once.
        let mut slugs: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
        for doc in docs {
            for (taxonomy, lang, term, slug) in &free {
                if doc.source.lang != *lang {
                    continue;
                }
                let Some(names) = doc.front_matter.taxonomies.get(*taxonomy) else {
                    continue;
                };
                for name in names.iter().filter(|name| name.as_str() != *term) {
                    let other = slugs.entry(name).or_insert_with(|| slugify(name));
                    if other == slug {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Every term a doc uses must be listed (for taxonomies with a list).
    pub fn check<'a>(&self, docs: impl IntoIterator<Item = &'a Doc>) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        let mut free_terms: Vec<(&Doc, &String, &Vec<String>)> = Vec::new();
        for doc in docs {
            for (taxonomy, terms) in &doc.front_matter.taxonomies {
                let Some(listed) = self.listed(taxonomy) else {
                    free_terms.push((doc, taxonomy, terms));
                    continue;
                };
                for (i, term) in terms.iter().enumerate() {
                    if listed.contains(&term.as_str()) {
                        continue;
                    }
                    let d = Diagnostic::error(msg!("taxonomy.unknown_term", taxonomy, term))
                        .with_help(msg!(
                            "taxonomy.unknown_term_help",
                            hint = did_you_mean(term, &listed),
                            taxonomy
                        ));
                    diagnostics.push(at_term(d, doc, taxonomy, i));
                }
            }
        }
        // Terms of free taxonomies (no data file) need distinct, non-empty slugs.
        // Keyed by language too: each language has its own term pages.
        let mut slugs: BTreeMap<(&str, &str, String), &str> = BTreeMap::new();
        for (doc, taxonomy, terms) in free_terms {
            for (i, term) in terms.iter().enumerate() {
                let slug = slugify(term);
                let key = (taxonomy.as_str(), doc.source.lang.as_str(), slug.clone());
                let problem = match slugs.get(&key) {
                    Some(first) if *first != term.as_str() => Some(msg!(
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
                if let Some(problem) = problem {
                    let d = Diagnostic::error(problem)
                        .with_help(msg!("taxonomy.free_term_help", taxonomy));
                    diagnostics.push(at_term(d, doc, taxonomy, i));
                }
            }
        }
        diagnostics
    }
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
