//! Stage `discover`: a sorted walk of `content/` that classifies every file.
//!
//! - `_index.<lang>.md` is a section's own page; its folder is a section.
//! - `index.<lang>.md` makes its folder a page folder: everything else in it
//!   is an asset published beside the page.
//! - `<name>.<lang>.md` is a page; a file without a language suffix belongs
//!   to the default language.
//! - Hidden files (`.name`) and editor backups (`name~`, `#name#`) are ignored.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::config::Config;
use crate::load::lang::split_language_suffix;

pub const CONTENT_DIR: &str = "content";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// A page; `bundle` when it is the `index` file of a page folder.
    Page { bundle: bool },
    /// The `_index` page of the section in `dir`.
    Section,
}

/// A Markdown file of the site.
#[derive(Debug, Clone, Eq)]
pub struct SourceFile {
    /// Site-relative path (`content/news/a.fr.md`), used in diagnostics.
    pub rel_path: String,
    pub abs_path: PathBuf,
    pub kind: SourceKind,
    pub lang: String,
    /// Translation key: content-relative path without language and
    /// extension (`news/a`, `news/bundle`); for a section, its folder (`news`, `` for the home).
    pub key: String,
    /// Content-relative folder of the section the file belongs to (for a
    /// section, itself).
    pub section_dir: String,
    /// The name slugs and date prefixes are read from: the file stem without
    /// language, or the page folder's name.
    pub name: String,
}

/// A non-Markdown file published beside a page or a section.
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel_path: String,
    pub abs_path: PathBuf,
    pub owner: AssetOwner,
    /// Path below the owner's folder (`photo.jpg`, `docs/report.pdf`).
    pub sub_path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetOwner {
    /// The page with this translation key.
    Page(String),
    /// The section in this folder.
    Section(String),
}

impl PartialEq for SourceFile {
    fn eq(&self, other: &Self) -> bool {
        // Paths as bytes: comparing them part by part is slow, and the
        // same file has the same bytes.
        self.rel_path == other.rel_path
            && self.abs_path.as_os_str() == other.abs_path.as_os_str()
            && self.kind == other.kind
            && self.lang == other.lang
            && self.key == other.key
            && self.section_dir == other.section_dir
            && self.name == other.name
    }
}

#[derive(Debug, Default)]
pub struct Discovered {
    /// Sorted by `rel_path`.
    pub sources: Vec<SourceFile>,
    pub assets: Vec<Asset>,
    /// Every section folder, the home (``) included.
    pub section_dirs: BTreeSet<String>,
    /// The translations of one page or section, as indexes into `sources`:
    /// only groups of two or more, ordered by translation key.
    pub translations: Vec<Vec<usize>>,
}

struct Entry {
    /// Content-relative, `/`-separated.
    rel: String,
    abs: PathBuf,
}

/// Walks `<root>/content` and classifies what it finds.
pub fn discover(root: &Path, config: &Config) -> Result<Discovered, Diagnostics> {
    let content = content_folder(root, config)?;
    let mut diagnostics = Diagnostics::new();
    let canonical_root = content.canonicalize().unwrap_or_else(|_| content.clone());
    let files = walk(&content, &canonical_root, &mut diagnostics);
    let layout = Layout::of(&files);
    check_folders_are_sections(&files, &layout, config, &mut diagnostics);
    let mut out = Discovered::default();
    for f in files {
        classify(f, &layout, config, &mut out, &mut diagnostics);
    }
    report_duplicate_sources(&out.sources, &mut diagnostics);
    out.section_dirs = layout.section_dirs;
    out.translations = translation_groups(&out.sources);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(out)
}

/// Sources grouped by translation key (a section's apart from a page's):
/// worked out once per discovery, as every build's inheritance needs it.
fn translation_groups(sources: &[SourceFile]) -> Vec<Vec<usize>> {
    let mut groups: BTreeMap<(&str, bool), Vec<usize>> = BTreeMap::new();
    for (i, source) in sources.iter().enumerate() {
        let section = source.kind == SourceKind::Section;
        groups.entry((&source.key, section)).or_default().push(i);
    }
    groups.into_values().filter(|g| g.len() > 1).collect()
}

/// `content/`, which must exist and, like every folder the site reads,
/// may be a link only to a folder of the site (what is inside may link
/// only inside `content/`).
fn content_folder(root: &Path, config: &Config) -> Result<PathBuf, Diagnostics> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(Diagnostic::error(msg!("source.no_content"))
            .with_help(msg!(
                "source.no_content_help",
                path = content.display(),
                lang = &config.default_language
            ))
            .into());
    }
    let canonical_site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if !points_inside(&content, &canonical_site) {
        return Err(Diagnostic::error(msg!("theme.link_outside"))
            .in_file(CONTENT_DIR)
            .with_help(msg!("theme.link_outside_help"))
            .into());
    }
    Ok(content)
}

/// Which folders are page folders and which are sections.
struct Layout {
    bundles: BTreeSet<String>,
    section_dirs: BTreeSet<String>,
}

