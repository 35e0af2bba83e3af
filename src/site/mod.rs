//! Stage `assemble`: parsed docs become an immutable [`Site`] — sections
//! tree, URLs per language, translation groups, sorted page lists — with the
//! checks that need the whole site (slugs, duplicate URLs).

use std::collections::{BTreeMap, BTreeSet};

pub mod pairs;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::{Config, SlugSource, SortBy, Untranslated};
use crate::load::front_matter::FieldValue;
use crate::load::page::Doc;
use crate::load::slug::{MAX_SLUG_LEN, slug_problem, slugify};
use crate::load::source::Asset;
use crate::load::taxonomy::Terms;

use rayon::prelude::*;
use std::sync::Arc;

/// Index of a doc in [`Site::docs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub usize);

/// Index of a section in [`Site::sections`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SectionId(pub usize);

/// Where a doc is published and what it relates to.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Path below the site root, ending with `/` (`fr/actualites/reunion/`).
    pub url_path: String,
    pub section: SectionId,
    /// The same content in the other languages, in configured language order.
    pub translations: Vec<DocId>,
}

/// A section in one language.
#[derive(Debug, Clone)]
pub struct SectionLang {
    pub index: Option<DocId>,
    pub url_path: String,
    /// Sorted as the section asks. Read through [`SiteRead::list`], which
    /// renderers record apart from the rest of the section.
    pages: Vec<DocId>,
    pub paginate_by: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Content-relative folder (`` for the home).
    pub dir: String,
    pub parent: Option<SectionId>,
    pub children: Vec<SectionId>,
    /// Keyed by language code; every configured language is present.
    pub langs: BTreeMap<String, SectionLang>,
}

/// Identifies a doc for `@/` links: translation key, whether it is a
/// section's `_index`, language. Ordered by key first, so that a doc's
/// versions stand side by side.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LookupKey {
    /// The doc's translation key (`news/reunion`; a section's folder).
    pub key: String,
    /// Whether it is a section's own page (`_index`).
    pub section: bool,
    pub lang: String,
}

impl LookupKey {
    pub fn new(key: &str, section: bool, lang: &str) -> Self {
        LookupKey {
            key: key.to_string(),
            section,
            lang: lang.to_string(),
        }
    }

    /// The lookup key of a doc.
    pub fn of(doc: &Doc) -> Self {
        Self::new(&doc.source.key, doc.is_section(), &doc.source.lang)
    }
}

/// The whole site, immutable once assembled.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Sorted by source path.
    pub docs: Vec<Arc<Doc>>,
    /// Parallel to `docs`. This and what follows, but `assets` and `terms`,
    /// is the site's shape: shared (`Arc`) with the build before when the
    /// docs' front matter is as it was (see [`Shape`]).
    pub placements: Arc<Vec<Placement>>,
    pub sections: Arc<Vec<Section>>,
    pub lookup: Arc<BTreeMap<LookupKey, DocId>>,
    /// Section by content-relative folder.
    pub section_by_dir: Arc<BTreeMap<String, SectionId>>,
    pub assets: Vec<Asset>,
    pub terms: Terms,
    /// (taxonomy, language) → term → its pages in that language, newest first.
    pub term_pages: Arc<TermPages>,
    /// Each doc's title folded for sorting (parallel to `docs`).
    pub folded: Arc<Vec<String>>,
    /// Translation files with nothing in them, left out (for a warning).
    pub blank: Vec<String>,
}

/// The parts of a [`Site`] its shape decides. A site whose docs are the
/// same files with the same front matter (and the same drafts, which share
/// fields) has the same sections, addresses, lists and terms, whatever
/// their bodies say: `serve` keeps the shape from one build to the next.
#[derive(Clone)]
pub struct Shape {
    placements: Arc<Vec<Placement>>,
    sections: Arc<Vec<Section>>,
    lookup: Arc<BTreeMap<LookupKey, DocId>>,
    section_by_dir: Arc<BTreeMap<String, SectionId>>,
    term_pages: Arc<TermPages>,
    folded: Arc<Vec<String>>,
}

