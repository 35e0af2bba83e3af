//! Stage `render_html`: the assembled site and its rendered Markdown become
//! the output set — one renderer per output kind, pages in parallel.

mod calendar;
mod chrome;
pub mod cms;
pub mod engine;
pub mod feeds;
pub mod headers;
mod home;
mod lists;
mod metadata;
pub mod reads;
mod share;
mod sitemap;
pub mod templates;
pub use sitemap::EntryMemo;
use sitemap::Sitemap;
use std::hash::Hash;
pub mod views;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use tera::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::{CONFIG_FILE, RootMode};
use crate::load::i18n::Strings;
use crate::load::slug::MAX_SLUG_LEN;
use crate::load::source::AssetOwner;
use crate::load::theme::{Theme, site_files};
use crate::markdown::Rendered;
use crate::markdown::links;
use crate::output::{Content, Origin, OutputFile, OutputSet, is_safe_relative};
use crate::search::{self, text::Pipeline};
use crate::site::{DocId, LookupKey, SectionId, Site, SiteRead, Unchanged};
use crate::timings::{Stage, Timings};
use engine::{Done, Job, Plan, Record};
use reads::{Names, Read, Reader};
use templates::{Templates, Vars};
use views::map;

/// Everything the renderers read.
pub struct Inputs<'a> {
    /// The `data/` files.
    pub data: &'a serde_json::Value,
    /// The day upcoming events are measured from.
    pub today: jiff::civil::Date,
    pub root: &'a Path,
    pub site: &'a Site,
    pub rendered: &'a [std::sync::Arc<Rendered>],
    pub templates: &'a Templates,
    pub theme: &'a Theme,
    /// Share cards are drawn and cached here.
    pub pictures: &'a crate::pictures::Pictures,
    /// Where template time goes (`build --timings`).
    pub timings: &'a Timings,
}

/// Values shared by every page of a language, built once.
pub struct Shared {
    /// `data/` files, for every template as `data`.
    data: Value,
    site_by_lang: BTreeMap<String, Value>,
    /// Each doc's summary, and its hash when reads are recorded.
    summaries: Vec<Summary>,
    /// Each page's related pages (none for sections and where the section
    /// shows none).
    related: Vec<Vec<DocId>>,
    /// The files of the site's share pictures (see `share::of_site`).
    share_files: Vec<OutputFile>,
}

/// A doc's summary (for lists, feeds…) and its hash.
pub type Summary = (Value, crate::memo::Key);

/// Summaries, kept from one build to the next.
pub type SummaryMemo = crate::memo::Recall<Summary>;

impl Shared {
    /// The values every page of `inputs` reads; the summaries whose inputs
    /// `memo` knows are taken from it, and hashed if `hashed`.
    pub fn new(
        inputs: &Inputs,
        memo: &SummaryMemo,
        hashed: bool,
        unchanged: Option<(&Unchanged, &[Summary])>,
    ) -> Result<Shared, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let summaries = summaries(inputs, memo, hashed, unchanged);
        let data = Value::from_serializable(inputs.data);
        let mut site_by_lang =
            site_values(inputs.site, &inputs.templates.strings, &mut diagnostics);
        let share_files = match share::of_site(inputs) {
            Ok((values, files)) => {
                for (lang, value) in values {
                    if let Some(site) = site_by_lang.get_mut(&lang) {
                        *site = with_key(site, "share", value);
                    }
                }
                files
            }
            Err(error) => {
                diagnostics.push(error);
                Vec::new()
            }
        };
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(Shared {
            data,
            site_by_lang,
            summaries,
            related: related_pages(inputs.site),
            share_files,
        })
    }

    /// The summaries, once the pages are rendered.
    pub fn into_summaries(self) -> Vec<Summary> {
        self.summaries
    }
}

/// `value` (a map) with `key` set to `item`.
fn with_key(value: &Value, key: &'static str, item: Value) -> Value {
    let mut map = value.as_map().cloned().unwrap_or_default();
    map.insert(key.into(), item);
    Value::from(map)
}

/// Every doc's summary, in parallel. A summary reads the doc (with what it
/// inherits from its translations), its address and its rendered summary;
/// the rest (labels, configuration) starts a new memo when it changes.
fn summaries(
    inputs: &Inputs,
    memo: &SummaryMemo,
    hashed: bool,
    unchanged: Option<(&Unchanged, &[Summary])>,
) -> Vec<Summary> {
    let site = inputs.site;
    if let Some((unchanged, _)) = unchanged {
        memo.carry_previous();
        memo.count_reused(site.docs.len() - unchanged.touched());
    }
    site.doc_ids()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|id| {
            if let Some((_, before)) = unchanged.filter(|(u, _)| u.untouched(id)) {
                return before[id.0].clone();
            }
            let doc = site.doc(id);
            let placement = site.placement(id);
            let rendered = &inputs.rendered[id.0];
            // The body's digest stands for its summary (worked out once,
            // when the body was rendered).
            let key = || {
                let mut key = crate::memo::hasher();
                (doc.path_hash, doc.text_hash, &placement.url_path).hash(&mut key);
                let translations = placement.translations.iter();
                translations.for_each(|t| site.doc(*t).text_hash.hash(&mut key));
                rendered.digest().hash(&mut key);
                key.key()
            };
            memo.get(key, || {
                let value = views::summary(site, id, rendered);
                let hash = if hashed || memo.remembers() {
                    templates::value_hash(&value)
                } else {
                    0
                };
                (value, hash)
            })
        })
        .collect()
}

/// How the render stage works: what the build before recorded, and
/// whether to record what this one reads.
pub struct Rendering<'p> {
    pub plan: Plan<'p>,
    /// Set when reads are recorded.
    pub names: Option<&'p Names>,
    /// The sitemap's entries of the build before.
    pub sitemap: &'p sitemap::EntryMemo,
    /// Whether the docs are those of the build before (see
    /// [`crate::site::Unchanged`]).
    pub same_docs: bool,
}

/// Told of the pages rendered anew as soon as they are, before the files
/// made from the whole site (`serve` writes the open ones first): the
/// site and those pages' files.
pub type Ahead<'p> = dyn Fn(&Site, &[&OutputFile]) + 'p;

