//! Builds for `serve`, one after each save: every stage runs, but a
//! Markdown body, a page or a search index whose inputs did not change is
//! taken from the build before (see [`crate::memo`]), and only the output
//! files that differ are written. The result equals a full build.

use crate::build::{self, BuildError, BuildOptions, Memo};
use crate::diagnostics::Diagnostics;
use crate::memo::Counts;
use crate::output::LiveOutput;
use crate::site;
use crate::timings::Timings;

/// The state kept between the builds of one `serve`.
pub struct Rebuilder {
    options: BuildOptions,
    memo: Memo,
    output: LiveOutput,
}

/// What a rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    pub warnings: Diagnostics,
    /// Markdown bodies rendered anew and reused.
    pub markdown: Counts,
    /// Pages rendered from templates anew and reused.
    pub pages: Counts,
    /// Search indexes built anew and reused.
    pub search: Counts,
    /// Documents run through the search pipeline anew, and reused.
    pub analyses: Counts,
    /// Output files written or removed.
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
        }
    }

    /// Builds after a change to `changed` (site-relative paths; empty for
    /// the first build).
    pub fn rebuild(&mut self, changed: &[String]) -> Result<Rebuilt, BuildError> {
        // The memo assumes only content changes between builds: a change to
        // anything else (config, templates, data…) starts afresh.
        if changed.iter().any(|path| !path.starts_with("content/")) {
            self.memo = Memo::on();
        }
        self.memo.reset_counts();
        let config = build::load_config(&self.options)?;
        let rendered = build::render_with(&self.options, config, &self.memo, &Timings::new(false))?;
        let memo = std::mem::replace(&mut self.memo, Memo::on());
        let rebuilt = Rebuilt {
            warnings: site::warnings(&rendered.site),
            markdown: memo.markdown.counts(),
            pages: memo.pages.counts(),
            search: memo.search.indexes.counts(),
            analyses: memo.search.analyses.counts(),
            files_changed: 0,
        };
        self.memo = memo.next();
        let files_changed = self.output.update(rendered.output)?;
        Ok(Rebuilt {
            files_changed,
            ..rebuilt
        })
    }
}
