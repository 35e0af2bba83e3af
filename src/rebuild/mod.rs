//! Builds for `serve`, one after each save. Every save runs the one
//! pipeline: a Markdown body or search document whose inputs did not change
//! is taken from the build before (see [`crate::memo`]), and so is every
//! page whose recorded reads kept their hashes (see
//! [`crate::render::engine`]). Only the output files that differ are
//! written; the open pages first, so that they reload at once, and the
//! search indexes last. The output equals a full build's.

use std::collections::{BTreeSet, HashMap};

use crate::build::{self, BuildError, BuildOptions, Built, Memo};
use crate::diagnostics::Diagnostics;
use crate::memo::Counts;
use crate::output::{LiveOutput, OutputFile};
use crate::render::engine::Recorded;
use crate::search;
use crate::site::{Site, SiteRead};
use crate::timings::{Stage, Timings};

/// The state kept between the builds of one `serve`.
pub struct Rebuilder {
    options: BuildOptions,
    memo: Memo,
    output: LiveOutput,
    /// The last successful build, whose search indexes are still to come.
    last: Option<Built>,
    /// Whether the last build's search indexes are still to come.
    search_due: bool,
    /// What the pages of the build the output folder holds read.
    recorded: Option<Recorded>,
    /// The address of each doc in that build.
    urls: Addresses,
    /// Whether rebuilds report where their time went.
    timed: bool,
    /// The files changed since the last successful build (a failed build
    /// leaves its changes to the next one).
    pending: BTreeSet<String>,
}

/// What a rebuild of the pages did.
#[derive(Debug)]
pub struct Rebuilt {
    pub warnings: Diagnostics,
    /// Markdown bodies rendered anew and reused.
    pub markdown: Counts,
    /// Pages rendered from templates anew and reused.
    pub pages: Counts,
    /// Output files written or removed.
    pub files_changed: usize,
    /// Pages that changed address, for the open pages to follow.
    pub moved: Vec<Moved>,
    /// Where the time went, when asked.
    pub timings: Option<Timings>,
}

/// The pages open in browsers, which a rebuild writes ahead of the others.
pub struct OpenPages<'a> {
    /// Their output paths (`fr/news/index.html`).
    pub paths: BTreeSet<String>,
    /// Called at most once, when those of them the rebuild changes are
    /// written: with their output paths, and the pages that moved (as in
    /// [`Rebuilt::moved`]). The rest follows before the rebuild returns.
    pub written: &'a mut dyn FnMut(Vec<String>, &[Moved]),
}

/// A page that changed address: old URL → new URL (with the base path).
pub type Moved = (String, String);

/// What the search indexes that follow a rebuild did.
#[derive(Debug, Default)]
pub struct SearchRebuilt {
    /// Indexes built anew and reused.
    pub indexes: Counts,
    /// Documents run through the search pipeline anew, and reused.
    pub analyses: Counts,
    pub files_changed: usize,
}

impl Rebuilder {
    /// `options.output` is a folder only this rebuilder writes.
    pub fn new(options: BuildOptions) -> Self {
        let output = LiveOutput::new(options.output_dir());
        Rebuilder {
            options,
            memo: Memo::on(),
            output,
            last: None,
            search_due: false,
            recorded: None,
            urls: Addresses::default(),
            timed: false,
            pending: BTreeSet::new(),
        }
    }

    /// Makes each rebuild report where its time went.
    pub fn timed(self, timed: bool) -> Self {
        Rebuilder { timed, ..self }
    }

    /// Builds and writes the pages after a change to `changed`
    /// (site-relative paths; empty for the first build). The search
    /// indexes keep their previous version until [`Self::search`].
    pub fn rebuild(&mut self, changed: &[String]) -> Result<Rebuilt, BuildError> {
        self.rebuild_open(changed, None)
    }

    /// [`Self::rebuild`], writing the `open` pages first. If the rebuild
    /// then fails, they are put back as they were.
    pub fn rebuild_open(
        &mut self,
        changed: &[String],
        open: Option<OpenPages>,
    ) -> Result<Rebuilt, BuildError> {
        let rebuilt = self.rebuild_paths(changed, open);
        if rebuilt.is_err() {
            self.output.undo_ahead();
        }
        rebuilt
    }

