//! What each output read while it was rendered.
//!
//! Renderers of pages reach the site only through a [`Reader`]. Each of its
//! accessors notes what it hands out as a [`Seen`] (ids of this build);
//! when the output is done, they become [`Read`]s (source paths and names,
//! which stay the same from one build to the next). Every read has a hash
//! in each build ([`Hashes`]): an output whose reads all kept their hash
//! would come out byte for byte the same, so the next build reuses it (see
//! `engine.rs`).

use std::cell::RefCell;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::hash::Hash;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Value;

use super::templates::{Templates, Vars, value_hash};
use super::{Inputs, Shared};
use crate::diagnostics::Diagnostic;
use crate::load::config::Config;
use crate::load::i18n::Strings;
use crate::load::page::Doc;
use crate::load::source::Asset;
use crate::load::taxonomy::Terms;
use crate::markdown::Rendered;
use crate::memo::{self, Key as Digest};
use crate::site::{DocId, Placement, Section, SectionId, Site, SiteRead};

/// A name that stays the same between builds: a source path, a section's
/// folder, a language, a taxonomy, a term, a template.
pub type Name = Arc<str>;

/// Something an output read, named as it is from one build to the next.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Read {
    /// A doc's own fields: its front matter (with the fields its
    /// translations share with it), name and date; not its body, which
    /// renderers see only as [`Read::Body`].
    Doc(Name),
    /// Where a doc is published: its address, section and translations.
    Placement(Name),
    /// What lists show of a doc: its summary, as templates see it.
    Summary(Name),
    /// A doc's rendered body: its HTML, summary and headings.
    Body(Name),
    /// The pages shown as related to a doc.
    Related(Name),
    /// A section (by folder): its place in the tree, and in each language
    /// its index and address.
    Section(Name),
    /// A section's pages in a language, in order.
    List { section: Name, lang: Name },
    /// Which sections there are.
    Sections,
    /// A term's pages in a language, in order (none: the term has none).
    Term(TermName),
    /// A taxonomy's terms in a language, with their counts.
    Taxonomy { taxonomy: Name, lang: Name },
    /// The labels and slugs of terms (`data/<taxonomy>.toml`).
    Labels,
    /// `site` in templates, in a language.
    SiteValues(Name),
    /// The `data/` files.
    Data,
    /// A template. Its hash is that of every template: one may extend,
    /// include or import any other.
    Template(Name),
    /// The interface texts.
    Strings,
    /// The day upcoming events are measured from.
    Today,
    /// The configuration, which every output reads.
    Settings,
    /// The files beside the content (a page's documents).
    Assets,
}

/// A term in one language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TermName {
    pub taxonomy: Name,
    pub lang: Name,
    pub term: Name,
}

