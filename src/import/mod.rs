//! `portail import`: another generator's site read into [`Page`]s, which
//! are paired by language, given their old addresses as aliases, their
//! links rewritten to `@/` links, and written as a portail site, with a
//! report of what became of every file.
//!
//! Each importer (`hugo`, …) only reads; the steps after it are shared.

mod body;
mod common;
pub mod dialects;
mod hugo;
mod jekyll;
mod markdown;
mod wordpress;
mod write;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;
use crate::messages::{Message, MessageLang};

/// The generators portail imports from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Generator {
    Hugo,
    Jekyll,
    /// A WordPress export file (WXR).
    Wordpress,
}

/// What an importer read.
#[derive(Debug, Default)]
pub struct Read {
    pub base_url: String,
    pub title: String,
    pub default_language: String,
    /// Code, own name and site title, the default language first.
    pub languages: Vec<Language>,
    /// Taxonomy names (the plural, as pages write them).
    pub taxonomies: Vec<String>,
    pub timezone: Option<String>,
    pub pages: Vec<Page>,
    /// Files copied as they are: the file, its path in the source folder
    /// and in the new site (`static/…`, or `content/…` beside a page).
    pub copies: Vec<(PathBuf, String, String)>,
    /// The files read that are not pages, resources or static files.
    pub others: Vec<Row>,
    /// By section folder: the facts its translations share (written once,
    /// in the default language's file).
    pub shared: BTreeMap<String, Vec<&'static str>>,
}

#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub title: String,
}

/// A page as read, before it is written.
#[derive(Debug, Clone)]
pub struct Page {
    /// The source file, relative to the source folder.
    pub origin: String,
    pub lang: String,
    /// Its folder under `content/` (`""` for the home).
    pub dir: String,
    /// The file's name without language and extension; `_index` for a
    /// section's own page.
    pub name: String,
    /// Written as `<name>/index.<lang>.md`, its files beside it.
    pub bundle: bool,
    pub front: Front,
    pub body: String,
    /// The addresses it had, for links and aliases.
    pub old_urls: Vec<String>,
    /// Pairs it with pages of other names (Hugo's `translationKey`).
    pub key: Option<String>,
    pub notes: Vec<Message>,
}

/// portail's front matter, as the importers fill it.
#[derive(Debug, Clone, Default)]
pub struct Front {
    pub title: String,
    pub slug: Option<String>,
    pub description: Option<String>,
    /// As written in TOML: `2024-05-12` or `2024-05-12T10:30:00+02:00`.
    pub date: Option<String>,
    pub updated: Option<String>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub aliases: Vec<String>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub extra: Map<String, Value>,
}

/// What became of one source file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    pub file: String,
    pub result: Outcome,
    /// Where it was written, under the new site's folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
    #[serde(skip)]
    pub notes: Vec<Message>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Imported,
    Warning,
    Skipped,
}

/// The report of an import.
#[derive(Debug)]
pub struct Report {
    pub rows: Vec<Row>,
}

/// Reads `source` as a site of `generator` and writes it into `into`
/// (new, or an empty folder); nothing is written when it fails.
pub fn import(
    generator: Generator,
    source: &Path,
    into: &Path,
    uploads: Option<&Path>,
) -> Result<Report, Diagnostic> {
    let file_allowed = generator == Generator::Wordpress && source.is_file();
    if !source.is_dir() && !file_allowed {
        return Err(
            Diagnostic::error(msg!("import.no_source", path = source.display()))
                .with_help(msg!("import.no_source_help")),
        );
    }
    let folder = if source.is_file() {
        source.parent().unwrap_or(Path::new("."))
    } else {
        source
    };
    if within(into, folder) {
        return Err(
            Diagnostic::error(msg!("import.into_source", path = into.display()))
                .with_help(msg!("import.into_source_help")),
        );
    }
    let read = match generator {
        Generator::Hugo => hugo::read(source)?,
        Generator::Jekyll => jekyll::read(source)?,
        Generator::Wordpress => wordpress::read(source, uploads)?,
    };
    let Read {
        mut pages, others, ..
    } = read;
    let mut site = Read {
        pages: Vec::new(),
        others: Vec::new(),
        ..read
    };
    tidy(&mut pages);
    pair(&mut pages, &site.default_language);
    give_aliases(&mut pages);
    site.shared = share(&mut pages, &site.default_language);
    let targets = Targets::of(&pages);
    let rewritten: Vec<(String, Vec<Message>)> = {
        let links = body::Links {
            targets: &targets,
            pages: &pages,
            base_url: &site.base_url,
            follow_language: generator == Generator::Jekyll,
        };
        pages
            .iter()
            .map(|page| body::rewrite(page, &links))
            .collect()
    };
    for (page, (body, notes)) in pages.iter_mut().zip(rewritten) {
        page.body = body;
        page.notes.extend(notes);
    }
    site.pages = pages;
    let (files, mut rows) = write::files(&site)?;
    crate::scaffold::init::write_site(into, &files)?;
    rows.extend(others);
    rows.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(Report { rows })
}