    fn rebuild_paths(
        &mut self,
        changed: &[String],
        open: Option<OpenPages>,
    ) -> Result<Rebuilt, BuildError> {
        // Whatever fails from here, no build stands for its indexes. The
        // memo keeps it (this build takes unchanged docs' results from it
        // by position); the one it held is freed, which takes a while on a
        // large site, and nobody need wait for.
        if let Some(last) = self.last.take() {
            let gone = self.memo.before.replace(last);
            std::thread::spawn(move || drop(gone));
        }
        self.search_due = false;
        // The memo of Markdown bodies and search documents assumes only
        // content changes between builds: a change to anything else
        // (config, templates, data…) starts afresh. The pages' records
        // know what they read, and stay.
        self.pending.extend(changed.iter().cloned());
        // A picture beside the content counts as anything else: the
        // bodies that show it are not told apart from the others.
        let picture = |path: &String| crate::pictures::is_raster(path);
        if (changed.iter()).any(|path| !path.starts_with("content/") || picture(path)) {
            self.memo = Memo::on();
        } else if !changed.is_empty() {
            // The watcher saw every change: the other files are not read.
            let pending: Vec<String> = self.pending.iter().cloned().collect();
            self.memo.content.only_changed(&pending);
        }
        self.memo.reset_counts();
        let timings = Timings::new(self.timed);
        let config = timings.stage(Stage::Config, || build::load_config(&self.options))?;
        let previous = self.recorded.as_ref().zip(self.output.written());
        let open = open.map(std::cell::RefCell::new);
        let ahead = |site: &Site, fresh: &[&OutputFile]| {
            if let Some(open) = &open {
                let mut open = open.borrow_mut();
                let moved = self.urls.moved_open(&open.paths, site);
                write_open(&self.output, &moved, site, fresh, &mut open);
            }
        };
        let mut rendered = build::render_parts(
            &self.options,
            config,
            &self.memo,
            &timings,
            build::Parts {
                search: false,
                record: true,
                previous,
                ahead: Some(&ahead),
            },
        )?;
        self.pending.clear();
        let memo = std::mem::replace(&mut self.memo, Memo::on());
        let markdown = memo.markdown.counts();
        // The search memo moves on when the indexes are built.
        self.memo = memo.next_but_search();
        let urls = Addresses::of(&rendered.site);
        let moved = self.urls.moved(&urls);
        // Before the output moves on: links are checked against it.
        let warnings = build::warnings(&rendered);
        let mut set = std::mem::take(&mut rendered.output);
        for file in self.output.files_under(&search::folders(&rendered.site)) {
            set.replace(file);
        }
        // A folder in doubt is written whole: no record of it stands.
        let mut recorded = self.recorded.take();
        let files_changed = timings.stage(Stage::Write, || self.output.update(set))?;
        self.recorded = rendered
            .reads
            .take()
            .map(|(done, hashes)| match recorded.take() {
                Some(mut recorded) => {
                    recorded.update(done, &hashes);
                    recorded
                }
                None => Recorded::new(done, &hashes),
            });
        self.urls = urls;
        let rebuilt = Rebuilt {
            warnings,
            markdown,
            pages: rendered.pages,
            files_changed,
            moved,
            timings: self.timed.then_some(timings),
        };
        self.last = Some(rendered);
        self.search_due = true;
        Ok(rebuilt)
    }

    /// Builds and writes the search indexes of the last rebuild.
    pub fn search(&mut self) -> Result<SearchRebuilt, BuildError> {
        let Some(rendered) = self.last.as_ref().filter(|_| self.search_due) else {
            return Ok(SearchRebuilt::default());
        };
        self.search_due = false;
        self.memo.search.reset_counts();
        let files = build::search_indexes(rendered, &self.memo);
        let memo = std::mem::replace(&mut self.memo.search, search::SearchMemo::new(true));
        let indexes = memo.indexes.counts();
        let analyses = memo.analyses.counts();
        self.memo.search = memo.next();
        let folders = search::folders(&rendered.site);
        let files_changed = match self.output.replace_under(&folders, files) {
            Ok(count) => count,
            Err(err) => {
                // The folder is in doubt: the next rebuild writes it whole.
                self.last = None;
                return Err(BuildError::Io(err));
            }
        };
        Ok(SearchRebuilt {
            indexes,
            analyses,
            files_changed,
        })
    }
}

/// Each doc's address in a build, and the doc each page file shows.
#[derive(Default)]
struct Addresses {
    /// URL by source path.
    urls: HashMap<String, String>,
    /// Source path by output path (`fr/news/a/index.html`).
    docs: HashMap<String, String>,
}

impl Addresses {
    fn of(site: &Site) -> Self {
        let base_path = &site.config.base_path;
        let mut addresses = Addresses::default();
        for id in site.doc_ids() {
            let (path, url) = (&site.doc(id).source.rel_path, site.url(id));
            let file = url.strip_prefix(base_path.as_str());
            if let Some(file) = file.and_then(crate::output::url_output_path) {
                addresses.docs.insert(file, path.clone());
            }
            addresses.urls.insert(path.clone(), url);
        }
        addresses
    }

    /// The pages whose address is not what it was.
    fn moved(&self, now: &Addresses) -> Vec<Moved> {
        now.urls
            .iter()
            .filter_map(|(path, url)| {
                let old = self.urls.get(path)?;
                (old != url).then(|| (old.clone(), url.clone()))
            })
            .collect()
    }

    /// [`Self::moved`] for the pages of the `open` files only, which
    /// `site` has (found without working out every address).
    fn moved_open(&self, open: &BTreeSet<String>, site: &Site) -> Vec<Moved> {
        open.iter()
            .filter_map(|file| {
                let path = self.docs.get(file)?;
                let old = self.urls.get(path)?;
                let at = site
                    .docs
                    .binary_search_by(|doc| doc.source.rel_path.cmp(path))
                    .ok()?;
                let url = site.url(crate::site::DocId(at));
                (*old != url).then(|| (old.clone(), url))
            })
            .collect()
    }
}

/// Writes the open pages that were rendered anew (at their new address,
/// for those that moved) ahead of the rest of the build (the files made
/// from the whole site, the writing of the others), and tells `open`.
fn write_open(
    output: &LiveOutput,
    moved: &[Moved],
    site: &Site,
    fresh: &[&OutputFile],
    open: &mut OpenPages,
) {
    let Some(written) = output.written() else {
        return;
    };
    let base_path = &site.config.base_path;
    let output_path = |url: &str| crate::output::url_output_path(url.strip_prefix(base_path)?);
    let mut paths = open.paths.clone();
    for (old, now) in moved {
        if let (Some(old), Some(now)) = (output_path(old), output_path(now))
            && paths.contains(&old)
        {
            paths.insert(now);
        }
    }
    let ahead: Vec<OutputFile> = fresh
        .iter()
        .filter(|file| paths.contains(&file.path) && !written.holds(file))
        .map(|file| (*file).clone())
        .collect();
    if ahead.is_empty() {
        return;
    }
    if let Some(paths) = output.write_ahead(ahead) {
        (open.written)(paths, moved);
    }
}
