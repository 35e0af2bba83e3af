//! What the content stage keeps from one build to the next: each source
//! file's parsed doc, and each translation as it is once it has inherited
//! its shared fields. A file is parsed again only when its text changed;
//! `serve` also says which files may have changed (its watcher knows), so
//! the others are not even read.
//!
//! Like [`crate::memo`], this assumes only `content/` changes between
//! builds: a change to anything else starts afresh.

use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::page::Doc;
use super::source::{Discovered, SourceFile};
use crate::memo::Key;

/// The docs of the build before, and those of this build.
#[derive(Default)]
pub struct Reuse {
    enabled: bool,
    /// The files that may have changed since the build before (`None`:
    /// any may have, so each is read and compared).
    changed: Option<HashSet<String>>,
    /// Sorted by path.
    parsed: Vec<Arc<Doc>>,
    /// What `content/` held.
    discovered: Option<Arc<Discovered>>,
    /// A translation by path: its text's hash and that of the version it
    /// inherits from, and the result.
    inherited: HashMap<String, Inherited>,
    /// Every doc once it inherited (or as parsed, if it inherits nothing),
    /// in the order of the sources.
    inheriting: Vec<Arc<Doc>>,
    /// The front matter of every doc, hashed, when the checks across docs
    /// (terms, required fields) passed.
    checked: Option<Key>,
    now: Mutex<Now>,
}

/// The docs of the build before, when this one reads the same files.
pub struct LinedUp<'r> {
    /// As parsed, by source.
    pub parsed: &'r [Arc<Doc>],
    /// Once they inherited, by source.
    pub inheriting: &'r [Arc<Doc>],
    /// The sources that may have changed, by index, in order.
    pub changed: Vec<usize>,
}

impl LinedUp<'_> {
    /// Whether the front matter of the changed files is as it was in
    /// `docs` (this build's, parsed).
    pub fn same_fronts(&self, docs: &[Arc<Doc>]) -> bool {
        self.changed
            .iter()
            .all(|&at| docs[at].front_hash == self.parsed[at].front_hash)
    }
}

/// A translation once it inherited shared fields, and from what.
#[derive(Clone)]
struct Inherited {
    own: Key,
    from: Key,
    doc: Arc<Doc>,
}

#[derive(Default)]
struct Now {
    discovered: Option<Arc<Discovered>>,
    parsed: Vec<Arc<Doc>>,
    inherited: HashMap<String, Inherited>,
    inheriting: Vec<Arc<Doc>>,
    checked: Option<Key>,
}

impl Reuse {
    /// Keeps nothing: a one-off build.
    pub fn off() -> Self {
        Reuse::default()
    }

    /// Keeps this build's docs for the next one.
    pub fn on() -> Self {
        Reuse {
            enabled: true,
            ..Reuse::default()
        }
    }

    /// Says that, since the build before, only `paths` (site-relative) may
    /// have changed.
    pub fn only_changed(&mut self, paths: &[String]) {
        self.changed = Some(paths.iter().cloned().collect());
    }

    /// What the next build may reuse: what this one used.
    pub fn next(self) -> Self {
        let now = self.now.into_inner().unwrap_or_default();
        Reuse {
            enabled: self.enabled,
            changed: None,
            discovered: now.discovered,
            parsed: now.parsed,
            inherited: now.inherited,
            inheriting: now.inheriting,
            checked: now.checked,
            now: Mutex::default(),
        }
    }

    /// What `content/` held in the build before, if the files that may have
    /// changed since are files it held and still holds (under `root`): an
    /// edit that adds, removes or renames nothing.
    pub fn discovered(&self, root: &std::path::Path) -> Option<Arc<Discovered>> {
        let (changed, discovered) = (self.changed.as_ref()?, self.discovered.as_ref()?);
        let known = |path: &str| {
            discovered
                .sources
                .binary_search_by(|s| s.rel_path.as_str().cmp(path))
                .is_ok()
                || discovered.assets.iter().any(|a| a.rel_path == path)
        };
        let still_a_file = |path: &str| {
            std::fs::symlink_metadata(root.join(path)).is_ok_and(|m| m.file_type().is_file())
        };
        changed
            .iter()
            .all(|path| known(path) && still_a_file(path))
            .then(|| Arc::clone(discovered))
    }

    /// Keeps what `content/` held for the next build.
    pub fn keep_discovered(&self, discovered: &Arc<Discovered>) {
        if self.enabled
            && let Ok(mut now) = self.now.lock()
        {
            now.discovered = Some(Arc::clone(discovered));
        }
    }

