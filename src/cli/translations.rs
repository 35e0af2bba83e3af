//! `portail translations`: which translations are missing or out of date.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::build::{report_failure, stopped};
use super::{Printer, exit};
use crate::build::{BuildOptions, load_config, load_content};
use crate::check::translations::{self, Status};
use crate::messages::MessageLang;
use crate::report::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// A table for people.
    Table,
    /// One JSON document, for tools.
    Json,
}

/// What makes the command fail (exit code 1), for CI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// A page has no version in some language (not one marked `partial`).
    Missing,
    /// A translation's source changed since it was marked current.
    Stale,
    /// A translation was never marked current.
    Unmarked,
}

#[derive(Debug, Args)]
pub struct TranslationsArgs {
    /// The site's folder (with config.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    pub format: Output,
    /// Exit with code 1 when there is any translation in this state (repeatable).
    #[arg(long, value_enum)]
    pub fail_on: Vec<FailOn>,
    /// Mark these translations as up to date with their source, then stop.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub mark_current: Vec<PathBuf>,
    /// The language of messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<MessageLang>,
}

impl TranslationsArgs {
    pub fn run(self) -> ExitCode {
        let printer = Printer::new(Format::Human, MessageLang::resolve(self.lang));
        // Drafts are work in progress: their translations are not due yet.
        let options = BuildOptions::new(&self.root);
        let loaded = load_config(&options).and_then(|config| {
            load_content(&options, &config, &crate::load::reuse::Reuse::off())
                .map(|content| (config, content.docs))
        });
        let (config, docs) = match loaded {
            Ok(loaded) => loaded,
            Err(err) => {
                let (code, errors) = report_failure(&printer, err);
                printer.status(&stopped("portail translations", errors));
                return code;
            }
        };
        if !self.mark_current.is_empty() {
            let mut failed = false;
            for file in &self.mark_current {
                match translations::mark_current(&self.root, file, &docs, &config) {
                    Ok(fp) => printer.status(&msg!(
                        "translations.marked",
                        file = file.display(),
                        fingerprint = fp
                    )),
                    Err(err) => {
                        printer.status(&msg!(
                            "translations.mark_failed",
                            error = crate::messages::error_chain(&err)
                        ));
                        failed = true;
                    }
                }
            }
            return ExitCode::from(if failed { exit::USAGE } else { exit::SUCCESS });
        }
        let groups = translations::status(&docs, &config);
        match self.format {
            Output::Table => super::write_out(&translations::table(&groups, &config)),
            Output::Json => super::write_out(&format!(
                "{}
",
                serde_json::to_string_pretty(&groups).unwrap_or_default()
            )),
        }
        let mut failing = Vec::new();
        for condition in &self.fail_on {
            let (status, name) = match condition {
                FailOn::Missing => (Status::Missing, "missing"),
                FailOn::Stale => (Status::Stale, "stale"),
                FailOn::Unmarked => (Status::Unmarked, "unmarked"),
            };
            let n = translations::count(&groups, status);
            if n > 0 {
                failing.push(format!("{n} {name}"));
            }
        }
        if failing.is_empty() {
            return ExitCode::from(exit::SUCCESS);
        }
        printer.status(&msg!("translations.failing", list = failing.join(", ")));
        ExitCode::from(exit::SITE_ERRORS)
    }
}
