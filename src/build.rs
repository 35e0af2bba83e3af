//! The `build` pipeline: load → discover → parse → assemble →
//! render_markdown → render_html → write. Each stage stops the build when it
//! found errors, after collecting all of them.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hash;
use std::path::PathBuf;
use std::sync::Arc;

use crate::cache;
use crate::diagnostics::Diagnostics;
use crate::load::config::Config;
use crate::load::page::Doc;
use crate::load::reuse::Reuse;
use crate::load::taxonomy::Terms;
use crate::load::theme::Theme;
use crate::load::{inheritance, page, schema, source};
use crate::memo::Recall;
use crate::messages::Message;
use crate::output::{self, OutputSet};
use crate::pictures::Pictures;
use crate::render::engine::{Done, Plan, Recorded};
use crate::render::reads::{Hashed, Hashes, Names};
use crate::render::templates::Templates;
use crate::render::{self, Inputs, Rendering};
use crate::site::{self, Site, Unchanged};
use crate::timings::{Stage, Timings};
use crate::{markdown, search};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// The day "upcoming" is measured from (default: `SOURCE_DATE_EPOCH`,
    /// else today in the site's time zone).
    pub now: Option<jiff::civil::Date>,
    /// Where to keep what the next build may reuse (see [`crate::cache`]).
    pub cache: Option<PathBuf>,
    /// Publish `admin/` pointed at `serve --cms`'s own API.
    pub cms_local: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            now: None,
            cache: None,
            cms_local: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Why a build stopped.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// `config.toml` or the command line is wrong (exit code 2).
    #[error("configuration errors")]
    Config(Diagnostics),
    /// The site's content or templates have errors (exit code 1).
    #[error("the site has errors")]
    Site(Diagnostics),
    /// The file system failed (exit code 1).
    #[error(transparent)]
    Io(#[from] anyhow::Error),
    /// The command line asks for something unsafe (exit code 2).
    #[error("{0}")]
    Usage(anyhow::Error),
}

/// What a successful build produced.
#[derive(Debug)]
pub struct BuildReport {
    /// Language → number of pages and sections rendered.
    pub docs_per_language: BTreeMap<String, usize>,
    pub files_written: usize,
    pub output: PathBuf,
    pub warnings: Diagnostics,
    /// Folders of interrupted builds that this one removed.
    pub leftovers: Vec<output::Leftover>,
    /// Filled when the build was timed.
    pub timings: Timings,
    /// What the cache did, when the build used one.
    pub cache: Option<CacheReport>,
}

/// What `build --cache` did.
#[derive(Debug)]
pub struct CacheReport {
    /// Pages rendered from templates anew and taken from the last build.
    pub pages: crate::memo::Counts,
    /// Why the cache was not used, if it was not.
    pub ignored: Option<Message>,
    /// Why the cache could not be written, if it could not.
    pub not_written: Option<Message>,
}

impl BuildError {
    /// What to tell the author, whatever the kind of failure.
    pub fn into_diagnostics(self) -> crate::diagnostics::Diagnostics {
        match self {
            BuildError::Config(d) | BuildError::Site(d) => d,
            BuildError::Usage(e) => {
                crate::diagnostics::Diagnostic::error(crate::messages::error_chain(&e)).into()
            }
            BuildError::Io(e) => {
                let mut causes = crate::messages::error_messages(&e).into_iter();
                let first = causes.next().unwrap_or_else(|| Message::raw(&e));
                let message =
                    causes.fold(first, |error, cause| msg!("error.caused_by", error, cause));
                crate::diagnostics::Diagnostic::error(message).into()
            }
        }
    }
}

/// Loads the config, applying command-line overrides.
pub fn load_config(options: &BuildOptions) -> Result<Config, BuildError> {
    let mut config = Config::load(&options.root).map_err(BuildError::Config)?;
    if let Some(url) = &options.base_url {
        config
            .set_base_url(url)
            .map_err(|d| BuildError::Config(d.into()))?;
    }
    config.cms.local = options.cms_local;
    Ok(config)
}

/// The site's content, parsed, with shared fields inherited and drafts
/// left out unless asked for.
pub struct Loaded {
    pub docs: Vec<Arc<page::Doc>>,
    /// The drafts left out (their terms still count in the checks).
    pub left_out: Vec<Arc<page::Doc>>,
    pub section_dirs: BTreeSet<String>,
    pub assets: Vec<source::Asset>,
    pub terms: Terms,
}

