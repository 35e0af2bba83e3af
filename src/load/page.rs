//! Stage `parse`: each Markdown file becomes a [`Doc`] (front matter + body),
//! in parallel.

use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::dates::{PageDate, split_date_prefix};
use crate::load::front_matter::{self, FileContext, FrontMatter};
use crate::load::reuse::{LinedUp, Reuse};
use crate::load::source::{SourceFile, SourceKind};
use crate::memo::{self, Key};

/// A parsed Markdown file: a page or a section's `_index`. Shared between
/// builds (`Arc`) while its file is unchanged.
#[derive(Debug, Clone)]
pub struct Doc {
    pub source: SourceFile,
    pub front_matter: FrontMatter,
    /// The whole file, kept for diagnostics of later stages.
    pub text: String,
    /// A hash of `text`.
    pub text_hash: Key,
    /// A hash of the source path: what names the doc in hashes of lists.
    pub path_hash: Key,
    /// A hash of the path and the front matter as written.
    pub front_hash: Key,
    pub body_offset: usize,
    /// From the front matter, else from a `YYYY-MM-DD-` name prefix.
    pub date: Option<PageDate>,
}

impl Doc {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    pub fn is_section(&self) -> bool {
        self.source.kind == SourceKind::Section
    }

    pub fn title(&self) -> &str {
        &self.front_matter.title
    }

    /// The name without its date prefix, for slugs.
    pub fn undated_name(&self) -> &str {
        split_date_prefix(&self.source.name).map_or(&self.source.name, |(_, rest)| rest)
    }
}

/// Parses every source file, drafts included (see [`drop_drafts`]); a
/// file whose text `reuse` knows is not parsed again, and when the files
/// are those of the build before, only those that changed are looked at.
pub fn parse_all(
    sources: &[SourceFile],
    config: &Config,
    reuse: &Reuse,
    lined_up: Option<&LinedUp>,
) -> Result<Vec<Arc<Doc>>, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let docs = match lined_up {
        Some(lined_up) => {
            let mut docs = lined_up.parsed.to_vec();
            for &at in &lined_up.changed {
                match parse_one(at, &sources[at], config, reuse) {
                    Ok(doc) => docs[at] = doc,
                    Err(errors) => diagnostics.extend(errors),
                }
            }
            docs
        }
        None => {
            let results: Vec<Result<Arc<Doc>, Vec<Diagnostic>>> = sources
                .par_iter()
                .enumerate()
                .map(|(at, source)| parse_one(at, source, config, reuse))
                .collect();
            let mut docs = Vec::with_capacity(results.len());
            for result in results {
                match result {
                    Ok(doc) => docs.push(doc),
                    Err(errors) => diagnostics.extend(errors),
                }
            }
            docs
        }
    };
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    reuse.keep(&docs);
    Ok(docs)
}

/// Leaves drafts out unless `keep`, and blank translations always, and
/// returns them. Runs after shared fields are inherited, so a
/// translation's facts never depend on whether drafts are built.
pub fn drop_drafts(docs: &mut Vec<Arc<Doc>>, keep: bool) -> Vec<Arc<Doc>> {
    let (drafts, kept) = std::mem::take(docs)
        .into_iter()
        .partition(|d| (d.front_matter.draft && !keep) || d.front_matter.blank);
    *docs = kept;
    drafts
}

fn parse_one(
    at: usize,
    source: &SourceFile,
    config: &Config,
    reuse: &Reuse,
) -> Result<Arc<Doc>, Vec<Diagnostic>> {
    if let Some(doc) = reuse.unchanged(at, source) {
        return Ok(doc);
    }
    let bytes = std::fs::read(&source.abs_path).map_err(|err| {
        vec![
            Diagnostic::error(msg!("page.unreadable", error = err))
                .in_file(source.rel_path.clone()),
        ]
    })?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
        vec![
            Diagnostic::error(msg!("page.not_utf8", line, byte = valid))
                .in_file(source.rel_path.clone())
                .with_help(msg!("page.not_utf8_help")),
        ]
    })?;
    if let Some(doc) = reuse.same_text(source, memo::key_of(&text)) {
        return Ok(doc);
    }
    parse_text(source.clone(), text, config).map(Arc::new)
}

/// The source with the translation key its front matter gives, if any: a
/// name in the page's folder, as a file name would give it.
fn paired(
    mut source: SourceFile,
    front_matter: &FrontMatter,
    text: &str,
) -> Result<SourceFile, Vec<Diagnostic>> {
    let Some((key, spot)) = &front_matter.translation_key else {
        return Ok(source);
    };
    let error = |message, help| {
        Err(vec![
            Diagnostic::error(message)
                .at_span(source.rel_path.clone(), text, spot.span.clone())
                .with_help(help),
        ])
    };
    if source.kind != (SourceKind::Page { bundle: false }) {
        return error(
            msg!("front_matter.translation_key_file"),
            msg!("front_matter.translation_key_file_help"),
        );
    }
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return error(
            msg!("front_matter.translation_key", key),
            msg!("front_matter.translation_key_help"),
        );
    }
    source.key = if source.section_dir.is_empty() {
        key.clone()
    } else {
        format!("{}/{key}", source.section_dir)
    };
    Ok(source)
}

/// A translation file with nothing in it, to be left out (see
/// [`FrontMatter::blank`]).
fn blank_doc(source: SourceFile, text: String, body_offset: usize) -> Doc {
    Doc {
        path_hash: memo::key_of(&source.rel_path),
        front_hash: memo::key_of(&(&source.rel_path, text.get(..body_offset))),
        text_hash: memo::key_of(&text),
        front_matter: FrontMatter {
            blank: true,
            ..FrontMatter::default()
        },
        source,
        text,
        body_offset,
        date: None,
    }
}

/// Parses a source file's text (read already).
pub fn parse_text(
    source: SourceFile,
    text: String,
    config: &Config,
) -> Result<Doc, Vec<Diagnostic>> {
    let (front_matter, body_offset) = {
        let split = front_matter::split(&source.rel_path, &text).map_err(|d| vec![d])?;
        if source.lang != config.default_language && front_matter::is_blank(&text) {
            let body_offset = split.body_offset;
            return Ok(blank_doc(source, text, body_offset));
        }
        let file = FileContext {
            path: &source.rel_path,
            source: &text,
            config,
            is_section: source.kind == SourceKind::Section,
            section_dir: &source.section_dir,
        };
        let body: Vec<Diagnostic> = crate::load::characters::in_text(split.body)
            .into_iter()
            .map(|(span, problem)| {
                let span = span.start + split.body_offset..span.end + split.body_offset;
                problem.diagnostic(&source.rel_path, &text, span)
            })
            .collect();
        match front_matter::parse(&file, &split) {
            Ok(front_matter) if body.is_empty() => (front_matter, split.body_offset),
            Ok(_) => return Err(body),
            Err(mut errors) => {
                errors.extend(body);
                return Err(errors);
            }
        }
    };
    let source = paired(source, &front_matter, &text)?;
    let date = front_matter.date.clone().or_else(|| {
        split_date_prefix(&source.name)
            .and_then(|(date, _)| PageDate::from_civil_date(date, &config.timezone))
    });
    let path_hash = memo::key_of(&source.rel_path);
    let front_hash = memo::key_of(&(&source.rel_path, text.get(..body_offset)));
    Ok(Doc {
        source,
        front_matter,
        text_hash: memo::key_of(&text),
        path_hash,
        front_hash,
        text,
        body_offset,
        date,
    })
}
