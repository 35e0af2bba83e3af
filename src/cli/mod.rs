//! The command line: one `Args` struct and one `run` per command.

mod build;
mod check;
mod import;
mod init;
mod new;
mod search;
mod serve;
mod translations;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diagnostics::Diagnostic;
use crate::messages::{Message, MessageLang};
use crate::report::{Format, format_diagnostic};

#[derive(Debug, Parser)]
#[command(
    name = "portail",
    version,
    about = "Bilingual static knowledge portals from Markdown in git"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output).
    Build(build::BuildArgs),
    /// Check the site without writing it: links, anchors, images, translations.
    Check(check::CheckArgs),
    /// Write a portail site from a Hugo or Jekyll site or a WordPress export.
    Import(import::ImportArgs),
    /// Create a new bilingual site in a new folder.
    Init(init::InitArgs),
    /// Create a page (and its translations) from its section's schema.
    New(new::NewArgs),
    /// Build the site, serve it on this computer and rebuild on every save.
    Serve(serve::ServeArgs),
    /// Report missing and out-of-date translations; mark translations current.
    Translations(translations::TranslationsArgs),
    /// Write the lunr index of a JSON corpus read on stdin (for tests).
    #[command(hide = true)]
    SearchIndex(search::SearchIndexArgs),
    /// Print the documents a language's search index is built from (for tests).
    #[command(hide = true)]
    SearchDocuments(search::SearchDocumentsArgs),
}

/// Exit codes shared by every command.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    /// The site has errors.
    pub const SITE_ERRORS: u8 = 1;
    /// Wrong command line or configuration.
    pub const USAGE: u8 = 2;
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => args.run(),
        Command::Check(args) => args.run(),
        Command::Import(args) => args.run(),
        Command::Init(args) => args.run(),
        Command::New(args) => args.run(),
        Command::Serve(args) => args.run(),
        Command::Translations(args) => args.run(),
        Command::SearchIndex(args) => args.run(),
        Command::SearchDocuments(args) => args.run(),
    }
}

/// Where, how and in which language diagnostics are written.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    format: Format,
    color: bool,
    lang: MessageLang,
}

impl Printer {
    pub fn new(format: Format, lang: MessageLang) -> Self {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Printer {
            format,
            color,
            lang,
        }
    }

    pub fn lang(&self) -> MessageLang {
        self.lang
    }

    /// Human reports go to stderr; machine formats to stdout, for CI to read.
    pub fn diagnostic(&self, diagnostic: &Diagnostic) {
        let text = format_diagnostic(diagnostic, self.format, self.color, self.lang);
        match self.format {
            Format::Human => write_err(&text),
            Format::Json | Format::Github => write_out(&text),
        }
    }

    /// A status line for people (stderr, any format).
    pub fn status(&self, line: &Message) {
        write_err(&format!("{}\n", line.render(self.lang)));
    }
}

/// Writes to stdout. A reader that went away (`portail … | head`) is not
/// an error worth a panic: the rest of the output is simply dropped.
pub fn write_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Writes to stderr, ignoring a closed stream like [`write_out`].
pub fn write_err(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