/// What the render stage made.
pub struct RenderedSite {
    pub output: OutputSet,
    /// The jobs rendered anew and reused.
    pub counts: crate::memo::Counts,
    /// The jobs rendered (and what each read, when recorded) and kept.
    pub done: Done,
}

/// What a job came to: files rendered now (and what it read), or files
/// kept from the build before.
enum Outcome {
    Rendered {
        job: Job,
        files: Result<Vec<OutputFile>, Diagnostic>,
        reads: Vec<Read>,
        /// The doc it belongs to, for errors repeated across pages.
        doc: Option<DocId>,
    },
    Reused {
        job: Job,
        files: Vec<OutputFile>,
    },
}

/// The jobs of one render: how to read, what to skip.
struct Jobs<'a> {
    inputs: &'a Inputs<'a>,
    shared: &'a Shared,
    rendering: &'a Rendering<'a>,
}

impl<'a> Jobs<'a> {
    fn reader(&self) -> Reader<'a> {
        Reader::new(self.inputs, self.shared, self.rendering.names.is_some())
    }

    fn reads(&self, reader: Reader<'a>) -> Vec<Read> {
        match self.rendering.names {
            Some(names) => reader.reads(names),
            None => Vec::new(),
        }
    }

    /// Renders a job of one page, unless its files can be reused.
    fn one(
        &self,
        job: Job,
        render: impl FnOnce(&Reader<'a>) -> Result<Vec<OutputFile>, Diagnostic>,
    ) -> Outcome {
        if let Some(files) = self.rendering.plan.reuse(&job) {
            return Outcome::Reused { job, files };
        }
        let reader = self.reader();
        let files = render(&reader);
        Outcome::Rendered {
            job,
            files,
            reads: self.reads(reader),
            doc: None,
        }
    }
}

/// Renders the whole output (what `rendering` allows to be reused is
/// taken from the build before).
pub fn render_site(
    inputs: &Inputs,
    shared: &Shared,
    rendering: &Rendering,
    ahead: Option<&Ahead>,
) -> Result<RenderedSite, Diagnostics> {
    let jobs = Jobs {
        inputs,
        shared,
        rendering,
    };
    // The pages to render anew come first, then go ahead; the others,
    // taken from the build before, follow.
    let site = inputs.site;
    let first = rendering.plan.renewed_docs(site, rendering.same_docs);
    let first_ids = first.clone().unwrap_or_else(|| site.doc_ids().collect());
    // The pages that belong to no doc come first only if one of them is
    // rendered anew.
    let site_first = first.is_none() || rendering.plan.renews_other_pages();
    let (first_docs, mut site_pages) = inputs.timings.stage(Stage::Pages, || {
        let site_pages = site_first.then(|| render_site_pages(&jobs));
        (
            render_docs(&jobs, &first_ids),
            site_pages.unwrap_or_default(),
        )
    });
    let rendered_now = first_docs.iter().flatten().chain(&site_pages);
    // A page that failed fails the build: nothing goes ahead then.
    let failed = (rendered_now.clone())
        .any(|outcome| matches!(outcome, Outcome::Rendered { files: Err(_), .. }));
    if let Some(ahead) = ahead.filter(|_| !failed) {
        let fresh: Vec<&OutputFile> = rendered_now
            .filter_map(|outcome| match outcome {
                Outcome::Rendered {
                    files: Ok(files), ..
                } => Some(files),
                _ => None,
            })
            .flatten()
            .collect();
        ahead(inputs.site, &fresh);
    }
    let mut docs: Vec<(DocId, Vec<Outcome>)> = first_ids.into_iter().zip(first_docs).collect();
    if let Some(first) = first {
        inputs.timings.stage(Stage::Pages, || {
            let rest: Vec<DocId> = (site.doc_ids())
                .filter(|id| first.binary_search(id).is_err())
                .collect();
            let rest_docs = render_docs(&jobs, &rest);
            docs.extend(rest.into_iter().zip(rest_docs));
        });
        if !site_first {
            site_pages = inputs
                .timings
                .stage(Stage::Pages, || render_site_pages(&jobs));
        }
        // In the order of a full build, so that errors read the same.
        docs.sort_by_key(|(id, _)| *id);
    }
    let outcomes: Vec<Outcome> = (docs.into_iter().flat_map(|(_, outcomes)| outcomes))
        .chain(site_pages)
        .collect();
    inputs.timings.stage(Stage::Generated, || {
        finish(inputs, shared, outcomes, rendering)
    })
}

/// The pages' files, those made from the whole site and the static files,
/// checked together.
fn finish(
    inputs: &Inputs,
    shared: &Shared,
    outcomes: Vec<Outcome>,
    rendering: &Rendering,
) -> Result<RenderedSite, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let (mut files, mut done, counts) = settle(inputs.site, outcomes, &mut diagnostics);
    if rendering.names.is_none() {
        // Nothing was noted: no record to trust.
        done = Done::default();
    }
    files.extend(render_generated(
        inputs.site,
        inputs.rendered,
        &mut diagnostics,
    ));
    files.extend(shared.share_files.iter().cloned());
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let mut set = OutputSet::default();
    for file in files {
        if let Err(error) = add_file(&mut set, file) {
            diagnostics.push(error);
        }
    }
    let _ = set.insert(sitemap_of(inputs.site, &set, rendering.sitemap).file());
    add_static_files(inputs, &mut set, &mut diagnostics);
    for (blocking, file) in set.files_in_the_way() {
        diagnostics.push(
            Diagnostic::error(msg!(
                "render.file_in_the_way",
                origin = &blocking.origin,
                path = &blocking.path,
                other = &file.origin
            ))
            .in_file(blocking.origin.clone())
            .with_help(msg!("render.file_in_the_way_help")),
        );
    }
    for (first, file) in set.case_clashes() {
        diagnostics.push(case_clash(first, file));
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(RenderedSite {
        output: set,
        counts,
        done,
    })
}

