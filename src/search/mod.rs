//! Stage `search`: for every language, a lunr.js 2.3.9 index written in
//! Rust and cut into shards the browser fetches as a query needs them
//! ([`shards`]), with the store of what results show (title, URL,
//! section, date, taxonomy terms, an excerpt of at most 160 characters) in
//! chunks, all below `search/<lang>/`. With `[search] whole_index`, the
//! index and the store are also written whole, in lunr's own format:
//! `search/<lang>/index.json` and `documents.json` (an array by ref).
//!
//! Refs are short numbers (the document's position in the store), not
//! URLs: every (term, page) pair of the index repeats its ref, so this
//! alone makes the index several times smaller.

pub mod arabic;
pub mod lunr;
pub mod porter;
pub mod shards;
pub mod text;

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use crate::load::i18n::Strings;
use crate::markdown::Rendered;
use crate::memo::{self, Recall};
use crate::output::{Origin, OutputFile};
use crate::site::{DocId, Site, SiteRead};
use lunr::{Document, Field};
use text::Pipeline;

/// Longest excerpt shown in results, in characters.
pub const EXCERPT_CHARS: usize = 160;

/// What the results list shows of a document.
#[derive(Debug, Serialize)]
pub struct StoredDocument {
    pub title: String,
    pub url: String,
    pub section: Option<String>,
    pub date: Option<String>,
    pub terms: Vec<String>,
    pub excerpt: String,
}

/// The folder of a language's search files below the output root.
pub fn folder(lang: &str) -> String {
    format!("search/{lang}/")
}

/// Path of a language's manifest, the first file the browser reads.
pub fn manifest_path(lang: &str) -> String {
    format!("search/{lang}/manifest.json")
}

/// The indexed fields with their boosts.
pub fn fields(site: &Site) -> Vec<Field> {
    site.config
        .search_fields
        .iter()
        .map(|(name, boost)| Field {
            name: name.clone(),
            boost: *boost,
        })
        .collect()
}

/// The docs of a language that go into its index, in site order.
pub fn indexed_docs(site: &Site, lang: &str) -> Vec<DocId> {
    site.doc_ids()
        .filter(|id| {
            let doc = site.doc(*id);
            doc.source.lang == lang && doc.front_matter.search
        })
        .collect()
}

/// The documents of a language as the index sees them.
pub fn documents<'a>(
    site: &'a Site,
    rendered: &'a [std::sync::Arc<Rendered>],
    lang: &str,
) -> Vec<Document<'a>> {
    let fields = fields(site);
    indexed_docs(site, lang)
        .into_iter()
        .enumerate()
        .map(|(n, id)| {
            let doc = site.doc(id);
            let fm = &doc.front_matter;
            let texts = fields
                .iter()
                .map(|f| match f.name.as_str() {
                    "title" => Cow::Borrowed(fm.title.as_str()),
                    "description" => Cow::Borrowed(fm.description.as_deref().unwrap_or("")),
                    "taxonomies" => Cow::Owned(term_labels(site, doc).join(" ")),
                    _ => Cow::Borrowed(rendered[id.0].text.as_str()),
                })
                .collect();
            Document {
                reference: n.to_string(),
                fields: texts,
            }
        })
        .collect()
}

/// What index builds can reuse from the build before.
pub struct SearchMemo {
    /// A language's files, when its documents did not change.
    pub indexes: Recall<Arc<Vec<OutputFile>>>,
    /// Each document's terms.
    pub analyses: Recall<Arc<lunr::Analysis>>,
}

impl SearchMemo {
    pub fn new(on: bool) -> Self {
        SearchMemo {
            indexes: Recall::new(on),
            analyses: Recall::new(on),
        }
    }

    pub fn next(self) -> Self {
        SearchMemo {
            indexes: self.indexes.next(),
            analyses: self.analyses.next(),
        }
    }

    pub fn reset_counts(&self) {
        self.indexes.reset_counts();
        self.analyses.reset_counts();
    }
}

/// The folders of the search files the site has, whether built yet or not:
/// every file below them is the search's.
pub fn folders(site: &Site) -> Vec<String> {
    site.config
        .languages
        .iter()
        .filter(|l| l.search.is_some())
        .map(|l| folder(&l.code))
        .collect()
}

