//! Builds for `serve`, one after each save, from the build before where
//! they can:
//! - a save that changed one page's body and nothing other pages show of
//!   it (its front matter and summary) renders that page and the feeds;
//! - a save of pages' front matter that leaves the site's pages as they
//!   were renders the files that show them (`fields_change`);
//! - a save that adds, removes or moves pages assembles the site again
//!   around them and renders the same (`shape`).
//!
//! Otherwise every stage runs, but a Markdown body, a page or a search
//! index whose inputs did not change is taken from the build before (see
//! [`crate::memo`]). Either way only the output files that differ are
//! written. The pages come first, so that open pages reload at once; the
//! search indexes follow. Then the output equals a full build's.

use std::collections::BTreeSet;

use crate::build::{self, BuildError, BuildOptions, Built, Memo};
use crate::diagnostics::Diagnostics;
use crate::load::{inheritance, page, schema};
use crate::memo::{Counts, Recall};
use crate::output::{LiveOutput, OutputFile, url_output_path};
use crate::render::{self, feeds};
use crate::site::Replaced;
use crate::timings::Timings;
use crate::{markdown, search};

mod shape;

/// A checkout of more files than this is rebuilt whole.
const MOST: usize = 20;

/// The state kept between the builds of one `serve`.
pub struct Rebuilder {
    options: BuildOptions,
    memo: Memo,
    output: LiveOutput,
    /// The last successful build, which a change to one body updates.
    last: Option<Built>,
    /// Whether the last build's search indexes are still to come.
    search_due: bool,
    /// How many pages the last full rebuild rendered or reused.
    all_pages: usize,
}

/// What a rebuild of the pages did.
#[derive(Debug)]
pub struct Rebuilt {
    /// Whether every stage ran (else one body was rendered again into the
    /// last build).
    pub every_stage: bool,
    pub warnings: Diagnostics,
    /// Markdown bodies rendered anew and reused.
    pub markdown: Counts,
    /// Pages rendered from templates anew and reused.
    pub pages: Counts,
    /// Output files written or removed.
    pub files_changed: usize,
    /// Pages that changed address, for the open pages to follow.
    pub moved: Vec<Moved>,
}

