//! `portail check`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::build::report_failure;
use super::{Printer, exit};
use crate::build::{BuildOptions, load_config, render};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::messages::{Message, MessageLang};
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
    /// Also check links to other sites over HTTP (for a nightly CI job).
    #[arg(long)]
    pub external: bool,
    /// Seconds to wait for each external site's answer.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS", value_parser = seconds)]
    pub timeout: f64,
    /// New attempts after a timeout, a connection failure, a 429 or a 5xx.
    #[arg(long, default_value_t = 2)]
    pub retries: u32,
    /// Requests at once to one site.
    #[arg(long, default_value_t = 2)]
    pub per_host: usize,
    /// Where verdicts on external links are kept between runs
    /// (default: <root>/.portail-links.json); working links are trusted for 7 days.
    #[arg(long, value_name = "FILE")]
    pub cache: Option<PathBuf>,
    /// How to print errors and warnings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The language of messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<MessageLang>,
}

impl CheckArgs {
    pub fn run(self) -> ExitCode {
        let printer = Printer::new(self.format, MessageLang::resolve(self.lang));
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
        // Links are checked below, as errors, anchors too.
        found.extend(
            crate::build::warnings(&rendered)
                .into_sorted()
                .into_iter()
                .filter(|d| d.message.key() != "check.body_link"),
        );
        found.extend(crate::check::missing_translations(&site.docs, &site.config).into_sorted());
        let scan = crate::check::scan(&rendered.output);
        found.extend(
            crate::check::internal_links(
                &self.root,
                &scan,
                &rendered.output,
                &site.config,
                &site.docs,
            )
            .into_sorted(),
        );
        if self.external {
            found.extend(
                self.external_links(&printer, &rendered, &scan)
                    .into_sorted(),
            );
        }
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
        printer.status(
            &Message::count("check.done", pages)
                .arg("errors", Message::count("count.errors", errors))
                .arg("warnings", Message::count("count.warnings", warnings)),
        );
        ExitCode::from(if errors > 0 {
            exit::SITE_ERRORS
        } else {
            exit::SUCCESS
        })
    }

    fn external_links(
        &self,
        printer: &Printer,
        rendered: &crate::build::Built,
        scan: &crate::check::Scan,
    ) -> Diagnostics {
        use crate::check::external_links::{Cache, Settings, Verdict, check};
        let site = &rendered.site;
        let uses = crate::check::external_urls(scan, &site.config, &site.docs);
        let urls: Vec<String> = uses.keys().cloned().collect();
        let cache_path = self
            .cache
            .clone()
            .unwrap_or_else(|| self.root.join(".portail-links.json"));
        let mut cache = Cache::load(&cache_path);
        let settings = Settings {
            timeout: std::time::Duration::from_secs_f64(self.timeout.clamp(0.1, 600.0)),
            retries: self.retries,
            per_host: self.per_host.max(1),
            ..Settings::default()
        };
        printer.status(&Message::count("check.external_start", urls.len()));
        let verdicts = check(&urls, &mut cache, &settings);
        if let Err(err) = cache.save(&cache_path) {
            printer.status(&msg!(
                "check.cache_not_saved",
                path = cache_path.display(),
                error = err
            ));
        }
        let mut found = crate::check::Found::new();
        for (url, verdict) in verdicts {
            let diagnostic = match verdict {
                Verdict::Ok => continue,
                Verdict::Moved { to } => {
                    Diagnostic::warning(msg!("check.external_moved", url = &url, to))
                }
                Verdict::Broken { reason } => {
                    Diagnostic::error(msg!("check.external_broken", reason = reason.0, url = &url))
                }
            };
            for (origin, page) in uses.get(&url).into_iter().flatten() {
                found
                    .entry((origin.clone(), url.clone()))
                    .or_insert_with(|| (diagnostic.clone(), Vec::new()))
                    .1
                    .push(page.clone());
            }
        }
        crate::check::locate(found, &self.root, &site.config, &site.docs)
    }
}

/// A number of seconds a `Duration` can hold (`nan`, `inf` or a negative
/// number would not).
fn seconds(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(s),
        _ => Err(format!("`{value}` is not a positive number of seconds")),
    }
}
