//! `serve`'s output folder, which only this process writes, kept up to date
//! by rewriting just the files that changed since the last update.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use super::{Content, OutputFile, OutputSet, is_safe_relative, same_content, write_one};
use crate::messages::{WithMessage, failure};

/// An output folder that only this process writes (`serve`'s), kept up to
/// date by rewriting just the files that changed since the last update.
pub struct LiveOutput {
    dir: PathBuf,
    /// What the folder holds, with the state of each copied source then.
    written: Option<(OutputSet, BTreeMap<String, Stamp>)>,
    /// Files written ahead of the rest of a rebuild ([`Self::write_ahead`]),
    /// not yet in `written`, and whether writing one of them failed.
    ahead: std::sync::Mutex<(Vec<OutputFile>, bool)>,
}

/// A copied file's source as it was when copied.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// Inode and change time: an editor that saves by renaming a new file
    /// over the old one changes them even when size and time look alike.
    #[cfg(unix)]
    identity: (u64, i64, i64),
    /// Whether the source changed too shortly before it was looked at to
    /// tell a later change in the same clock tick: such a file is copied
    /// again next time, whatever its stamp says.
    racy: bool,
}

/// Clock ticks of common file systems are up to 2 s.
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok();
        let racy = modified
            .and_then(|m| std::time::SystemTime::now().duration_since(m).ok())
            .is_none_or(|age| age < RACY);
        #[cfg(unix)]
        let identity = {
            use std::os::unix::fs::MetadataExt;
            (meta.ino(), meta.ctime(), meta.ctime_nsec())
        };
        Some(Stamp {
            len: meta.len(),
            modified,
            #[cfg(unix)]
            identity,
            racy,
        })
    }

    /// Whether a source stamped `before` and now `self` is surely unchanged.
    fn unchanged_since(&self, before: &Stamp) -> bool {
        !before.racy && self == before
    }
}

impl LiveOutput {
    pub fn new(dir: PathBuf) -> Self {
        LiveOutput {
            dir,
            written: None,
            ahead: Default::default(),
        }
    }

    /// The files written ahead, taken; `None` if writing one failed.
    fn take_ahead(&mut self) -> Option<Vec<OutputFile>> {
        let ahead = self.ahead.get_mut().map(std::mem::take);
        match ahead {
            Ok((files, false)) => Some(files),
            _ => None,
        }
    }

    /// Records the files written ahead as what the folder holds, before a
    /// change that compares with it. Fails, leaving the folder to be
    /// written whole, if writing them failed.
    fn record_ahead(&mut self) -> Result<()> {
        let Some(files) = self.take_ahead() else {
            self.written = None;
            return Err(failure(msg!("output.ahead_failed")));
        };
        if let Some((set, stamps)) = self.written.as_mut() {
            for file in files {
                stamps.remove(&file.path);
                set.replace(file);
            }
        }
        Ok(())
    }

    /// Puts back what the folder held before the files written ahead,
    /// after the rebuild they were ahead of failed.
    pub fn undo_ahead(&mut self) {
        let Some(files) = self.take_ahead() else {
            self.written = None;
            return;
        };
        let Some((set, _)) = self.written.as_ref() else {
            return;
        };
        let undone = files
            .iter()
            .try_for_each(|file| match set.files.get(&file.path) {
                Some(before) => write_in_place(&self.dir, &[before]),
                None => remove_one(&self.dir, &file.path),
            });
        if undone.is_err() {
            self.written = None;
        }
    }

    /// Makes the folder hold `set`; returns how many files were written or
    /// removed. Each file is replaced whole (written beside it, then
    /// renamed), so a reader never sees half a file. If anything goes
    /// wrong, the whole folder is written again.
    pub fn update(&mut self, set: OutputSet) -> Result<usize> {
        // If that fails, everything is written.
        let _ = self.record_ahead();
        let stamps: BTreeMap<String, Stamp> = set
            .files
            .iter()
            .filter_map(|(path, file)| match &file.content {
                Content::Copy(source) => Stamp::of(source).map(|s| (path.clone(), s)),
                _ => None,
            })
            .collect();
        let changes = self.written.take().and_then(|(previous, previous_stamps)| {
            apply_changes(&self.dir, &previous, &previous_stamps, &set, &stamps).ok()
        });
        let count = match changes {
            Some(count) => count,
            None => {
                super::write(&set, &self.dir)?;
                set.files.len()
            }
        };
        self.written = Some((set, stamps));
        Ok(count)
    }

