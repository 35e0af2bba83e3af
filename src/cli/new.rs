//! `portail new`.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::build::report_failure;
use super::{Printer, exit};
use crate::build::{BuildError, BuildOptions, load_config, today};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::load::config::Config;
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
    /// Also create the page in every other language of the site (asking
    /// for their titles on a terminal, unless given below).
    #[arg(long)]
    pub translations: bool,
    /// The English title, for `--translations` (the English page gets an
    /// English address).
    #[arg(long, value_name = "TITLE")]
    pub title_en: Option<String>,
    /// The title in another language, for `--translations`: `es=Título`.
    #[arg(long, value_name = "LANG=TITLE")]
    pub title_in: Vec<String>,
    /// The site's folder (with config.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

impl NewArgs {
    /// The titles of the other languages: from the options, else asked on
    /// a terminal (an empty answer keeps the first title, to translate).
    fn titles(&self, config: &Config, lang: &str) -> Result<BTreeMap<String, String>, Diagnostic> {
        let mut titles = BTreeMap::new();
        if let Some(title) = &self.title_en {
            titles.insert("en".to_string(), title.clone());
        }
        for given in &self.title_in {
            let Some((code, title)) = given.split_once('=') else {
                return Err(Diagnostic::error(msg!("new.title_in", given))
                    .with_help(msg!("new.title_in_help")));
            };
            titles.insert(code.trim().to_string(), title.to_string());
        }
        let codes: Vec<&str> = config.language_codes().collect();
        if let Some(unknown) = titles.keys().find(|code| !codes.contains(&code.as_str())) {
            return Err(
                Diagnostic::error(msg!("new.unknown_language", lang = unknown))
                    .with_help(did_you_mean(unknown, &codes)),
            );
        }
        let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        if !self.translations || !terminal {
            return Ok(titles);
        }
        for language in config.languages.iter().filter(|l| l.code != lang) {
            if titles.contains_key(&language.code) {
                continue;
            }
            let question =
                msg!("new.ask_title", language = &language.name).render(MessageLang::resolve(None));
            let mut err = std::io::stderr();
            let _ = write!(err, "{question} ").and_then(|()| err.flush());
            let mut answer = String::new();
            if std::io::stdin().read_line(&mut answer).is_ok() && !answer.trim().is_empty() {
                titles.insert(language.code.clone(), answer.trim().to_string());
            }
        }
        Ok(titles)
    }

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
        let lang = self.lang.as_deref().unwrap_or(&config.default_language);
        let titles = match self.titles(&config, lang) {
            Ok(titles) => titles,
            Err(diagnostic) => {
                return report_failure(&printer, BuildError::Config(diagnostic.into())).0;
            }
        };
        let page = NewPage {
            section: &self.section,
            title: &self.title,
            lang,
            translations: self.translations,
            titles: &titles,
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