/// Stages `discover`, `parse` and `inherit`, reusing what `reuse` kept
/// of the build before.
pub fn load_content(
    options: &BuildOptions,
    config: &Config,
    reuse: &Reuse,
) -> Result<Loaded, BuildError> {
    let discovered = match reuse.discovered(&options.root) {
        Some(discovered) => discovered,
        None => Arc::new(source::discover(&options.root, config).map_err(BuildError::Site)?),
    };
    reuse.keep_discovered(&discovered);
    let mut section_errors = config.check_sections(&discovered.section_dirs);
    section_errors.extend(
        config
            .organisation
            .check_logo(&options.root, &config.text)
            .into_sorted(),
    );
    if section_errors.has_errors() {
        return Err(BuildError::Config(section_errors));
    }
    let lined_up = reuse.lined_up(&discovered.sources);
    let mut docs = page::parse_all(&discovered.sources, config, reuse, lined_up.as_ref())
        .map_err(BuildError::Site)?;
    let terms = Terms::load(&options.root, config).map_err(BuildError::Site)?;
    // The checks across docs read only front matter (and file names): when
    // no doc's changed, they pass as they did.
    let fronts = match (&lined_up, reuse.checked_before()) {
        (Some(lined_up), Some(before)) if lined_up.same_fronts(&docs) => before,
        _ => fronts_key(&docs, options.drafts),
    };
    let checked = reuse.checked(fronts);
    if !checked {
        let unknown_terms = terms.check(docs.iter().map(Arc::as_ref));
        if unknown_terms.has_errors() {
            return Err(BuildError::Site(unknown_terms));
        }
    }
    inheritance::inherit(
        &mut docs,
        &discovered.translations,
        config,
        reuse,
        lined_up.as_ref(),
    )
    .map_err(BuildError::Site)?;
    let left_out = page::drop_drafts(&mut docs, options.drafts);
    if !checked {
        let schema_errors = schema::check(&docs, config, &terms);
        if schema_errors.has_errors() {
            return Err(BuildError::Site(schema_errors));
        }
    }
    reuse.keep_checked(fronts);
    Ok(Loaded {
        docs,
        left_out,
        section_dirs: discovered.section_dirs.clone(),
        assets: discovered.assets.clone(),
        terms,
    })
}

/// Every doc's front matter and path, hashed (and whether drafts are
/// built, which decides the docs checked).
fn fronts_key(docs: &[Arc<Doc>], drafts: bool) -> crate::memo::Key {
    let mut key = crate::memo::hasher();
    drafts.hash(&mut key);
    docs.iter().for_each(|doc| doc.front_hash.hash(&mut key));
    key.key()
}

/// What every stage but `write` produced.
pub struct Built {
    pub site: Site,
    pub markdown: Vec<std::sync::Arc<markdown::Rendered>>,
    /// Each doc's summary and its hash.
    pub summaries: Vec<render::Summary>,
    pub output: OutputSet,
    /// Also the interface texts, which the search documents use.
    pub templates: Templates,
    /// Pages rendered from templates anew and reused.
    pub pages: crate::memo::Counts,
    /// The pages rendered and kept, what each rendered one read, and the
    /// hash of every read: when the build records reads.
    pub reads: Option<(Done, Hashes)>,
}

/// What a build can reuse from the one before (see [`crate::memo`]).
pub struct Memo {
    pub content: Reuse,
    pub shapes: Recall<site::Shape>,
    pub summaries: render::SummaryMemo,
    pub sitemap: render::EntryMemo,
    pub markdown: Recall<std::sync::Arc<markdown::Rendered>>,
    pub search: search::SearchMemo,
    /// The build these memos are from, when it is at hand: the docs that
    /// are still the same take its results by position (see
    /// [`site::Unchanged`]).
    pub before: Option<Built>,
}

impl Memo {
    /// For a one-off build: remembers nothing.
    pub fn off() -> Self {
        Memo {
            content: Reuse::off(),
            shapes: Recall::off(),
            summaries: Recall::off(),
            sitemap: Recall::off(),
            markdown: Recall::off(),
            search: search::SearchMemo::new(false),
            before: None,
        }
    }

