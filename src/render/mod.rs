//! Stage `render_html`: the assembled site and its rendered Markdown become
//! the output set — one renderer per output kind, pages in parallel.

mod calendar;
mod chrome;
pub mod feeds;
mod home;
mod lists;
mod metadata;
mod partial;
mod sitemap;
pub mod templates;
pub use sitemap::Sitemap;
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
use crate::memo::Recall;
use crate::output::{Content, Origin, OutputFile, OutputSet, is_safe_relative};
use crate::search::{self, text::Pipeline};
use crate::site::{DocId, LookupKey, SectionId, Site};
use crate::timings::Timings;
use templates::{KnownValues, Templates, Vars};
use views::map;

pub use partial::{Ahead, render_replaced};

/// Everything the renderers read.
pub struct Inputs<'a> {
    /// The `data/` files.
    pub data: &'a serde_json::Value,
    /// The day upcoming events are measured from.
    pub today: jiff::civil::Date,
    pub root: &'a Path,
    pub site: &'a Site,
    pub rendered: &'a [Rendered],
    pub templates: &'a Templates,
    pub theme: &'a Theme,
    /// Pages of the last build, reused when their template and variables
    /// are unchanged.
    pub pages: &'a Recall<String>,
    /// Where template time goes (`build --timings`).
    pub timings: &'a Timings,
}

/// Values shared by every page of a language, built once (and kept by
/// `serve` to render one page again after a change to its body alone).
pub struct Shared {
    /// `data/` files, for every template as `data`.
    data: Value,
    site_by_lang: BTreeMap<String, Value>,
    summaries: Vec<Value>,
    /// Each page's related pages (none for sections and where the section
    /// shows none), found once: `serve` updates them after an edit.
    related: Vec<Vec<DocId>>,
    /// The summaries' hashes (kept beside them, see [`KnownValues`]).
    known: KnownValues,
}

impl Shared {
    /// The values every page of `inputs` reads.
    pub fn new(inputs: &Inputs) -> Result<Shared, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let summaries = views::summaries(inputs.site, inputs.rendered);
        let data = Value::from_serializable(inputs.data);
        let site_by_lang = site_values(inputs.site, &inputs.templates.strings, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let known = if inputs.pages.remembers() {
            let every_page_has = site_by_lang.values().chain([&data]);
            KnownValues::new(summaries.iter().chain(every_page_has))
        } else {
            KnownValues::none()
        };
        Ok(Shared {
            data,
            site_by_lang,
            known,
            summaries,
            related: related_pages(inputs.site),
        })
    }

    /// Moves the values of the pages kept from the last build to their
    /// new ids (`ids`: each old page's id now, of `count`); those of the
    /// pages new to the site are left empty, to be found again.
    pub fn remap(&mut self, ids: &[Option<DocId>], count: usize) {
        let mut summaries = vec![Value::none(); count];
        let mut related = vec![Vec::new(); count];
        let old = std::mem::take(&mut self.summaries)
            .into_iter()
            .zip(std::mem::take(&mut self.related));
        for ((summary, shown), id) in old.zip(ids) {
            if let Some(id) = id {
                summaries[id.0] = summary;
                related[id.0] = shown
                    .iter()
                    .map(|p| ids[p.0].unwrap_or(DocId::GONE))
                    .collect();
            }
        }
        self.summaries = summaries;
        self.related = related;
    }

    /// Whether `site` in templates (its menus lead to pages) is as the
    /// pages were rendered with.
    pub fn same_site_values(&self, inputs: &Inputs) -> bool {
        let mut problems = Diagnostics::new();
        let values = site_values(inputs.site, &inputs.templates.strings, &mut problems);
        !problems.has_errors() && values == self.site_by_lang
    }

    fn render(&self, inputs: &Inputs, template: &str, vars: &Vars) -> Result<String, Diagnostic> {
        inputs
            .templates
            .render(template, vars, inputs.pages, &self.known, inputs.timings)
    }
}

