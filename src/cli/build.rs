//! `portail build`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use super::{Printer, exit};
use crate::build::{BuildError, BuildOptions, build_timed};
use crate::diagnostics::Diagnostics;
use crate::messages::{Message, MessageLang};
use crate::report::Format;
use crate::timings::Timings;

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site's folder (with config.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: <root>/public).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Replace config.toml's base_url (e.g. for a preview deployment).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// The day that splits upcoming from past events, YYYY-MM-DD
    /// (default: SOURCE_DATE_EPOCH, else today).
    #[arg(long, value_name = "DATE")]
    pub now: Option<jiff::civil::Date>,
    /// How to print errors and warnings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The language of messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<MessageLang>,
    /// Print the time each stage took and the ten slowest templates.
    #[arg(long)]
    pub timings: bool,
    /// Keep what the next build may reuse in DIR (default:
    /// <root>/.portail-cache), and reuse what the last one kept: only the
    /// pages whose sources changed are rendered again. The pages are taken
    /// from the output folder, which must be kept too.
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    pub cache: Option<Option<PathBuf>>,
}

impl BuildArgs {
    pub fn run(self) -> ExitCode {
        let printer = Printer::new(self.format, MessageLang::resolve(self.lang));
        let started = Instant::now();
        let cache = self
            .cache
            .map(|dir| dir.unwrap_or_else(|| self.root.join(crate::cache::DEFAULT_DIR)));
        let options = BuildOptions {
            root: self.root,
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
            now: self.now,
            cache,
            cms_local: false,
        };
        match build_timed(&options, Timings::new(self.timings)) {
            Ok(report) => {
                print_all(&printer, report.warnings);
                if !report.leftovers.is_empty() {
                    printer.status(&leftovers_line(&report.leftovers));
                }
                if self.timings {
                    print_timings(&printer, &report.timings);
                }
                if let Some(cache) = report.cache {
                    print_cache(&printer, cache);
                }
                let counts: Vec<String> = report
                    .docs_per_language
                    .iter()
                    .map(|(l, n)| format!("{l}: {n}"))
                    .collect();
                printer.status(&msg!(
                    "build.done",
                    files = report.files_written,
                    docs = report.docs_per_language.values().sum::<usize>(),
                    counts = counts.join(", "),
                    output = report.output.display(),
                    seconds = format!("{:.2}", started.elapsed().as_secs_f64())
                ));
                ExitCode::from(exit::SUCCESS)
            }
            Err(err) => fail(&printer, err),
        }
    }
}

/// What the cache did: why it was ignored, how many pages it saved, and
/// a warning if it could not be written.
fn print_cache(printer: &Printer, cache: crate::build::CacheReport) {
    if let Some(why) = cache.ignored {
        printer.status(&why);
    }
    printer.status(&msg!(
        "cache.used",
        rendered = cache.pages.computed,
        reused = cache.pages.reused
    ));
    if let Some(problem) = cache.not_written {
        printer.diagnostic(&crate::diagnostics::Diagnostic::warning(problem));
    }
}

/// One line for the folders of interrupted builds that a build removed.
fn leftovers_line(leftovers: &[crate::output::Leftover]) -> Message {
    let bytes: u64 = leftovers.iter().map(|l| l.bytes).sum();
    let names: Vec<String> = leftovers
        .iter()
        .map(|l| {
            l.path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    Message::count("build.leftovers", leftovers.len())
        .arg("megabytes", format!("{:.1}", bytes as f64 / 1_000_000.0))
        .arg("names", names.join(", "))
}

/// The `--timings` table: stages in pipeline order, then the slowest templates.
pub(super) fn print_timings(printer: &Printer, timings: &Timings) {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let lang = printer.lang();
    let stages: Vec<(String, f64)> = timings
        .stages()
        .into_iter()
        .map(|(stage, time)| (stage.name().render(lang), ms(time)))
        .collect();
    let width = stages
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    printer.status(&msg!("timings.title"));
    for (name, time) in &stages {
        printer.status(&Message::raw(format!("  {name:<width$}  {time:>9.1} ms")));
    }
    printer.status(&msg!("timings.slowest"));
    let slowest = timings.slowest_templates(10);
    if slowest.is_empty() {
        printer.status(&msg!("timings.no_templates"));
    }
    let width = slowest
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(0);
    for t in &slowest {
        printer.status(&Message::raw(format!(
            "  {:<width$}  {:>9.1} ms  {:>7} ×  {:>8.3} ms",
            t.name,
            ms(t.total),
            t.calls,
            ms(t.per_call())
        )));
    }
}

fn print_all(printer: &Printer, diagnostics: Diagnostics) -> (usize, usize) {
    let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
    for d in diagnostics.into_sorted() {
        printer.diagnostic(&d);
    }
    (errors, warnings)
}

/// Prints why a command stopped; returns its exit code and the number of errors.
pub fn report_failure(printer: &Printer, err: BuildError) -> (ExitCode, usize) {
    let code = match err {
        BuildError::Config(_) | BuildError::Usage(_) => exit::USAGE,
        BuildError::Site(_) | BuildError::Io(_) => exit::SITE_ERRORS,
    };
    let diagnostics = err.into_diagnostics();
    let (errors, _) = print_all(printer, diagnostics);
    (ExitCode::from(code), errors)
}

fn fail(printer: &Printer, err: BuildError) -> ExitCode {
    let (code, errors) = report_failure(printer, err);
    printer.status(&Message::count("build.failed", errors));
    code
}

/// The closing line of a command that only reads the site.
pub fn stopped(command: &str, errors: usize) -> Message {
    Message::count("cli.stopped", errors).arg("command", command)
}