/// Whether `path` (which may not exist yet) is `folder` or inside it.
fn within(path: &Path, folder: &Path) -> bool {
    let Ok(folder) = folder.canonicalize() else {
        return false;
    };
    // The nearest part of `path` that exists, then the rest as written.
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return false,
        }
        if existing.as_os_str().is_empty() {
            existing = PathBuf::from(".");
        }
    }
    let Ok(mut full) = existing.canonicalize() else {
        return false;
    };
    full.extend(rest.iter().rev());
    full.starts_with(&folder)
}

/// What every page needs whatever it came from: a title (its file's name
/// when it had none) and terms that are words.
fn tidy(pages: &mut [Page]) {
    for page in pages.iter_mut() {
        if page.front.title.trim().is_empty() {
            let name = if page.name == "_index" {
                page.dir.rsplit('/').next().unwrap_or("")
            } else {
                crate::load::dates::split_date_prefix(&page.name)
                    .map_or(page.name.as_str(), |(_, n)| n)
            };
            let title = write::title_of_folder(name);
            page.front.title = if title.is_empty() {
                "—".to_string()
            } else {
                title
            };
            page.notes
                .push(msg!("import.no_title", title = &page.front.title));
        }
        let mut blank = false;
        for terms in page.front.taxonomies.values_mut() {
            let before = terms.len();
            terms.retain(|t| !t.trim().is_empty());
            blank |= terms.len() != before;
        }
        page.front.taxonomies.retain(|_, terms| !terms.is_empty());
        if blank {
            page.notes.push(msg!("import.blank_terms"));
        }
    }
}

/// Pages that share a translation key under other names take the name of
/// the default language's page (or the first), so the files pair as
/// portail pairs them.
fn pair(pages: &mut [Page], default_language: &str) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (at, page) in pages.iter().enumerate() {
        if let Some(key) = &page.key {
            groups.entry(key.clone()).or_default().push(at);
        }
    }
    for members in groups.values() {
        let lead = members
            .iter()
            .copied()
            .find(|&at| pages[at].lang == default_language)
            .unwrap_or(members[0]);
        let (dir, name, bundle) = (
            pages[lead].dir.clone(),
            pages[lead].name.clone(),
            pages[lead].bundle,
        );
        for &at in members {
            let page = &pages[at];
            if (page.dir.as_str(), page.name.as_str()) == (dir.as_str(), name.as_str()) {
                continue;
            }
            let taken = pages.iter().any(|p| {
                p.lang == page.lang && p.dir == dir && p.name == name && p.origin != page.origin
            });
            let page = &mut pages[at];
            if taken {
                page.notes.push(msg!(
                    "import.not_paired",
                    key = page.key.clone().unwrap_or_default()
                ));
                continue;
            }
            page.notes.push(msg!(
                "import.renamed_to_pair",
                name = write::content_path(&dir, &name, &page.lang, bundle)
            ));
            // A page keeps its own address through its slug.
            if page.front.slug.is_none() && page.name != "_index" {
                let name = crate::load::dates::split_date_prefix(&page.name)
                    .map_or(page.name.as_str(), |(_, rest)| rest);
                page.front.slug = Some(crate::load::slug::slugify(name));
            }
            page.dir = dir.clone();
            page.name = name.clone();
            page.bundle = page.bundle || bundle;
        }
    }
}

