//! New versions of some pages put in place in an assembled site, for
//! `serve` after an edit of their front matter: the lists that hold them
//! are sorted again, and nothing else moves.

use std::collections::{BTreeMap, BTreeSet};

use super::{DocId, SectionId, Site, doc_slug, fold_title, reinsert, section_sort, sort_pages};
use crate::diagnostics::Diagnostics;
use crate::load::config::SortBy;
use crate::load::page::Doc;

/// A taxonomy, a language and a term: one term's pages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TermKey {
    pub taxonomy: String,
    pub lang: String,
    pub term: String,
}

impl TermKey {
    pub fn new(taxonomy: &str, lang: &str, term: &str) -> Self {
        TermKey {
            taxonomy: taxonomy.to_string(),
            lang: lang.to_string(),
            term: term.to_string(),
        }
    }
}

/// What [`Site::replace`] or [`Site::reassemble`] changed.
#[derive(Debug)]
pub struct Replaced {
    /// The pages replaced, with their previous versions.
    pub previous: BTreeMap<DocId, Doc>,
    /// The pages new to the site.
    pub added: BTreeSet<DocId>,
    /// Pages whose links lead to pages that came, went or moved: their
    /// bodies are to be rendered again.
    pub relinked: BTreeSet<DocId>,
    /// The pages that left the site (or moved to another address): the
    /// files they had are to go unless rendered again.
    pub vacated: Vec<Vacated>,
    /// The sections whose lists hold them, with each language's list as
    /// it was ([`DocId::GONE`] for a page that left).
    pub sections: BTreeMap<SectionId, BTreeMap<String, Vec<DocId>>>,
    /// The terms they had or have, with their pages as they were (none
    /// for a term they bring).
    pub terms: BTreeMap<TermKey, Vec<DocId>>,
}

/// Where a page of the last build was.
#[derive(Debug)]
pub struct Vacated {
    /// Its source file, the origin of its output files.
    pub origin: String,
    pub url_path: String,
    pub section: SectionId,
    pub lang: String,
    /// Whether it had a date (a section with dated pages has a feed).
    pub dated: bool,
    /// Whether it left the site (else it is among the pages replaced).
    pub gone: bool,
}

impl Replaced {
    /// The terms that had no page before (taxonomy, language, term).
    pub fn new_terms(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.terms
            .iter()
            .filter(|(_, before)| before.is_empty())
            .map(|(key, _)| (key.taxonomy.as_str(), key.lang.as_str(), key.term.as_str()))
    }

    /// The pages edited, added or relinked.
    pub fn ids(&self) -> BTreeSet<DocId> {
        let ids = self
            .previous
            .keys()
            .chain(&self.added)
            .chain(&self.relinked);
        ids.copied().collect()
    }
}

