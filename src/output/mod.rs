//! Stage `write`: the output set, and the two ways it reaches the disk.
//! `build` writes it into a fresh staging folder that is then swapped in
//! whole ([`publish`]); `serve`'s private folder is updated in place, file
//! by file ([`LiveOutput`]).

mod live;
mod publish;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use live::LiveOutput;
pub use publish::{Leftover, MARKER, check_output_dir, write};

/// What a file of the output holds.
#[derive(Debug, Clone)]
pub enum Content {
    /// Shared: a build that keeps a file of the build before keeps its bytes.
    Bytes(std::sync::Arc<Vec<u8>>),
    Static(&'static [u8]),
    /// Copied from this file of the site.
    Copy(PathBuf),
    /// This file of the cache (a processed picture, a share card), which is
    /// never changed once written (a changed picture gets a new name):
    /// linked into the output, else copied. (A site's own files are
    /// copied: a tool that rewrites the output in place must not reach
    /// them.)
    Cached(PathBuf),
    /// This file of the output as the build before left it (a page a
    /// build with a cache kept): linked into the new output, else copied.
    Kept(PathBuf),
}

/// What produced an output file. Each holds its name for people: a path
/// of the site (`content/news/x.fr.md`, `templates/term.html`) or what a
/// generated file is (`feed of /fr/`).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Origin {
    /// A content file: its page, a section's list pages, its redirects,
    /// its event file.
    Content(String),
    /// A file beside the content, copied (a page folder's image).
    Asset(String),
    /// A template, for pages that belong to no content file: term and
    /// taxonomy pages, year pages, the search page, 404 pages.
    Template(String),
    /// A file of the site's `static/` folder.
    Static(String),
    /// A file of the theme's `static/` folder.
    Theme(String),
    /// A file made from the whole site: feeds, calendars, the sitemap,
    /// `robots.txt`, the redirects file, the search files.
    Generated(String),
}

impl Origin {
    pub fn as_str(&self) -> &str {
        match self {
            Origin::Content(name)
            | Origin::Asset(name)
            | Origin::Template(name)
            | Origin::Static(name)
            | Origin::Theme(name)
            | Origin::Generated(name) => name,
        }
    }

    /// The template's path, for a page a template makes on its own.
    pub fn template(&self) -> Option<&str> {
        match self {
            Origin::Template(name) => Some(name),
            _ => None,
        }
    }
}

impl From<Origin> for String {
    fn from(origin: Origin) -> String {
        origin.as_str().to_string()
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One file of the output.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output root, `/`-separated, no `..`.
    pub path: String,
    pub content: Content,
    /// What produced it, for reports and for what a rebuild renders again.
    pub origin: Origin,
}

impl OutputFile {
    pub fn html(path: String, html: String, origin: Origin) -> Self {
        OutputFile {
            path,
            content: Content::Bytes(std::sync::Arc::new(html.into_bytes())),
            origin,
        }
    }
}

/// The complete output, sorted by path.
#[derive(Debug, Default)]
pub struct OutputSet {
    pub files: BTreeMap<String, OutputFile>,
}

impl OutputSet {
    /// Adds a file; when the path is taken, returns the origin of the file
    /// that has it.
    pub fn insert(&mut self, file: OutputFile) -> Result<(), (OutputFile, Origin)> {
        if let Some(existing) = self.files.get(&file.path) {
            let origin = existing.origin.clone();
            return Err((file, origin));
        }
        self.files.insert(file.path.clone(), file);
        Ok(())
    }

    /// Pairs (file, other) where `file`'s path is a folder of `other`'s path,
    /// which no file system can hold; one pair per blocking file.
    pub fn files_in_the_way(&self) -> Vec<(&OutputFile, &OutputFile)> {
        let mut conflicts: BTreeMap<&str, (&OutputFile, &OutputFile)> = BTreeMap::new();
        for (path, file) in &self.files {
            let mut dir = path.as_str();
            while let Some((parent, _)) = dir.rsplit_once('/') {
                if let Some(blocking) = self.files.get(parent) {
                    conflicts.entry(parent).or_insert((blocking, file));
                    break;
                }
                dir = parent;
            }
        }
        conflicts.into_values().collect()
    }

    /// Pairs of files whose paths differ only by case or by the Unicode
    /// encoding of their accents (`Logo.svg`, `logo.svg`; `café` composed or
    /// not): one file on the hosts whose file systems ignore both (macOS,
    /// Windows, many object stores' mirrors). One pair per later file.
    /// A file whose path is, so folded, a folder's (`EN` beside `en/`)
    /// clashes with a file of that folder.
    pub fn case_clashes(&self) -> Vec<(&OutputFile, &OutputFile)> {
        use std::collections::HashMap;
        let mut seen: HashMap<std::borrow::Cow<str>, &OutputFile> =
            HashMap::with_capacity(self.files.len());
        // Each folder, folded, with its name and a file inside it.
        let mut folders: HashMap<String, (&str, &OutputFile)> = HashMap::new();
        let mut clashes = Vec::new();
        for (path, file) in &self.files {
            if let Some(first) = seen.insert(fold(path), file) {
                clashes.push((first, file));
            }
            let mut folder = path.as_str();
            while let Some((parent, _)) = folder.rsplit_once('/') {
                let key = fold(parent);
                // Its own folders are known too, then.
                if folders.contains_key(key.as_ref()) {
                    break;
                }
                folders.insert(key.into_owned(), (parent, file));
                folder = parent;
            }
        }
        for (path, file) in &self.files {
            if let Some((name, inside)) = folders.get(fold(path).as_ref())
                && *name != path.as_str()
            {
                clashes.push((inside, file));
            }
        }
        clashes
    }