/// portail writes some facts once for all translations (`date`,
/// `weight`, `taxonomies`, `image`). Each section shares those that every
/// page's translations agree on, which its translations then leave out;
/// the others (terms translated into each language, say) stay in each
/// file and the section does not share them.
fn share(pages: &mut [Page], default_language: &str) -> BTreeMap<String, Vec<&'static str>> {
    let fact = |page: &Page, name: &str| -> String {
        let f = &page.front;
        match name {
            "date" => format!("{:?}", f.date),
            "weight" => format!("{:?}", f.weight),
            "taxonomies" => format!("{:?}", f.taxonomies),
            _ => format!("{:?}", f.image),
        }
    };
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (at, page) in pages.iter().enumerate() {
        groups
            .entry((page.dir.clone(), page.name.clone()))
            .or_default()
            .push(at);
    }
    let mut shared: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    for (dir, _) in groups.keys() {
        shared
            .entry(dir.clone())
            .or_insert_with(|| crate::load::config::DEFAULT_SHARED.to_vec());
    }
    for ((dir, _), members) in &groups {
        let Some(source) = members
            .iter()
            .find(|&&at| pages[at].lang == default_language)
        else {
            continue;
        };
        let list = shared.entry(dir.clone()).or_default();
        list.retain(|name| {
            members
                .iter()
                .all(|&at| fact(&pages[at], name) == fact(&pages[*source], name))
        });
    }
    let languages: std::collections::BTreeSet<&str> =
        pages.iter().map(|p| p.lang.as_str()).collect();
    let languages: Vec<String> = languages.into_iter().map(str::to_string).collect();
    for members in groups.values() {
        let missing: Vec<&str> = (languages.iter())
            .filter(|l| !members.iter().any(|&at| pages[at].lang == **l))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            for &at in members {
                (pages[at].notes).push(msg!("import.untranslated", languages = missing.join(", ")));
            }
        }
    }
    for ((dir, _), members) in &groups {
        let has_source = members.iter().any(|&at| pages[at].lang == default_language);
        let list = &shared[dir];
        for &at in members.iter().filter(|_| has_source) {
            if pages[at].lang == default_language {
                continue;
            }
            let front = &mut pages[at].front;
            for name in list {
                match *name {
                    "date" => front.date = None,
                    "weight" => front.weight = None,
                    "taxonomies" => front.taxonomies.clear(),
                    _ => front.image = None,
                }
            }
        }
    }
    shared
}

/// The address portail gives a page (with its language prefix).
pub fn new_url(page: &Page) -> String {
    let mut url = format!("/{}/", page.lang);
    if !page.dir.is_empty() {
        url.push_str(&page.dir);
        url.push('/');
    }
    if page.name != "_index" {
        let name = crate::load::dates::split_date_prefix(&page.name)
            .map_or(page.name.as_str(), |(_, rest)| rest);
        let slug = page.front.slug.as_deref().unwrap_or(name);
        url.push_str(slug);
        url.push('/');
    }
    url
}

/// Each address a page had becomes an alias, so that old links and
/// bookmarks still lead to it.
fn give_aliases(pages: &mut [Page]) {
    for page in pages.iter_mut() {
        let own = normal_url(&new_url(page));
        let olds: Vec<String> = page
            .old_urls
            .iter()
            .chain(page.front.aliases.iter())
            .map(|u| normal_url(u))
            .filter(|u| *u != own && u != "/")
            .collect();
        let mut aliases: Vec<String> = Vec::new();
        for old in olds {
            if !aliases.contains(&old) {
                aliases.push(old);
            }
        }
        page.front.aliases = aliases;
    }
}