/// What decides a site's shape: each file's path and front matter, the
/// drafts' too, the section folders and the files beside the content.
fn shape_key(
    docs: &[Arc<Doc>],
    drafts: &[Arc<Doc>],
    section_dirs: &BTreeSet<String>,
    assets: &[Asset],
) -> crate::memo::Key {
    let fronts = |docs: &[Arc<Doc>]| -> Vec<crate::memo::Key> {
        docs.iter().map(|d| d.front_hash).collect()
    };
    let assets: Vec<&str> = assets.iter().map(|a| a.rel_path.as_str()).collect();
    crate::memo::key_of(&(fronts(docs), fronts(drafts), section_dirs, assets))
}

/// Assembles the site from parsed docs.
pub fn assemble(
    config: Config,
    docs: Vec<Arc<Doc>>,
    section_dirs: &BTreeSet<String>,
    assets: Vec<Asset>,
    terms: Terms,
) -> Result<Site, Diagnostics> {
    let shapes = crate::memo::Recall::off();
    let reuse = Reuse {
        shapes: &shapes,
        before: None,
    };
    assemble_reusing(config, docs, &[], section_dirs, assets, terms, reuse)
}

/// What assembly may take from the builds before.
pub struct Reuse<'a> {
    /// Shapes, by what decides them.
    pub shapes: &'a crate::memo::Recall<Shape>,
    /// The site of the build before.
    pub before: Option<&'a Site>,
}

/// [`assemble`], taking the shape from `reuse` when the docs' front
/// matter is as it was (`drafts`: those left out, which share fields too).
/// A shape worked out anew keeps the placements of the site before when
/// they are the same (a new title, say, moves no page), so that later
/// stages see the addresses did not change (see [`Unchanged`]).
pub fn assemble_reusing(
    config: Config,
    mut docs: Vec<Arc<Doc>>,
    drafts: &[Arc<Doc>],
    section_dirs: &BTreeSet<String>,
    assets: Vec<Asset>,
    terms: Terms,
    reuse: Reuse,
) -> Result<Site, Diagnostics> {
    docs.sort_by(|a, b| a.source.rel_path.cmp(&b.source.rel_path));
    let shape = reuse.shapes.get_or_try(
        || shape_key(&docs, drafts, section_dirs, &assets),
        || {
            let mut shape = shape(&config, &docs, section_dirs)?;
            if let Some(before) = reuse.before.filter(|b| b.placements == shape.placements) {
                shape.placements = Arc::clone(&before.placements);
            }
            Ok::<_, Diagnostics>(shape)
        },
    )?;
    Ok(Site {
        config,
        docs,
        placements: shape.placements,
        sections: shape.sections,
        lookup: shape.lookup,
        section_by_dir: shape.section_by_dir,
        assets,
        terms,
        term_pages: shape.term_pages,
        folded: shape.folded,
        blank: (drafts.iter())
            .filter(|d| d.front_matter.blank)
            .map(|d| d.source.rel_path.clone())
            .collect(),
    })
}

impl Site {
    pub fn doc(&self, id: DocId) -> &Doc {
        &self.docs[id.0]
    }

    pub fn placement(&self, id: DocId) -> &Placement {
        &self.placements[id.0]
    }

    pub fn section(&self, id: SectionId) -> &Section {
        &self.sections[id.0]
    }

    pub fn doc_ids(&self) -> impl Iterator<Item = DocId> + '_ {
        (0..self.docs.len()).map(DocId)
    }

    pub fn root_section(&self) -> SectionId {
        SectionId(0)
    }
}

/// How a site's docs compare with those of the build before, when they
/// are the same files in the same order: which are the very same docs,
/// and whether the site has the same shape (the same placements, hence
/// the same addresses and links). Stages take the results of docs that
/// are the same, on a site of the same shape, from that build without
/// looking at them: after a pause, touching every doc of a large site
/// costs more than the rest of a rebuild.
pub struct Unchanged {
    /// By doc: the doc is the one of the build before.
    same: Vec<bool>,
    /// By doc: it or one of its translations is not.
    touched: Vec<bool>,
    shaped: bool,
}

