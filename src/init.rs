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
            return Err(Diagnostic::error(format!("{} is not empty", dir.display()))
                .with_help("give the name of a new folder, e.g. `portail init my-portal`"));
        }
    }
    let mut files = Vec::new();
    collect(&STARTER, &mut files);
    files.sort_by(|a, b| a.path().cmp(b.path()));
    let result = files.iter().try_for_each(|file| {
        let path = dir.join(file.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| cannot(parent, &err))?;
        }
        std::fs::write(&path, file.contents()).map_err(|err| cannot(&path, &err))
    });
    if let Err(err) = result {
        // Leave the folder as it was: missing, or empty.
        if existed {
            if let Ok(entries) = std::fs::read_dir(dir) {
                for entry in entries.flatten() {
                    let _ = std::fs::remove_dir_all(entry.path())
                        .or_else(|_| std::fs::remove_file(entry.path()));
                }
            }
        } else {
            let _ = std::fs::remove_dir_all(dir);
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
    Diagnostic::error(format!("cannot write {}: {err}", path.display()))
        .with_help("check the folder's permissions; nothing was left behind")
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