impl Layout {
    fn of(files: &[Entry]) -> Layout {
        let bundles: BTreeSet<String> = files
            .iter()
            .filter(|f| is_index_file(file_name(&f.rel), "index"))
            .map(|f| parent(&f.rel).to_string())
            .filter(|dir| !dir.is_empty())
            .collect();
        let mut layout = Layout {
            bundles,
            section_dirs: BTreeSet::from([String::new()]),
        };
        for f in files {
            if is_index_file(file_name(&f.rel), "_index") && layout.in_bundle(&f.rel).is_none() {
                layout.section_dirs.insert(parent(&f.rel).to_string());
            }
        }
        layout
    }

    /// The outermost page folder holding `rel`: a page folder inside
    /// another one is part of it (and its `index` files are reported).
    fn in_bundle(&self, rel: &str) -> Option<String> {
        ancestors(rel)
            .filter(|a| self.bundles.contains(*a))
            .last()
            .map(str::to_string)
    }
}

/// Every folder above a page or section must be a section itself, so that
/// no folder level silently disappears from URLs.
fn check_folders_are_sections(
    files: &[Entry],
    layout: &Layout,
    config: &Config,
    diagnostics: &mut Diagnostics,
) {
    let mut missing: BTreeSet<String> = BTreeSet::new();
    for f in files.iter().filter(|f| f.rel.ends_with(".md")) {
        let container = match layout.in_bundle(&f.rel) {
            Some(bundle) => parent(&bundle).to_string(),
            None => parent(&f.rel).to_string(),
        };
        let dirs_above = std::iter::once(container.as_str()).chain(ancestors(&container));
        for dir in dirs_above.filter(|d| !d.is_empty() && !layout.section_dirs.contains(*d)) {
            missing.insert(dir.to_string());
        }
    }
    for dir in missing {
        diagnostics.push(
            Diagnostic::error(msg!("source.no_index"))
                .in_file(format!("{CONTENT_DIR}/{dir}"))
                .with_help(msg!(
                    "source.no_index_help",
                    path = format!("{CONTENT_DIR}/{dir}/_index.{}.md", config.default_language)
                )),
        );
    }
}

/// Files a page folder's or a section's asset, or a source.
fn classify(
    f: Entry,
    layout: &Layout,
    config: &Config,
    out: &mut Discovered,
    diagnostics: &mut Diagnostics,
) {
    let rel_path = format!("{CONTENT_DIR}/{}", f.rel);
    let name = file_name(&f.rel);
    if let Some(bundle) = layout.in_bundle(&f.rel) {
        let is_page_file = parent(&f.rel) == bundle.as_str() && is_index_file(name, "index");
        if !is_page_file {
            if name.ends_with(".md") {
                diagnostics.push(
                    Diagnostic::error(msg!("source.page_folder"))
                        .in_file(rel_path)
                        .with_help(msg!("source.page_folder_help")),
                );
            } else {
                out.assets.push(Asset {
                    sub_path: f.rel[bundle.len() + 1..].to_string(),
                    rel_path,
                    abs_path: f.abs,
                    owner: AssetOwner::Page(bundle.to_string()),
                });
            }
            return;
        }
    }
    if !name.ends_with(".md") && is_markdown_like(name) {
        diagnostics.push(
            Diagnostic::error(msg!("source.uppercase_md"))
                .in_file(rel_path)
                .with_help(msg!("source.uppercase_md_help")),
        );
        return;
    }
    if !name.ends_with(".md") {
        let owner = nearest_section(parent(&f.rel), &layout.section_dirs);
        out.assets.push(Asset {
            sub_path: strip_dir(&f.rel, owner).to_string(),
            rel_path,
            abs_path: f.abs,
            owner: AssetOwner::Section(owner.to_string()),
        });
        return;
    }
    match language(name, config) {
        Ok(lang) => out.sources.push(source_file(f, rel_path, lang, layout)),
        Err(error) => diagnostics.push(error.in_file(rel_path)),
    }
}

/// The language of a Markdown file, by its suffix.
fn language(name: &str, config: &Config) -> Result<String, Diagnostic> {
    let stem = &name[..name.len() - 3];
    let (_, suffix) = split_language_suffix(stem);
    // `x.FR.md` would otherwise be a default-language page `x-fr`.
    if let (None, Some((_, tail))) = (suffix, stem.rsplit_once('.'))
        && tail != tail.to_ascii_lowercase()
        && config.language(&tail.to_ascii_lowercase()).is_some()
    {
        return Err(
            Diagnostic::error(msg!("source.uppercase_language", code = tail, name)).with_help(
                msg!(
                    "source.uppercase_language_help",
                    code = tail.to_ascii_lowercase()
                ),
            ),
        );
    }
    match suffix {
        Some(code) if config.language(code).is_some() => Ok(code.to_string()),
        Some(code) => {
            let codes: Vec<&str> = config.language_codes().collect();
            Err(
                Diagnostic::error(msg!("source.unknown_language", code, name)).with_help(msg!(
                    "source.unknown_language_help",
                    hint = did_you_mean(code, &codes)
                )),
            )
        }
        None => Ok(config.default_language.clone()),
    }
}