impl Unchanged {
    pub fn of(before: &Site, site: &Site) -> Option<Self> {
        if before.docs.len() != site.docs.len() {
            return None;
        }
        let same: Vec<bool> = (site.docs.iter().zip(&before.docs))
            .map(|(now, then)| Arc::ptr_eq(now, then))
            .collect();
        let mut touched: Vec<bool> = same.iter().map(|same| !same).collect();
        for id in site.doc_ids().filter(|id| !same[id.0]) {
            if site.doc(id).source.rel_path != before.doc(id).source.rel_path {
                return None;
            }
            for t in &site.placement(id).translations {
                touched[t.0] = true;
            }
        }
        Some(Unchanged {
            same,
            touched,
            shaped: Arc::ptr_eq(&before.placements, &site.placements),
        })
    }

    /// Whether the site has the shape of the build before.
    pub fn shaped(&self) -> bool {
        self.shaped
    }

    /// Whether the doc is the one of the build before.
    pub fn same(&self, id: DocId) -> bool {
        self.same[id.0]
    }

    /// Whether neither the doc nor its translations changed.
    pub fn untouched(&self, id: DocId) -> bool {
        !self.touched[id.0]
    }

    /// How many docs are not what they were.
    pub fn changed(&self) -> usize {
        self.same.iter().filter(|same| !**same).count()
    }

    /// How many docs are not what they were or have a translation that is not.
    pub fn touched(&self) -> usize {
        self.touched.iter().filter(|touched| **touched).count()
    }
}

/// How stages read the assembled site. Renderers of pages read it through
/// `render::reads::Reader`, which notes what they read; the paths and
/// links every reader needs are worked out here, once.
pub trait SiteRead<'a> {
    fn config(&self) -> &'a Config;
    fn doc(&self, id: DocId) -> &'a Doc;
    fn placement(&self, id: DocId) -> &'a Placement;
    fn section(&self, id: SectionId) -> &'a Section;
    /// The section in a content-relative folder.
    fn section_by_dir(&self, dir: &str) -> Option<SectionId>;
    /// A section's pages in a language, sorted as the section asks.
    fn list(&self, section: SectionId, lang: &'a str) -> &'a [DocId];
    /// A taxonomy's terms in a language, each with its pages.
    fn term_pages(&self, taxonomy: &'a str, lang: &'a str) -> &'a BTreeMap<String, Vec<DocId>>;
    /// A term's pages in a language, if it has any.
    fn term(&self, taxonomy: &'a str, term: &'a str, lang: &'a str) -> Option<&'a [DocId]>;
    /// The labels and slugs of terms.
    fn terms(&self) -> &'a Terms;

    /// Root-relative URL including the base path (`/portal/fr/…`).
    fn url(&self, id: DocId) -> String {
        self.config().url_of(&self.placement(id).url_path)
    }

    /// Absolute URL.
    fn permalink(&self, id: DocId) -> String {
        format!("{}{}", self.config().base_url, self.placement(id).url_path)
    }

    /// Path of a taxonomy's list page below the site root (`fr/pays/`).
    fn taxonomy_path(&self, taxonomy: &str, lang: &str) -> Option<String> {
        let config = self.config();
        let t = config.taxonomy(taxonomy)?;
        Some(format!(
            "{}{}/",
            config.language_prefix(lang),
            t.slug.get(lang)?
        ))
    }

    /// Path of a term's page (`fr/pays/maroc/`), when it has pages in `lang`.
    fn term_path(&self, taxonomy: &'a str, term: &'a str, lang: &'a str) -> Option<String> {
        self.term(taxonomy, term, lang)?;
        Some(format!(
            "{}{}/",
            self.taxonomy_path(taxonomy, lang)?,
            self.terms().label(taxonomy, term, lang).slug
        ))
    }

    /// A doc and its real translations, in configured language order, and
    /// the `x-default` URL: the language chooser for the homes when `/` is
    /// one, else the first version in configured order.
    fn alternates(&self, id: DocId) -> (Vec<DocId>, String) {
        let config = self.config();
        let mut group = vec![id];
        group.extend(&self.placement(id).translations);
        group.sort_by_key(|d| {
            config
                .language_codes()
                .position(|l| l == self.doc(*d).source.lang)
        });
        let doc = self.doc(id);
        let is_home = doc.is_section() && doc.source.key.is_empty();
        // The first version in configured order (the default language's
        // when it exists), so every member of the group names the same one.
        let x_default = if is_home && config.root == crate::load::config::RootMode::Chooser {
            config.base_url.clone()
        } else {
            self.permalink(group[0])
        };
        (group, x_default)
    }
}

impl<'a> SiteRead<'a> for &'a Site {
    fn config(&self) -> &'a Config {
        &self.config
    }

    fn doc(&self, id: DocId) -> &'a Doc {
        &self.docs[id.0]
    }

    fn placement(&self, id: DocId) -> &'a Placement {
        &self.placements[id.0]
    }

    fn section(&self, id: SectionId) -> &'a Section {
        &self.sections[id.0]
    }

    fn section_by_dir(&self, dir: &str) -> Option<SectionId> {
        self.section_by_dir.get(dir).copied()
    }

    fn list(&self, section: SectionId, lang: &'a str) -> &'a [DocId] {
        self.sections[section.0]
            .langs
            .get(lang)
            .map_or(&[], |sl| sl.pages.as_slice())
    }

    fn term_pages(&self, taxonomy: &'a str, lang: &'a str) -> &'a BTreeMap<String, Vec<DocId>> {
        static NONE: BTreeMap<String, Vec<DocId>> = BTreeMap::new();
        self.term_pages
            .get(&(taxonomy.to_string(), lang.to_string()))
            .unwrap_or(&NONE)
    }

    fn term(&self, taxonomy: &'a str, term: &'a str, lang: &'a str) -> Option<&'a [DocId]> {
        self.term_pages
            .get(&(taxonomy.to_string(), lang.to_string()))?
            .get(term)
            .map(Vec::as_slice)
    }

    fn terms(&self) -> &'a Terms {
        &self.terms
    }
}

