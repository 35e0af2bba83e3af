//! `portail serve`.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Printer, exit};
use crate::build::BuildOptions;
use crate::messages::{Message, MessageLang};
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
    /// The language of messages, in the terminal and over the pages
    /// (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<MessageLang>,
    /// After each build, show where its time went, stage by stage.
    #[arg(long)]
    pub timings: bool,
    /// Edit in the browser: the CMS at /admin/ saves into content/ and
    /// static/ through this server (this computer only).
    #[arg(long)]
    pub cms: bool,
}

impl ServeArgs {
    pub fn run(self) -> ExitCode {
        let printer = Printer::new(Format::Human, MessageLang::resolve(self.lang));
        let mut build = BuildOptions::new(&self.root);
        build.drafts = self.drafts;
        build.cms_local = self.cms;
        let options = ServeOptions {
            build,
            bind: self.bind,
            port: self.port,
            lang: printer.lang(),
            timings: self.timings,
        };
        let open = self.open;
        let result = serve(options, move |event| match event {
            ServeEvent::Listening(url) => {
                printer.status(&msg!("serve.listening", url = &url));
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
                let done = if changed.is_empty() {
                    msg!("serve.built", ms = elapsed.as_millis())
                } else {
                    // What the save cost: the reused work is the point.
                    msg!("serve.rebuilt", ms = elapsed.as_millis()).arg(
                        "work",
                        msg!(
                            "serve.rebuilt_work",
                            pages = rebuilt.pages.computed,
                            all_pages = rebuilt.pages.total(),
                            files = rebuilt.files_changed
                        ),
                    )
                };
                printer.status(&done.arg("changed", describe(&changed)));
                if let Some(timings) = &rebuilt.timings {
                    super::build::print_timings(&printer, timings);
                }
            }
            ServeEvent::Indexed {
                elapsed,
                first,
                search,
            } => {
                // The first build's indexes are part of "Built".
                if !first {
                    printer.status(&msg!(
                        "serve.indexed",
                        ms = elapsed.as_millis(),
                        indexes = search.indexes.computed,
                        all_indexes = search.indexes.total(),
                        documents = search.analyses.computed,
                        files = search.files_changed
                    ));
                }
            }
            ServeEvent::Warning(warning) => printer.diagnostic(&warning),
            ServeEvent::Failed { changed, errors } => {
                let count = errors
                    .iter()
                    .filter(|d| d.severity == crate::diagnostics::Severity::Error)
                    .count();
                for error in &errors {
                    printer.diagnostic(error);
                }
                printer.status(
                    &Message::count("serve.failed", count).arg("changed", describe(&changed)),
                );
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

fn describe(changed: &[String]) -> Message {
    match changed {
        [] => msg!("serve.changed_none"),
        [one] => msg!("serve.changed_one", file = one),
        [one, rest @ ..] => Message::count("serve.changed_many", rest.len()).arg("file", one),
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
        printer.status(&msg!("serve.no_browser", error = err, url));
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::cli::{Cli, Command};

    /// Without `--bind`, the site is served to this computer only.
    #[test]
    fn serves_on_loopback_unless_told_otherwise() {
        let bind = |args: &[&str]| match Cli::try_parse_from(args).unwrap().command {
            Command::Serve(serve) => serve.bind,
            other => panic!("{other:?}"),
        };
        assert!(bind(&["portail", "serve"]).is_loopback());
        assert_eq!(bind(&["portail", "serve"]).to_string(), "127.0.0.1");
        assert!(!bind(&["portail", "serve", "--bind", "0.0.0.0"]).is_loopback());
    }
}
