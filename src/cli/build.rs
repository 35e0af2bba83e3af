//! `portail build`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use super::{Printer, exit};
use crate::build::{BuildError, BuildOptions, build};
use crate::diagnostics::Diagnostics;
use crate::messages::{Lang, Message};
use crate::report::Format;

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
    pub lang: Option<Lang>,
}

impl BuildArgs {
    pub fn run(self) -> ExitCode {
        let printer = Printer::new(self.format, Lang::resolve(self.lang));
        let started = Instant::now();
        let options = BuildOptions {
            root: self.root,
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
            now: self.now,
        };
        match build(&options) {
            Ok(report) => {
                print_all(&printer, report.warnings);
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