/// The pages of each term, per taxonomy and language, newest first.
pub type TermPages = BTreeMap<(String, String), BTreeMap<String, Vec<DocId>>>;

/// Sections, addresses, translations, sorted lists and terms of `docs`
/// (sorted by path), with the checks that need the whole site.
fn shape(
    config: &Config,
    docs: &[Arc<Doc>],
    section_dirs: &BTreeSet<String>,
) -> Result<Shape, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut lookup = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        // Names are unique; a `translation_key` may name a taken version.
        if let Some(first) = lookup.insert(LookupKey::of(doc), DocId(i)) {
            let first = &docs[first.0].source.rel_path;
            diagnostics.push(
                Diagnostic::error(msg!(
                    "site.same_version",
                    first,
                    second = &doc.source.rel_path,
                    lang = &doc.source.lang
                ))
                .in_file(doc.source.rel_path.clone())
                .with_help(msg!("site.same_version_help")),
            );
        }
    }

    // Sections, parents before children (BTreeSet order puts `a` before `a/b`).
    let section_of_dir: BTreeMap<&str, SectionId> = section_dirs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.as_str(), SectionId(i)))
        .collect();
    let mut sections = section_tree(&section_of_dir, &lookup, docs, config, &mut diagnostics);
    let mut placements = place(docs, &sections, &section_of_dir, config, &mut diagnostics);
    link_translations(config, &lookup, &mut placements);
    check_duplicate_urls(docs, &placements, config, &mut diagnostics);
    let folded = fill_lists(docs, &placements, &mut sections, config);
    check_homes(&sections, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let term_pages = collect_term_pages(config, docs, &placements, &folded);
    let section_by_dir = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.clone(), SectionId(i)))
        .collect();
    Ok(Shape {
        placements: Arc::new(placements),
        sections: Arc::new(sections),
        lookup: Arc::new(lookup),
        section_by_dir: Arc::new(section_by_dir),
        term_pages: Arc::new(term_pages),
        folded: Arc::new(folded),
    })
}