/// The files of every language with a search pipeline, languages in
/// parallel.
///
/// Each language runs on a thread of its own rather than on rayon's pool:
/// an index is one long sequential task, and on the pool, while the pages
/// render, the second language would wait for the first instead of sharing
/// the cores with them.
pub fn build_all(
    site: &Site,
    rendered: &[std::sync::Arc<Rendered>],
    strings: &Strings,
    memo: &SearchMemo,
) -> Vec<OutputFile> {
    let languages: Vec<(&str, Pipeline)> = site
        .config
        .languages
        .iter()
        .filter_map(|l| l.search.map(|p| (l.code.as_str(), p)))
        .collect();
    std::thread::scope(|scope| {
        let threads: Vec<_> = languages
            .into_iter()
            .map(|(lang, pipeline)| {
                scope.spawn(move || language_files(site, rendered, strings, memo, lang, pipeline))
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|thread| {
                let files = thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                Arc::unwrap_or_clone(files)
            })
            .collect()
    })
}

/// A language's files: shards, manifest, document chunks (and the whole
/// index and store if asked).
fn language_files(
    site: &Site,
    rendered: &[std::sync::Arc<Rendered>],
    strings: &Strings,
    memo: &SearchMemo,
    lang: &str,
    pipeline: Pipeline,
) -> Arc<Vec<OutputFile>> {
    let fields = fields(site);
    let documents = documents(site, rendered, lang);
    let store = store(site, rendered, strings, lang);
    let facets = facets(site, strings, lang);
    let whole = site.config.search_whole_index;
    // An index depends on all its documents (through term
    // frequencies): one changed page rebuilds its language's index.
    let key = || memo::key_of(&(lang, pipeline, &fields, &documents, &store, &facets, whole));
    let analysis_key =
        |doc: &lunr::Document<'_>| memo::key_of(&(pipeline, fields.len(), &doc.fields));
    let mut reused = true;
    let files = memo.indexes.get(key, || {
        reused = false;
        // What each page contributes is its own: only changed pages
        // go through the pipeline again.
        let mut terms = text::Terms::new(pipeline);
        let index = lunr::Inverted::new(&fields, &documents, pipeline, |doc| {
            memo.analyses.get(
                || analysis_key(doc),
                || Arc::new(lunr::analyze(&mut terms, fields.len(), doc)),
            )
        });
        let mut others = shards::chunks(&store);
        others.push(shards::ShardFile {
            path: "facets.json".into(),
            json: facets.clone(),
        });
        let files = shards::write(&index, &terms, others);
        let origin = || Origin::Generated(format!("search index ({lang})"));
        let mut out: Vec<OutputFile> = files
            .into_iter()
            .map(|f| OutputFile::html(format!("{}{}", folder(lang), f.path), f.json, origin()))
            .collect();
        if whole {
            out.push(OutputFile::html(
                format!("{}index.json", folder(lang)),
                index.to_json(),
                origin(),
            ));
            out.push(OutputFile::html(
                format!("{}documents.json", folder(lang)),
                format!("[{}]", store.join(",")),
                origin(),
            ));
        }
        Arc::new(out)
    });
    // The next change in this language needs its documents' analyses.
    if reused {
        for doc in &documents {
            memo.analyses.keep(|| analysis_key(doc));
        }
    }
    files
}

/// Each indexed document as the results list shows it, serialised, by ref.
fn store(
    site: &Site,
    rendered: &[std::sync::Arc<Rendered>],
    strings: &Strings,
    lang: &str,
) -> Vec<String> {
    indexed_docs(site, lang)
        .into_iter()
        .map(|id| {
            let doc = site.doc(id);
            let section = site.section(site.placement(id).section);
            let label_of = |s: &crate::site::Section| {
                s.langs
                    .get(lang)
                    .and_then(|sl| sl.index)
                    .map(|i| site.doc(i).title().to_string())
            };
            let section_label = if doc.is_section() {
                section.parent.and_then(|p| label_of(site.section(p)))
            } else {
                label_of(section)
            };
            StoredDocument {
                title: doc.title().to_string(),
                url: site.url(id),
                section: section_label,
                date: doc
                    .date
                    .as_ref()
                    .and_then(|d| strings.format_date(lang, d.date()).ok()),
                terms: term_labels(site, doc),
                excerpt: excerpt(
                    doc.front_matter
                        .description
                        .as_deref()
                        .unwrap_or(&rendered[id.0].text),
                ),
            }
        })
        .map(|entry| serde_json::to_string(&entry).unwrap_or_default())
        .collect()
}

/// What results can be narrowed by: the section, the year and each
/// taxonomy, each with its values (id, label) and the documents (by ref,
/// as differences from the one before) that have them. A kind with fewer
/// than two values is left out: there would be nothing to choose.
fn facets(site: &Site, strings: &Strings, lang: &str) -> String {
    let docs = indexed_docs(site, lang);
    let mut kinds: Vec<Facet> = Vec::new();
    let mut sections = Facet::new("section", strings.get(lang, "search_filter_section").ok());
    let mut years = Facet::new("year", strings.get(lang, "year").ok());
    let mut taxonomies: Vec<Facet> = site
        .config
        .taxonomies
        .iter()
        .map(|t| Facet {
            name: t.name.clone(),
            label: t.title.get(lang).cloned().unwrap_or_else(|| t.name.clone()),
            values: std::collections::BTreeMap::new(),
        })
        .collect();
    for (n, id) in docs.iter().enumerate() {
        let doc = site.doc(*id);
        let section = site.section(site.placement(*id).section);
        let section = if doc.is_section() {
            section.parent.map(|p| site.section(p))
        } else {
            Some(section)
        };
        // Pages at the root have no section to narrow to.
        if let Some((key, index)) = section.filter(|s| !s.dir.is_empty()).and_then(|s| {
            let index = s.langs.get(lang).and_then(|sl| sl.index)?;
            Some((s.dir.clone(), index))
        }) {
            sections.add(&key, site.doc(index).title(), n);
        }
        if let Some(date) = &doc.date {
            let year = date.date().year().to_string();
            years.add(&year, &year, n);
        }
        for facet in &mut taxonomies {
            for term in doc
                .front_matter
                .taxonomies
                .get(&facet.name)
                .into_iter()
                .flatten()
            {
                let label = site.terms.label(&facet.name, term, lang).label;
                facet.add(term, &label, n);
            }
        }
    }
    kinds.push(sections);
    kinds.push(years);
    kinds.extend(taxonomies);
    let kinds: Vec<serde_json::Value> = kinds
        .into_iter()
        .filter(|k| k.values.len() >= 2)
        .map(Facet::into_json)
        .collect();
    serde_json::to_string(&kinds).unwrap_or_default()
}

/// One kind of filter while it is gathered.
struct Facet {
    name: String,
    label: String,
    /// By id: the label and the documents, ascending.
    values: std::collections::BTreeMap<String, (String, Vec<usize>)>,
}

impl Facet {
    fn new(name: &str, label: Option<&str>) -> Self {
        Facet {
            name: name.into(),
            label: label.unwrap_or(name).to_string(),
            values: std::collections::BTreeMap::new(),
        }
    }

    fn add(&mut self, id: &str, label: &str, doc: usize) {
        let entry = self
            .values
            .entry(id.to_string())
            .or_insert_with(|| (label.to_string(), Vec::new()));
        if entry.1.last() != Some(&doc) {
            entry.1.push(doc);
        }
    }

    /// `{"name", "label", "values": [[id, label, [doc, +doc…]]…]}`, values
    /// by label (years newest first).
    fn into_json(self) -> serde_json::Value {
        let mut values: Vec<(String, String, Vec<usize>)> = self
            .values
            .into_iter()
            .map(|(id, (label, docs))| (id, label, docs))
            .collect();
        if self.name == "year" {
            values.reverse();
        } else {
            values.sort_by_key(|(_, label, _)| deunicode::deunicode(label).to_lowercase());
        }
        let values: Vec<serde_json::Value> = values
            .into_iter()
            .map(|(id, label, docs)| {
                let mut previous = 0;
                let deltas: Vec<usize> = docs
                    .iter()
                    .map(|d| {
                        let delta = d - previous;
                        previous = *d;
                        delta
                    })
                    .collect();
                serde_json::json!([id, label, deltas])
            })
            .collect();
        serde_json::json!({"name": self.name, "label": self.label, "values": values})
    }
}

/// A doc's taxonomy terms as labels in its language (« Maroc », "Morocco").
fn term_labels(site: &Site, doc: &crate::load::page::Doc) -> Vec<String> {
    doc.front_matter
        .taxonomies
        .iter()
        .flat_map(|(taxonomy, ids)| {
            ids.iter()
                .map(move |id| site.terms.label(taxonomy, id, &doc.source.lang).label)
        })
        .collect()
}

/// At most [`EXCERPT_CHARS`] characters, cut between words.
pub fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= EXCERPT_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(EXCERPT_CHARS - 1).collect();
    let at_word = cut
        .rfind(char::is_whitespace)
        .filter(|i| *i > EXCERPT_CHARS / 2)
        .unwrap_or(cut.len());
    format!(
        "{}…",
        cut[..at_word].trim_end_matches([' ', ',', ';', ':', '\u{a0}', '\u{202f}'])
    )
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_are_short_and_cut_between_words() {
        assert_eq!(excerpt("  Court.  "), "Court.");
        let long = "mot ".repeat(60);
        let e = excerpt(&long);
        assert!(e.chars().count() <= super::EXCERPT_CHARS, "{e}");
        assert!(e.ends_with("mot…"), "{e}");
    }
}