/// The pages open in browsers, which a rebuild that renders many files
/// (a page added or deleted moves every item after it in its lists)
/// writes ahead of the others.
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
            all_pages: 0,
        }
    }

    /// Builds and writes the pages after a change to `changed`
    /// (site-relative paths; empty for the first build). The search
    /// indexes keep their previous version until [`Self::search`].
    pub fn rebuild(&mut self, changed: &[String]) -> Result<Rebuilt, BuildError> {
        self.rebuild_open(changed, None)
    }

    /// [`Self::rebuild`], writing the `open` pages first where that helps.
    /// If the rebuild then fails, they are put back as they were.
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
        if let [path] = changed
            && let Some(rebuilt) = self.body_change(path)
        {
            return rebuilt;
        }
        if let Some(rebuilt) = self.fields_change(changed) {
            return rebuilt;
        }
        if let Some(rebuilt) = self.shape_change(changed, open) {
            return rebuilt;
        }
        // Whatever fails from here, no build stands to update.
        self.last = None;
        self.search_due = false;
        // The memo assumes only content changes between builds: a change to
        // anything else (config, templates, data…) starts afresh.
        if changed.iter().any(|path| !path.starts_with("content/")) {
            self.memo = Memo::on();
        }
        self.memo.reset_counts();
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
            every_stage: true,
            warnings: build::warnings(&rendered),
            markdown: memo.markdown.counts(),
            pages: memo.pages.counts(),
            files_changed: 0,
            moved: Vec::new(),
        };
        // The search memo moves on when the indexes are built.
        self.memo = memo.next_but_search();
        let mut set = std::mem::take(&mut rendered.output);
        for file in self.output.files(&search::paths(&rendered.site)) {
            set.replace(file);
        }
        let files_changed = self.output.update(set)?;
        self.all_pages = rebuilt.pages.total();
        self.last = Some(rendered);
        self.search_due = true;
        Ok(Rebuilt {
            files_changed,
            ..rebuilt
        })
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
        let files_changed = match self.output.replace(files) {
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

    /// The rebuild after a save of `path`, when only that page's body
    /// changed and nothing other pages show of it; `None` when a full
    /// rebuild is needed (which also reports any error).
    fn body_change(&mut self, path: &str) -> Option<Result<Rebuilt, BuildError>> {
        let last = self.last.as_mut()?;
        let site = &last.site;
        let id = site.find(path)?;
        let index = id.0;
        let doc = site.doc(id);
        let text = std::fs::read_to_string(&doc.source.abs_path).ok()?;
        // The same front matter to the byte: the same fields, shared ones
        // included, and the same place where the body starts.
        let front_matter = &doc.text[..doc.body_offset];
        // A closing `+++` without a newline after it could grow into
        // something else: such files take the full path.
        if text == doc.text || !front_matter.ends_with('\n') || !text.starts_with(front_matter) {
            return None;
        }
        // "Today" moves on at midnight, and with it the upcoming events.
        if build::today(&self.options, &site.config).ok()? != last.today {
            return None;
        }
        let previous = std::mem::replace(&mut last.site.docs[index].text, text);
        let body = markdown::render(&last.site, id, &last.templates.strings).ok();
        match body {
            Some(body) if body.summary == last.markdown[index].summary => {
                last.markdown[index] = body;
            }
            _ => {
                last.site.docs[index].text = previous;
                return None;
            }
        }
        let (pages, timings) = (Recall::off(), Timings::new(false));
        let (inputs, kept) = last.inputs(&self.options.root, &pages, &timings);
        let files = match render::render_body_change(&inputs, kept.shared, id) {
            Ok(files) => files,
            Err(_) => {
                // The full rebuild reports the error as every build does.
                self.last = None;
                return None;
            }
        };
        Some(self.write_part(files, 1))
    }

    /// The rebuild after a save of `paths` that changed pages' front
    /// matter (and maybe their bodies) but not the site's shape (see
    /// [`crate::site::Site::replace`]): the new versions of the pages and
    /// their translations go into the last build, and only the files that
    /// show them are rendered again. `None` when a full rebuild is needed
    /// (which also reports any error).
    fn fields_change(&mut self, paths: &[String]) -> Option<Result<Rebuilt, BuildError>> {
        if !self.may_reuse(paths) {
            return None;
        }
        let last = self.last.as_mut()?;
        let site = &last.site;
        // The saved pages and their translations, which inherit shared
        // fields from the default language's version.
        let mut group = BTreeSet::new();
        for path in paths {
            let id = site.find(path)?;
            group.insert(id);
            group.extend(&site.placement(id).translations);
        }
        // A version the site leaves out (a draft) still shares its fields
        // (or gives them), and a full build reports their conflicts.
        for id in &group {
            let doc = site.doc(*id);
            let lang_suffix = format!(".{}.md", doc.source.lang);
            let stem = doc.source.abs_path.to_str()?.strip_suffix(&lang_suffix)?;
            let versions = std::iter::once(id).chain(&site.placement(*id).translations);
            let in_site: Vec<&str> = versions
                .map(|t| site.doc(*t).source.lang.as_str())
                .collect();
            if site
                .config
                .language_codes()
                .filter(|lang| !in_site.contains(lang))
                .any(|lang| std::path::Path::new(&format!("{stem}.{lang}.md")).exists())
            {
                return None;
            }
        }
        let mut docs = Vec::with_capacity(group.len());
        for id in &group {
            let source = site.doc(*id).source.clone();
            let text = std::fs::read_to_string(&source.abs_path).ok()?;
            docs.push(page::parse_text(source, text, &site.config).ok()?);
        }
        inheritance::inherit(&mut docs, &site.config).ok()?;
        if site.terms.check(&docs).has_errors()
            || schema::check(&docs, &site.config, &site.terms).has_errors()
        {
            return None;
        }
        let shown_in_feeds = group.iter().any(|id| feeds::shows(site, *id));
        let replaced = last.site.replace(
            group.iter().copied().zip(docs).collect(),
            self.options.drafts,
        )?;
        // The last build holds the new versions now: whatever stops this
        // path leaves the rest to a full rebuild.
        // A new term's page must not take another's address.
        let new_terms: Vec<(&str, &str, &str)> = replaced.new_terms().collect();
        let everything = last.site.docs.iter().chain(&last.left_out);
        let terms_ok = !last.site.terms.new_terms_clash(everything, &new_terms);
        if !terms_ok {
            self.last = None;
            return None;
        }
        self.write_replaced(&replaced, shown_in_feeds, None, &[])
    }

    /// Whether a save of `paths` may be rebuilt from the last build: a few
    /// files (a checkout of many is rebuilt whole), the same "today" (the
    /// upcoming events move on at midnight).
    fn may_reuse(&self, paths: &[String]) -> bool {
        let Some(last) = &self.last else {
            return false;
        };
        !paths.is_empty()
            && paths.len() <= MOST
            && build::today(&self.options, &last.site.config).is_ok_and(|today| today == last.today)
    }

    /// Renders and writes what `replaced` changed in the last build;
    /// `None`, with no last build left, when a full rebuild is needed.
    fn write_replaced(
        &mut self,
        replaced: &Replaced,
        shown_in_feeds: bool,
        open: Option<OpenPages>,
        moved: &[Moved],
    ) -> Option<Result<Rebuilt, BuildError>> {
        let Some((files, removed)) = self.render_replaced(replaced, shown_in_feeds, open, moved)
        else {
            self.last = None;
            return None;
        };
        let written = self.output.written()?;
        let is_page = |path: &str| path.ends_with(".html");
        let new_pages = files
            .iter()
            .filter(|f| is_page(&f.path) && !written.files.contains_key(&f.path))
            .count();
        let gone_pages = removed.iter().filter(|path| is_page(path)).count();
        self.all_pages = (self.all_pages + new_pages).saturating_sub(gone_pages);
        if let Err(err) = self.output.remove(&removed) {
            self.last = None;
            return Some(Err(BuildError::Io(err)));
        }
        Some(
            self.write_part(files, replaced.ids().len())
                .map(|rebuilt| Rebuilt {
                    files_changed: rebuilt.files_changed + removed.len(),
                    ..rebuilt
                }),
        )
    }

    /// Renders what `replaced` changed into the last build.
    fn render_replaced(
        &mut self,
        replaced: &Replaced,
        shown_in_feeds: bool,
        open: Option<OpenPages>,
        moved: &[Moved],
    ) -> Option<(Vec<OutputFile>, Vec<String>)> {
        let last = self.last.as_mut()?;
        for id in replaced.ids() {
            last.markdown[id.0] = markdown::render(&last.site, id, &last.templates.strings).ok()?;
        }
        let (pages, timings) = (Recall::off(), Timings::new(false));
        let base_path = last.site.config.base_path.clone();
        let (inputs, kept) = last.inputs(&self.options.root, &pages, &timings);
        let output = &self.output;
        let written = output.written()?;
        // Nothing open, nothing to write first.
        let Some(open) = open.filter(|open| !open.paths.is_empty()) else {
            return render::render_replaced(&inputs, kept, replaced, shown_in_feeds, written, None)
                .ok();
        };
        // A page open at an address it left is wanted at its new one.
        let mut paths = open.paths;
        let output_path = |url: &str| url_output_path(url.strip_prefix(&base_path)?);
        for (before, now) in moved {
            if let (Some(before), Some(now)) = (output_path(before), output_path(now))
                && paths.contains(&before)
            {
                paths.insert(now);
            }
        }
        let notify = open.written;
        let mut ready = |files: Vec<OutputFile>| {
            if let Some(paths) = output.write_ahead(files) {
                notify(paths, moved);
            }
        };
        let ahead = render::Ahead {
            open: &paths,
            ready: &mut ready,
        };
        render::render_replaced(
            &inputs,
            kept,
            replaced,
            shown_in_feeds,
            written,
            Some(ahead),
        )
        .ok()
    }

    /// Writes the files a rebuild of part of the last build rendered
    /// (`bodies` Markdown bodies rendered again).
    fn write_part(&mut self, files: Vec<OutputFile>, bodies: usize) -> Result<Rebuilt, BuildError> {
        let rendered_pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
        let warnings = self.last.as_ref().map(build::warnings).unwrap_or_default();
        let all_bodies = self.last.as_ref().map_or(0, |last| last.markdown.len());
        let files_changed = match self.output.replace(files) {
            Ok(count) => count,
            Err(err) => {
                // The folder is in doubt: the next rebuild writes it whole.
                self.last = None;
                return Err(BuildError::Io(err));
            }
        };
        self.search_due = true;
        Ok(Rebuilt {
            every_stage: false,
            warnings,
            markdown: Counts {
                reused: all_bodies.saturating_sub(bodies),
                computed: bodies,
            },
            pages: Counts {
                reused: self.all_pages.saturating_sub(rendered_pages),
                computed: rendered_pages,
            },
            files_changed,
            moved: Vec::new(),
        })
    }
}