/// The sections, parents first, with each language's URL and settings.
fn section_tree(
    section_of_dir: &BTreeMap<&str, SectionId>,
    lookup: &BTreeMap<LookupKey, DocId>,
    docs: &[Arc<Doc>],
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::with_capacity(section_of_dir.len());
    for dir in section_of_dir.keys() {
        let parent = parent_section(dir, section_of_dir);
        let mut langs = BTreeMap::new();
        for lang in config.language_codes() {
            let index = lookup.get(&LookupKey::new(dir, true, lang)).copied();
            let segment = match index {
                Some(id) => doc_slug(&docs[id.0], config, diagnostics),
                None => folder_slug(dir),
            };
            if segment.is_empty() && parent.is_some() && index.is_none() {
                diagnostics.push(
                    Diagnostic::error(msg!("site.folder_segment", lang))
                        .in_file(format!("content/{dir}"))
                        .with_help(msg!("site.folder_segment_help", dir, lang)),
                );
            }
            let url_path = match parent {
                None => config.language_prefix(lang),
                Some(p) => format!("{}{segment}/", sections[p.0].langs[lang].url_path),
            };
            let settings = config.section(dir);
            let fm = index.map(|id| &docs[id.0].front_matter);
            langs.insert(
                lang.to_string(),
                SectionLang {
                    index,
                    url_path,
                    pages: Vec::new(),
                    paginate_by: fm
                        .and_then(|f| f.paginate_by)
                        .or_else(|| settings.and_then(|s| s.paginate_by)),
                },
            );
        }
        if let Some(p) = parent {
            let id = SectionId(sections.len());
            sections[p.0].children.push(id);
        }
        sections.push(Section {
            dir: dir.to_string(),
            parent,
            children: Vec::new(),
            langs,
        });
    }
    sections
}