/// The files of every job, what the jobs rendered now read, and how many
/// were rendered and reused. A template error shows once, not once per
/// page that uses the template.
fn settle(
    site: &Site,
    outcomes: Vec<Outcome>,
    diagnostics: &mut Diagnostics,
) -> (Vec<OutputFile>, Done, crate::memo::Counts) {
    let mut files = Vec::new();
    let mut done = Done::default();
    let mut counts = crate::memo::Counts::default();
    let mut template_errors: Vec<(Diagnostic, Vec<&str>)> = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Reused { job, files: kept } => {
                counts.reused += 1;
                files.extend(kept);
                done.kept.insert(job);
            }
            Outcome::Rendered {
                job,
                files: Ok(made),
                reads,
                ..
            } => {
                counts.computed += 1;
                let paths = made.iter().map(|f| f.path.clone()).collect();
                let record = Record {
                    reads,
                    paths,
                    files: made.clone(),
                };
                files.extend(made);
                done.rendered.push((job, record));
            }
            Outcome::Rendered {
                files: Err(d),
                doc: Some(id),
                ..
            } => {
                let source = site.doc(id).source.rel_path.as_str();
                match template_errors.iter_mut().find(|(seen, _)| *seen == d) {
                    Some((_, docs)) => docs.push(source),
                    None => template_errors.push((d, vec![source])),
                }
            }
            Outcome::Rendered {
                files: Err(d),
                doc: None,
                ..
            } => diagnostics.push(d),
        }
    }
    for (mut d, docs) in template_errors {
        if d.location
            .as_ref()
            .is_some_and(|l| !l.path.starts_with("content/"))
        {
            let error = d.message.clone();
            d.message = match docs.len() {
                1 => msg!("render.while_rendering", error, file = docs[0]),
                n => crate::messages::Message::count("render.while_rendering_others", n - 1)
                    .arg("error", error)
                    .arg("file", docs[0]),
            };
        }
        diagnostics.push(d);
    }
    (files, done, counts)
}

/// The pages of each of `ids`, in parallel.
fn render_docs(jobs: &Jobs, ids: &[DocId]) -> Vec<Vec<Outcome>> {
    ids.par_iter().map(|id| render_doc(jobs, *id)).collect()
}

/// The files that belong to the site rather than to one doc and are
/// rendered from templates: search, taxonomy, term and 404 pages, and the
/// language chooser.
fn render_site_pages(jobs: &Jobs) -> Vec<Outcome> {
    let site = jobs.inputs.site;
    // With `root = "default"` the default language's home and 404 page are
    // at the root instead of the bilingual ones.
    let bilingual = match site.config.root {
        RootMode::Chooser => vec![
            ("404.html", "404.html"),
            ("language_chooser.html", "index.html"),
        ],
        RootMode::Default => Vec::new(),
    };
    let mut outcomes = search_pages(jobs);
    outcomes.extend(lists::taxonomy_pages(jobs));
    outcomes.extend(lists::not_found_pages(jobs));
    outcomes.extend(bilingual.into_iter().map(|(template, path)| {
        jobs.one(Job::Bilingual(engine::name(path)), |r| {
            chrome::bilingual_page(r, template, path).map(|f| vec![f])
        })
    }));
    outcomes
}

/// The files made from the whole site rather than from templates: feeds,
/// calendars, robots.txt, redirects, and page and section assets. They
/// are made anew by every build.
fn render_generated(
    site: &Site,
    rendered: &[std::sync::Arc<Rendered>],
    diagnostics: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut files = feeds::feeds(site, rendered);
    files.extend(calendar::files(site));
    files.push(sitemap::robots(site));
    match aliases(site) {
        Ok(mut f) => {
            if let Some(redirects) = redirects_file(site) {
                f.push(redirects);
            }
            files.append(&mut f)
        }
        Err(mut d) => diagnostics.extend(d.drain(..)),
    }
    files.extend(assets(site));
    files.extend(pictures(rendered));
    files.extend(cms::files(site));
    files.extend(headers::files(&site.config));
    files.extend(colors_file(&site.config));
    files
}

/// The files of the pictures the pages show, each once.
fn pictures(rendered: &[std::sync::Arc<Rendered>]) -> Vec<OutputFile> {
    let mut seen = std::collections::BTreeMap::new();
    for (source, picture) in rendered.iter().flat_map(|body| &body.pictures) {
        seen.entry(picture.folder.clone())
            .or_insert((source, picture));
    }
    (seen.into_values())
        .flat_map(|(source, picture)| picture.files(source))
        .collect()
}

/// `colors.css`: the `[colors]` of config.toml as CSS custom properties,
/// which `partials/colors.html` links after the theme's stylesheet.
fn colors_file(config: &crate::load::config::Config) -> Option<OutputFile> {
    let properties: String = colors_set(&config.colors)
        .map(|(name, color)| format!("--{name}: {color};"))
        .collect();
    (!properties.is_empty()).then(|| {
        OutputFile::html(
            "colors.css".into(),
            format!(":root {{{properties}}}\n"),
            Origin::Generated("colors".to_string()),
        )
    })
}

/// Adds a rendered file to the set, unless its path is unsafe, a name in it
/// too long, or taken.
fn add_file(set: &mut OutputSet, file: OutputFile) -> Result<(), Diagnostic> {
    if !is_safe_relative(&file.path) {
        return Err(Diagnostic::error(msg!(
            "render.unsafe_path",
            origin = &file.origin,
            path = &file.path
        ))
        .in_file(file.origin.clone())
        .with_help(msg!("render.unsafe_path_help")));
    }
    // What the checks of slugs, terms and aliases did not catch.
    if let Some(long) = file.path.split('/').find(|s| s.len() > MAX_NAME_LEN) {
        return Err(Diagnostic::error(msg!(
            "render.long_name",
            origin = &file.origin,
            length = long.len(),
            max = MAX_NAME_LEN
        ))
        .in_file(file.origin.clone())
        .with_help(msg!("render.long_name_help")));
    }
    set.insert(file).map_err(|(file, first)| {
        Diagnostic::error(msg!(
            "render.same_file",
            origin = &file.origin,
            first,
            path = &file.path
        ))
        .in_file(file.origin.clone())
        .with_help(msg!("render.same_file_help"))
    })
}