/// A [`Read`] by this build's ids: cheap to note on every access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Seen<'a> {
    Doc(DocId),
    Placement(DocId),
    Summary(DocId),
    Body(DocId),
    Related(DocId),
    Section(SectionId),
    List(SectionId, &'a str),
    Sections,
    Term(&'a str, &'a str, &'a str),
    Taxonomy(&'a str, &'a str),
    Labels,
    SiteValues(&'a str),
    Data,
    Template(&'a str),
    Strings,
    Today,
    Assets,
}

/// The site as one output's renderer sees it: every value it hands out is
/// noted, when the build records reads.
pub struct Reader<'a> {
    inputs: &'a Inputs<'a>,
    shared: &'a Shared,
    seen: Option<RefCell<Vec<Seen<'a>>>>,
}

impl<'a> Reader<'a> {
    /// A reader for one output; it notes what it hands out if `record`.
    pub fn new(inputs: &'a Inputs<'a>, shared: &'a Shared, record: bool) -> Self {
        Reader {
            inputs,
            shared,
            seen: record.then(|| RefCell::new(Vec::new())),
        }
    }

    /// A reader that notes, from here on, what this one has noted so far
    /// (for the pages of a list, which share their context).
    pub fn fork(&self) -> Self {
        Reader {
            inputs: self.inputs,
            shared: self.shared,
            seen: self.seen.as_ref().map(|s| RefCell::new(s.borrow().clone())),
        }
    }

    /// Notes what `other`, a fork of this reader, noted.
    pub fn absorb(&self, other: Reader<'a>) {
        if let (Some(mine), Some(theirs)) = (&self.seen, other.seen) {
            mine.borrow_mut().extend(theirs.into_inner());
        }
    }

    fn note(&self, seen: Seen<'a>) {
        if let Some(list) = &self.seen {
            list.borrow_mut().push(seen);
        }
    }

    /// What was read, named for the next build (empty when not recording).
    pub fn reads(self, names: &Names) -> Vec<Read> {
        let Some(seen) = self.seen else {
            return Vec::new();
        };
        let mut seen = seen.into_inner();
        seen.sort_unstable();
        seen.dedup();
        let mut reads: Vec<Read> = seen.iter().map(|s| names.read(s)).collect();
        reads.push(Read::Settings);
        reads
    }

    /// What lists show of a doc.
    pub fn summary(&self, id: DocId) -> Value {
        self.note(Seen::Summary(id));
        self.shared.summaries[id.0].0.clone()
    }

    /// A doc's rendered body.
    pub fn body(&self, id: DocId) -> &'a Rendered {
        self.note(Seen::Body(id));
        &self.inputs.rendered[id.0]
    }

    /// The pages a doc's page shows as related.
    pub fn related(&self, id: DocId) -> &'a [DocId] {
        self.note(Seen::Related(id));
        &self.shared.related[id.0]
    }

    /// `site` in templates, in `lang`.
    pub fn site_value(&self, lang: &'a str) -> Value {
        self.note(Seen::SiteValues(lang));
        self.shared.site_by_lang[lang].clone()
    }

    /// `site` in templates, in every language, by code.
    pub fn site_values(&self) -> &'a BTreeMap<String, Value> {
        for lang in self.shared.site_by_lang.keys() {
            self.note(Seen::SiteValues(lang));
        }
        &self.shared.site_by_lang
    }

    /// Where share cards are drawn (keyed by what they show: no read).
    pub fn pictures(&self) -> &'a crate::pictures::Pictures {
        self.inputs.pictures
    }

    /// The `data/` files, for templates.
    pub fn data(&self) -> Value {
        self.note(Seen::Data);
        self.shared.data.clone()
    }

    /// The day upcoming events are measured from.
    pub fn today(&self) -> jiff::civil::Date {
        self.note(Seen::Today);
        self.inputs.today
    }

    /// The interface texts.
    pub fn strings(&self) -> &'a Strings {
        self.note(Seen::Strings);
        &self.inputs.templates.strings
    }

    /// The files beside the content.
    pub fn assets(&self) -> &'a [Asset] {
        self.note(Seen::Assets);
        &self.inputs.site.assets
    }

    /// Whether a template of this name exists.
    pub fn has_template(&self, name: &'a str) -> bool {
        self.note(Seen::Template(name));
        self.inputs.templates.has(name)
    }

    /// Renders template `name` with `vars`.
    pub fn render(&self, name: &'a str, vars: &Vars) -> Result<String, Diagnostic> {
        self.note(Seen::Template(name));
        // Templates call `trans` and format dates with the interface texts.
        self.note(Seen::Strings);
        self.inputs
            .templates
            .render(name, vars, self.inputs.timings)
    }
}

impl<'a> SiteRead<'a> for Reader<'a> {
    fn config(&self) -> &'a Config {
        &self.inputs.site.config
    }

    fn doc(&self, id: DocId) -> &'a Doc {
        self.note(Seen::Doc(id));
        self.inputs.site.doc(id)
    }

    fn placement(&self, id: DocId) -> &'a Placement {
        self.note(Seen::Placement(id));
        self.inputs.site.placement(id)
    }

    fn section(&self, id: SectionId) -> &'a Section {
        self.note(Seen::Section(id));
        self.inputs.site.section(id)
    }

    fn section_by_dir(&self, dir: &str) -> Option<SectionId> {
        self.note(Seen::Sections);
        self.inputs.site.section_by_dir(dir)
    }

    fn list(&self, section: SectionId, lang: &'a str) -> &'a [DocId] {
        self.note(Seen::List(section, lang));
        self.inputs.site.list(section, lang)
    }

    fn term_pages(&self, taxonomy: &'a str, lang: &'a str) -> &'a BTreeMap<String, Vec<DocId>> {
        self.note(Seen::Taxonomy(taxonomy, lang));
        self.inputs.site.term_pages(taxonomy, lang)
    }

    fn term(&self, taxonomy: &'a str, term: &'a str, lang: &'a str) -> Option<&'a [DocId]> {
        self.note(Seen::Term(taxonomy, lang, term));
        self.inputs.site.term(taxonomy, term, lang)
    }

    fn terms(&self) -> &'a Terms {
        self.note(Seen::Labels);
        &self.inputs.site.terms
    }
}