/// Each doc's URL and section, in parallel (slugs take the most time);
/// `urls` are those known already.
fn place(
    docs: &[Arc<Doc>],
    sections: &[Section],
    section_of_dir: &BTreeMap<&str, SectionId>,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Vec<Placement> {
    let placed: Vec<(Placement, Diagnostics)> = docs
        .par_iter()
        .map(|doc| {
            let mut problems = Diagnostics::new();
            let section = section_of_dir
                .get(doc.source.section_dir.as_str())
                .copied()
                .unwrap_or(SectionId(0));
            let section_lang = &sections[section.0].langs[&doc.source.lang];
            let url_path = if doc.is_section() {
                section_lang.url_path.clone()
            } else {
                format!(
                    "{}{}/",
                    section_lang.url_path,
                    doc_slug(doc, config, &mut problems)
                )
            };
            let placement = Placement {
                url_path,
                section,
                translations: Vec::new(),
            };
            (placement, problems)
        })
        .collect();
    let mut placements = Vec::with_capacity(docs.len());
    for (placement, problems) in placed {
        diagnostics.extend(problems.into_sorted());
        placements.push(placement);
    }
    placements
}

/// Each section's page lists per language, sorted; gives the titles
/// folded for sorting.
fn fill_lists(
    docs: &[Arc<Doc>],
    placements: &[Placement],
    sections: &mut [Section],
    config: &Config,
) -> Vec<String> {
    for (i, doc) in docs.iter().enumerate() {
        if !doc.is_section() {
            let section = placements[i].section;
            if let Some(sl) = sections[section.0].langs.get_mut(&doc.source.lang) {
                sl.pages.push(DocId(i));
            }
        }
    }
    // Titles folded once per doc, not once per list that holds it (a page
    // is in its section's list and in each of its terms').
    let folded: Vec<String> = docs.par_iter().map(|doc| fold_title(doc)).collect();
    for section in sections.iter_mut() {
        add_untranslated_pages(section, config, docs);
        sort_section(section, config, docs, placements, &folded);
    }
    folded
}

/// Every language needs its home: the chooser, switchers and alternates
/// link it.
fn check_homes(sections: &[Section], diagnostics: &mut Diagnostics) {
    let Some(root) = sections.first() else {
        return;
    };
    for (lang, sl) in &root.langs {
        if sl.index.is_none() {
            let file = format!("content/_index.{lang}.md");
            diagnostics.push(
                Diagnostic::error(msg!("site.no_home", lang))
                    .in_file(file.clone())
                    .with_help(msg!("site.no_home_help", file = &file, lang)),
            );
        }
    }
}

/// The pages of each term, per taxonomy and language, newest first.
fn collect_term_pages(
    config: &Config,
    docs: &[Arc<Doc>],
    placements: &[Placement],
    folded: &[String],
) -> TermPages {
    let mut out: BTreeMap<(String, String), BTreeMap<String, Vec<DocId>>> = BTreeMap::new();
    for taxonomy in &config.taxonomies {
        for lang in config.language_codes() {
            out.insert((taxonomy.name.clone(), lang.to_string()), BTreeMap::new());
        }
    }
    for (i, doc) in docs.iter().enumerate().filter(|(_, d)| !d.is_section()) {
        for (taxonomy, terms) in &doc.front_matter.taxonomies {
            if let Some(by_term) = out.get_mut(&(taxonomy.clone(), doc.source.lang.clone())) {
                for term in terms {
                    // Most terms are met before: no key to copy.
                    let pages = match by_term.get_mut(term) {
                        Some(pages) => pages,
                        None => by_term.entry(term.clone()).or_default(),
                    };
                    if pages.last() != Some(&DocId(i)) {
                        pages.push(DocId(i));
                    }
                }
            }
        }
    }
    let mut lists: Vec<&mut Vec<DocId>> = out.values_mut().flat_map(|t| t.values_mut()).collect();
    lists.par_iter_mut().for_each(|pages| {
        sort_pages(pages, &SortBy::Date, docs, placements, folded);
    });
    out
}

/// For languages whose policy is `untranslated = "show"`, lists also hold
/// the pages of the section that have no version in that language — the
/// version in the first language (in configured order) that has one.
fn add_untranslated_pages(section: &mut Section, config: &Config, docs: &[Arc<Doc>]) {
    let own: BTreeMap<String, Vec<DocId>> = section
        .langs
        .iter()
        .map(|(lang, sl)| (lang.clone(), sl.pages.clone()))
        .collect();
    for language in config
        .languages
        .iter()
        .filter(|l| l.untranslated == Untranslated::Show)
    {
        let mut present: BTreeSet<&str> = own[&language.code]
            .iter()
            .map(|id| docs[id.0].source.key.as_str())
            .collect();
        let mut added = Vec::new();
        for other in config.language_codes().filter(|l| *l != language.code) {
            for id in &own[other] {
                if present.insert(&docs[id.0].source.key) {
                    added.push(*id);
                }
            }
        }
        if let Some(sl) = section.langs.get_mut(&language.code) {
            sl.pages.extend(added);
        }
    }
}

fn parent_section(dir: &str, sections: &BTreeMap<&str, SectionId>) -> Option<SectionId> {
    if dir.is_empty() {
        return None;
    }
    let mut current = dir;
    loop {
        current = current.rsplit_once('/').map_or("", |(p, _)| p);
        if let Some(id) = sections.get(current) {
            return Some(*id);
        }
        if current.is_empty() {
            return Some(SectionId(0));
        }
    }
}

/// The URL segment of a section folder that has no `_index` in a language.
fn folder_slug(dir: &str) -> String {
    let name = dir.rsplit('/').next().unwrap_or(dir);
    slugify(crate::load::dates::split_date_prefix(name).map_or(name, |(_, rest)| rest))
}

/// The URL segment of a doc: its `slug`, else its name or title.
fn doc_slug(doc: &Doc, config: &Config, diagnostics: &mut Diagnostics) -> String {
    if let Some((slug, spot)) = &doc.front_matter.slug {
        if let Some(problem) = slug_problem(slug) {
            diagnostics.push(
                Diagnostic::error(msg!("site.invalid_slug", slug, problem))
                    .at_span(doc.source.rel_path.clone(), &doc.text, spot.span.clone())
                    .with_help(msg!("site.invalid_slug_help")),
            );
            return "invalid-slug".to_string();
        }
        let slug = slugify(slug);
        if slug.len() > MAX_SLUG_LEN {
            diagnostics.push(
                Diagnostic::error(msg!(
                    "site.long_slug",
                    length = slug.len(),
                    max = MAX_SLUG_LEN
                ))
                .at_span(doc.source.rel_path.clone(), &doc.text, spot.span.clone())
                .with_help(msg!("site.long_slug_help")),
            );
            return "invalid-slug".to_string();
        }
        return slug;
    }
    let from_name = slugify(doc.undated_name());
    let slug = match config.slugs_from {
        SlugSource::Title if !doc.is_section() => slugify(doc.title()),
        _ => from_name,
    };
    if slug.len() > MAX_SLUG_LEN {
        diagnostics.push(
            Diagnostic::error(msg!("site.long_file_slug", length = slug.len()))
                .in_file(doc.source.rel_path.clone())
                .with_help(msg!("site.long_file_slug_help", max = MAX_SLUG_LEN)),
        );
        return "invalid-slug".to_string();
    }
    if slug.is_empty() && !(doc.is_section() && doc.source.key.is_empty()) {
        diagnostics.push(
            Diagnostic::error(msg!("site.no_slug"))
                .in_file(doc.source.rel_path.clone())
                .with_help(msg!("site.no_slug_help")),
        );
        return "invalid-slug".to_string();
    }
    slug
}

fn link_translations(
    config: &Config,
    lookup: &BTreeMap<LookupKey, DocId>,
    placements: &mut [Placement],
) {
    // The lookup holds the versions of a doc side by side (same key, same
    // kind, each language): one pass, no key to build.
    let order = |lang: &str| config.language_codes().position(|l| l == lang);
    let mut entries = lookup.iter().peekable();
    while let Some((first, id)) = entries.next() {
        let mut group = vec![(order(&first.lang), *id)];
        while let Some((next, next_id)) =
            entries.next_if(|(other, _)| other.key == first.key && other.section == first.section)
        {
            group.push((order(&next.lang), *next_id));
        }
        group.sort();
        for (_, id) in &group {
            placements[id.0].translations = group
                .iter()
                .filter(|(_, other)| other != id)
                .map(|(_, other)| *other)
                .collect();
        }
    }
}

fn check_duplicate_urls(
    docs: &[Arc<Doc>],
    placements: &[Placement],
    config: &Config,
    diagnostics: &mut Diagnostics,
) {
    let mut seen: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(placements.len());
    for (i, placement) in placements.iter().enumerate() {
        if let Some(first) = seen.insert(&placement.url_path, i) {
            let (a, b) = (&docs[first].source.rel_path, &docs[i].source.rel_path);
            diagnostics.push(
                Diagnostic::error(msg!(
                    "site.same_url",
                    a,
                    b,
                    url = config.url_of(&placement.url_path)
                ))
                .in_file(b.clone())
                .with_help(msg!("site.same_url_help")),
            );
        }
    }
}

/// Sorts each language's list of a section as the section asks.
fn sort_section(
    section: &mut Section,
    config: &Config,
    docs: &[Arc<Doc>],
    placements: &[Placement],
    folded: &[String],
) {
    for sl in section.langs.values_mut() {
        let sort_by = section_sort(sl, &section.dir, config, docs);
        sort_pages(&mut sl.pages, &sort_by, docs, placements, folded);
    }
}

/// How a section's list in one language is sorted.
fn section_sort(sl: &SectionLang, dir: &str, config: &Config, docs: &[Arc<Doc>]) -> SortBy {
    sl.index
        .and_then(|id| docs[id.0].front_matter.sort_by.clone())
        .or_else(|| config.section(dir).and_then(|s| s.sort_by.clone()))
        .unwrap_or_default()
}

/// A page and its title folded for sorting.
type Keyed<'a> = (&'a str, DocId);

