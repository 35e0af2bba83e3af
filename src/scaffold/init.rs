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
    let contents: Vec<(&Path, &[u8])> = files.iter().map(|f| (f.path(), f.contents())).collect();
    write_new(dir, existed, &contents)?;
    Ok(files
        .iter()
        .map(|f| crate::load::source::slash_path(f.path()))
        .collect())
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
}