    /// What the folder holds, unless a failure left it in doubt.
    pub fn written(&self) -> Option<&OutputSet> {
        self.written.as_ref().map(|(set, _)| set)
    }

    /// The files the folder holds below `folders` (the search files, kept
    /// while new ones are built).
    pub fn files_under(&self, folders: &[String]) -> Vec<OutputFile> {
        let Some((set, _)) = self.written.as_ref() else {
            return Vec::new();
        };
        set.files
            .iter()
            .filter(|(path, _)| folders.iter().any(|f| path.starts_with(f.as_str())))
            .map(|(_, file)| file.clone())
            .collect()
    }

    /// Writes `files` ahead of the rest of a rebuild, for readers that
    /// want them first; the next change records them, or
    /// [`Self::undo_ahead`] puts back what they replaced. Their paths, if
    /// they were written.
    pub fn write_ahead(&self, files: Vec<OutputFile>) -> Option<Vec<String>> {
        self.written.as_ref()?;
        let written = write_in_place(&self.dir, &files.iter().collect::<Vec<_>>()).is_ok();
        let paths = files.iter().map(|f| f.path.clone()).collect();
        if let Ok(mut ahead) = self.ahead.lock() {
            ahead.0.extend(files);
            ahead.1 |= !written;
        }
        written.then_some(paths)
    }

    /// Makes what the folder holds below `folders` be `files` (the search
    /// files, which come after the pages): writes those that changed and
    /// removes those that are gone; returns how many.
    pub fn replace_under(&mut self, folders: &[String], files: Vec<OutputFile>) -> Result<usize> {
        self.record_ahead()?;
        // After a failed update the next one writes everything anyway.
        let Some((set, _)) = self.written.as_mut() else {
            return Ok(0);
        };
        let fresh: std::collections::HashSet<&str> =
            files.iter().map(|f| f.path.as_str()).collect();
        let gone: Vec<String> = set
            .files
            .keys()
            .filter(|p| {
                folders.iter().any(|f| p.starts_with(f.as_str())) && !fresh.contains(p.as_str())
            })
            .cloned()
            .collect();
        let changed: Vec<&OutputFile> = files.iter().filter(|f| !set.holds(f)).collect();
        let count = changed.len() + gone.len();
        let written = write_in_place(&self.dir, &changed)
            .and_then(|()| gone.iter().try_for_each(|p| remove_one(&self.dir, p)));
        if let Err(err) = written {
            self.written = None;
            return Err(err);
        }
        for path in &gone {
            set.files.remove(path);
        }
        for file in files {
            set.replace(file);
        }
        Ok(count)
    }
}

fn apply_changes(
    dir: &Path,
    previous: &OutputSet,
    previous_stamps: &BTreeMap<String, Stamp>,
    set: &OutputSet,
    stamps: &BTreeMap<String, Stamp>,
) -> Result<usize> {
    let mut count = 0;
    // Removals first: a removed file may be in the way of a new folder.
    for path in previous
        .files
        .keys()
        .filter(|p| !set.files.contains_key(*p))
    {
        remove_one(dir, path)?;
        count += 1;
    }
    let changed: Vec<&OutputFile> =
        set.files
            .iter()
            .filter(|(path, file)| {
                let unchanged_copy = stamps.get(*path).is_some_and(|s| {
                    previous_stamps
                        .get(*path)
                        .is_some_and(|before| s.unchanged_since(before))
                });
                previous.files.get(*path).is_none_or(|old| {
                    !same_content(old, file, unchanged_copy) && !same_copy(dir, file)
                })
            })
            .map(|(_, file)| file)
            .collect();
    write_in_place(dir, &changed)?;
    count += changed.len();
    Ok(count)
}