/// Two files that are one on hosts that ignore case, and what to do.
fn case_clash(first: &OutputFile, file: &OutputFile) -> Diagnostic {
    // A file where, but for case, a folder of `first` is: the clash's only
    // kind between paths of different depths.
    let depth = file.path.split('/').count();
    if first.path.split('/').count() > depth {
        let folder: Vec<&str> = first.path.split('/').take(depth).collect();
        return Diagnostic::error(msg!(
            "render.folder_clash",
            origin = &file.origin,
            path = &file.path,
            folder = folder.join("/") + "/",
            first = &first.origin
        ))
        .in_file(file.origin.clone())
        .with_help(msg!("render.folder_clash_help"));
    }
    let theme = |f: &OutputFile| matches!(f.origin, Origin::Theme(_));
    let help = if first.origin == file.origin {
        // A page's alias for its own address in other capitals.
        msg!("render.own_alias_clash_help")
    } else if theme(first) != theme(file) {
        let theirs = if theme(first) { first } else { file };
        msg!("render.theme_clash_help", path = &theirs.path)
    } else if first.path.to_lowercase() == file.path.to_lowercase() {
        msg!("render.case_clash_help")
    } else {
        msg!("render.accent_clash_help")
    };
    Diagnostic::error(msg!(
        "render.case_clash",
        origin = &file.origin,
        path = &file.path,
        first = &first.origin,
        first_path = &first.path
    ))
    .in_file(file.origin.clone())
    .with_help(help)
}

/// The sitemap of an output: its content pages, and the list pages it has
/// besides them (not redirects, not 404 pages).
fn sitemap_of(site: &Site, set: &OutputSet, memo: &sitemap::EntryMemo) -> Sitemap {
    let content = content_paths(site);
    let lists: Vec<String> = set
        .files
        .values()
        .filter(|f| is_list_page(f, |folder| content.contains(folder)))
        .map(|f| f.path.clone())
        .collect();
    Sitemap::new(site, &lists, memo)
}

/// The folders of the content pages.
fn content_paths(site: &Site) -> std::collections::HashSet<&str> {
    site.placements
        .iter()
        .map(|p| p.url_path.as_str())
        .collect()
}

/// Whether the sitemap lists `file` as a list page (a term, year, search
/// or pager page; `is_content`: whether a folder is a content page's).
fn is_list_page(file: &OutputFile, is_content: impl Fn(&str) -> bool) -> bool {
    let made_for_lists = matches!(file.origin, Origin::Template(_))
        || matches!(file.origin, Origin::Content(_)) && file.path.contains("/page/");
    made_for_lists
        && file
            .path
            .strip_suffix("index.html")
            .is_some_and(|folder| !is_content(folder))
}

