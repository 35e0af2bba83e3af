//! `portail check`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::build::report_failure;
use super::{Printer, exit};
use crate::build::{BuildOptions, load_config, render};
use crate::diagnostics::{Diagnostics, Severity};
use crate::report::Format;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site's folder (with config.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Also check pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings (such as a page without translation) as errors.
    #[arg(long)]
    pub strict: bool,
    /// The day that splits upcoming from past events, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub now: Option<jiff::civil::Date>,
    /// How to print errors and warnings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

impl CheckArgs {
    pub fn run(self) -> ExitCode {
        let printer = Printer::new(self.format);
        let mut options = BuildOptions::new(&self.root);
        options.drafts = self.drafts;
        options.now = self.now;
        let rendered = load_config(&options).and_then(|config| render(&options, config));
        let rendered = match rendered {
            Ok(rendered) => rendered,
            Err(err) => {
                let (code, errors) = report_failure(&printer, err);
                printer.status(&super::build::stopped("portail check", errors));
                return code;
            }
        };
        let site = &rendered.site;
        let mut found = Diagnostics::new();
        found.extend(crate::site::warnings(site).into_sorted());
        found.extend(crate::check::missing_translations(&site.docs, &site.config).into_sorted());
        found.extend(
            crate::check::internal_links(&self.root, &rendered.output, &site.config, &site.docs)
                .into_sorted(),
        );
        let mut found = found.into_sorted();
        if self.strict {
            for d in &mut found {
                d.severity = Severity::Error;
            }
        }
        let errors = found
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = found.len() - errors;
        for d in &found {
            printer.diagnostic(d);
        }
        let pages = rendered
            .output
            .files
            .keys()
            .filter(|p| p.ends_with(".html"))
            .count();
        printer.status(&format!(
            "Checked {pages} pages: {errors} error{}, {warnings} warning{}.",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        ));
        ExitCode::from(if errors > 0 {
            exit::SITE_ERRORS
        } else {
            exit::SUCCESS
        })
    }
}