fn fold_title(doc: &Doc) -> String {
    deunicode::deunicode(doc.title()).to_lowercase()
}

/// The order of lists: by `sort_by` (pages missing the key last), then by
/// title, then URL, so the order never depends on the file system.
fn compare(
    sort_by: &SortBy,
    docs: &[Arc<Doc>],
    placements: &[Placement],
    (title_a, a): Keyed,
    (title_b, b): Keyed,
) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    fn missing_last<T: PartialOrd>(a: Option<T>, b: Option<T>, reverse: bool) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => {
                let o = a.partial_cmp(&b).unwrap_or(Ordering::Equal);
                if reverse { o.reverse() } else { o }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    let primary = match sort_by {
        SortBy::Date => missing_last(docs[a.0].date.as_ref(), docs[b.0].date.as_ref(), true),
        SortBy::Weight => missing_last(
            docs[a.0].front_matter.weight,
            docs[b.0].front_matter.weight,
            false,
        ),
        SortBy::Title => Ordering::Equal,
        SortBy::Field(name) => missing_last(
            docs[a.0].front_matter.fields.get(name).map(FieldKey),
            docs[b.0].front_matter.fields.get(name).map(FieldKey),
            false,
        ),
    };
    let url = |id: DocId| placements[id.0].url_path.as_str();
    primary
        .then_with(|| title_a.cmp(title_b))
        .then_with(|| url(a).cmp(url(b)))
}