/// Each page's related pages, where its section shows them.
fn related_pages(site: &Site) -> Vec<Vec<DocId>> {
    site.doc_ids()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|id| {
            if shows_related(site, id) {
                lists::related(site, id)
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// Whether a doc's page shows related pages.
fn shows_related(site: &Site, id: DocId) -> bool {
    let section = &site.section(site.placement(id).section).dir;
    !site.doc(id).is_section() && site.config.section(section).is_some_and(|s| s.related)
}

/// `site` in templates: the language's title, languages and menu.
fn site_values(
    site: &Site,
    strings: &Strings,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Value> {
    let config = &site.config;
    let home = |lang: &str| config.home_url(lang);
    let languages: Vec<Value> = config
        .languages
        .iter()
        .map(|l| {
            map([
                ("code", Value::from(l.code.as_str())),
                ("name", Value::from(l.name.as_str())),
                ("title", Value::from(l.title.as_str())),
                ("url", Value::from(home(&l.code))),
                ("locale", Value::from(l.locale.as_str())),
            ])
        })
        .collect();
    let languages = Value::from(languages);
    config
        .languages
        .iter()
        .map(|l| {
            let menu: Vec<Value> = l
                .menu
                .iter()
                .map(|item| {
                    let url = match item.url.strip_prefix("@/") {
                        Some(target) => match links::resolve(site, target, &l.code) {
                            Ok((id, anchor)) => format!("{}{anchor}", site.url(id)),
                            Err(err) => {
                                diagnostics.push(
                                    Diagnostic::error(msg!(
                                        "render.menu",
                                        lang = &l.code,
                                        error = err.message
                                    ))
                                    .in_file(CONFIG_FILE)
                                    .with_help(err.help),
                                );
                                String::new()
                            }
                        },
                        None => match item.url.strip_prefix('/') {
                            Some(rest) if !rest.starts_with('/') => config.url_of(rest),
                            _ => item.url.clone(),
                        },
                    };
                    map([
                        ("name", Value::from(item.name.as_str())),
                        ("url", Value::from(url)),
                    ])
                })
                .collect();
            let value = map([
                ("title", Value::from(l.title.as_str())),
                ("description", Value::from(l.description.as_str())),
                ("lang", Value::from(l.code.as_str())),
                ("base_url", Value::from(config.base_url.as_str())),
                ("base_path", Value::from(config.base_path.as_str())),
                ("home", Value::from(home(&l.code))),
                ("language_name", Value::from(l.name.as_str())),
                ("locale", Value::from(l.locale.as_str())),
                (
                    "default_language",
                    Value::from(config.default_language.as_str()),
                ),
                ("languages", languages.clone()),
                ("menu", Value::from(menu)),
                ("extra", Value::from_serializable(&config.extra)),
                ("organisation", organisation_value(config, &l.code)),
                ("colors", colors_value(&config.colors)),
                ("search", search_value(site, strings, &l.code)),
                (
                    "feed",
                    if site
                        .docs
                        .iter()
                        .any(|d| !d.is_section() && d.source.lang == l.code && d.date.is_some())
                    {
                        Value::from(
                            config.url_of(&feeds::feed_path(&config.language_prefix(&l.code))),
                        )
                    } else {
                        Value::none()
                    },
                ),
                (
                    "taxonomies",
                    Value::from(
                        config
                            .taxonomies
                            .iter()
                            .map(|t| {
                                (
                                    t.name.clone(),
                                    Value::from(t.title.get(&l.code).cloned().unwrap_or_default()),
                                )
                            })
                            .collect::<BTreeMap<String, Value>>(),
                    ),
                ),
            ]);
            (l.code.clone(), value)
        })
        .collect()
}

/// `site.organisation`: who publishes the site, in `lang`.
fn organisation_value(config: &crate::load::config::Config, lang: &str) -> Value {
    let o = &config.organisation;
    let text = |value: Option<&String>| value.map_or_else(Value::none, |v| Value::from(v.as_str()));
    map([
        ("name", text(o.name.get(lang))),
        (
            "address",
            Value::from(o.address.get(lang).cloned().unwrap_or_default()),
        ),
        ("email", text(o.email.as_ref())),
        ("phone", text(o.phone.as_ref())),
        (
            "logo",
            o.logo.as_ref().map_or_else(Value::none, |logo| {
                Value::from(config.url_of(&crate::escape::url_path(logo)))
            }),
        ),
    ])
}

/// The colours the site sets, by their CSS custom property.
fn colors_set(colors: &crate::load::config::Colors) -> impl Iterator<Item = (&'static str, &str)> {
    [
        ("accent", &colors.accent),
        ("band", &colors.band),
        ("accent-on-dark", &colors.dark_accent),
    ]
    .into_iter()
    .filter_map(|(name, color)| Some((name, color.as_deref()?)))
}

/// `site.colors`: CSS custom property → colour, for those the site sets
/// (none when it sets none).
fn colors_value(colors: &crate::load::config::Colors) -> Value {
    let set: BTreeMap<String, Value> = colors_set(colors)
        .map(|(name, color)| (name.to_string(), Value::from(color)))
        .collect();
    if set.is_empty() {
        Value::none()
    } else {
        Value::from(set)
    }
}

/// Where a language's search page and files are, for the search box.
fn search_value(site: &Site, strings: &Strings, lang: &str) -> Value {
    let (Some(pipeline), Some(url)) = (
        site.config.language(lang).and_then(|l| l.search),
        search_page_path(site, strings, lang).map(|p| site.config.url_of(&p)),
    ) else {
        return Value::none();
    };
    let asset = |name: &str| site.config.url_of(&format!("search/{name}"));
    let mut scripts = vec![asset("lunr.min.js")];
    match pipeline {
        Pipeline::French => {
            scripts.push(asset("lunr.stemmer.support.min.js"));
            scripts.push(asset("lunr.fr.min.js"));
        }
        Pipeline::Arabic => {
            scripts.push(asset("lunr.stemmer.support.min.js"));
            scripts.push(asset("lunr.ar.min.js"));
        }
        Pipeline::English | Pipeline::Generic => {}
    }
    scripts.push(asset("portail-lunr.js"));
    scripts.push(asset("portail-shards.js"));
    map([
        ("url", Value::from(url)),
        (
            "manifest",
            Value::from(site.config.url_of(&search::manifest_path(lang))),
        ),
        ("scripts", Value::from(scripts.join(" "))),
        ("ui", Value::from(asset("search.js"))),
        (
            "pipeline",
            Value::from(match pipeline {
                Pipeline::English => "english",
                Pipeline::French => "french",
                Pipeline::Arabic => "arabic",
                Pipeline::Generic => "generic",
            }),
        ),
    ])
}

/// `fr/recherche/`: the language prefix and the `search_slug` text.
fn search_page_path(site: &Site, strings: &Strings, lang: &str) -> Option<String> {
    let slug = strings.get(lang, "search_slug").ok()?;
    Some(format!(
        "{}{}/",
        site.config.language_prefix(lang),
        crate::load::slug::slugify(slug)
    ))
}

/// One search results page per language with an index.
fn search_pages(jobs: &Jobs) -> Vec<Outcome> {
    let site = jobs.inputs.site;
    let strings = &jobs.inputs.templates.strings;
    let versions: Vec<(String, String)> = site
        .config
        .languages
        .iter()
        .filter(|l| l.search.is_some())
        .filter_map(|l| search_page_path(site, strings, &l.code).map(|p| (l.code.clone(), p)))
        .collect();
    versions
        .iter()
        .map(|(lang, path)| {
            jobs.one(Job::Search(engine::name(lang)), |r| {
                let title = r.strings().get(lang, "search_title").unwrap_or("Search");
                let context = lists::page_context(r, lang, title, path, &versions);
                let html = r.render("search.html", &context)?;
                Ok(vec![OutputFile::html(
                    format!("{path}index.html"),
                    html,
                    Origin::Template("templates/search.html".into()),
                )])
            })
        })
        .collect()
}

fn base_context<'a>(r: &Reader<'a>, id: DocId) -> Vars {
    let doc = r.doc(id);
    let mut context = Vars::new();
    context.insert("lang", &doc.source.lang);
    context.insert_value("site", r.site_value(&doc.source.lang));
    context.insert_value("data", r.data());
    context.insert_value("translations", views::translations(r, id));
    context.insert_value("language_links", views::language_links(r, id));
    let (alternates, x_default) = views::alternates(r, id);
    context.insert_value("alternates", alternates);
    context.insert("x_default", &x_default);
    let locale = r
        .config()
        .language(&doc.source.lang)
        .map_or("", |l| l.locale.as_str());
    context.insert("locale", locale);
    context.insert_value("section", Value::none());
    context.insert_value("page", Value::none());
    context.insert_value("paginator", Value::none());
    context.insert("page_number", &1);
    context.insert("canonical", &r.permalink(id));
    context.insert("current_url", &r.url(id));
    context.insert("json_ld", &metadata::json_ld(r, id));
    context.insert("og_type", metadata::og_type(r, id));
    // The doc's summary whether it is a page or a section, for shared partials.
    context.insert_value("current", r.summary(id));
    context
}

/// The full view of a doc: its summary plus content, headings and translations.
fn full_view(r: &Reader, id: DocId) -> Value {
    let rendered = r.body(id);
    let mut view = r.summary(id).into_map().unwrap_or_default();
    view.insert("content".into(), Value::safe_string(&rendered.html));
    view.insert(
        "headings".into(),
        Value::from_serializable(&rendered.headings),
    );
    view.insert("translations".into(), views::translations(r, id));
    view.insert("documents".into(), views::documents(r, id));
    Value::from(view)
}

/// Which pages of a paginated list to render (a build renders again only
/// those whose reads changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pagers {
    All,
    /// By number, from 1.
    Only(std::collections::BTreeSet<usize>),
}

impl Pagers {
    fn wants(&self, n: usize) -> bool {
        match self {
            Pagers::All => true,
            Pagers::Only(numbers) => numbers.contains(&n),
        }
    }
}

/// A doc's page; for a section, the pages of its list the plan asks for.
fn render_doc(jobs: &Jobs, id: DocId) -> Vec<Outcome> {
    let doc = jobs.inputs.site.doc(id);
    let name = || engine::name(&doc.source.rel_path);
    if !doc.is_section() {
        let outcome = jobs.one(Job::Doc(name(), 1), |r| {
            let template = doc_template(r, id)?;
            render_page(r, id, template)
        });
        return vec![with_doc(outcome, id)];
    }
    let (pagers, kept) = jobs.rendering.plan.pagers(|n| Job::Doc(name(), n));
    let mut outcomes: Vec<Outcome> = kept
        .into_iter()
        .map(|(job, files)| Outcome::Reused { job, files })
        .collect();
    let reader = jobs.reader();
    match doc_template(&reader, id).and_then(|t| render_section(&reader, id, t, &pagers)) {
        Ok(pages) => outcomes.extend(pages.into_iter().map(|page| {
            with_doc(
                Outcome::Rendered {
                    job: Job::Doc(name(), page.number),
                    files: page.files,
                    reads: jobs.reads(page.reader),
                    doc: None,
                },
                id,
            )
        })),
        Err(d) => outcomes.push(with_doc(
            Outcome::Rendered {
                job: Job::Doc(name(), 1),
                files: Err(d),
                reads: Vec::new(),
                doc: None,
            },
            id,
        )),
    }
    outcomes
}

/// Marks an outcome as a doc's, for its errors.
fn with_doc(outcome: Outcome, id: DocId) -> Outcome {
    match outcome {
        Outcome::Rendered {
            job, files, reads, ..
        } => Outcome::Rendered {
            job,
            files,
            reads,
            doc: Some(id),
        },
        reused => reused,
    }
}

/// The template a doc asks for, if it names one.
fn doc_template<'a>(r: &Reader<'a>, id: DocId) -> Result<Option<&'a str>, Diagnostic> {
    let doc = r.doc(id);
    doc.front_matter
        .template
        .as_ref()
        .map(|(name, spot)| {
            if r.has_template(name) {
                Ok(name.as_str())
            } else {
                Err(Diagnostic::error(msg!("render.no_template", name))
                    .at_span(doc.source.rel_path.clone(), &doc.text, spot.span.clone())
                    .with_help(msg!("render.no_template_help")))
            }
        })
        .transpose()
}

