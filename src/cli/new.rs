//! `portail new`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::build::report_failure;
use super::{Printer, exit};
use crate::build::{BuildError, BuildOptions, load_config, today};
use crate::messages::MessageLang;
use crate::report::Format;
use crate::scaffold::new_page::{NewPage, plan, write};

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The section's folder under content/ (`news`, `about/team`).
    pub section: String,
    /// The page's title; the file name is made from it.
    pub title: String,
    /// The page's language (default: the site's default language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Also create the page in every other language of the site.
    #[arg(long)]
    pub translations: bool,
    /// The site's folder (with config.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

impl NewArgs {
    pub fn run(self) -> ExitCode {
        // `--lang` is the page's language here: messages follow the environment.
        let printer = Printer::new(Format::Human, MessageLang::resolve(None));
        let options = BuildOptions::new(&self.root);
        let config = match load_config(&options) {
            Ok(config) => config,
            Err(err) => return report_failure(&printer, err).0,
        };
        let today = match today(&options, &config) {
            Ok(today) => today,
            Err(err) => return report_failure(&printer, err).0,
        };
        let page = NewPage {
            section: &self.section,
            title: &self.title,
            lang: self.lang.as_deref().unwrap_or(&config.default_language),
            translations: self.translations,
            today,
        };
        let files = plan(&self.root, &config, &page).and_then(|files| {
            write(&self.root, &files)?;
            Ok(files)
        });
        match files {
            Ok(files) => {
                for file in &files {
                    printer.status(&msg!("cli.created", path = &file.rel_path));
                }
                printer.status(&msg!("new.draft_note"));
                ExitCode::from(exit::SUCCESS)
            }
            Err(diagnostic) => report_failure(&printer, BuildError::Config(diagnostic.into())).0,
        }
    }
}