    /// For a series of builds whose only changes are in `content/`.
    pub fn on() -> Self {
        Memo {
            content: Reuse::on(),
            shapes: Recall::on(),
            summaries: Recall::on(),
            sitemap: Recall::on(),
            markdown: Recall::on(),
            search: search::SearchMemo::new(true),
            before: None,
        }
    }

    /// Starts counting reuse afresh.
    pub fn reset_counts(&self) {
        self.markdown.reset_counts();
        self.summaries.reset_counts();
        self.search.reset_counts();
    }

    /// The memo for the next build.
    pub fn next(self) -> Self {
        let memo = self.next_but_search();
        Memo {
            search: memo.search.next(),
            ..memo
        }
    }

    /// The memo for the next build, its search part left as it is (`serve`
    /// builds the indexes later, and moves that part on then).
    pub fn next_but_search(self) -> Self {
        Memo {
            content: self.content.next(),
            shapes: self.shapes.next(),
            summaries: self.summaries.next(),
            sitemap: self.sitemap.next(),
            markdown: self.markdown.next(),
            search: self.search,
            before: None,
        }
    }
}

/// Which parts a build makes, and from what.
#[derive(Default)]
pub struct Parts<'p> {
    /// Whether to build the search indexes now (`serve` builds them after
    /// the pages have reloaded, with [`search_indexes`]). Their paths are
    /// kept free either way.
    pub search: bool,
    /// Whether to record what each page reads, for the next build.
    pub record: bool,
    /// The build before: what its pages read, and the files they made.
    /// The pages whose reads kept their hashes are taken from it (when
    /// this build records too).
    pub previous: Option<(&'p Recorded, &'p OutputSet)>,
    /// Told of the pages rendered anew before the rest of the build.
    pub ahead: Option<&'p render::Ahead<'p>>,
}

/// Runs every stage but `write`.
pub fn render(options: &BuildOptions, config: Config) -> Result<Built, BuildError> {
    render_with(options, config, &Memo::off(), &Timings::new(false))
}

/// Runs every stage but `write`, reusing what it can of `memo`.
pub fn render_with(
    options: &BuildOptions,
    config: Config,
    memo: &Memo,
    timings: &Timings,
) -> Result<Built, BuildError> {
    let parts = Parts {
        search: true,
        ..Parts::default()
    };
    render_parts(options, config, memo, timings, parts)
}