/// A content page: `page.html` (or its own template) with the page, its
/// related pages, its event file and its section.
fn render_page<'a>(
    r: &Reader<'a>,
    id: DocId,
    template: Option<&'a str>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut context = base_context(r, id);
    let share = share_of(r, id, &mut context)?;
    let doc = r.doc(id);
    let placement = r.placement(id);
    let section = r.section(placement.section);
    let config = r.config();
    context.insert_value("page", full_view(r, id));
    let related: Vec<Value> = r.related(id).iter().map(|p| r.summary(*p)).collect();
    context.insert_value("related", Value::from(related));
    let is_event =
        config.section(&section.dir).is_some_and(|s| s.calendar) && calendar::days(doc).is_some();
    context.insert(
        "event_file",
        &is_event.then(|| config.url_of(&calendar::event_path(r, id))),
    );
    if let Some(index) = section.langs[&doc.source.lang].index {
        context.insert_value("section", r.summary(index));
    }
    let html = r.render(template.unwrap_or("page.html"), &context)?;
    let page = OutputFile::html(
        format!("{}index.html", placement.url_path),
        html,
        Origin::Content(doc.source.rel_path.clone()),
    );
    Ok(std::iter::once(page).chain(share).collect())
}

/// Sets `share` in `context`; the file of a drawn card is returned, to
/// publish with the doc's (first) page.
fn share_of(r: &Reader, id: DocId, context: &mut Vars) -> Result<Option<OutputFile>, Diagnostic> {
    let site = r.site_value(&r.doc(id).source.lang);
    let share = share::of_doc(r, id, &site)?;
    context.insert_value("share", share.value);
    Ok(share.file)
}

/// One page of a list: its number, its files and what it read.
struct ListPage<'a> {
    number: usize,
    files: Result<Vec<OutputFile>, Diagnostic>,
    reader: Reader<'a>,
}

/// A section's list pages (paginated, unless it is a calendar or has
/// filters) that `pagers` asks for; the first one comes with the year pages.
fn render_section<'a>(
    r: &Reader<'a>,
    id: DocId,
    template: Option<&'a str>,
    pagers: &Pagers,
) -> Result<Vec<ListPage<'a>>, Diagnostic> {
    let mut context = base_context(r, id);
    let share = share_of(r, id, &mut context)?;
    let doc = r.doc(id);
    let placement = r.placement(id);
    let section = r.section(placement.section);
    let config = r.config();
    let lang = doc.source.lang.as_str();
    let is_home = section.parent.is_none();
    // Set on every section, so that any section template may test it.
    let home = if is_home {
        home::home_view(r, lang)
    } else {
        Value::none()
    };
    context.insert_value("home", home);
    let template = template.unwrap_or(if is_home { "home.html" } else { "section.html" });
    let section_lang = &section.langs[lang];
    let pages = r.list(placement.section, lang);
    context.insert_value("section", section_view(r, id));
    let mut year_files = Vec::new();
    let settings = config.section(&section.dir);
    let mut per_page = section_lang.paginate_by;
    let first = pagers.wants(1);
    if settings.is_some_and(|s| s.calendar) {
        let (upcoming, past, years) = calendar_views(
            r,
            section_lang,
            pages,
            &mut context,
            first.then_some(&mut year_files),
        );
        context.insert_value(
            "calendar",
            map([("upcoming", upcoming), ("past", past), ("years", years)]),
        );
        context.insert(
            "calendar_file",
            &config.url_of(&calendar::calendar_path(section_lang)),
        );
        // The upcoming and past lists replace pagination.
        per_page = None;
    } else {
        context.insert_value("calendar", Value::none());
    }
    let filters = settings.map(|s| s.filters.as_slice()).unwrap_or_default();
    if filters.is_empty() {
        context.insert_value("filters", Value::none());
    } else {
        let value = lists::browse_filters(
            r,
            section_lang,
            pages,
            filters,
            lang,
            &context,
            first.then_some(&mut year_files),
        );
        context.insert_value("filters", value);
        // The browse page shows every page; filters hide what does not match.
        per_page = None;
    }
    let origin = Origin::Content(doc.source.rel_path.clone());
    let mut pages = paginate(
        r,
        &mut context,
        pages,
        per_page,
        &placement.url_path,
        template,
        pagers,
    );
    for page in &mut pages {
        if let Ok(files) = &mut page.files {
            for file in files.iter_mut() {
                file.origin = origin.clone();
            }
        }
        // Year pages keep their template as origin: they are list pages.
        if page.number == 1 {
            let years: Result<Vec<OutputFile>, Diagnostic> =
                std::mem::take(&mut year_files).into_iter().collect();
            match (&mut page.files, years) {
                (Ok(files), Ok(years)) => files.extend(years.into_iter().chain(share.clone())),
                (Ok(_), Err(d)) => page.files = Err(d),
                (Err(_), _) => {}
            }
        }
    }
    Ok(pages)
}