/// An address as compared: a path, decoded, with a final slash.
pub fn normal_url(url: &str) -> String {
    let path = url.split(['#', '?']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut path = decoded.trim().to_string();
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if !path.ends_with('/') && !last.contains('.') {
        path.push('/');
    }
    // `.` and `..` as a browser reads them: never above the root.
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if part == ".." {
            parts.pop();
        } else {
            parts.push(part);
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if path.ends_with('/') && out != "/" {
        out.push('/');
    }
    out
}

/// The pages by their old addresses and by their source paths.
pub struct Targets {
    by_url: HashMap<String, usize>,
    by_origin: HashMap<String, Vec<usize>>,
}

impl Targets {
    fn of(pages: &[Page]) -> Targets {
        let mut by_url = HashMap::new();
        let mut by_origin: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, page) in pages.iter().enumerate() {
            for url in page.old_urls.iter().chain(&page.front.aliases) {
                by_url.entry(normal_url(url)).or_insert(at);
            }
            by_url.entry(normal_url(&new_url(page))).or_insert(at);
            by_origin.entry(page.origin.clone()).or_default().push(at);
        }
        Targets { by_url, by_origin }
    }

    pub fn by_url(&self, url: &str) -> Option<usize> {
        self.by_url.get(&normal_url(url)).copied()
    }

    /// The page whose source path (relative to the content folder, with
    /// or without extension and language) is `path`.
    pub fn by_content_path(&self, pages: &[Page], path: &str, lang: &str) -> Option<usize> {
        let wanted = path.trim_start_matches('/').trim_end_matches('/');
        let candidates: Vec<usize> = self
            .by_origin
            .iter()
            .filter(|(origin, _)| content_path_matches(origin, wanted))
            .flat_map(|(_, at)| at.iter().copied())
            .collect();
        candidates
            .iter()
            .copied()
            .find(|&at| pages[at].lang == lang)
            .or_else(|| candidates.first().copied())
    }
}

/// Whether a source path such as `content/posts/x.fr.md` (or
/// `content/fr/posts/x.md`) is the content path `posts/x.md`, `posts/x`
/// or `x.md` written in a link.
fn content_path_matches(origin: &str, wanted: &str) -> bool {
    let strip = |p: &str| -> String {
        let p = p.strip_suffix(".md").unwrap_or(p);
        let (stem, _) = crate::load::lang::split_language_suffix(p);
        stem.strip_suffix("/index")
            .or_else(|| stem.strip_suffix("/_index"))
            .unwrap_or(stem)
            .to_string()
    };
    let origin = strip(origin);
    let wanted = strip(wanted);
    !wanted.is_empty() && (origin == wanted || origin.ends_with(&format!("/{wanted}")))
}

impl Report {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.rows.iter().filter(|r| r.result == outcome).count()
    }

    /// A table for people: one line a file, its notes below it.
    pub fn table(&self, lang: MessageLang) -> String {
        let mut out = String::new();
        for row in &self.rows {
            let result = match row.result {
                Outcome::Imported => msg!("import.result_imported"),
                Outcome::Warning => msg!("import.result_warning"),
                Outcome::Skipped => msg!("import.result_skipped"),
            }
            .render(lang);
            match &row.written {
                Some(to) => out.push_str(&format!("{result:9}  {} → {to}\n", row.file)),
                None => out.push_str(&format!("{result:9}  {}\n", row.file)),
            }
            for note in &row.notes {
                out.push_str(&format!("{:9}    {}\n", "", note.render(lang)));
            }
        }
        out.push_str(
            &msg!(
                "import.summary",
                files = self.rows.len(),
                imported = self.count(Outcome::Imported),
                warnings = self.count(Outcome::Warning),
                skipped = self.count(Outcome::Skipped)
            )
            .render(lang),
        );
        out.push('\n');
        out
    }

    /// One JSON document, for tools.
    pub fn json(&self, lang: MessageLang) -> String {
        let files: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                let mut value = serde_json::to_value(row).unwrap_or(Value::Null);
                value["notes"] = row.notes.iter().map(|n| n.render(lang)).collect();
                value
            })
            .collect();
        let report = serde_json::json!({
            "files": files,
            "imported": self.count(Outcome::Imported),
            "warnings": self.count(Outcome::Warning),
            "skipped": self.count(Outcome::Skipped),
        });
        serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_compare_decoded_with_a_final_slash() {
        assert_eq!(normal_url("/fr/posts/r%C3%A9union"), "/fr/posts/réunion/");
        assert_eq!(normal_url("posts/x/#top"), "/posts/x/");
        assert_eq!(normal_url("/files/report.pdf"), "/files/report.pdf");
        assert_eq!(normal_url("/../../x/"), "/x/");
        assert_eq!(normal_url("../rel/./x"), "/rel/x/");
    }

    #[test]
    fn content_paths_match_with_or_without_extension_and_language() {
        assert!(content_path_matches("content/posts/x.fr.md", "posts/x.md"));
        assert!(content_path_matches("content/posts/x.md", "posts/x"));
        assert!(content_path_matches(
            "content/posts/b/index.en.md",
            "posts/b"
        ));
        assert!(content_path_matches("content/about/team.md", "team.md"));
        assert!(!content_path_matches("content/posts/xy.md", "y.md"));
    }
}