/// Runs every stage but `write`, making the `parts` asked for.
pub fn render_parts(
    options: &BuildOptions,
    config: Config,
    memo: &Memo,
    timings: &Timings,
    parts: Parts,
) -> Result<Built, BuildError> {
    let root = options.root.as_path();
    let theme = timings.stage(Stage::Templates, || {
        Theme::load(root, &config.theme).map_err(|d| BuildError::Config(d.into()))
    })?;
    let (content, data) = timings.stage(Stage::Content, || {
        let content = load_content(options, &config, &memo.content)?;
        let data = crate::load::data::load(root).map_err(BuildError::Site)?;
        Ok::<_, BuildError>((content, data))
    })?;
    let templates = timings.stage(Stage::Templates, || {
        Templates::load(root, &theme, &config).map_err(BuildError::Site)
    })?;
    let today = today(options, &config)?;
    let site = timings.stage(Stage::Assemble, || {
        site::assemble_reusing(
            config,
            content.docs,
            &content.left_out,
            &content.section_dirs,
            content.assets,
            content.terms,
            site::Reuse {
                shapes: &memo.shapes,
                before: memo.before.as_ref().map(|before| &before.site),
            },
        )
        .map_err(BuildError::Site)
    })?;
    let cache = options.cache.clone();
    let cache = cache.unwrap_or_else(|| options.root.join(cache::DEFAULT_DIR));
    let pictures = Pictures::new(&site.config.images, &cache, brand(root, &site.config));
    let before = memo.before.as_ref();
    let unchanged = before.and_then(|before| Unchanged::of(&before.site, &site));
    let rendered = timings.stage(Stage::Markdown, || {
        let shaped = unchanged.as_ref().filter(|u| u.shaped());
        let bodies = shaped.zip(before.map(|b| b.markdown.as_slice()));
        markdown::render_all(&site, &templates.strings, &pictures, &memo.markdown, bodies)
            .map_err(BuildError::Site)
    })?;
    let inputs = Inputs {
        data: &data,
        today,
        root,
        site: &site,
        rendered: &rendered,
        templates: &templates,
        theme: &theme,
        pictures: &pictures,
        timings,
    };
    let names = parts.record.then(|| Names::new(&site));
    // The indexes are built while the pages render, on threads of their
    // own (see `search::build_all`): the pages keep rayon's whole pool.
    let (pages, search_files) = std::thread::scope(|scope| {
        let search = parts.search.then(|| {
            scope.spawn(|| {
                timings.stage(Stage::Search, || {
                    search::build_all(&site, &rendered, &templates.strings, &memo.search)
                })
            })
        });
        let pages = render_pages(
            &inputs,
            names.as_ref(),
            &parts,
            &data,
            memo,
            unchanged.as_ref(),
        );
        let search_files = search.map(|thread| {
            thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (pages, search_files)
    });
    let (mut rendered_site, hashes, summaries) = pages.map_err(BuildError::Site)?;
    let done = std::mem::take(&mut rendered_site.done);
    let mut set = rendered_site.output;
    check_search_paths(&site, &set)?;
    for file in search_files.into_iter().flatten() {
        set.replace(file);
    }
    Ok(Built {
        site,
        markdown: rendered,
        summaries,
        output: set,
        templates,
        pages: rendered_site.counts,
        reads: hashes.map(|hashes| (done, hashes)),
    })
}

/// The render stage: every page, or with `previous` those whose reads
/// changed, recording what each reads.
fn render_pages(
    inputs: &Inputs,
    names: Option<&Names>,
    parts: &Parts,
    data: &serde_json::Value,
    memo: &Memo,
    unchanged: Option<&Unchanged>,
) -> Result<(render::RenderedSite, Option<Hashes>, Vec<render::Summary>), Diagnostics> {
    let shaped = unchanged.filter(|u| u.shaped());
    let summaries = shaped.zip(memo.before.as_ref().map(|b| b.summaries.as_slice()));
    let (shared, hashes) = inputs.timings.stage(Stage::Shared, || {
        let shared = render::Shared::new(inputs, &memo.summaries, names.is_some(), summaries)?;
        let hashes = names.map(|names| {
            Hashes::new(&Hashed {
                site: inputs.site,
                rendered: inputs.rendered,
                shared: &shared,
                templates: inputs.templates,
                data,
                today: inputs.today,
                names,
            })
        });
        Ok::<_, Diagnostics>((shared, hashes))
    })?;
    let plan = match (parts.previous, &hashes) {
        (Some((recorded, files)), Some(hashes)) => Plan::since(recorded, files, hashes),
        _ => Plan::all(),
    };
    let rendering = Rendering {
        plan,
        names,
        sitemap: &memo.sitemap,
        same_docs: unchanged.is_some(),
    };
    let rendered = render::render_site(inputs, &shared, &rendering, parts.ahead)?;
    Ok((rendered, hashes, shared.into_summaries()))
}

/// The search folders belong to the search files, whether they come now
/// or later.
fn check_search_paths(site: &Site, set: &OutputSet) -> Result<(), BuildError> {
    let mut collisions = Diagnostics::new();
    for folder in search::folders(site) {
        let inside = set
            .files
            .range(folder.clone()..)
            .take_while(|(path, _)| path.starts_with(&folder));
        for (path, taken) in inside {
            collisions.push(
                crate::diagnostics::Diagnostic::error(msg!(
                    "build.search_collision",
                    first = &taken.origin,
                    path = path
                ))
                .in_file(taken.origin.clone())
                .with_help(msg!("build.search_collision_help")),
            );
        }
    }
    if collisions.has_errors() {
        return Err(BuildError::Site(collisions));
    }
    Ok(())
}

/// What the author should hear about although the build succeeded: the
/// site's warnings and those of its Markdown (images without a text
/// alternative).
pub fn warnings(rendered: &Built) -> Diagnostics {
    let mut warnings = site::warnings(&rendered.site);
    for body in &rendered.markdown {
        warnings.extend(body.warnings.iter().cloned());
    }
    warnings.extend(
        crate::check::body_links(&rendered.site, &rendered.markdown, &rendered.output)
            .into_sorted(),
    );
    warnings
}

/// The search files of a site rendered without them.
pub fn search_indexes(rendered: &Built, memo: &Memo) -> Vec<output::OutputFile> {
    search::build_all(
        &rendered.site,
        &rendered.markdown,
        &rendered.templates.strings,
        &memo.search,
    )
}

/// The build's "today": `--now`, else `SOURCE_DATE_EPOCH` (for reproducible
/// builds), else the clock, in the site's time zone.
pub fn today(options: &BuildOptions, config: &Config) -> Result<jiff::civil::Date, BuildError> {
    if let Some(now) = options.now {
        return Ok(now);
    }
    let timestamp = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => value
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .ok_or_else(|| {
                BuildError::Config(
                    crate::diagnostics::Diagnostic::error(msg!("build.source_date_epoch", value))
                        .with_help(msg!("build.source_date_epoch_help"))
                        .into(),
                )
            })?,
        Err(_) => jiff::Timestamp::now(),
    };
    Ok(timestamp.to_zoned_datetime(config.timezone.clone()).date())
}

/// Builds the site into its output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_timed(options, Timings::new(false))
}