/// The `section` of a section's own pages: its full view, its feed and its
/// subsections.
fn section_view(r: &Reader, id: DocId) -> Value {
    let doc = r.doc(id);
    let placement = r.placement(id);
    let pages = r.list(placement.section, &doc.source.lang);
    let mut view = full_view(r, id).into_map().unwrap_or_default();
    let feed = feeds::has_feed(r, pages, &doc.source.lang)
        .then(|| Value::from(r.config().url_of(&feeds::feed_path(&placement.url_path))));
    view.insert("feed".into(), feed.unwrap_or_else(Value::none));
    view.insert(
        "subsections".into(),
        subsections(r, placement.section, &doc.source.lang),
    );
    Value::from(view)
}

/// Upcoming and past events of a calendar section and, into `files` when
/// given, its year pages (rendered with `year.html`).
fn calendar_views<'a>(
    r: &Reader<'a>,
    section_lang: &'a crate::site::SectionLang,
    pages: &'a [DocId],
    context: &mut Vars,
    files: Option<&mut Vec<Result<OutputFile, Diagnostic>>>,
) -> (Value, Value, Value) {
    let config = r.config();
    let summaries =
        |ids: &[DocId]| Value::from(ids.iter().map(|p| r.summary(*p)).collect::<Vec<_>>());
    let (upcoming, past) = calendar::split(r, pages, r.today());
    let mut years = Vec::new();
    let mut year_files = Vec::new();
    let make_pages = files.is_some();
    for (year, ids) in calendar::by_year(r, pages) {
        let path = format!("{}{year}/", section_lang.url_path);
        years.push(map([
            ("year", Value::from(i64::from(year))),
            ("url", Value::from(config.url_of(&path))),
            ("count", Value::from(ids.len())),
        ]));
        if !make_pages {
            continue;
        }
        let mut year_context = context.clone();
        year_context.insert("year", &i64::from(year));
        let lang = section_lang
            .index
            .map_or("", |i| r.doc(i).source.lang.as_str());
        lists::standalone(
            &mut year_context,
            lang,
            &format!("{}{path}", config.base_url),
        );
        year_context.insert("canonical", &format!("{}{path}", config.base_url));
        year_files.extend(year_pages(r, &mut year_context, &ids, &path));
    }
    if let Some(files) = files {
        files.extend(year_files);
    }
    // Past events beyond the latest ones are on the year pages.
    (
        summaries(&upcoming),
        summaries(&past[..past.len().min(20)]),
        Value::from(years),
    )
}

/// A year page (`year.html`, one page): its reads are its section's.
fn year_pages<'a>(
    r: &Reader<'a>,
    context: &mut Vars,
    ids: &[DocId],
    path: &str,
) -> Vec<Result<OutputFile, Diagnostic>> {
    paginate(r, context, ids, None, path, "year.html", &Pagers::All)
        .into_iter()
        .flat_map(|page| {
            r.absorb(page.reader);
            match page.files {
                Ok(files) => files.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(d) => vec![Err(d)],
            }
        })
        .collect()
}

/// Renders a list of pages with `template`, `per_page` at a time: the
/// first page at `path`, the others at `path/page/N/`, each with its own
/// `paginator`, canonical URL and number, and its own reader (what the
/// context read so far, and its pages' summaries).
fn paginate<'a>(
    r: &Reader<'a>,
    context: &mut Vars,
    pages: &[DocId],
    per_page: Option<usize>,
    path: &str,
    template: &'a str,
    pagers: &Pagers,
) -> Vec<ListPage<'a>> {
    let config = r.config();
    let per_page = per_page.unwrap_or(usize::MAX).max(1);
    let chunks: Vec<&[DocId]> = if pages.is_empty() {
        vec![&[][..]]
    } else {
        pages.chunks(per_page).collect()
    };
    let page_path = |n: usize| {
        if n == 1 {
            path.to_string()
        } else {
            format!("{path}page/{n}/")
        }
    };
    let url = |n: usize| config.url_of(&page_path(n));
    let mut files = Vec::with_capacity(chunks.len());
    for (i, chunk) in chunks.iter().enumerate() {
        let n = i + 1;
        if !pagers.wants(n) {
            continue;
        }
        let reader = r.fork();
        context.insert("page_number", &n);
        context.insert("current_url", &url(n));
        context.insert("canonical", &format!("{}{}", config.base_url, page_path(n)));
        let link = |cond: bool, m: usize| {
            if cond {
                Value::from(url(m))
            } else {
                Value::none()
            }
        };
        let summaries: Vec<Value> = chunk.iter().map(|id| reader.summary(*id)).collect();
        context.insert_value(
            "paginator",
            map([
                ("pages", Value::from(summaries)),
                ("current", Value::from(n)),
                ("total", Value::from(chunks.len())),
                ("total_pages_count", Value::from(pages.len())),
                ("previous", link(n > 1, n.saturating_sub(1))),
                ("next", link(n < chunks.len(), n + 1)),
                ("first", Value::from(url(1))),
                ("last", Value::from(url(chunks.len()))),
            ]),
        );
        let file = reader.render(template, context).map(|html| {
            vec![OutputFile::html(
                format!("{}index.html", page_path(n)),
                html,
                Origin::Template(format!("templates/{template}")),
            )]
        });
        files.push(ListPage {
            number: n,
            files: file,
            reader,
        });
    }
    files
}