fn sort_pages(
    pages: &mut [DocId],
    sort_by: &SortBy,
    docs: &[Arc<Doc>],
    placements: &[Placement],
    folded: &[String],
) {
    pages.sort_by(|a, b| {
        compare(
            sort_by,
            docs,
            placements,
            (&folded[a.0], *a),
            (&folded[b.0], *b),
        )
    });
}

/// Orders field values of one type; values of different types compare equal.
struct FieldKey<'a>(&'a FieldValue);

impl PartialEq for FieldKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(std::cmp::Ordering::Equal)
    }
}

impl PartialOrd for FieldKey<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match (self.0, other.0) {
            (FieldValue::Date(a), FieldValue::Date(b)) => a.partial_cmp(b),
            (FieldValue::String(a), FieldValue::String(b)) => a.partial_cmp(b),
            (FieldValue::Integer(a), FieldValue::Integer(b)) => a.partial_cmp(b),
            (FieldValue::Bool(a), FieldValue::Bool(b)) => a.partial_cmp(b),
            _ => None,
        }
    }
}

/// Problems that do not stop the build: sections whose pages in a
/// language have no list page.
pub fn warnings(site: &Site) -> Diagnostics {
    let mut warnings = Diagnostics::new();
    for section in site.sections.iter() {
        for (lang, sl) in &section.langs {
            if sl.index.is_some() {
                continue;
            }
            let index_file = if section.dir.is_empty() {
                format!("content/_index.{lang}.md")
            } else {
                format!("content/{}/_index.{lang}.md", section.dir)
            };
            if section.parent.is_some() && !sl.pages.is_empty() {
                warnings.push(
                    Diagnostic::warning(msg!(
                        "site.no_section_index",
                        section = &section.dir,
                        lang
                    ))
                    .in_file(index_file.clone())
                    .with_help(msg!("site.no_section_index_help", file = &index_file)),
                );
            }
        }
    }
    for file in &site.blank {
        warnings.push(
            Diagnostic::warning(msg!("site.blank_translation"))
                .in_file(file.clone())
                .with_help(msg!("site.blank_translation_help")),
        );
    }
    let languages = site.config.language_codes().count();
    warnings.extend(pairs::warnings(&site.docs, languages).into_sorted());
    warnings
}