/// This build's names of docs and sections, made once and shared by
/// every output's reads.
pub struct Names {
    docs: Vec<Name>,
    sections: Vec<Name>,
    /// Languages, taxonomies, terms and templates, by their text.
    words: std::sync::Mutex<HashMap<String, Name>>,
}

impl Names {
    pub fn new(site: &Site) -> Self {
        Names {
            docs: site
                .docs
                .iter()
                .map(|d| Name::from(d.source.rel_path.as_str()))
                .collect(),
            sections: site
                .sections
                .iter()
                .map(|s| Name::from(s.dir.as_str()))
                .collect(),
            words: Default::default(),
        }
    }

    fn doc(&self, id: DocId) -> Name {
        Arc::clone(&self.docs[id.0])
    }

    fn word(&self, text: &str) -> Name {
        let Ok(mut words) = self.words.lock() else {
            return Name::from(text);
        };
        if let Some(name) = words.get(text) {
            return Arc::clone(name);
        }
        let name = Name::from(text);
        words.insert(text.to_string(), Arc::clone(&name));
        name
    }

    fn read(&self, seen: &Seen) -> Read {
        match *seen {
            Seen::Doc(id) => Read::Doc(self.doc(id)),
            Seen::Placement(id) => Read::Placement(self.doc(id)),
            Seen::Summary(id) => Read::Summary(self.doc(id)),
            Seen::Body(id) => Read::Body(self.doc(id)),
            Seen::Related(id) => Read::Related(self.doc(id)),
            Seen::Section(id) => Read::Section(Arc::clone(&self.sections[id.0])),
            Seen::List(id, lang) => Read::List {
                section: Arc::clone(&self.sections[id.0]),
                lang: self.word(lang),
            },
            Seen::Sections => Read::Sections,
            Seen::Term(taxonomy, lang, term) => Read::Term(TermName {
                taxonomy: self.word(taxonomy),
                lang: self.word(lang),
                term: self.word(term),
            }),
            Seen::Taxonomy(taxonomy, lang) => Read::Taxonomy {
                taxonomy: self.word(taxonomy),
                lang: self.word(lang),
            },
            Seen::Labels => Read::Labels,
            Seen::SiteValues(lang) => Read::SiteValues(self.word(lang)),
            Seen::Data => Read::Data,
            Seen::Template(name) => Read::Template(self.word(name)),
            Seen::Strings => Read::Strings,
            Seen::Today => Read::Today,
            Seen::Assets => Read::Assets,
        }
    }
}

/// The hash of every read in one build.
pub struct Hashes {
    /// By source path: (doc, placement, summary, body, related).
    docs: HashMap<Name, [Digest; 5]>,
    sections: HashMap<Name, Digest>,
    lists: HashMap<(Name, Name), Digest>,
    sections_all: Digest,
    taxonomies: HashMap<(Name, Name), Digest>,
    terms: HashMap<TermName, Digest>,
    labels: Digest,
    site_values: HashMap<Name, Digest>,
    data: Digest,
    templates: Digest,
    strings: Digest,
    today: Digest,
    settings: Digest,
    assets: Digest,
}

/// What [`Hashes::new`] reads.
pub struct Hashed<'a> {
    pub site: &'a Site,
    pub rendered: &'a [std::sync::Arc<Rendered>],
    pub shared: &'a Shared,
    pub templates: &'a Templates,
    pub data: &'a serde_json::Value,
    pub today: jiff::civil::Date,
    pub names: &'a Names,
}

