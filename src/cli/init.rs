//! `portail init`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Printer, exit};
use crate::messages::MessageLang;
use crate::report::Format;
use crate::scaffold::init::{Ci, Starter};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new site's folder (created; if it exists it must be empty).
    pub dir: PathBuf,
    /// A home and news only, instead of a whole portal (news, activities,
    /// good practices, about).
    #[arg(long)]
    pub minimal: bool,
    /// Also write the CI workflow that checks and publishes the site on
    /// this git host.
    #[arg(long, value_enum, default_value = "none")]
    pub ci: Ci,
    /// The language of messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<MessageLang>,
}

impl InitArgs {
    pub fn run(self) -> ExitCode {
        let printer = Printer::new(Format::Human, MessageLang::resolve(self.lang));
        let starter = if self.minimal {
            Starter::Minimal
        } else {
            Starter::Portal
        };
        match crate::scaffold::init::init(&self.dir, starter, self.ci) {
            Ok(files) => {
                for file in files {
                    printer.status(&msg!("cli.created", path = self.dir.join(file).display()));
                }
                printer.status(&msg!(
                    "init.next",
                    config = self.dir.join("config.toml").display(),
                    root = self.dir.display()
                ));
                ExitCode::from(exit::SUCCESS)
            }
            Err(diagnostic) => {
                printer.diagnostic(&diagnostic);
                ExitCode::from(exit::USAGE)
            }
        }
    }
}
