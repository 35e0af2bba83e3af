//! Publishing a build. Every file is written into a staging folder beside
//! the output, which then takes the output's place in one atomic exchange
//! (`renameat2(RENAME_EXCHANGE)` on Linux, `RENAME_SWAP` on macOS): a reader,
//! or a build killed at any moment, finds the whole previous output or the
//! whole new one, never none. A failed build leaves the previous output
//! untouched; nothing is written outside the output folder and the staging
//! folder beside it.
//!
//! An output folder that is a mount point cannot be exchanged (a CI
//! container's volume): the staging folder is made inside it and each of
//! its top-level entries is exchanged in turn (see [`exchange_contents`]).
//!
//! A staging folder starts with a marker file, locked while its build runs.
//! A later build removes staging folders whose marker is no longer locked:
//! what interrupted builds left, and only that.

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use super::{OutputSet, is_safe_relative, write_one};
use crate::messages::{WithMessage, failure};

/// Marks an output folder as written by portail, so a later build may
/// replace it; a folder without it is never deleted.
pub const MARKER: &str = ".portail";

/// The marker before it is locked and named.
const UNNAMED_MARKER: &str = ".portail-marker";

/// How old a staging folder with an unnamed marker must be to be a killed
/// build's: making the marker takes a build microseconds.
const UNNAMED_FOR: std::time::Duration = std::time::Duration::from_secs(60);

fn older_than(path: &Path, age: std::time::Duration) -> bool {
    std::fs::metadata(path)
        .and_then(|meta| meta.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_some_and(|elapsed| elapsed > age)
}

const MARKER_TEXT: &str =
    "This folder is written by portail: every build replaces its whole content.\n";

/// A folder that an interrupted build left behind, removed by this one.
#[derive(Debug, Clone)]
pub struct Leftover {
    pub path: PathBuf,
    pub bytes: u64,
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
    let has_files = std::fs::read_dir(&output).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            let name = entry.file_name();
            let mount_own = is_file_system_own(&name) && is_mount_point(&output);
            !(is_staging_name(&name, INSIDE) || mount_own)
        })
    });
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

/// The prefix of staging folders made inside a mounted output folder.
const INSIDE: &str = ".portail-staging-";

/// Writes the set into `output`, replacing what was there only once every
/// file is written; the folders of interrupted builds it removed.
pub fn write(set: &OutputSet, output: &Path) -> Result<Vec<Leftover>> {
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
    let beside = [
        format!("{name}.portail-staging-"),
        format!("{name}.portail-old-"),
    ];
    let mut leftovers = remove_leftovers(parent, &beside);
    leftovers.extend(remove_leftovers(&output, &[INSIDE.to_string()]));
    let in_place = output.is_dir() && is_mount_point(&output);
    if output.is_dir() && !in_place {
        // An output its owner made read-only is left as it is: the
        // exchange could replace it, which a rename elsewhere could not.
        writable(&output)
            .with_message(|| msg!("output.cannot_move_aside", path = output.display()))?;
    }
    let staging = if in_place {
        Staging::new(&output, INSIDE)?
    } else {
        Staging::new(parent, &beside[0])?
    };
    write_all(set, staging.path())?;
    if in_place {
        exchange_contents(staging, &output)?;
    } else {
        swap_in(staging, &output)?;
    }
    Ok(leftovers)
}

/// A build's staging folder, with its marker file locked for as long as the
/// build runs. Dropped, it is removed.
struct Staging {
    dir: tempfile::TempDir,
    /// Held for the lock.
    marker: Option<File>,
}