/// Whether `file` is a copy whose source holds what the folder holds now
/// (a source changed too recently for its stamp to tell).
fn same_copy(dir: &Path, file: &OutputFile) -> bool {
    let Content::Copy(source) = &file.content else {
        return false;
    };
    let written = dir.join(&file.path);
    let same_length = match (std::fs::metadata(source), std::fs::metadata(&written)) {
        (Ok(a), Ok(b)) => a.len() == b.len(),
        _ => false,
    };
    same_length
        && matches!(
            (std::fs::read(source), std::fs::read(&written)),
            (Ok(a), Ok(b)) if a == b
        )
}

/// Removes one file of the output, and the folders it leaves empty, as a
/// fresh build would not have them.
fn remove_one(dir: &Path, path: &str) -> Result<()> {
    let target = dir.join(path);
    std::fs::remove_file(&target).with_message(|| msg!("output.cannot_remove", path))?;
    let mut folder = target.parent();
    while let Some(f) = folder.filter(|f| *f != dir) {
        if std::fs::remove_dir(f).is_err() {
            break;
        }
        folder = f.parent();
    }
    Ok(())
}

/// Writes `files` into `dir`, each beside its target and then renamed over
/// it: a reader sees the old file or the new one, never half of one.
fn write_in_place(dir: &Path, files: &[&OutputFile]) -> Result<()> {
    for file in files {
        if !is_safe_relative(&file.path) {
            return Err(failure(msg!("output.outside", path = &file.path)));
        }
    }
    let folders: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for folder in folders {
        std::fs::create_dir_all(dir.join(folder))
            .with_message(|| msg!("output.cannot_create_folder", path = folder))?;
    }
    files.par_iter().try_for_each(|file| -> Result<()> {
        let target = dir.join(&file.path);
        let write_error = || {
            msg!(
                "output.cannot_write",
                path = &file.path,
                origin = &file.origin
            )
        };
        let folder = target.parent().with_message(write_error)?;
        let staged = tempfile::Builder::new()
            .prefix(".portail-")
            .make_in(folder, |path| write_one(&file.content, path))
            .with_message(write_error)?;
        staged.persist(&target).with_message(write_error)?;
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_written_ahead_are_recorded_or_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let page = |path: &str, html: &str| {
            OutputFile::html(
                path.into(),
                html.into(),
                crate::output::Origin::Content("t".into()),
            )
        };
        let mut live = LiveOutput::new(dir.path().to_path_buf());
        let mut set = OutputSet::default();
        set.insert(page("a/index.html", "old")).unwrap();
        live.update(set).unwrap();
        let read = |path: &str| std::fs::read_to_string(dir.path().join(path)).ok();

        // Recorded: the replace that includes them finds them written.
        assert!(
            live.write_ahead(vec![page("a/index.html", "new")])
                .is_some()
        );
        assert_eq!(read("a/index.html").as_deref(), Some("new"));
        let a = ["a/".to_string()];
        assert_eq!(
            live.replace_under(&a, vec![page("a/index.html", "new")])
                .unwrap(),
            0
        );

        // Below its folders, what is not replaced goes.
        let b = ["b/".to_string()];
        let two = vec![page("b/1.json", "1"), page("b/2.json", "2")];
        assert_eq!(live.replace_under(&b, two).unwrap(), 2);
        assert_eq!(
            live.replace_under(&b, vec![page("b/1.json", "1")]).unwrap(),
            1
        );
        assert_eq!(read("b/1.json").as_deref(), Some("1"));
        assert_eq!(read("b/2.json"), None);
        assert_eq!(read("a/index.html").as_deref(), Some("new"));
        assert_eq!(live.replace_under(&b, vec![]).unwrap(), 1);

        // Put back: the file it replaced comes back, a new one goes.
        let both = vec![page("a/index.html", "newer"), page("b/index.html", "b")];
        assert!(live.write_ahead(both).is_some());
        live.undo_ahead();
        assert_eq!(read("a/index.html").as_deref(), Some("new"));
        assert_eq!(read("b/index.html"), None);
        assert!(live.written().is_some());

        // A file that could not be written ahead leaves the folder in
        // doubt: the next change says so, and the one after writes it whole.
        assert!(
            live.write_ahead(vec![page("../outside.html", "x")])
                .is_none()
        );
        assert!(
            live.replace_under(&a, vec![page("a/index.html", "new")])
                .is_err()
        );
        assert!(live.written().is_none());
    }
}
