//! The site assembled again after pages came, went or changed address,
//! for `serve`: the pages of a few translation keys are replaced by their
//! versions as they are now, every other page is kept as parsed, and the
//! ids of the last build are mapped to the new ones so that what was
//! rendered from them can be kept.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    DocId, LookupKey, Replaced, Reuse, SectionId, Site, TermKey, TermPages, Vacated, assemble_with,
    reinsert,
};
use crate::diagnostics::Diagnostics;
use crate::load::config::SortBy;
use crate::load::page::Doc;

/// A site assembled again, and how it relates to the one before.
#[derive(Debug)]
pub struct Reassembled {
    pub site: Site,
    /// Each page of the last build's id now (`None`: it left the site).
    pub ids: Vec<Option<DocId>>,
    pub replaced: Replaced,
}

impl Site {
    /// The site with the pages of translation `keys` replaced by `docs`
    /// (their versions now, in the site: as many as there are, some maybe
    /// new). `linkers` are pages whose links lead to one of `keys`: their
    /// bodies are to be rendered again. The errors are those a full build reports.
    pub fn reassemble(
        self,
        keys: &BTreeSet<String>,
        mut docs: Vec<Doc>,
        linkers: &BTreeSet<DocId>,
    ) -> Result<Reassembled, Diagnostics> {
        let Site {
            config,
            docs: old_docs,
            placements: mut old_placements,
            sections: old_sections,
            assets,
            terms,
            term_pages: old_term_pages,
            lookup: mut old_lookup,
            folded: old_folded,
            ..
        } = self;
        let old_count = old_docs.len();
        let term_keys = |doc: &Doc| -> Vec<TermKey> {
            doc.front_matter
                .taxonomies
                .iter()
                .flat_map(|(taxonomy, names)| {
                    names
                        .iter()
                        .map(|name| TermKey::new(taxonomy, &doc.source.lang, name))
                })
                .collect()
        };
        // The versions replaced, found by their keys.
        let mut removed: Vec<usize> = keys
            .iter()
            .flat_map(|key| {
                let lookup = &old_lookup;
                config.language_codes().filter_map(move |lang| {
                    let id = lookup.get(&LookupKey::new(key, false, lang))?;
                    Some(id.0)
                })
            })
            .collect();
        removed.sort_unstable();
        // The docs are edited in place, not moved one by one: a few
        // removals and insertions keep them sorted by path.
        let mut merged = old_docs;
        let mut old_versions: Vec<(DocId, Doc)> = removed
            .iter()
            .rev()
            .map(|i| (DocId(*i), merged.remove(*i)))
            .collect();
        old_versions.reverse();
        docs.sort_by(|a, b| a.source.rel_path.cmp(&b.source.rel_path));
        let new_paths: Vec<String> = docs.iter().map(|d| d.source.rel_path.clone()).collect();
        // In path order, each goes after the one before: the places found
        // stay right.
        let mut group_ids = Vec::with_capacity(docs.len());
        for doc in docs {
            let at = merged.partition_point(|d| d.source.rel_path < doc.source.rel_path);
            group_ids.push(DocId(at));
            merged.insert(at, doc);
        }
        // Where the kept docs are now, with their URLs and folded titles.
        let mut ids: Vec<Option<DocId>> = vec![None; old_count];
        let (mut gone, mut came, mut at) = (removed.iter().peekable(), group_ids.iter(), 0);
        let mut next_new = came.next();
        for (old, id) in ids.iter_mut().enumerate() {
            if gone.next_if(|i| **i == old).is_some() {
                continue;
            }
            while next_new.is_some_and(|new| new.0 == at) {
                next_new = came.next();
                at += 1;
            }
            *id = Some(DocId(at));
            at += 1;
        }
        let mut reuse = Reuse {
            urls: vec![None; merged.len()],
            folded: vec![None; merged.len()],
            lookup: None,
        };
        for ((old, id), folded) in ids.iter().enumerate().zip(old_folded) {
            if let Some(id) = id {
                reuse.urls[id.0] = Some(std::mem::take(&mut old_placements[old].url_path));
                reuse.folded[id.0] = Some(folded);
            }
        }
        let linker_terms: BTreeMap<DocId, Vec<TermKey>> = linkers
            .iter()
            .filter_map(|old| Some((*old, term_keys(&merged[ids[old.0]?.0]))))
            .collect();

        // The old versions' ids now, known before the site is assembled.
        let now: Vec<Option<DocId>> = old_versions
            .iter()
            .map(|(_, doc)| {
                let at = new_paths.binary_search(&doc.source.rel_path).ok()?;
                Some(group_ids[at])
            })
            .collect();
        for ((old, _), new) in old_versions.iter().zip(&now) {
            ids[old.0] = *new;
        }
        // The lookup, its ids moved: the replaced versions' keys go, those
        // of the versions now come.
        old_lookup.retain(|k, _| k.section || !keys.contains(&k.key));
        for id in old_lookup.values_mut() {
            if let Some(new) = ids[id.0] {
                *id = new;
            }
        }
        for id in &group_ids {
            let doc = &merged[id.0];
            old_lookup.insert(LookupKey::of(doc), *id);
        }
        reuse.lookup = Some(old_lookup);
        let section_dirs: BTreeSet<String> = old_sections.iter().map(|s| s.dir.clone()).collect();
        // The term lists of the last build, moved to the new ids, with the
        // replaced pages put in again where their terms are now: sorting
        // every list again is most of an assembly's time.
        let old_lists = &old_term_pages;
        let term_pages = |_: &crate::load::config::Config,
                          docs: &[Doc],
                          placements: &[super::Placement],
                          folded: &[String]| {
            let replaced: BTreeSet<DocId> = now.iter().flatten().copied().collect();
            let mut lists = TermPages::new();
            for (key, by_term) in old_lists {
                let by_term = by_term
                    .iter()
                    .map(|(term, pages)| {
                        let pages: Vec<DocId> = pages
                            .iter()
                            .filter_map(|p| ids[p.0])
                            .filter(|p| !replaced.contains(p))
                            .collect();
                        (term.clone(), pages)
                    })
                    .collect();
                lists.insert(key.clone(), by_term);
            }
            for id in &group_ids {
                let doc = &docs[id.0];
                for (taxonomy, names) in &doc.front_matter.taxonomies {
                    let key = (taxonomy.clone(), doc.source.lang.clone());
                    let Some(by_term) = lists.get_mut(&key) else {
                        continue;
                    };
                    let names: BTreeSet<&String> = names.iter().collect();
                    for name in names {
                        let pages = by_term.entry(name.clone()).or_default();
                        let order = (docs, placements, folded);
                        reinsert(pages, &BTreeSet::new(), &[*id], &SortBy::Date, order);
                    }
                }
            }
            for by_term in lists.values_mut() {
                by_term.retain(|_, pages| !pages.is_empty());
            }
            lists
        };
        let site = assemble_with(
            config,
            merged,
            &section_dirs,
            assets,
            terms,
            reuse,
            term_pages,
        )?;

        let mut previous = BTreeMap::new();
        let mut vacated = Vec::with_capacity(old_versions.len());
        let mut touched: Vec<(SectionId, Vec<TermKey>)> = Vec::new();
        for ((old, doc), now) in old_versions.into_iter().zip(now) {
            let placement = &old_placements[old.0];
            touched.push((placement.section, term_keys(&doc)));
            vacated.push(Vacated {
                origin: doc.source.rel_path.clone(),
                url_path: placement.url_path.clone(),
                section: placement.section,
                lang: doc.source.lang.clone(),
                dated: doc.date.is_some(),
                gone: now.is_none(),
            });
            if let Some(new) = now {
                previous.insert(new, doc);
            }
        }
        let mut relinked = BTreeSet::new();
        for (old, keys) in linker_terms {
            if let Some(new) = ids[old.0] {
                touched.push((old_placements[old.0].section, keys));
                relinked.insert(new);
            }
        }
        let added: BTreeSet<DocId> = group_ids
            .iter()
            .copied()
            .filter(|id| !previous.contains_key(id))
            .collect();
        for id in &group_ids {
            touched.push((site.placement(*id).section, term_keys(site.doc(*id))));
        }

        let then = |pages: &[DocId]| -> Vec<DocId> {
            pages
                .iter()
                .map(|p| ids[p.0].unwrap_or(DocId::GONE))
                .collect()
        };
        let mut sections = BTreeMap::new();
        let mut terms = BTreeMap::new();
        for (section, keys) in touched {
            sections.entry(section).or_insert_with(|| {
                old_sections[section.0]
                    .langs
                    .iter()
                    .map(|(lang, sl)| (lang.clone(), then(&sl.pages)))
                    .collect::<BTreeMap<_, _>>()
            });
            for key in keys {
                let TermKey {
                    taxonomy,
                    lang,
                    term,
                } = &key;
                // Taxonomies the config does not declare have no pages.
                let Some(by_term) = old_term_pages.get(&(taxonomy.clone(), lang.clone())) else {
                    continue;
                };
                let before = by_term.get(term).map_or_else(Vec::new, |pages| then(pages));
                terms.entry(key).or_insert(before);
            }
        }
        // Freeing the last build's lists takes milliseconds that the
        // author would wait for.
        std::thread::spawn(move || drop((old_placements, old_sections, old_term_pages)));
        Ok(Reassembled {
            site,
            ids,
            replaced: Replaced {
                previous,
                added,
                relinked,
                vacated,
                sections,
                terms,
            },
        })
    }
}