impl Hashes {
    pub fn new(from: &Hashed) -> Hashes {
        let site = from.site;
        // A doc's own fields come from its path and front matter.
        let texts: Vec<Digest> = site.docs.iter().map(|d| d.front_hash).collect();
        let docs = site
            .doc_ids()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|id| {
                let placement = site.placement(id);
                // Its translations' texts: it inherits their shared fields.
                let translations = &placement.translations;
                let mut doc = memo::hasher();
                texts[id.0].hash(&mut doc);
                translations.iter().for_each(|t| texts[t.0].hash(&mut doc));
                let mut place = memo::hasher();
                (&placement.url_path, &site.section(placement.section).dir).hash(&mut place);
                let paths = translations.iter().map(|t| site.doc(*t).path_hash);
                paths.for_each(|p| p.hash(&mut place));
                let summary = from.shared.summaries[id.0].1;
                let body = from.rendered[id.0].digest();
                let mut related = memo::hasher();
                let paths = from.shared.related[id.0].iter();
                paths.for_each(|r| site.doc(*r).path_hash.hash(&mut related));
                (
                    from.names.doc(id),
                    [doc.key(), place.key(), summary, body, related.key()],
                )
            })
            .collect();
        // Docs by the hash of their path: the same from one build to the next.
        let path = |id: &DocId| site.doc(*id).path_hash;
        let mut sections = HashMap::default();
        let mut lists = HashMap::default();
        for (i, s) in site.sections.iter().enumerate() {
            let dir = &from.names.sections[i];
            let langs: Vec<_> = s
                .langs
                .iter()
                .map(|(lang, sl)| {
                    (
                        lang,
                        sl.index.as_ref().map(path),
                        &sl.url_path,
                        sl.paginate_by,
                    )
                })
                .collect();
            let children: Vec<&str> = s
                .children
                .iter()
                .map(|c| site.section(*c).dir.as_str())
                .collect();
            let parent = s.parent.map(|p| site.section(p).dir.as_str());
            sections.insert(Arc::clone(dir), memo::key_of(&(parent, children, langs)));
            for lang in s.langs.keys() {
                let pages: Vec<Digest> = site.list(SectionId(i), lang).iter().map(path).collect();
                lists.insert(
                    (Arc::clone(dir), from.names.word(lang)),
                    memo::key_of(&pages),
                );
            }
        }
        let mut taxonomies = HashMap::default();
        let mut terms = HashMap::default();
        for ((taxonomy, lang), by_term) in site.term_pages.iter() {
            let (taxonomy, lang) = (from.names.word(taxonomy), from.names.word(lang));
            let counts: Vec<(&String, usize)> =
                by_term.iter().map(|(t, pages)| (t, pages.len())).collect();
            taxonomies.insert(
                (Arc::clone(&taxonomy), Arc::clone(&lang)),
                memo::key_of(&counts),
            );
            for (term, pages) in by_term {
                let name = TermName {
                    taxonomy: Arc::clone(&taxonomy),
                    lang: Arc::clone(&lang),
                    term: from.names.word(term),
                };
                terms.insert(
                    name,
                    memo::key_of(&pages.iter().map(path).collect::<Vec<_>>()),
                );
            }
        }
        let site_values = from
            .shared
            .site_by_lang
            .iter()
            .map(|(lang, value)| (from.names.word(lang), value_hash(value)))
            .collect();
        let assets: Vec<(&str, Option<u64>)> = site
            .assets
            .iter()
            .map(|a| {
                let size = std::fs::metadata(&a.abs_path).ok().map(|m| m.len());
                (a.rel_path.as_str(), size)
            })
            .collect();
        Hashes {
            docs,
            sections,
            lists,
            sections_all: memo::key_of(&site.section_by_dir.keys().collect::<Vec<_>>()),
            taxonomies,
            terms,
            labels: memo::key_of(&format!("{:?}", site.terms)),
            site_values,
            data: memo::key_of(&from.data.to_string()),
            templates: from.templates.digest(),
            strings: memo::key_of(&format!("{:?}", from.templates.strings)),
            today: memo::key_of(&from.today.to_string()),
            settings: memo::key_of(&format!("{:?}", site.config)),
            assets: memo::key_of(&assets),
        }
    }

    /// The read's hash in this build; none for a read of something that is
    /// gone (a doc, section or term).
    pub fn get(&self, read: &Read) -> Option<Digest> {
        let doc = |name: &Name, part: usize| self.docs.get(name).map(|d| d[part]);
        match read {
            Read::Doc(name) => doc(name, 0),
            Read::Placement(name) => doc(name, 1),
            Read::Summary(name) => doc(name, 2),
            Read::Body(name) => doc(name, 3),
            Read::Related(name) => doc(name, 4),
            Read::Section(dir) => self.sections.get(dir).copied(),
            Read::List { section, lang } => self
                .lists
                .get(&(Arc::clone(section), Arc::clone(lang)))
                .copied(),
            Read::Sections => Some(self.sections_all),
            Read::Term(term) => Some(self.terms.get(term).copied().unwrap_or(0)),
            Read::Taxonomy { taxonomy, lang } => Some(
                self.taxonomies
                    .get(&(Arc::clone(taxonomy), Arc::clone(lang)))
                    .copied()
                    .unwrap_or(0),
            ),
            Read::Labels => Some(self.labels),
            Read::SiteValues(lang) => self.site_values.get(lang).copied(),
            Read::Data => Some(self.data),
            Read::Template(_) => Some(self.templates),
            Read::Strings => Some(self.strings),
            Read::Today => Some(self.today),
            Read::Settings => Some(self.settings),
            Read::Assets => Some(self.assets),
        }
    }
}
