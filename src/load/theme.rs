//! The theme: templates, static files and UI strings, read from
//! `themes/<name>/` in the site or, for the default theme, from the copy
//! embedded in the binary so an installed `portail` needs no theme folder.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::Diagnostic;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// One file of the theme.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path inside the theme (`templates/page.html`).
    pub rel: String,
    /// Where it comes from, for diagnostics (`themes/default/templates/page.html`).
    pub origin: String,
    pub bytes: Cow<'static, [u8]>,
    /// On-disk location, when not embedded.
    pub abs_path: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    /// Sorted by `rel`.
    pub files: Vec<ThemeFile>,
}

impl Theme {
    /// The default theme built into portail.
    pub fn builtin() -> Theme {
        let mut files = Vec::new();
        collect_embedded(&DEFAULT_THEME, &mut files);
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        Theme {
            name: "default".to_string(),
            files,
        }
    }

    /// The theme `name` from `root/themes/`, else the embedded default.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            return Self::from_disk(&dir, &format!("themes/{name}"), root, |rel| {
                rel.starts_with("static/")
            })
            .map(|files| Theme {
                name: name.to_string(),
                files,
            });
        }
        if name == "default" {
            return Ok(Self::builtin());
        }
        Err(Diagnostic::error(msg!("theme.not_found", name))
            .in_file(crate::load::config::CONFIG_FILE)
            .with_help(msg!("theme.not_found_help", name)))
    }

    /// Files for which `copy_only` holds are not read: they are copied later.
    /// Symbolic links may lead anywhere inside `site_root`, and nowhere else
    /// (a link to a private file would publish it).
    fn from_disk(
        dir: &Path,
        origin_prefix: &str,
        site_root: &Path,
        copy_only: impl Fn(&str) -> bool,
    ) -> Result<Vec<ThemeFile>, Diagnostic> {
        let boundary = site_root
            .canonicalize()
            .unwrap_or_else(|_| site_root.to_path_buf());
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .follow_links(true)
        {
            let entry = entry.map_err(|err| {
                Diagnostic::error(msg!("theme.unreadable", error = err)).in_file(origin_prefix)
            })?;
            if entry.path_is_symlink()
                && !entry
                    .path()
                    .canonicalize()
                    .is_ok_and(|target| target.starts_with(&boundary))
            {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .map(crate::load::source::slash_path)
                    .unwrap_or_default();
                return Err(Diagnostic::error(msg!("theme.link_outside"))
                    .in_file(format!("{origin_prefix}/{rel}"))
                    .with_help(msg!("theme.link_outside_help")));
            }
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.')
            {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dir)
                .map(crate::load::source::slash_path)
                .unwrap_or_default();
            let bytes = if copy_only(&rel) {
                Vec::new()
            } else {
                std::fs::read(entry.path()).map_err(|err| {
                    Diagnostic::error(msg!("theme.file_unreadable", error = err))
                        .in_file(format!("{origin_prefix}/{rel}"))
                })?
            };
            files.push(ThemeFile {
                origin: format!("{origin_prefix}/{rel}"),
                rel,
                bytes: Cow::Owned(bytes),
                abs_path: Some(entry.path().to_path_buf()),
            });
        }
        Ok(files)
    }

    /// Files below `prefix/` with the prefix removed.
    pub fn files_under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a ThemeFile)> + 'a {
        self.files.iter().filter_map(move |f| {
            f.rel
                .strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('/'))
                .map(|r| (r, f))
        })
    }
}

fn collect_embedded(dir: &'static Dir<'static>, out: &mut Vec<ThemeFile>) {
    for file in dir.files() {
        let rel = crate::load::source::slash_path(file.path());
        out.push(ThemeFile {
            origin: format!("themes/default/{rel} (built in)"),
            rel,
            bytes: Cow::Borrowed(file.contents()),
            abs_path: None,
        });
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

/// Lists the files of a site folder such as `templates/` or `static/`,
/// reading their contents unless `copy_only`.
pub fn site_files(
    root: &Path,
    folder: &str,
    copy_only: bool,
) -> Result<Vec<ThemeFile>, Diagnostic> {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    Theme::from_disk(&dir, folder, root, |_| copy_only)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_default_theme_is_the_repository_theme() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let on_disk =
            Theme::from_disk(&root.join("themes/default"), "themes/default", root, |_| {
                false
            })
            .unwrap();
        let mut embedded = Vec::new();
        collect_embedded(&DEFAULT_THEME, &mut embedded);
        embedded.sort_by(|a, b| a.rel.cmp(&b.rel));
        let names = |files: &[ThemeFile]| files.iter().map(|f| f.rel.clone()).collect::<Vec<_>>();
        assert_eq!(names(&embedded), names(&on_disk));
        for (e, d) in embedded.iter().zip(&on_disk) {
            assert!(
                e.bytes == d.bytes,
                "{} differs from the embedded copy",
                e.rel
            );
        }
    }
}
