//! Hidden commands for the lunr.js compatibility tests: they let node feed
//! the very same documents to lunr.js and to portail's index writer.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::{Deserialize, Serialize};

use super::build::{report_failure, stopped};
use super::{Printer, exit};
use crate::build::{BuildOptions, load_config};
use crate::messages::MessageLang;
use crate::report::Format;
use crate::search::lunr::{self, Document, Field};
use crate::search::shards;
use crate::search::text::{Pipeline, Terms};

/// Documents and fields, as JSON on stdin and stdout.
#[derive(Debug, Serialize, Deserialize)]
pub struct Corpus {
    pub pipeline: Pipeline,
    pub fields: Vec<FieldSpec>,
    pub documents: Vec<DocumentSpec>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct FieldSpec {
    pub name: String,
    pub boost: f64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DocumentSpec {
    #[serde(rename = "ref")]
    pub reference: String,
    pub fields: Vec<String>,
}

/// `portail search-index < corpus.json`: the index portail writes for it.
#[derive(Debug, Args)]
pub struct SearchIndexArgs {
    /// Also write the index's shards into this folder.
    #[arg(long)]
    pub shards: Option<PathBuf>,
}

impl SearchIndexArgs {
    pub fn run(self) -> ExitCode {
        let mut input = String::new();
        let corpus: Corpus = match std::io::stdin()
            .read_to_string(&mut input)
            .map_err(|e| e.to_string())
            .and_then(|_| serde_json::from_str(&input).map_err(|e| e.to_string()))
        {
            Ok(corpus) => corpus,
            Err(err) => {
                let line = msg!("search.corpus_unreadable", error = err);
                super::write_err(&format!("{}\n", line.render(MessageLang::resolve(None))));
                return ExitCode::from(exit::USAGE);
            }
        };
        let fields: Vec<Field> = corpus
            .fields
            .into_iter()
            .map(|f| Field {
                name: f.name,
                boost: f.boost,
            })
            .collect();
        let docs: Vec<Document> = corpus
            .documents
            .into_iter()
            .map(|d| Document {
                reference: d.reference,
                fields: d.fields.into_iter().map(std::borrow::Cow::Owned).collect(),
            })
            .collect();
        let mut terms = Terms::new(corpus.pipeline);
        let index = lunr::Inverted::new(&fields, &docs, corpus.pipeline, |doc| {
            std::sync::Arc::new(lunr::analyze(&mut terms, fields.len(), doc))
        });
        if let Some(folder) = &self.shards {
            let files = shards::write(&index, &terms, Vec::new());
            let written = files.iter().try_for_each(|file| {
                let path = folder.join(&file.path);
                std::fs::create_dir_all(path.parent().unwrap_or(folder))?;
                std::fs::write(&path, &file.json)
            });
            if let Err(err) = written {
                let line = msg!(
                    "search.shards_unwritable",
                    path = folder.display().to_string(),
                    error = err.to_string()
                );
                super::write_err(&format!("{}\n", line.render(MessageLang::resolve(None))));
                return ExitCode::from(exit::USAGE);
            }
        }
        super::write_out(&index.to_json());
        ExitCode::from(exit::SUCCESS)
    }
}

/// `portail search-documents --lang fr`: the documents a build indexes.
#[derive(Debug, Args)]
pub struct SearchDocumentsArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    #[arg(long)]
    pub lang: String,
}

impl SearchDocumentsArgs {
    pub fn run(self) -> ExitCode {
        let printer = Printer::new(Format::Human, MessageLang::resolve(None));
        let options = BuildOptions::new(&self.root);
        let (site, rendered) =
            match load_config(&options).and_then(|config| crate::build::render(&options, config)) {
                Ok(r) => (r.site, r.markdown),
                Err(err) => {
                    let (code, errors) = report_failure(&printer, err);
                    printer.status(&stopped("portail search-documents", errors));
                    return code;
                }
            };
        let Some(pipeline) = site.config.language(&self.lang).and_then(|l| l.search) else {
            printer.status(&msg!("search.no_index", lang = &self.lang));
            return ExitCode::from(exit::USAGE);
        };
        let corpus = Corpus {
            pipeline,
            fields: crate::search::fields(&site)
                .into_iter()
                .map(|f| FieldSpec {
                    name: f.name,
                    boost: f.boost,
                })
                .collect(),
            documents: crate::search::documents(&site, &rendered, &self.lang)
                .into_iter()
                .map(|d| DocumentSpec {
                    reference: d.reference,
                    fields: d.fields.into_iter().map(String::from).collect(),
                })
                .collect(),
        };
        super::write_out(&format!(
            "{}\n",
            serde_json::to_string(&corpus).unwrap_or_default()
        ));
        ExitCode::from(exit::SUCCESS)
    }
}
