//! Stage `write`: the output set goes into a fresh staging folder beside
//! the output folder, which is then swapped in. A failed build leaves the
//! previous output untouched; nothing is written outside the output folder.
//! (`serve`'s private folder is instead updated in place, file by file:
//! see [`LiveOutput`].)

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use anyhow::Result;

use crate::messages::{WithMessage, failure};
use rayon::prelude::*;

/// What a file of the output holds.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    Static(&'static [u8]),
    /// Copied from this file of the site.
    Copy(PathBuf),
}

/// One file of the output.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output root, `/`-separated, no `..`.
    pub path: String,
    pub content: Content,
    /// What produced it (a source file, a template), for collision reports.
    pub origin: String,
}

impl OutputFile {
    pub fn html(path: String, html: String, origin: String) -> Self {
        OutputFile {
            path,
            content: Content::Bytes(html.into_bytes()),
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
    pub fn insert(&mut self, file: OutputFile) -> Result<(), (OutputFile, String)> {
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

/// Marks an output folder as written by portail, so a later build may
/// replace it; a folder without it is never deleted.
pub const MARKER: &str = ".portail";

const MARKER_TEXT: &str =
    "This folder is written by portail: every build replaces its whole content.\n";

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

/// Refuses output folders that would destroy the site.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let root = root
        .canonicalize()
        .with_message(|| msg!("output.cannot_open_site", path = root.display()))?;
    let output = absolute_lexical(output)?;
    if root.starts_with(&output) {
        return Err(failure(msg!(
            "output.contains_site",
            path = output.display()
        )));
    }
    for protected in ["content", "templates", "themes", "static", "data", "i18n"] {
        if output.starts_with(root.join(protected)) {
            return Err(failure(msg!(
                "output.inside_site",
                path = output.display(),
                folder = protected
            )));
        }
    }
    let has_files = std::fs::read_dir(&output).is_ok_and(|mut entries| entries.next().is_some());
    if has_files && !output.join(MARKER).is_file() {
        return Err(failure(msg!(
            "output.foreign_files",
            path = output.display(),
            marker = MARKER
        )));
    }
    if output.join("content").is_dir() || output.join("config.toml").is_file() {
        return Err(failure(msg!(
            "output.looks_like_site",
            path = output.display()
        )));
    }
    Ok(())
}

fn absolute_lexical(path: &Path) -> Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks of the existing part so comparisons are fair.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

/// Writes the set into `output`, replacing what was there only once every
/// file is written.
pub fn write(set: &OutputSet, output: &Path) -> Result<()> {
    let output = absolute_lexical(output)?;
    let parent = output.parent().with_message(|| msg!("output.no_parent"))?;
    let name = output
        .file_name()
        .with_message(|| msg!("output.no_name"))?
        .to_string_lossy()
        .to_string();
    std::fs::create_dir_all(parent)
        .with_message(|| msg!("output.cannot_create", path = parent.display()))?;
    if output.exists() && !output.is_dir() {
        return Err(failure(msg!(
            "output.not_a_folder",
            path = output.display()
        )));
    }
    let staging = tempfile::Builder::new()
        .prefix(&format!("{name}.portail-staging-"))
        .tempdir_in(parent)
        .with_message(|| msg!("output.cannot_stage", path = parent.display()))?;
    write_all(set, staging.path())?;
    std::fs::write(staging.path().join(MARKER), MARKER_TEXT)
        .with_message(|| msg!("output.cannot_write_marker"))?;
    swap_in(staging, &output, &name)
}

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
                write(&set, &self.dir)?;
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

    /// Those of `paths` the folder holds (the search indexes, kept while
    /// new ones are built).
    pub fn files(&self, paths: &[String]) -> Vec<OutputFile> {
        self.written
            .as_ref()
            .map(|(set, _)| {
                paths
                    .iter()
                    .filter_map(|p| set.files.get(p).cloned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Removes `paths` from what the folder holds; returns how many were
    /// removed.
    pub fn remove(&mut self, paths: &[String]) -> Result<usize> {
        self.record_ahead()?;
        let Some((set, stamps)) = self.written.as_mut() else {
            return Ok(0);
        };
        let mut count = 0;
        for path in paths {
            if set.files.remove(path).is_none() {
                continue;
            }
            stamps.remove(path);
            if let Err(err) = remove_one(&self.dir, path) {
                self.written = None;
                return Err(err);
            }
            count += 1;
        }
        Ok(count)
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

    /// Adds `files` to what the folder holds, or replaces them (the search
    /// indexes, which come after the pages); returns how many were written.
    pub fn replace(&mut self, files: Vec<OutputFile>) -> Result<usize> {
        self.record_ahead()?;
        // After a failed update the next one writes everything anyway.
        let Some((set, _)) = self.written.as_mut() else {
            return Ok(0);
        };
        let changed: Vec<&OutputFile> = files.iter().filter(|f| !set.holds(f)).collect();
        let count = changed.len();
        if let Err(err) = write_in_place(&self.dir, &changed) {
            self.written = None;
            return Err(err);
        }
        for file in files {
            set.replace(file);
        }
        Ok(count)
    }
}

fn same_content(a: &OutputFile, b: &OutputFile, unchanged_copy: bool) -> bool {
    match (&a.content, &b.content) {
        (Content::Bytes(x), Content::Bytes(y)) => x == y,
        (Content::Static(x), Content::Static(y)) => x == y,
        (Content::Copy(x), Content::Copy(y)) => x == y && unchanged_copy,
        _ => false,
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
    let changed: Vec<&OutputFile> = set
        .files
        .iter()
        .filter(|(path, file)| {
            let unchanged_copy = stamps.get(*path).is_some_and(|s| {
                previous_stamps
                    .get(*path)
                    .is_some_and(|before| s.unchanged_since(before))
            });
            previous
                .files
                .get(*path)
                .is_none_or(|old| !same_content(old, file, unchanged_copy))
        })
        .map(|(_, file)| file)
        .collect();
    write_in_place(dir, &changed)?;
    count += changed.len();
    Ok(count)
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

fn write_all(set: &OutputSet, dir: &Path) -> Result<()> {
    let dirs: std::collections::BTreeSet<&str> = set
        .files
        .keys()
        .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
        .collect();
    // Most pages have a folder of their own: tens of thousands of them.
    // (`create_dir_all` accepts a parent another thread just made.)
    dirs.par_iter().try_for_each(|d| {
        std::fs::create_dir_all(dir.join(d))
            .with_message(|| msg!("output.cannot_create_folder", path = d))
    })?;
    set.files
        .par_iter()
        .try_for_each(|(path, file)| -> Result<()> {
            if !is_safe_relative(path) {
                return Err(failure(msg!("output.outside", path)));
            }
            write_one(&file.content, &dir.join(path))
                .with_message(|| msg!("output.cannot_write", path, origin = &file.origin))
        })
}

fn write_one(content: &Content, target: &Path) -> std::io::Result<()> {
    match content {
        Content::Bytes(bytes) => std::fs::write(target, bytes),
        Content::Static(bytes) => std::fs::write(target, bytes),
        Content::Copy(source) => std::fs::copy(source, target).map(|_| ()),
    }
}

fn swap_in(staging: tempfile::TempDir, output: &Path, name: &str) -> Result<()> {
    let parent = output
        .parent()
        .with_message(|| msg!("output.no_parent_short"))?;
    if output.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!("{name}.portail-old-"))
            .tempdir_in(parent)
            .with_message(|| msg!("output.cannot_prepare_swap"))?;
        let old_path = old.path().join("previous");
        std::fs::rename(output, &old_path)
            .with_message(|| msg!("output.cannot_move_aside", path = output.display()))?;
        if let Err(err) = std::fs::rename(staging.path(), output) {
            // Put the previous output back so the failure leaves it untouched.
            let _ = std::fs::rename(&old_path, output);
            return Err(err)
                .with_message(|| msg!("output.cannot_move_in", path = output.display()));
        }
        remove_previous(old);
    } else {
        std::fs::rename(staging.path(), output)
            .with_message(|| msg!("output.cannot_move_in", path = output.display()))?;
    }
    let _ = staging.keep();
    Ok(())
}

/// Removes the previous output, moved aside. Folders the user made
/// read-only (`chmod -R a-w public`) are made writable first: they are
/// portail's own, and left behind they would pile up beside the output.
fn remove_previous(old: tempfile::TempDir) {
    let dir = old.path().to_path_buf();
    if old.close().is_ok() {
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
            if entry.file_type().is_dir() {
                let _ =
                    std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o755));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn files_written_ahead_are_recorded_or_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let page = |path: &str, html: &str| OutputFile::html(path.into(), html.into(), "t".into());
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
        assert_eq!(live.replace(vec![page("a/index.html", "new")]).unwrap(), 0);

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
        assert!(live.replace(vec![page("a/index.html", "new")]).is_err());
        assert!(live.written().is_none());
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