/// A Markdown file in `lang`: a section's `_index`, a page folder's
/// `index`, or a page.
fn source_file(f: Entry, rel_path: String, lang: String, layout: &Layout) -> SourceFile {
    let name = file_name(&f.rel);
    let (base, _) = split_language_suffix(&name[..name.len() - 3]);
    let dir = parent(&f.rel);
    let (kind, key, section_dir, name) = match base {
        "_index" => (
            SourceKind::Section,
            dir.to_string(),
            dir.to_string(),
            file_name(dir).to_string(),
        ),
        "index" if layout.in_bundle(&f.rel).is_some() => {
            let section = nearest_section(parent(dir), &layout.section_dirs);
            (
                SourceKind::Page { bundle: true },
                dir.to_string(),
                section.to_string(),
                file_name(dir).to_string(),
            )
        }
        _ => {
            let key = if dir.is_empty() {
                base.to_string()
            } else {
                format!("{dir}/{base}")
            };
            (
                SourceKind::Page { bundle: false },
                key,
                dir.to_string(),
                base.to_string(),
            )
        }
    };
    SourceFile {
        rel_path,
        abs_path: f.abs,
        kind,
        lang,
        key,
        section_dir,
        name,
    }
}

/// `page.md` and `page.fr.md` (default `fr`) are the same page twice.
fn report_duplicate_sources(sources: &[SourceFile], diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<(&str, &str, bool), &SourceFile> = BTreeMap::new();
    for s in sources {
        let is_section = s.kind == SourceKind::Section;
        let Some(first) = seen.insert((&s.key, &s.lang, is_section), s) else {
            continue;
        };
        let help = if first.kind != s.kind {
            msg!("source.duplicate_help_folder")
        } else {
            msg!("source.duplicate_help_suffix")
        };
        diagnostics.push(
            Diagnostic::error(msg!(
                "source.duplicate",
                first = &s.rel_path,
                second = &first.rel_path,
                lang = &s.lang
            ))
            .in_file(s.rel_path.clone())
            .with_help(help),
        );
    }
}

/// Every file below `content`, sorted by path.
fn walk(content: &Path, canonical_root: &Path, diagnostics: &mut Diagnostics) -> Vec<Entry> {
    let mut files = Vec::new();
    let mut walker = walkdir::WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !is_ignored(e.file_name()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let at = err
                    .path()
                    .and_then(|p| p.strip_prefix(content.parent().unwrap_or(content)).ok())
                    .map(slash_path)
                    .unwrap_or_else(|| CONTENT_DIR.to_string());
                let help = if err.loop_ancestor().is_some() {
                    msg!("source.link_loop")
                } else {
                    msg!("source.unreadable_help")
                };
                diagnostics.push(
                    Diagnostic::error(msg!("source.unreadable", error = err))
                        .in_file(at)
                        .with_help(help),
                );
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let Some(rel) = rel.to_str().map(|_| slash_path(rel)) else {
            diagnostics.push(
                Diagnostic::error(msg!("source.name_not_utf8", path = entry.path().display()))
                    .in_file(CONTENT_DIR)
                    .with_help(msg!("source.name_not_utf8_help")),
            );
            continue;
        };
        if entry.path_is_symlink() && !points_inside(entry.path(), canonical_root) {
            diagnostics.push(
                Diagnostic::error(msg!("source.link_outside"))
                    .in_file(format!("{CONTENT_DIR}/{rel}"))
                    .with_help(msg!("source.link_outside_help")),
            );
            // Nothing below a folder outside the site is read.
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_dir() {
            files.push(Entry {
                rel,
                abs: entry.path().to_path_buf(),
            });
        }
    }
    files
}

/// A relative path with `/` between its parts on every system: a `\` in a
/// Unix file name stays part of the name rather than becoming a folder.
pub fn slash_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

pub(crate) fn points_inside(path: &Path, canonical_root: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|p| p.starts_with(canonical_root))
}

pub(crate) fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~') || (name.starts_with('#') && name.ends_with('#'))
}

/// `index.md`, `index.fr.md` (for `stem` = `index`).
fn is_index_file(name: &str, stem: &str) -> bool {
    name.strip_suffix(".md")
        .is_some_and(|s| split_language_suffix(s).0 == stem)
}

fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, name)| name)
}

fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The folders above `rel`, nearest first, ending with `` (content/).
fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(rel), |r| (!r.is_empty()).then(|| parent(r))).skip(1)
}

/// Other spellings of Markdown, which would otherwise be copied as assets.
fn is_markdown_like(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".md", ".markdown", ".mdown", ".mkd"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

fn strip_dir<'a>(rel: &'a str, dir: &str) -> &'a str {
    if dir.is_empty() {
        rel
    } else {
        &rel[dir.len() + 1..]
    }
}

/// The closest section folder at or above `dir`.
fn nearest_section<'a>(mut dir: &'a str, sections: &BTreeSet<String>) -> &'a str {
    loop {
        if dir.is_empty() || sections.contains(dir) {
            return dir;
        }
        dir = parent(dir);
    }
}