    /// Whether the set has `file`, bytes and all (a copied file counts as
    /// changed: its source may have).
    pub fn holds(&self, file: &OutputFile) -> bool {
        self.files
            .get(&file.path)
            .is_some_and(|old| same_content(old, file, false))
    }

    /// Adds a file that may replace an earlier one (site static over theme static).
    pub fn replace(&mut self, file: OutputFile) {
        self.files.insert(file.path.clone(), file);
    }
}

/// Whether `path` is a safe relative output path: `/`-separated names,
/// none empty, `.` or `..`, so two different strings never name one file.
pub fn is_safe_relative(path: &str) -> bool {
    !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

/// The output path a URL's path names below the base path, without
/// looking at the disk (`/fr/news/` → `fr/news/index.html`, percent-encoded
/// or not); `None` for a path that could leave the output.
pub fn url_output_path(raw_path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8()
        .ok()?;
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if decoded.contains(['\0', '\\']) || segments.iter().any(|s| *s == ".." || *s == ".") {
        return None;
    }
    let path = segments.join("/");
    Some(if path.is_empty() || decoded.ends_with('/') {
        format!("{path}/index.html")
            .trim_start_matches('/')
            .to_string()
    } else {
        path
    })
}

/// A path as a file system that ignores case and accents' encoding sees it.
fn fold(path: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if path
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return path.into();
    }
    path.nfc().collect::<String>().to_lowercase().into()
}

/// Whether two files hold the same bytes; copies of one source count as
/// the same only when the caller knows the source is unchanged.
pub(crate) fn same_content(a: &OutputFile, b: &OutputFile, unchanged_copy: bool) -> bool {
    match (&a.content, &b.content) {
        (Content::Bytes(x), Content::Bytes(y)) => std::sync::Arc::ptr_eq(x, y) || x == y,
        (Content::Static(x), Content::Static(y)) => x == y,
        (Content::Copy(x), Content::Copy(y)) => x == y && unchanged_copy,
        (Content::Cached(x), Content::Cached(y)) => x == y,
        _ => false,
    }
}

/// Writes one file of the output at `target`.
pub(crate) fn write_one(content: &Content, target: &Path) -> std::io::Result<()> {
    match content {
        Content::Bytes(bytes) => std::fs::write(target, bytes.as_slice()),
        Content::Static(bytes) => std::fs::write(target, bytes),
        Content::Copy(source) => std::fs::copy(source, target).map(|_| ()),
        // A link costs nothing where a copy of a large site's pictures would
        // take seconds. Every writer of the output replaces files whole (by
        // rename), so nothing is written through the link.
        Content::Cached(source) | Content::Kept(source) => std::fs::hard_link(source, target)
            .or_else(|_| std::fs::copy(source, target).map(|_| ())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_differ_by_case_or_accent_encoding_clash() {
        let mut set = OutputSet::default();
        for (path, origin) in [
            ("logo.svg", "static/logo.svg"),
            ("Logo.svg", "static/Logo.svg"),
            ("caf\u{e9}.txt", "static/café NFC"),
            ("cafe\u{301}.txt", "static/café NFD"),
            ("fr/old/index.html", "a.md"),
            ("fr/Old/index.html", "b.md"),
            ("fr/other/index.html", "c.md"),
            ("EN", "static/EN"),
            ("en/index.html", "d.md"),
        ] {
            set.insert(OutputFile::html(
                path.into(),
                String::new(),
                Origin::Static(origin.into()),
            ))
            .unwrap();
        }
        let mut clashes: Vec<(&str, &str)> = set
            .case_clashes()
            .into_iter()
            .map(|(a, b)| (a.origin.as_str(), b.origin.as_str()))
            .collect();
        clashes.sort();
        assert_eq!(
            clashes,
            [
                ("b.md", "a.md"),
                ("d.md", "static/EN"),
                ("static/Logo.svg", "static/logo.svg"),
                ("static/café NFD", "static/café NFC"),
            ]
        );
    }

    #[test]
    fn url_paths_name_output_paths() {
        assert_eq!(url_output_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            url_output_path("/fr/actualit%C3%A9s/").as_deref(),
            Some("fr/actualités/index.html")
        );
        assert_eq!(url_output_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(url_output_path("/fr/../x/"), None);
    }

    #[test]
    fn safe_paths_stay_inside() {
        for ok in ["index.html", "fr/a/index.html", "static/x.css"] {
            assert!(is_safe_relative(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a\\b",
            "./a",
            "a/./b",
            "a//b",
            "a/",
        ] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}