    /// When `sources` are the very files of the build before (nothing was
    /// added or removed): its docs, in their order, and the sources that
    /// may have changed since. The others are then not even looked at (on
    /// a large site, touching every doc after a pause costs more than the
    /// rest of the stage).
    pub fn lined_up(&self, sources: &[SourceFile]) -> Option<LinedUp<'_>> {
        let (changed, discovered) = (self.changed.as_ref()?, self.discovered.as_ref()?);
        let same = std::ptr::eq(discovered.sources.as_slice(), sources);
        let complete = self.parsed.len() == sources.len() && self.inheriting.len() == sources.len();
        if !self.enabled || !same || !complete {
            return None;
        }
        let mut at: Vec<usize> = changed
            .iter()
            .filter_map(|path| {
                sources
                    .binary_search_by(|s| s.rel_path.as_str().cmp(path))
                    .ok()
            })
            .collect();
        at.sort_unstable();
        Some(LinedUp {
            parsed: &self.parsed,
            inheriting: &self.inheriting,
            changed: at,
        })
    }

    /// The doc of `source` (the `at`-th source) as the build before parsed
    /// it, if the file is known not to have changed (it is then not read).
    pub fn unchanged(&self, at: usize, source: &SourceFile) -> Option<Arc<Doc>> {
        let changed = self.changed.as_ref()?;
        // A folder said to have changed (renamed, say) may hold it.
        let mut path = source.rel_path.as_str();
        loop {
            if changed.contains(path) {
                return None;
            }
            match path.rsplit_once('/') {
                Some((folder, _)) => path = folder,
                None => break,
            }
        }
        // Where it was, when nothing was added or removed before it.
        match self.parsed.get(at) {
            Some(doc) if doc.source.rel_path == source.rel_path => {
                Some(doc).filter(|doc| doc.source == *source).cloned()
            }
            _ => self.same_source(source),
        }
    }

    /// The doc of `source` as the build before parsed it, if its text had
    /// this hash.
    pub fn same_text(&self, source: &SourceFile, text_hash: Key) -> Option<Arc<Doc>> {
        self.same_source(source)
            .filter(|doc| doc.text_hash == text_hash)
    }

    fn same_source(&self, source: &SourceFile) -> Option<Arc<Doc>> {
        if !self.enabled {
            return None;
        }
        let at = self
            .parsed
            .binary_search_by(|doc| doc.source.rel_path.cmp(&source.rel_path))
            .ok()?;
        Some(&self.parsed[at])
            .filter(|doc| doc.source == *source)
            .cloned()
    }

    /// What the checks across docs passed on in the build before.
    pub fn checked_before(&self) -> Option<Key> {
        self.checked.filter(|_| self.enabled)
    }

    /// Whether the checks across docs passed in the build before, on docs
    /// whose front matter hashed to `fronts`: they would pass again.
    pub fn checked(&self, fronts: Key) -> bool {
        self.enabled && self.checked == Some(fronts)
    }

    /// Remembers that the checks across docs passed on `fronts`.
    pub fn keep_checked(&self, fronts: Key) {
        if self.enabled
            && let Ok(mut now) = self.now.lock()
        {
            now.checked = Some(fronts);
        }
    }

    /// Keeps the parsed docs (sorted by path) for the next build.
    pub fn keep(&self, docs: &[Arc<Doc>]) {
        if self.enabled
            && let Ok(mut now) = self.now.lock()
        {
            now.parsed = docs.to_vec();
        }
    }

    /// Keeps every doc once it inherited, in the order of the sources.
    pub fn keep_inheriting(&self, docs: &[Arc<Doc>]) {
        if self.enabled
            && let Ok(mut now) = self.now.lock()
        {
            now.inheriting = docs.to_vec();
        }
    }

    /// A translation as it was after inheriting from a version with text
    /// hash `from`, if its own text is unchanged.
    pub fn inherited(&self, doc: &Doc, from: Key) -> Option<Arc<Doc>> {
        if !self.enabled {
            return None;
        }
        self.inherited
            .get(&doc.source.rel_path)
            .filter(|i| i.own == doc.text_hash && i.from == from && i.doc.source == doc.source)
            .map(|i| Arc::clone(&i.doc))
    }

    /// Keeps translations after they inherited, each from a version with
    /// text hash `from`.
    pub fn keep_inherited(&self, docs: Vec<(Arc<Doc>, Key)>) {
        if self.enabled
            && let Ok(mut now) = self.now.lock()
        {
            now.inherited.extend(docs.into_iter().map(|(doc, from)| {
                let inherited = Inherited {
                    own: doc.text_hash,
                    from,
                    doc: Arc::clone(&doc),
                };
                (doc.source.rel_path.clone(), inherited)
            }));
        }
    }
}
