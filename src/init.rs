//! `portail init`: a new minimal bilingual site that builds at once. The
//! embedded default theme is used, so the site holds only its own files.

use std::path::Path;

use include_dir::{Dir, include_dir};

use crate::diagnostics::Diagnostic;

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starter");

/// Writes the starter site into `dir`, which must be missing or empty.
/// Returns the site-relative paths written. On failure nothing is left.
pub fn init(dir: &Path) -> Result<Vec<String>, Diagnostic> {
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
    let mut files = Vec::new();
    collect(&STARTER, &mut files);
    files.sort_by(|a, b| a.path().cmp(b.path()));
    let mut written: Vec<std::path::PathBuf> = Vec::new();
    let result = files.iter().try_for_each(|file| {
        let path = dir.join(file.path());
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
        std::io::Write::write_all(&mut out, file.contents()).map_err(|err| cannot(&path, &err))
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
    Ok(files
        .iter()
        .map(|f| f.path().to_string_lossy().replace('\\', "/"))
        .collect())
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
}