impl Site {
    /// Puts `docs`, new versions of pages of this site, in place of the
    /// old ones, when that leaves the pages as they were: the same pages
    /// at the same URLs, no draft, no alias changed, as many dated pages
    /// (terms may gain or lose pages, even their first or last). Else
    /// changes nothing and returns `None` (a full build is needed).
    pub fn replace(&mut self, docs: Vec<(DocId, Doc)>, keep_drafts: bool) -> Option<Replaced> {
        let ids: BTreeSet<DocId> = docs.iter().map(|(id, _)| *id).collect();
        if ids.len() != docs.len() {
            return None;
        }
        for (id, doc) in &docs {
            if !self.keeps_place(*id, doc, keep_drafts) {
                return None;
            }
        }
        let mut terms = BTreeSet::new();
        for (id, doc) in &docs {
            for version in [self.doc(*id), doc] {
                for (taxonomy, names) in &version.front_matter.taxonomies {
                    for name in names {
                        terms.insert(TermKey::new(taxonomy, &doc.source.lang, name));
                    }
                }
            }
        }
        let mut lists = Vec::with_capacity(terms.len());
        for key in &terms {
            let TermKey {
                taxonomy,
                lang,
                term,
            } = key;
            // Taxonomies the config does not declare have no pages.
            let Some(by_term) = self.term_pages.get(&(taxonomy.clone(), lang.clone())) else {
                continue;
            };
            let before = by_term.get(term).map_or(&[][..], Vec::as_slice);
            let joining: Vec<DocId> = docs
                .iter()
                .filter(|(_, d)| {
                    d.source.lang == *lang
                        && d.front_matter
                            .taxonomies
                            .get(taxonomy)
                            .is_some_and(|names| names.contains(term))
                })
                .map(|(id, _)| *id)
                .collect();
            lists.push((key, before.to_vec(), joining));
        }

        let sections: BTreeMap<SectionId, BTreeMap<String, Vec<DocId>>> = ids
            .iter()
            .map(|id| {
                let section = self.placement(*id).section;
                let lists = self
                    .section(section)
                    .langs
                    .iter()
                    .map(|(lang, sl)| (lang.clone(), sl.pages.clone()))
                    .collect();
                (section, lists)
            })
            .collect();
        let mut previous = BTreeMap::new();
        for (id, doc) in docs {
            self.folded[id.0] = fold_title(&doc);
            previous.insert(id, std::mem::replace(&mut self.docs[id.0], doc));
        }
        for section in sections.keys() {
            let section = &mut self.sections[section.0];
            for sl in section.langs.values_mut() {
                let sort_by = section_sort(sl, &section.dir, &self.config, &self.docs);
                // Fields may hold values of different types, which do not
                // order: sorted whole as in a full build.
                if matches!(sort_by, SortBy::Field(_)) {
                    let order = (&self.docs[..], &self.placements[..], &self.folded[..]);
                    sort_pages(&mut sl.pages, &sort_by, order.0, order.1, order.2);
                    continue;
                }
                let moved: Vec<DocId> = sl
                    .pages
                    .iter()
                    .copied()
                    .filter(|p| ids.contains(p))
                    .collect();
                let order = (&self.docs[..], &self.placements[..], &self.folded[..]);
                reinsert(&mut sl.pages, &ids, &moved, &sort_by, order);
            }
        }
        let mut terms = BTreeMap::new();
        for (key, before, joining) in lists {
            let TermKey {
                taxonomy,
                lang,
                term,
            } = key;
            let mut pages = before.clone();
            let order = (&self.docs[..], &self.placements[..], &self.folded[..]);
            reinsert(&mut pages, &ids, &joining, &SortBy::Date, order);
            if let Some(by_term) = self.term_pages.get_mut(&(taxonomy.clone(), lang.clone())) {
                // A term with no page left has no page of its own.
                if pages.is_empty() {
                    by_term.remove(term);
                } else {
                    by_term.insert(term.clone(), pages);
                }
            }
            terms.insert(key.clone(), before);
        }
        Some(Replaced {
            previous,
            added: BTreeSet::new(),
            relinked: BTreeSet::new(),
            vacated: Vec::new(),
            sections,
            terms,
        })
    }

    /// Whether `doc` can take the place of the page `id` without moving it
    /// or changing which files the output has.
    fn keeps_place(&self, id: DocId, doc: &Doc, keep_drafts: bool) -> bool {
        let Some(old) = self.docs.get(id.0) else {
            return false;
        };
        let aliases = |d: &Doc| {
            d.front_matter
                .aliases
                .iter()
                .map(|(alias, _)| alias.clone())
                .collect::<Vec<_>>()
        };
        if old.is_section()
            || doc.is_section()
            || old.source.rel_path != doc.source.rel_path
            || (doc.front_matter.draft && !keep_drafts)
            || old.date.is_some() != doc.date.is_some()
            || aliases(old) != aliases(doc)
        {
            return false;
        }
        let placement = self.placement(id);
        let Some(section_lang) = self.section(placement.section).langs.get(&doc.source.lang) else {
            return false;
        };
        let mut problems = Diagnostics::new();
        let url = format!(
            "{}{}/",
            section_lang.url_path,
            doc_slug(doc, &self.config, &mut problems)
        );
        !problems.has_errors() && url == placement.url_path
    }
}
