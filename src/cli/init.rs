//! `portail init`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Printer, exit};
use crate::report::Format;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new site's folder (created; if it exists it must be empty).
    pub dir: PathBuf,
}

impl InitArgs {
    pub fn run(self) -> ExitCode {
        let printer = Printer::new(Format::Human);
        match crate::init::init(&self.dir) {
            Ok(files) => {
                for file in files {
                    printer.status(&format!("Created {}", self.dir.join(file).display()));
                }
                printer.status(&format!(
                    "Next: set base_url and the titles in {}, then run `portail build --root {}`.",
                    self.dir.join("config.toml").display(),
                    self.dir.display()
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