fn subsections(r: &Reader, section: SectionId, lang: &str) -> Value {
    let mut indexes: Vec<DocId> = r
        .section(section)
        .children
        .iter()
        .filter_map(|child| r.section(*child).langs.get(lang).and_then(|sl| sl.index))
        .collect();
    // By weight (unweighted last), then in folder order: stable either way.
    indexes.sort_by_key(|id| r.doc(*id).front_matter.weight.map_or((1, 0), |w| (0, w)));
    let items: Vec<Value> = indexes.iter().map(|index| r.summary(*index)).collect();
    Value::from(items)
}

/// `_redirects`, read by hosts that do redirects themselves (Netlify,
/// Cloudflare Pages…): one `from to 301` line per alias.
fn redirects_file(site: &Site) -> Option<OutputFile> {
    let mut lines: Vec<String> = Vec::new();
    for id in site.doc_ids() {
        for (alias, _) in &site.doc(id).front_matter.aliases {
            let from = site.config.url_of(alias.trim_matches('/'));
            let from = if from.ends_with(".html") {
                from
            } else {
                format!("{from}/")
            };
            lines.push(format!(
                "{} {} 301",
                crate::escape::url_path(&from),
                site.url(id)
            ));
        }
    }
    if lines.is_empty() {
        return None;
    }
    lines.sort();
    Some(OutputFile::html(
        "_redirects".into(),
        lines.join("\n") + "\n",
        Origin::Generated("aliases".into()),
    ))
}

/// The longest file or folder name most file systems accept, in bytes.
const MAX_NAME_LEN: usize = 255;

/// Redirect pages for `aliases`.
fn aliases(site: &Site) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for id in site.doc_ids() {
        let doc = site.doc(id);
        for (alias, spot) in &doc.front_matter.aliases {
            let trimmed = alias.trim_matches('/');
            let path = if trimmed.ends_with(".html") {
                trimmed.to_string()
            } else {
                format!("{trimmed}/index.html")
            };
            if !is_safe_relative(&path) {
                errors.push(
                    Diagnostic::error(msg!("render.bad_alias", alias))
                        .at_span(doc.source.rel_path.clone(), &doc.text, spot.span.clone())
                        .with_help(msg!("render.bad_alias_help")),
                );
                continue;
            }
            if let Some(long) = trimmed.split('/').find(|s| s.len() > MAX_SLUG_LEN) {
                errors.push(
                    Diagnostic::error(msg!(
                        "render.long_alias",
                        length = long.len(),
                        max = MAX_SLUG_LEN
                    ))
                    .at_span(doc.source.rel_path.clone(), &doc.text, spot.span.clone())
                    .with_help(msg!("render.long_alias_help")),
                );
                continue;
            }
            files.push(OutputFile::html(
                path,
                chrome::redirect(&site.url(id), &site.permalink(id), &doc.source.lang),
                Origin::Content(doc.source.rel_path.clone()),
            ));
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// Page and section assets, published beside each language version.
fn assets(site: &Site) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for asset in &site.assets {
        let dirs: Vec<String> = match &asset.owner {
            AssetOwner::Page(key) => site
                .config
                .language_codes()
                .filter_map(|lang| site.lookup.get(&LookupKey::new(key, false, lang)))
                .map(|id| site.placement(*id).url_path.clone())
                .collect(),
            AssetOwner::Section(dir) => site
                .section_by_dir
                .get(dir)
                .map(|s| {
                    site.section(*s)
                        .langs
                        .values()
                        .map(|sl| sl.url_path.clone())
                        .collect()
                })
                .unwrap_or_default(),
        };
        for dir in dirs {
            files.push(OutputFile {
                path: format!("{dir}{}", asset.sub_path),
                content: Content::Copy(asset.abs_path.clone()),
                origin: Origin::Asset(asset.rel_path.clone()),
            });
        }
    }
    files
}

/// The theme's `static/`, then the site's `static/` (which wins).
fn add_static_files(inputs: &Inputs, set: &mut OutputSet, diagnostics: &mut Diagnostics) {
    let theme_files = inputs.theme.files_under("static").map(|(rel, f)| {
        (
            rel.to_string(),
            f.clone(),
            Origin::Theme as fn(String) -> Origin,
        )
    });
    let site_static = match site_files(inputs.root, "static", true) {
        Ok(files) => files,
        Err(d) => {
            diagnostics.push(d);
            return;
        }
    };
    let site_files = site_static
        .into_iter()
        .map(|f| (f.rel.clone(), f, Origin::Static as fn(String) -> Origin));
    for (rel, file, origin) in theme_files.chain(site_files) {
        let content = match (&file.abs_path, &file.bytes) {
            (Some(path), _) => Content::Copy(path.clone()),
            (None, std::borrow::Cow::Borrowed(bytes)) => Content::Static(bytes),
            (None, std::borrow::Cow::Owned(bytes)) => {
                Content::Bytes(std::sync::Arc::new(bytes.clone()))
            }
        };
        let file = OutputFile {
            path: rel,
            content,
            origin: origin(file.origin.clone()),
        };
        match set.files.get(&file.path) {
            // A static file may replace a theme file, never a page.
            Some(existing) if !matches!(existing.origin, Origin::Static(_) | Origin::Theme(_)) => {
                diagnostics.push(
                    Diagnostic::error(msg!(
                        "render.same_file",
                        origin = &file.origin,
                        first = &existing.origin,
                        path = &file.path
                    ))
                    .in_file(file.origin.clone())
                    .with_help(msg!("render.static_clash_help")),
                );
            }
            _ => set.replace(file),
        }
    }
}
