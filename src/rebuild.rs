//! Builds for `serve`, one after each save: every stage runs, but a
//! Markdown body, a page or a search index whose inputs did not change is
//! taken from the build before (see [`crate::memo`]), and only the output
//! files that differ are written. The pages come first, so that open pages
//! reload at once; the search indexes follow. Then the output equals a
//! full build's.

use crate::build::{self, BuildError, BuildOptions, Memo, Rendered};
use crate::diagnostics::Diagnostics;
use crate::memo::Counts;
use crate::output::LiveOutput;
use crate::search;
use crate::timings::Timings;

/// The state kept between the builds of one `serve`.
pub struct Rebuilder {
    options: BuildOptions,
    memo: Memo,
    output: LiveOutput,
    /// A build whose search indexes are still to come.
    pending: Option<Rendered>,
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
}

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
            pending: None,
        }
    }

    /// Builds and writes the pages after a change to `changed`
    /// (site-relative paths; empty for the first build). The search
    /// indexes keep their previous version until [`Self::search`].
    pub fn rebuild(&mut self, changed: &[String]) -> Result<Rebuilt, BuildError> {
        // The memo assumes only content changes between builds: a change to
        // anything else (config, templates, data…) starts afresh.
        if changed.iter().any(|path| !path.starts_with("content/")) {
            self.memo = Memo::on();
        }
        self.memo.reset_counts();
        self.pending = None;
        let config = build::load_config(&self.options)?;
        let mut rendered = build::render_parts(
            &self.options,
            config,
            &self.memo,
            &Timings::new(false),
            false,
        )?;
        let memo = std::mem::replace(&mut self.memo, Memo::on());
        let rebuilt = Rebuilt {
            warnings: build::warnings(&rendered),
            markdown: memo.markdown.counts(),
            pages: memo.pages.counts(),
            files_changed: 0,
        };
        // The search memo moves on when the indexes are built.
        self.memo = memo.next_but_search();
        let mut set = std::mem::take(&mut rendered.output);
        for file in self.output.files(&search::paths(&rendered.site)) {
            set.replace(file);
        }
        let files_changed = self.output.update(set)?;
        self.pending = Some(rendered);
        Ok(Rebuilt {
            files_changed,
            ..rebuilt
        })
    }

    /// Builds and writes the search indexes of the last rebuild.
    pub fn search(&mut self) -> Result<SearchRebuilt, BuildError> {
        let Some(rendered) = self.pending.take() else {
            return Ok(SearchRebuilt::default());
        };
        self.memo.search.reset_counts();
        let files = build::search_indexes(&rendered, &self.memo);
        let memo = std::mem::replace(&mut self.memo.search, search::SearchMemo::new(true));
        let indexes = memo.indexes.counts();
        let analyses = memo.analyses.counts();
        self.memo.search = memo.next();
        let files_changed = self.output.replace(files)?;
        Ok(SearchRebuilt {
            indexes,
            analyses,
            files_changed,
        })
    }
}
