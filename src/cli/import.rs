//! `portail import`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Printer, exit};
use crate::import::Generator;
use crate::messages::MessageLang;
use crate::report::Format;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The generator the site was made with.
    #[arg(value_enum)]
    pub from: Generator,
    /// The site's folder (for WordPress: its export file, or the folder
    /// that holds it).
    pub source: PathBuf,
    /// The new portail site's folder (created; if it exists it must be empty).
    #[arg(long)]
    pub into: PathBuf,
    /// WordPress: the uploads folder (wp-content/uploads) whose pictures
    /// the export names (default: `uploads` beside the export file).
    #[arg(long)]
    pub uploads: Option<PathBuf>,
    /// How to print the report.
    #[arg(long, value_enum, default_value = "table")]
    pub format: super::translations::Output,
    /// The language of messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<MessageLang>,
}

impl ImportArgs {
    pub fn run(self) -> ExitCode {
        let lang = MessageLang::resolve(self.lang);
        // An error is JSON too when the report is: tools read stdout.
        let format = match self.format {
            super::translations::Output::Json => Format::Json,
            super::translations::Output::Table => Format::Human,
        };
        let printer = Printer::new(format, lang);
        match crate::import::import(self.from, &self.source, &self.into, self.uploads.as_deref()) {
            Ok(report) => {
                match self.format {
                    super::translations::Output::Table => super::write_out(&report.table(lang)),
                    super::translations::Output::Json => super::write_out(&report.json(lang)),
                }
                printer.status(&msg!("import.next", root = self.into.display()));
                ExitCode::from(exit::SUCCESS)
            }
            Err(diagnostic) => {
                printer.diagnostic(&diagnostic);
                ExitCode::from(exit::USAGE)
            }
        }
    }
}