impl Staging {
    fn new(home: &Path, prefix: &str) -> Result<Staging> {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(home)
            .with_message(|| msg!("output.cannot_stage", path = home.display()))?;
        // Locked under another name, then named: a folder whose marker
        // another build finds is never one it could take for a leftover.
        let unnamed = dir.path().join(UNNAMED_MARKER);
        let marker = File::create(&unnamed)
            .and_then(|mut file| {
                io::Write::write_all(&mut file, MARKER_TEXT.as_bytes())?;
                file.lock()?;
                std::fs::rename(&unnamed, dir.path().join(MARKER))?;
                Ok(file)
            })
            .with_message(|| msg!("output.cannot_write_marker"))?;
        Ok(Staging {
            dir,
            marker: Some(marker),
        })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Lets the lock go where a folder holding an open file cannot be
    /// renamed (Windows), just before the folder is swapped in.
    fn unlock_for_rename(&mut self) {
        if cfg!(not(unix)) {
            self.marker = None;
        }
    }
}

/// Removes the folders named with one of `prefixes` in `home` that a build
/// left: those whose marker no running build holds.
fn remove_leftovers(home: &Path, prefixes: &[String]) -> Vec<Leftover> {
    let Ok(entries) = std::fs::read_dir(home) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || !prefixes.iter().any(|p| name.starts_with(p.as_str())) {
            continue;
        }
        let path = entry.path();
        // Older builds kept the previous output in a `previous` subfolder.
        // A build killed as it made its marker left it unnamed (nothing
        // else is written before it is named), which counts once the
        // folder is too old to be a build's that is making it now.
        let named = [path.join(MARKER), path.join("previous").join(MARKER)]
            .into_iter()
            .find_map(|marker| File::open(marker).ok());
        let marker = match named {
            Some(marker) => marker,
            None if older_than(&path, UNNAMED_FOR) => match File::open(path.join(UNNAMED_MARKER)) {
                Ok(marker) => marker,
                Err(_) => continue,
            },
            None => continue,
        };
        if marker.try_lock().is_err() {
            continue;
        }
        let bytes = walkdir::WalkDir::new(&path)
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.metadata().ok())
            .filter(|meta| meta.is_file())
            .map(|meta| meta.len())
            .sum();
        drop(marker);
        if remove_dir(&path).is_ok() {
            removed.push(Leftover { path, bytes });
        }
    }
    removed.sort_by(|a, b| a.path.cmp(&b.path));
    removed
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

/// Puts the staging folder in the output's place; the previous output,
/// exchanged into the staging folder's place, is removed.
fn swap_in(mut staging: Staging, output: &Path) -> Result<()> {
    staging.unlock_for_rename();
    exchange(staging.path(), output)
        .with_message(|| msg!("output.cannot_move_in", path = output.display()))?;
    if output_was_there(staging.path()) {
        remove_previous(staging);
    } else {
        let _ = staging.dir.keep();
    }
    Ok(())
}