/// The files a doc's body shows in, after a change to that body alone that
/// left its summary as it was: the doc's own pages and the feeds that show
/// it.
pub fn render_body_change(
    inputs: &Inputs,
    shared: &Shared,
    id: DocId,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut files = render_doc(inputs, shared, id)?;
    if feeds::shows(inputs.site, id) {
        files.extend(feeds::feeds(inputs.site, inputs.rendered));
    }
    Ok(files)
}

/// What a build keeps for `serve` to update after an edit of pages.
pub struct Kept<'a> {
    pub shared: &'a mut Shared,
    pub sitemap: &'a mut Sitemap,
}

/// Renders the whole output; also gives the sitemap's entries.
pub fn render_site(inputs: &Inputs, shared: &Shared) -> Result<(OutputSet, Sitemap), Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut files = render_docs(inputs, shared, &mut diagnostics);
    files.extend(render_site_pages(inputs, shared, &mut diagnostics));
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let mut set = OutputSet::default();
    for file in files {
        if let Err(error) = add_file(&mut set, file) {
            diagnostics.push(error);
        }
    }
    let sitemap = sitemap_of(inputs.site, &set);
    let _ = set.insert(sitemap.file());
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
    Ok((set, sitemap))
}

/// Every doc's pages, in parallel. A template error shows once, not once
/// per page that uses the template.
fn render_docs(inputs: &Inputs, shared: &Shared, diagnostics: &mut Diagnostics) -> Vec<OutputFile> {
    let results: Vec<Result<Vec<OutputFile>, Diagnostic>> = inputs
        .site
        .doc_ids()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|id| render_doc(inputs, shared, id))
        .collect();
    let mut files = Vec::new();
    let mut template_errors: Vec<(Diagnostic, Vec<&str>)> = Vec::new();
    for (id, result) in inputs.site.doc_ids().zip(results) {
        match result {
            Ok(mut f) => files.append(&mut f),
            Err(d) => match template_errors.iter_mut().find(|(seen, _)| *seen == d) {
                Some((_, docs)) => docs.push(&inputs.site.doc(id).source.rel_path),
                None => template_errors.push((d, vec![&inputs.site.doc(id).source.rel_path])),
            },
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
    files
}

/// The files that belong to the site rather than to one doc: search,
/// taxonomy, term and 404 pages, the language chooser, feeds, calendars,
/// robots.txt, redirects, and page and section assets.
fn render_site_pages(
    inputs: &Inputs,
    shared: &Shared,
    diagnostics: &mut Diagnostics,
) -> Vec<OutputFile> {
    // With `root = "default"` the default language's home and 404 page are
    // at the root instead of the bilingual ones.
    let bilingual = match inputs.site.config.root {
        RootMode::Chooser => vec![
            ("404.html", "404.html"),
            ("language_chooser.html", "index.html"),
        ],
        RootMode::Default => Vec::new(),
    };
    let mut files = Vec::new();
    for result in search_pages(inputs, shared)
        .into_iter()
        .chain(lists::taxonomy_pages(inputs, shared, &|_, _, _| {
            Some(Pagers::All)
        }))
        .chain(lists::not_found_pages(inputs, shared))
        .chain(
            bilingual
                .into_iter()
                .map(|(template, path)| chrome::bilingual_page(inputs, shared, template, path)),
        )
    {
        match result {
            Ok(f) => files.push(f),
            Err(d) => diagnostics.push(d),
        }
    }
    files.extend(feeds::feeds(inputs.site, inputs.rendered));
    files.extend(calendar::files(inputs.site));
    files.push(sitemap::robots(inputs.site));
    match aliases(inputs.site) {
        Ok(mut f) => {
            if let Some(redirects) = redirects_file(inputs.site) {
                f.push(redirects);
            }
            files.append(&mut f)
        }
        Err(mut d) => diagnostics.extend(d.drain(..)),
    }
    files.extend(assets(inputs.site));
    files
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
fn sitemap_of(site: &Site, set: &OutputSet) -> Sitemap {
    let content = content_paths(site);
    let lists: Vec<String> = set
        .files
        .values()
        .filter(|f| is_list_page(f, |folder| content.contains(folder)))
        .map(|f| f.path.clone())
        .collect();
    Sitemap::new(site, &lists)
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

/// `site.colors`: CSS custom property → colour, for those the site sets
/// (none when it sets none).
fn colors_value(colors: &crate::load::config::Colors) -> Value {
    let set: BTreeMap<String, Value> = [
        ("accent", &colors.accent),
        ("band", &colors.band),
        ("accent-on-dark", &colors.dark_accent),
    ]
    .into_iter()
    .filter_map(|(name, color)| Some((name.to_string(), Value::from(color.as_deref()?))))
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
    if pipeline == Pipeline::French {
        scripts.push(asset("lunr.stemmer.support.min.js"));
        scripts.push(asset("lunr.fr.min.js"));
    }
    scripts.push(asset("portail-lunr.js"));
    map([
        ("url", Value::from(url)),
        (
            "index",
            Value::from(site.config.url_of(&search::index_path(lang))),
        ),
        (
            "documents",
            Value::from(site.config.url_of(&search::documents_path(lang))),
        ),
        ("scripts", Value::from(scripts.join(" "))),
        ("ui", Value::from(asset("search.js"))),
        (
            "pipeline",
            Value::from(match pipeline {
                Pipeline::English => "english",
                Pipeline::French => "french",
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
fn search_pages(inputs: &Inputs, shared: &Shared) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = inputs.site;
    let strings = &inputs.templates.strings;
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
            let title = strings.get(lang, "search_title").unwrap_or("Search");
            let context = lists::page_context(inputs, shared, lang, title, path, &versions);
            let html = shared.render(inputs, "search.html", &context)?;
            Ok(OutputFile::html(
                format!("{path}index.html"),
                html,
                Origin::Template("templates/search.html".into()),
            ))
        })
        .collect()
}

fn base_context(shared: &Shared, site: &Site, id: DocId) -> Vars {
    let doc = site.doc(id);
    let mut context = Vars::new();
    context.insert("lang", &doc.source.lang);
    context.insert_value("site", shared.site_by_lang[&doc.source.lang].clone());
    context.insert_value("data", shared.data.clone());
    context.insert_value("translations", views::translations(site, id));
    context.insert_value("language_links", views::language_links(site, id));
    let (alternates, x_default) = views::alternates(site, id);
    context.insert_value("alternates", alternates);
    context.insert("x_default", &x_default);
    let locale = site
        .config
        .language(&doc.source.lang)
        .map_or("", |l| l.locale.as_str());
    context.insert("locale", locale);
    context.insert_value("section", Value::none());
    context.insert_value("page", Value::none());
    context.insert_value("paginator", Value::none());
    context.insert("page_number", &1);
    context.insert("canonical", &site.permalink(id));
    context.insert("current_url", &site.url(id));
    context.insert("json_ld", &metadata::json_ld(site, id));
    context.insert("og_type", metadata::og_type(site, id));
    // The doc's summary whether it is a page or a section, for shared partials.
    context.insert_value("current", shared.summaries[id.0].clone());
    context
}

/// The full view of a doc: its summary plus content, headings and translations.
fn full_view(inputs: &Inputs, shared: &Shared, id: DocId) -> Value {
    let rendered = &inputs.rendered[id.0];
    let mut view = shared.summaries[id.0]
        .clone()
        .into_map()
        .unwrap_or_default();
    view.insert("content".into(), Value::safe_string(&rendered.html));
    view.insert(
        "headings".into(),
        Value::from_serializable(&rendered.headings),
    );
    view.insert("translations".into(), views::translations(inputs.site, id));
    view.insert("documents".into(), views::documents(inputs.site, id));
    Value::from(view)
}

/// Which pages of a paginated list to render (`serve` renders again only
/// those an edit changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pagers {
    All,
    /// By number, from 1.
    Only(std::collections::BTreeSet<usize>),
}

impl Pagers {
    /// Whether no page is wanted.
    fn none(&self) -> bool {
        matches!(self, Pagers::Only(numbers) if numbers.is_empty())
    }

    fn wants(&self, n: usize) -> bool {
        match self {
            Pagers::All => true,
            Pagers::Only(numbers) => numbers.contains(&n),
        }
    }

    /// The first page only (a page that is not a list has no other).
    fn first() -> Pagers {
        Pagers::Only([1].into())
    }

    /// The pages both ask for.
    fn and(&self, other: &Pagers) -> Pagers {
        match (self, other) {
            (Pagers::All, other) | (other, Pagers::All) => other.clone(),
            (Pagers::Only(a), Pagers::Only(b)) => {
                Pagers::Only(a.intersection(b).copied().collect())
            }
        }
    }

    /// The pages of the list at `folder` (`fr/news/`) among `paths`,
    /// output paths: its first page is `folder/index.html`, the others
    /// `folder/page/<n>/index.html`. (A page that is not a list is its
    /// first page.)
    fn among(folder: &str, paths: &std::collections::BTreeSet<String>) -> Pagers {
        let numbers = paths
            .iter()
            .filter_map(|path| pager_number(path.strip_prefix(folder)?))
            .filter(|n| *n > 0)
            .collect();
        Pagers::Only(numbers)
    }
}

/// The number of the pager page at `rest`, a path below its list's
/// folder: 1 for `index.html`, `n` for `page/<n>/index.html` (digits).
fn pager_number(rest: &str) -> Option<usize> {
    if rest == "index.html" {
        return Some(1);
    }
    let n = rest.strip_prefix("page/")?.strip_suffix("/index.html")?;
    is_number(n).then(|| n.parse().ok())?
}

/// Digits only, at least one.
fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn render_doc(inputs: &Inputs, shared: &Shared, id: DocId) -> Result<Vec<OutputFile>, Diagnostic> {
    render_doc_pagers(inputs, shared, id, &Pagers::All)
}

/// A doc's pages; for a section, those of its list's pages `pagers` asks for.
fn render_doc_pagers(
    inputs: &Inputs,
    shared: &Shared,
    id: DocId,
    pagers: &Pagers,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let doc = inputs.site.doc(id);
    let template = doc
        .front_matter
        .template
        .as_ref()
        .map(|(name, spot)| {
            if inputs.templates.has(name) {
                Ok(name.clone())
            } else {
                Err(Diagnostic::error(msg!("render.no_template", name))
                    .at_span(doc.source.rel_path.clone(), &doc.text, spot.span.clone())
                    .with_help(msg!("render.no_template_help")))
            }
        })
        .transpose()?;
    let context = base_context(shared, inputs.site, id);
    if doc.is_section() {
        render_section(inputs, shared, id, context, template, pagers)
    } else {
        render_page(inputs, shared, id, context, template).map(|file| vec![file])
    }
}

/// A content page: `page.html` (or its own template) with the page, its
/// related pages, its event file and its section.
fn render_page(
    inputs: &Inputs,
    shared: &Shared,
    id: DocId,
    mut context: Vars,
    template: Option<String>,
) -> Result<OutputFile, Diagnostic> {
    let site = inputs.site;
    let doc = site.doc(id);
    let placement = site.placement(id);
    let section = site.section(placement.section);
    let template = template.unwrap_or_else(|| "page.html".to_string());
    context.insert_value("page", full_view(inputs, shared, id));
    let related: Vec<Value> = shared.related[id.0]
        .iter()
        .map(|p| shared.summaries[p.0].clone())
        .collect();
    context.insert_value("related", Value::from(related));
    let is_event = site
        .config
        .section(&section.dir)
        .is_some_and(|s| s.calendar)
        && calendar::days(doc).is_some();
    context.insert(
        "event_file",
        &is_event.then(|| site.config.url_of(&calendar::event_path(site, id))),
    );
    if let Some(index) = section.langs[&doc.source.lang].index {
        context.insert_value("section", shared.summaries[index.0].clone());
    }
    let html = shared.render(inputs, &template, &context)?;
    Ok(OutputFile::html(
        format!("{}index.html", placement.url_path),
        html,
        Origin::Content(doc.source.rel_path.clone()),
    ))
}

/// A section's list pages (paginated, unless it is a calendar or has
/// filters), and its year pages.
fn render_section(
    inputs: &Inputs,
    shared: &Shared,
    id: DocId,
    mut context: Vars,
    template: Option<String>,
    pagers: &Pagers,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let site = inputs.site;
    let doc = site.doc(id);
    let placement = site.placement(id);
    let section = site.section(placement.section);
    let lang = &doc.source.lang;
    let is_home = section.parent.is_none();
    // Set on every section, so that any section template may test it.
    let home = if is_home {
        home::home_view(inputs, shared, lang)
    } else {
        Value::none()
    };
    context.insert_value("home", home);
    let template =
        template.unwrap_or_else(|| if is_home { "home.html" } else { "section.html" }.to_string());
    let section_lang = &section.langs[lang];
    context.insert_value("section", section_view(inputs, shared, id));
    let mut year_files = Vec::new();
    let settings = site.config.section(&section.dir);
    let mut per_page = section_lang.paginate_by;
    if settings.is_some_and(|s| s.calendar) {
        let (upcoming, past, years) =
            calendar_views(inputs, shared, section_lang, &mut context, &mut year_files);
        context.insert_value(
            "calendar",
            map([("upcoming", upcoming), ("past", past), ("years", years)]),
        );
        context.insert(
            "calendar_file",
            &site.config.url_of(&calendar::calendar_path(section_lang)),
        );
        // The upcoming and past lists replace pagination.
        per_page = None;
    } else {
        context.insert_value("calendar", Value::none());
    }
    let filters = settings.map(|s| s.filters.clone()).unwrap_or_default();
    if filters.is_empty() {
        context.insert_value("filters", Value::none());
    } else {
        let value = lists::browse_filters(
            inputs,
            shared,
            section_lang,
            &filters,
            lang,
            &context,
            &mut year_files,
        );
        context.insert_value("filters", value);
        // The browse page shows every page; filters hide what does not match.
        per_page = None;
    }
    let pages: Vec<Value> = section_lang
        .pages
        .iter()
        .map(|p| shared.summaries[p.0].clone())
        .collect();
    let origin = Origin::Content(doc.source.rel_path.clone());
    paginate(
        inputs,
        shared,
        &mut context,
        &pages,
        per_page,
        &placement.url_path,
        &template,
        pagers,
    )
    .into_iter()
    .map(|file| {
        file.map(|f| OutputFile {
            origin: origin.clone(),
            ..f
        })
    })
    // Year pages keep their template as origin: they are list pages.
    .chain(year_files)
    .collect()
}

/// The `section` of a section's own pages: its full view, its feed and its
/// subsections.
fn section_view(inputs: &Inputs, shared: &Shared, id: DocId) -> Value {
    let site = inputs.site;
    let doc = site.doc(id);
    let placement = site.placement(id);
    let section_lang = &site.section(placement.section).langs[&doc.source.lang];
    let mut view = full_view(inputs, shared, id).into_map().unwrap_or_default();
    let feed = feeds::has_feed(site, &section_lang.pages, &doc.source.lang)
        .then(|| Value::from(site.config.url_of(&feeds::feed_path(&placement.url_path))));
    view.insert("feed".into(), feed.unwrap_or_else(Value::none));
    view.insert(
        "subsections".into(),
        subsections(inputs, shared, placement.section, &doc.source.lang),
    );
    Value::from(view)
}

/// Upcoming and past events of a calendar section and its year pages
/// (rendered into `files` with `year.html`).
fn calendar_views(
    inputs: &Inputs,
    shared: &Shared,
    section_lang: &crate::site::SectionLang,
    context: &mut Vars,
    files: &mut Vec<Result<OutputFile, Diagnostic>>,
) -> (Value, Value, Value) {
    let site = inputs.site;
    let summaries = |ids: &[DocId]| {
        Value::from(
            ids.iter()
                .map(|p| shared.summaries[p.0].clone())
                .collect::<Vec<_>>(),
        )
    };
    let (upcoming, past) = calendar::split(site, &section_lang.pages, inputs.today);
    let mut years = Vec::new();
    for (year, ids) in calendar::by_year(site, &section_lang.pages) {
        let path = format!("{}{year}/", section_lang.url_path);
        years.push(map([
            ("year", Value::from(i64::from(year))),
            ("url", Value::from(site.config.url_of(&path))),
            ("count", Value::from(ids.len())),
        ]));
        let mut year_context = context.clone();
        year_context.insert("year", &i64::from(year));
        lists::standalone(
            &mut year_context,
            &inputs
                .site
                .doc(section_lang.index.unwrap_or(DocId(0)))
                .source
                .lang,
            &format!("{}{path}", site.config.base_url),
        );
        year_context.insert("canonical", &format!("{}{path}", site.config.base_url));
        files.extend(paginate(
            inputs,
            shared,
            &mut year_context,
            &ids.iter()
                .map(|p| shared.summaries[p.0].clone())
                .collect::<Vec<_>>(),
            None,
            &path,
            "year.html",
            &Pagers::All,
        ));
    }
    // Past events beyond the latest ones are on the year pages.
    (
        summaries(&upcoming),
        summaries(&past[..past.len().min(20)]),
        Value::from(years),
    )
}

/// Renders a list of summaries with `template`, `per_page` at a time:
/// the first page at `path`, the others at `path/page/N/`, each with its
/// own `paginator`, canonical URL and number.
#[allow(clippy::too_many_arguments)]
pub(crate) fn paginate(
    inputs: &Inputs,
    shared: &Shared,
    context: &mut Vars,
    pages: &[Value],
    per_page: Option<usize>,
    path: &str,
    template: &str,
    pagers: &Pagers,
) -> Vec<Result<OutputFile, Diagnostic>> {
    let config = &inputs.site.config;
    let per_page = per_page.unwrap_or(usize::MAX).max(1);
    let chunks: Vec<&[Value]> = if pages.is_empty() {
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
        context.insert_value(
            "paginator",
            map([
                ("pages", Value::from(*chunk)),
                ("current", Value::from(n)),
                ("total", Value::from(chunks.len())),
                ("total_pages_count", Value::from(pages.len())),
                ("previous", link(n > 1, n.saturating_sub(1))),
                ("next", link(n < chunks.len(), n + 1)),
                ("first", Value::from(url(1))),
                ("last", Value::from(url(chunks.len()))),
            ]),
        );
        files.push(shared.render(inputs, template, context).map(|html| {
            OutputFile::html(
                format!("{}index.html", page_path(n)),
                html,
                Origin::Template(format!("templates/{template}")),
            )
        }));
    }
    files
}

fn subsections(inputs: &Inputs, shared: &Shared, section: SectionId, lang: &str) -> Value {
    let site = inputs.site;
    let mut indexes: Vec<DocId> = site
        .section(section)
        .children
        .iter()
        .filter_map(|child| site.section(*child).langs.get(lang).and_then(|sl| sl.index))
        .collect();
    // By weight (unweighted last), then in folder order: stable either way.
    indexes.sort_by_key(|id| site.doc(*id).front_matter.weight.map_or((1, 0), |w| (0, w)));
    let items: Vec<Value> = indexes
        .iter()
        .map(|index| shared.summaries[index.0].clone())
        .collect();
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
            (None, std::borrow::Cow::Owned(bytes)) => Content::Bytes(bytes.clone()),
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