/// Builds the site, recording where the time goes in `timings`.
pub fn build_timed(options: &BuildOptions, timings: Timings) -> Result<BuildReport, BuildError> {
    let output_dir = options.output_dir();
    output::check_output_dir(&options.root, &output_dir).map_err(BuildError::Usage)?;
    let config = timings.stage(Stage::Config, || load_config(options))?;
    let settings = cache::settings_key(&options.root, options.base_url.as_deref(), options.drafts);
    let (previous, ignored) = match &options.cache {
        Some(dir) => timings.stage(Stage::Cache, || cache::load(dir, settings, &output_dir)),
        None => (None, None),
    };
    let parts = Parts {
        search: true,
        record: options.cache.is_some(),
        previous: previous.as_ref().map(|p| (&p.recorded, &p.files)),
        ahead: None,
    };
    let mut rendered = render_parts(options, config, &Memo::off(), &timings, parts)?;
    let warnings = warnings(&rendered);
    let leftovers = timings.stage(Stage::Write, || {
        output::write(&rendered.output, &output_dir)
    })?;
    let cache = options.cache.as_ref().map(|dir| {
        let not_written = timings.stage(Stage::Write, || {
            save_cache(dir, settings, &mut rendered, previous)
        });
        CacheReport {
            pages: rendered.pages,
            ignored,
            not_written,
        }
    });
    let mut docs_per_language = BTreeMap::new();
    for doc in &rendered.site.docs {
        *docs_per_language
            .entry(doc.source.lang.clone())
            .or_insert(0) += 1;
    }
    let files_written = rendered.output.files.len();
    // Freeing every page takes a tenth of a second on large sites, which
    // nobody waits for: the command prints its report and exits meanwhile.
    std::thread::spawn(move || drop(rendered));
    Ok(BuildReport {
        docs_per_language,
        files_written,
        output: output_dir,
        warnings,
        leftovers,
        timings,
        cache,
    })
}

/// Writes the cache of a build that used `previous`; why not, if it could not.
fn save_cache(
    dir: &std::path::Path,
    settings: crate::memo::Key,
    rendered: &mut Built,
    previous: Option<cache::Previous>,
) -> Option<Message> {
    let (done, hashes) = rendered.reads.take()?;
    let (mut recorded, kept) = match previous {
        Some(previous) => (previous.recorded, Some(previous.hashes)),
        None => (Recorded::default(), None),
    };
    recorded.update(done, &hashes);
    cache::save(dir, settings, &recorded, &rendered.output, kept.as_ref())
        .err()
        .map(|error| msg!("cache.not_written", path = dir.display(), error))
}

/// What every share card of the site shows: the accent colour, the logo.
/// A logo that cannot be read is left out (`config` reported it missing).
fn brand(root: &std::path::Path, config: &Config) -> crate::pictures::Brand {
    use crate::load::config::brand::theme;
    let accent = (config.colors.accent.clone()).unwrap_or_else(|| theme::ACCENT.to_string());
    let logo = config.organisation.logo.as_ref().and_then(|logo| {
        let mime = mime_guess::from_path(logo).first()?;
        let mime = match mime.essence_str() {
            "image/svg+xml" => "image/svg+xml",
            "image/png" => "image/png",
            "image/jpeg" => "image/jpeg",
            "image/webp" => "image/webp",
            _ => return None,
        };
        Some((std::fs::read(root.join("static").join(logo)).ok()?, mime))
    });
    crate::pictures::Brand { accent, logo }
}
