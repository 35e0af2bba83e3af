//! `portail serve`.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Printer, exit};
use crate::build::BuildOptions;
use crate::report::Format;
use crate::serve::{ServeEvent, ServeOptions, serve};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site's folder (with config.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; the default keeps the site on this computer.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the web browser.
    #[arg(long)]
    pub open: bool,
}

impl ServeArgs {
    pub fn run(self) -> ExitCode {
        let printer = Printer::new(Format::Human);
        let mut build = BuildOptions::new(&self.root);
        build.drafts = self.drafts;
        let options = ServeOptions {
            build,
            bind: self.bind,
            port: self.port,
        };
        let open = self.open;
        let result = serve(options, move |event| {
            let printer = Printer::new(Format::Human);
            match event {
                ServeEvent::Listening(url) => {
                    printer.status(&format!(
                        "Serving the site at {url} (Ctrl-C to stop); pages reload when you save."
                    ));
                    if open {
                        open_browser(&printer, &url);
                    }
                }
                ServeEvent::Built {
                    elapsed,
                    changed,
                    rebuilt,
                } => {
                    for warning in rebuilt.warnings.into_sorted() {
                        printer.diagnostic(&warning);
                    }
                    let work = if changed.is_empty() {
                        String::new()
                    } else {
                        // What the save cost: the reused work is the point.
                        let of = |c: crate::memo::Counts| (c.computed, c.computed + c.reused);
                        let (pages, all_pages) = of(rebuilt.pages);
                        let (indexes, all_indexes) = of(rebuilt.search);
                        format!(
                            ": {pages} of {all_pages} pages and {indexes} of {all_indexes} search indexes rendered anew, {} files updated",
                            rebuilt.files_changed
                        )
                    };
                    printer.status(&format!(
                        "{} in {} ms{}{work}",
                        if changed.is_empty() {
                            "Built"
                        } else {
                            "Rebuilt"
                        },
                        elapsed.as_millis(),
                        describe(&changed)
                    ));
                }
                ServeEvent::Failed { changed, errors } => {
                    let count = errors
                        .iter()
                        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
                        .count();
                    for error in &errors {
                        printer.diagnostic(error);
                    }
                    printer.status(&format!(
                        "Build failed with {count} error{}{}; still serving the last good build.",
                        if count == 1 { "" } else { "s" },
                        describe(&changed)
                    ));
                }
            }
        });
        match result {
            Ok(()) => ExitCode::from(exit::SUCCESS),
            Err(diagnostic) => {
                printer.diagnostic(&diagnostic);
                ExitCode::from(exit::USAGE)
            }
        }
    }
}

fn describe(changed: &[String]) -> String {
    match changed {
        [] => String::new(),
        [one] => format!(" (changed: {one})"),
        [one, rest @ ..] => format!(" (changed: {one} and {} more)", rest.len()),
    }
}

/// Asks the desktop to open `url`; a failure is only a note.
fn open_browser(printer: &Printer, url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(err) = command {
        printer.status(&format!(
            "Could not open a browser ({err}): open {url} yourself."
        ));
    }
}
