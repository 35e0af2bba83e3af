//! Watching the site's sources: bursts of events (an editor's save is often
//! several) become one rebuild, and editors' temporary files are ignored.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::diagnostics::Diagnostic;

/// The folders and file a site is made of.
const SOURCES: &[&str] = &[
    "content",
    "templates",
    "themes",
    "static",
    "data",
    "i18n",
    "config.toml",
];

/// How long the sources must be quiet before a rebuild starts: editors
/// save in a few steps (a temporary file renamed, a backup) within a few
/// milliseconds.
const QUIET: Duration = Duration::from_millis(30);

/// How often the quiet is checked (a rebuild starts at most this late).
const TICK: Duration = Duration::from_millis(5);

type Watcher = Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>;

/// Keep it alive: dropping it stops the watching.
pub type WatchHandle = Arc<Mutex<Watcher>>;

/// Calls `on_change` (on the watcher's own thread, one call at a time) with
/// the site-relative paths that changed.
pub fn start(
    root: &Path,
    mut on_change: impl FnMut(Vec<String>) + Send + 'static,
) -> Result<WatchHandle, Diagnostic> {
    let root = root.canonicalize().map_err(|err| {
        Diagnostic::error(msg!(
            "serve.cannot_watch",
            path = root.display(),
            error = err
        ))
    })?;
    let watched = root.clone();
    let (sender, receiver) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(QUIET, Some(TICK), sender)
        .map_err(|err| Diagnostic::error(msg!("serve.cannot_watch_files", error = err)))?;
    // Only the sources: a site folder may also hold target/, node_modules/
    // or public/, whose thousands of files are none of our business. The
    // folder itself is watched alone, for config.toml.
    let watch = |debouncer: &mut Watcher, path: &Path, mode| {
        debouncer.watch(path, mode).map_err(|err| {
            Diagnostic::error(msg!(
                "serve.cannot_watch",
                path = path.display(),
                error = err
            ))
        })
    };
    watch(&mut debouncer, &root, RecursiveMode::NonRecursive)?;
    for source in SOURCES {
        let path = root.join(source);
        if path.is_dir() {
            watch(&mut debouncer, &path, RecursiveMode::Recursive)?;
        }
    }
    let handle = Arc::new(Mutex::new(debouncer));
    let shared = Arc::clone(&handle);
    std::thread::spawn(move || {
        while let Ok(first) = receiver.recv() {
            let mut changed = relevant(&watched, first);
            // Changes that arrived during the previous rebuild: one more is enough.
            while let Ok(more) = receiver.try_recv() {
                changed.extend(relevant(&watched, more));
            }
            changed.sort();
            changed.dedup();
            // A source folder created since the start (templates/…) is
            // watched from now on; watching one twice is harmless.
            for rel in changed.iter().filter(|rel| SOURCES.contains(&rel.as_str())) {
                let path = watched.join(rel);
                if path.is_dir()
                    && let Ok(mut debouncer) = shared.lock()
                {
                    let _ = debouncer.watch(&path, RecursiveMode::Recursive);
                }
            }
            if !changed.is_empty() {
                on_change(changed);
            }
        }
    });
    Ok(handle)
}

fn relevant(root: &Path, result: DebounceEventResult) -> Vec<String> {
    let Ok(events) = result else {
        // The watcher lost track (e.g. too many events): rebuild to be safe.
        return vec!["(unknown)".to_string()];
    };
    events
        .iter()
        .filter(|e| !e.kind.is_access())
        .flat_map(|e| e.paths.iter())
        .filter_map(|path| {
            let rel = path.strip_prefix(root).ok()?;
            let rel = crate::load::source::slash_path(rel);
            is_source(&rel).then_some(rel)
        })
        .collect()
}

/// Whether a change to this site-relative path can change the site.
fn is_source(rel: &str) -> bool {
    let first = rel.split('/').next().unwrap_or("");
    if !SOURCES.contains(&first) {
        return false;
    }
    let name = rel.rsplit('/').next().unwrap_or("");
    !is_editor_temporary(name)
}

/// Swap, backup and lock files of common editors.
fn is_editor_temporary(name: &str) -> bool {
    name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".crswap"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || name == "4913"
        || name.starts_with(".goutputstream-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count() {
        assert!(is_source("content/news/a.fr.md"));
        assert!(is_source("config.toml"));
        assert!(is_source("themes/mine/templates/page.html"));
        assert!(!is_source("public/index.html"));
        assert!(!is_source("README.md"));
        assert!(!is_source(".git/index"));
        for temporary in [
            "content/news/.a.fr.md.swp",
            "content/news/a.fr.md~",
            "content/news/.#a.fr.md",
            "content/news/#a.fr.md#",
            "content/news/4913",
        ] {
            assert!(!is_source(temporary), "{temporary}");
        }
    }
}