/// Whether `path`, after an exchange, holds a previous output.
fn output_was_there(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// In a mounted output folder: each top-level entry of the staging folder
/// (made inside the output) is exchanged with the output's entry of that
/// name, each exchange atomic; the previous output's entries the new one
/// lacks are then moved into the staging folder, which is removed. A
/// reader may meet new and previous entries side by side for the moment it
/// takes, each of them whole. If an exchange fails, those done are undone.
fn exchange_contents(mut staging: Staging, output: &Path) -> Result<()> {
    staging.unlock_for_rename();
    let mut names: Vec<OsString> = std::fs::read_dir(staging.path())
        .with_message(|| msg!("output.cannot_move_in", path = output.display()))?
        .map(|entry| entry.map(|e| e.file_name()))
        .collect::<io::Result<_>>()
        .with_message(|| msg!("output.cannot_move_in", path = output.display()))?;
    // The marker last: until then the folder is the previous build's.
    names.sort_by_key(|name| name == MARKER);
    // Each entry done, and whether the output had one of that name.
    let mut done: Vec<(&OsString, bool)> = Vec::new();
    for name in &names {
        let new = staging.path().join(name);
        let existed = std::fs::symlink_metadata(output.join(name)).is_ok();
        if let Err(err) = exchange(&new, &output.join(name)) {
            for (name, existed) in done.iter().rev() {
                let (new, old) = (staging.path().join(name), output.join(name));
                let _ = match existed {
                    true => exchange(&new, &old),
                    false => std::fs::rename(&old, &new),
                };
            }
            return Err(err).with_message(|| {
                msg!("output.cannot_move_in", path = output.join(name).display())
            });
        }
        done.push((name, existed));
    }
    let entries = std::fs::read_dir(output).into_iter().flatten().flatten();
    for entry in entries {
        let name = entry.file_name();
        if !is_staging_name(&name, INSIDE) && !is_file_system_own(&name) && !names.contains(&name) {
            let _ = std::fs::rename(entry.path(), staging.path().join(&name));
        }
    }
    remove_previous(staging);
    Ok(())
}

/// Exchanges `new` and `target` atomically where the system can: afterwards
/// `target` holds what `new` held, and `new` what `target` held (nothing,
/// if `target` did not exist). Elsewhere, in two steps with a moment where
/// `target` is missing.
fn exchange(new: &Path, target: &Path) -> io::Result<()> {
    if std::fs::symlink_metadata(target).is_err() {
        return std::fs::rename(new, target);
    }
    match atomic_exchange(new, target) {
        Err(err) if err.kind() == io::ErrorKind::Unsupported => {}
        other => return other,
    }
    let mut aside = new.as_os_str().to_owned();
    aside.push(".previous");
    let aside = PathBuf::from(aside);
    std::fs::rename(target, &aside)?;
    if let Err(err) = std::fs::rename(new, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(err);
    }
    std::fs::rename(&aside, new)
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn atomic_exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(|errno| match errno {
        // A kernel or file system without the exchange.
        Errno::INVAL | Errno::NOSYS | Errno::NOTSUP => io::ErrorKind::Unsupported.into(),
        other => io::Error::from(other),
    })
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn atomic_exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether `path` is the root of a mounted file system, which cannot be
/// renamed.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn is_mount_point(path: &Path) -> bool {
    use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags, statx};
    // Bind mounts of a folder of the same file system are told by statx
    // alone; the device number tells the others on older kernels.
    if let Ok(stat) = statx(CWD, path, AtFlags::SYMLINK_NOFOLLOW, StatxFlags::empty())
        && stat
            .stx_attributes_mask
            .contains(StatxAttributes::MOUNT_ROOT)
    {
        return stat.stx_attributes.contains(StatxAttributes::MOUNT_ROOT);
    }
    other_device(path)
}

#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
fn is_mount_point(path: &Path) -> bool {
    other_device(path)
}

#[cfg(unix)]
fn other_device(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let device = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
    match path.parent() {
        Some(parent) => device(path) != device(parent),
        None => true,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path) -> bool {
    false
}

#[cfg(unix)]
fn writable(dir: &Path) -> io::Result<()> {
    rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).map_err(io::Error::from)
}

#[cfg(not(unix))]
fn writable(dir: &Path) -> io::Result<()> {
    match std::fs::metadata(dir)?.permissions().readonly() {
        true => Err(io::ErrorKind::PermissionDenied.into()),
        false => Ok(()),
    }
}

/// The folder a freshly made file system holds at its root (ext4's
/// `lost+found`), which is not the output's.
fn is_file_system_own(name: &std::ffi::OsStr) -> bool {
    name == "lost+found"
}

/// Whether `name` is a staging folder's, with the prefix `prefix`.
fn is_staging_name(name: &std::ffi::OsStr, prefix: &str) -> bool {
    name.to_string_lossy().starts_with(prefix)
}

/// Removes the previous output, exchanged into the staging folder's place.
fn remove_previous(staging: Staging) {
    let Staging { dir, marker } = staging;
    let path = dir.keep();
    let _ = remove_dir(&path);
    drop(marker);
}

/// Removes a folder of portail's. Folders the user made read-only
/// (`chmod -R a-w public`) are made writable first: they are portail's own,
/// and left behind they would pile up beside the output.
fn remove_dir(dir: &Path) -> io::Result<()> {
    if std::fs::remove_dir_all(dir).is_ok() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if entry.file_type().is_dir() {
                let _ =
                    std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o755));
            }
        }
    }
    std::fs::remove_dir_all(dir)
}
