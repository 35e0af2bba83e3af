//! `portail init`: a new bilingual site that builds at once: a whole
//! portal (news, activities, good practices, about) or a minimal one, and
//! the CI workflow of a git host. The embedded default theme is used, so
//! the site holds only its own files.

use std::borrow::Cow;
use std::path::Path;

use include_dir::{Dir, include_dir};

use crate::diagnostics::Diagnostic;

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starter");

/// Which site `init` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starter {
    /// News, activities, good practices and about, a sample page each.
    Portal,
    /// A home and news only.
    Minimal,
}

/// The git host whose CI workflow `init` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    Github,
    Gitlab,
    None,
}

/// The workflows install this very version of portail, from here.
const VERSION: &str = env!("CARGO_PKG_VERSION");
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The starter's files: site-relative path and contents.
fn starter_files(starter: Starter, ci: Ci) -> Vec<(&'static Path, Cow<'static, [u8]>)> {
    let site = match starter {
        Starter::Portal => "portal",
        Starter::Minimal => "minimal",
    };
    let mut files = embedded(site, Cow::Borrowed);
    let host = match ci {
        Ci::Github => Some("ci/github"),
        Ci::Gitlab => Some("ci/gitlab"),
        Ci::None => None,
    };
    if let Some(host) = host {
        files.extend(embedded(host, |bytes| {
            let text = String::from_utf8_lossy(bytes)
                .replace("@VERSION@", VERSION)
                .replace("@REPOSITORY@", REPOSITORY);
            Cow::Owned(text.into_bytes())
        }));
    }
    files.sort_by(|a, b| a.0.cmp(b.0));
    files
}

/// The files under `folder` of the embedded starters, relative to it.
fn embedded(
    folder: &str,
    contents: impl Fn(&'static [u8]) -> Cow<'static, [u8]>,
) -> Vec<(&'static Path, Cow<'static, [u8]>)> {
    let mut files = Vec::new();
    if let Some(dir) = STARTER.get_dir(folder) {
        collect(dir, &mut files);
    }
    files
        .into_iter()
        .filter_map(|f| {
            let rel = f.path().strip_prefix(folder).ok()?;
            Some((rel, contents(f.contents())))
        })
        .collect()
}

/// Writes the starter site into `dir`, which must be missing or empty.
/// Returns the site-relative paths written. On failure nothing is left.
pub fn init(dir: &Path, starter: Starter, ci: Ci) -> Result<Vec<String>, Diagnostic> {
    let files = starter_files(starter, ci);
    let contents: Vec<(&Path, &[u8])> = files.iter().map(|(p, c)| (*p, c.as_ref())).collect();
    write_site(dir, &contents)?;
    Ok(files
        .iter()
        .map(|(path, _)| crate::load::source::slash_path(path))
        .collect())
}

/// Writes a new site's files into `dir`, which must not exist or be
/// empty; on failure nothing is left behind.
pub fn write_site<P: AsRef<Path>, C: AsRef<[u8]>>(
    dir: &Path,
    files: &[(P, C)],
) -> Result<(), Diagnostic> {
    let existed = dir.exists();
    if existed {
        let empty = std::fs::read_dir(dir)
            .map_err(|err| cannot(dir, &err))?
            .next()
            .is_none();
        if !empty {
            return Err(
                Diagnostic::error(msg!("init.not_empty", path = dir.display()))
                    .with_help(msg!("init.not_empty_help")),
            );
        }
    }
    let contents: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|(p, c)| (p.as_ref(), c.as_ref()))
        .collect();
    // Only names below `dir`: nothing is written beside or above it.
    let outside = contents.iter().find(|(p, _)| {
        !p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    });
    if let Some((path, _)) = outside {
        return Err(Diagnostic::error(msg!(
            "init.outside",
            path = path.display()
        )));
    }
    write_new(dir, existed, &contents)
}

/// Writes each `(relative path, bytes)` as a new file under `dir`; on
/// failure removes what it wrote, and the folders it left empty.
fn write_new(dir: &Path, existed: bool, files: &[(&Path, &[u8])]) -> Result<(), Diagnostic> {
    let mut written: Vec<std::path::PathBuf> = Vec::new();
    let result = files.iter().try_for_each(|(rel, contents)| {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| cannot(parent, &err))?;
        }
        // create_new: a file that appeared meanwhile is never overwritten.
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|err| cannot(&path, &err))?;
        written.push(path.clone());
        std::io::Write::write_all(&mut out, contents).map_err(|err| cannot(&path, &err))
    });
    if let Err(err) = result {
        // Remove what we wrote, then the folders that are left empty
        // (deepest first); anything else stays where it is.
        for path in &written {
            let _ = std::fs::remove_file(path);
        }
        let mut folders: Vec<&Path> = written
            .iter()
            .flat_map(|p| p.ancestors().skip(1))
            .filter(|p| p.starts_with(dir) && (*p != dir || !existed))
            .collect();
        folders.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
        folders.dedup();
        for folder in folders {
            let _ = std::fs::remove_dir(folder);
        }
        return Err(err);
    }
    Ok(())
}

fn collect<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    out.extend(dir.files());
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

fn cannot(path: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(msg!(
        "init.cannot_write",
        path = path.display(),
        error = err
    ))
    .with_help(msg!("init.cannot_write_help"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn a_failed_write_removes_only_what_it_wrote() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("site");
        std::fs::create_dir_all(dir.join("content")).unwrap();
        std::fs::write(dir.join("content/theirs.md"), "kept").unwrap();
        // The third file cannot be written: `data` is a folder by then.
        let files: [(&Path, &[u8]); 3] = [
            (Path::new("config.toml"), b"x"),
            (Path::new("data/a/b.toml"), b"y"),
            (Path::new("data"), b"z"),
        ];
        assert!(super::write_new(&dir, true, &files).is_err());
        let left: Vec<String> = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .min_depth(1)
            .into_iter()
            .map(|e| {
                e.unwrap()
                    .path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(left, ["content", "content/theirs.md"]);
        // A folder that init created itself goes too.
        let fresh = temp.path().join("fresh");
        assert!(super::write_new(&fresh, false, &files).is_err());
        assert!(!fresh.exists());
    }

    #[test]
    fn the_embedded_starter_is_the_repository_one() {
        let mut embedded = Vec::new();
        super::collect(&super::STARTER, &mut embedded);
        let on_disk = walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/starter"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count();
        assert_eq!(embedded.len(), on_disk);
        assert!(embedded.iter().any(|f| f.path().ends_with("config.toml")));
    }

    #[test]
    fn workflows_name_this_version_and_its_repository() {
        use super::{Ci, Starter, starter_files};
        for (ci, file) in [
            (Ci::Github, ".github/workflows/site.yml"),
            (Ci::Gitlab, ".gitlab-ci.yml"),
        ] {
            let files = starter_files(Starter::Portal, ci);
            let (_, text) = files
                .iter()
                .find(|(p, _)| *p == Path::new(file))
                .unwrap_or_else(|| panic!("no {file}"));
            let text = String::from_utf8_lossy(text);
            assert!(!text.contains("@VERSION@") && !text.contains("@REPOSITORY@"));
            assert!(text.contains(&format!("PORTAIL_VERSION: \"{}\"", super::VERSION)));
            assert!(text.contains(super::REPOSITORY));
        }
        let bare = starter_files(Starter::Minimal, Ci::None);
        assert!(bare.iter().all(|(p, _)| !p.starts_with(".github")));
        assert!(
            bare.iter()
                .any(|(p, _)| *p == Path::new("content/news/_index.fr.md"))
        );
    }
}
