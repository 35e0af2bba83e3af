//! One diagnostic type for every problem found in a user's site.
//!
//! Stages push [`Diagnostic`]s into a [`Diagnostics`] collector and keep going
//! to the end of the stage, so an author sees every mistake of a kind in one
//! run. The collector sorts by location before anything is reported, which
//! keeps reports identical whatever the thread timing.

use std::fmt;
use std::ops::Range;

use crate::messages::{Message, MessageLang};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a file of the site, relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Site-relative path with `/` separators (`content/news/a.fr.md`).
    pub path: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
}

/// The source line a diagnostic points at, kept so reports need no re-reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// Byte range inside `text` to underline.
    pub underline: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    /// Rendered in the reader's language by the report, not here.
    pub message: Message,
    pub help: Option<Message>,
    pub excerpt: Option<Box<Excerpt>>,
}

impl Diagnostic {
    pub fn error(message: Message) -> Self {
        Self::new(Severity::Error, message)
    }

    pub fn warning(message: Message) -> Self {
        Self::new(Severity::Warning, message)
    }

    fn new(severity: Severity, message: Message) -> Self {
        Diagnostic {
            severity,
            location: None,
            message,
            help: None,
            excerpt: None,
        }
    }

    pub fn with_help(mut self, help: Message) -> Self {
        self.help = Some(help);
        self
    }

    /// Points at a whole file.
    pub fn in_file(mut self, path: impl Into<String>) -> Self {
        self.location = Some(Location {
            path: path.into(),
            line: 0,
            column: 0,
        });
        self
    }

    /// Points at a byte range of `source`, the full text of the file at `path`.
    pub fn at_span(mut self, path: impl Into<String>, source: &str, span: Range<usize>) -> Self {
        let start = clamp_to_char_boundary(source, span.start);
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = source[..start].matches('\n').count() + 1;
        let column = source[line_start..start].chars().count() + 1;
        let text = source[line_start..line_end].trim_end_matches('\r');
        let end = clamp_to_char_boundary(source, span.end.max(start)).min(line_start + text.len());
        self.location = Some(Location {
            path: path.into(),
            line,
            column,
        });
        self.excerpt = Some(Box::new(Excerpt {
            text: text.to_string(),
            underline: (start - line_start)..(end.max(start) - line_start),
        }));
        self
    }

    /// Points at a 1-based line (and optional 1-based column) of `source`.
    pub fn at_line(self, path: impl Into<String>, source: &str, line: usize) -> Self {
        let offset = line_offset(source, line);
        let len = source[offset..].find('\n').unwrap_or(source.len() - offset);
        self.at_span(path, source, offset..offset + len)
    }

    /// The message in English, for unit tests.
    #[cfg(test)]
    pub fn message_en(&self) -> String {
        self.message.render(MessageLang::En)
    }

    /// The help in English, for unit tests.
    #[cfg(test)]
    pub fn help_en(&self) -> Option<String> {
        self.help.as_ref().map(|h| h.render(MessageLang::En))
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sorted by the English text, so the order is the same in every language.
    fn sort_key(&self) -> (Option<Location>, Severity, String) {
        (
            self.location.clone(),
            self.severity,
            self.message.render(MessageLang::En),
        )
    }
}

/// Byte offset of the start of a 1-based line (end of text when past the end).
pub fn line_offset(source: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    source
        .match_indices('\n')
        .nth(line - 2)
        .map_or(source.len(), |(i, _)| i + 1)
}

/// `offset`, or the nearest character boundary of `source` before it.
pub fn clamp_to_char_boundary(source: &str, mut offset: usize) -> usize {
    offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.path),
            (line, 0) => write!(f, "{}:{line}", self.path),
            (line, column) => write!(f, "{}:{line}:{column}", self.path),
        }
    }
}

/// Collects diagnostics across a stage.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics sorted by location, duplicates removed.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by_cached_key(Diagnostic::sort_key);
        self.items.dedup();
        self.items
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics {
            items: vec![diagnostic],
        }
    }
}

/// Suggests the closest of `candidates` to `word`, for "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" or a list of what is accepted.
pub fn did_you_mean(word: &str, candidates: &[&str]) -> Message {
    match closest(word, candidates.iter().copied()) {
        Some(best) => msg!("hint.did_you_mean", best),
        None => msg!(
            "hint.expected_one_of",
            choices = candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_gives_line_column_and_excerpt() {
        let src = "+++\ntitle = 1\ndate = \"x\"\n+++\n";
        let d = Diagnostic::error(Message::raw("bad")).at_span("a.md", src, 21..24);
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column), (3, 8));
        let ex = d.excerpt.unwrap();
        assert_eq!(ex.text, "date = \"x\"");
        assert_eq!(&ex.text[ex.underline], "\"x\"");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "été = x";
        let d = Diagnostic::error(Message::raw("bad")).at_span(
            "a.md",
            src,
            src.find('x').unwrap()..src.len(),
        );
        assert_eq!(d.location.unwrap().column, 7);
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(
            did_you_mean("titel", &["title", "date"]).render(MessageLang::En),
            "did you mean `title`?"
        );
        assert_eq!(
            did_you_mean("zzz", &["title", "date"]).render(MessageLang::En),
            "expected one of `title`, `date`"
        );
    }
}
