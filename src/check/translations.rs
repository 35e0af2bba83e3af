//! Translation status: which languages of each page exist, which are
//! missing, and which are stale — their default-language source changed
//! since the translation was last marked current. A translation records a
//! fingerprint of its source's text (`translation_of = "…"`), so this works
//! without git history.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Result;

use crate::messages::{WithMessage, failure};
use sha2::{Digest, Sha256};

use crate::load::config::Config;
use crate::load::page::Doc;

/// The state of one language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The default-language version, which the others translate.
    Source,
    /// Marked current against the source as it is now.
    Current,
    /// The source changed since the translation was marked current.
    Stale,
    /// Never marked: no `translation_of` in its front matter.
    Unmarked,
    /// There is no version in this language.
    Missing,
    /// No version in a language marked `partial`, where that is expected.
    #[serde(rename = "not-yet")]
    NotYet,
    /// No default-language version to translate from.
    Orphan,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Source => "source",
            Status::Current => "current",
            Status::Stale => "STALE",
            Status::Unmarked => "unmarked",
            Status::Missing => "MISSING",
            Status::NotYet => "not yet",
            Status::Orphan => "no source",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LanguageStatus {
    pub status: Status,
    /// The file, when the language exists.
    pub file: Option<String>,
}

/// One translation group: a page or section in all its languages.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Group {
    /// Content path without language (`news/2024-05-12-dakar`).
    pub key: String,
    pub kind: &'static str,
    /// The source's fingerprint, when there is a source.
    pub fingerprint: Option<String>,
    pub languages: BTreeMap<String, LanguageStatus>,
}

/// Fingerprint of a source file: of what it says, not of how it is
/// written. Its front matter's values count, not their order, blank lines,
/// or whether a date is quoted (a form in the browser writes its keys in
/// its own order); its body counts but for line endings, trailing spaces
/// and blank lines at either end; its own `translation_of` does not. A
/// file whose front matter does not parse is fingerprinted as text.
pub fn fingerprint(text: &str) -> String {
    match canonical(text) {
        Some(canonical) => short_hash(canonical.lines()),
        None => text_fingerprint(text),
    }
}

/// The fingerprint of the text as written, which marks made before
/// [`fingerprint`] read values carry: still taken as current.
fn text_fingerprint(text: &str) -> String {
    short_hash(
        text.lines()
            .filter(|l| !l.trim_start().starts_with("translation_of")),
    )
}

fn short_hash<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut hasher = Sha256::new();
    for line in lines {
        hasher.update(line.trim_end().as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The front matter's values (keys sorted, dates as text) and the body.
fn canonical(text: &str) -> Option<String> {
    let split = crate::load::front_matter::split("", text).ok()?;
    let mut table: toml::Table = split.front_matter.parse().ok()?;
    table.remove("translation_of");
    let values = serde_json::to_string(&plain(toml::Value::Table(table))).ok()?;
    let lines: Vec<&str> = split.body.lines().map(str::trim_end).collect();
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |i| i + 1);
    Some(format!("{values}\n+++\n{}", lines[start..end].join("\n")))
}

/// A TOML value with its dates as the text they are written as.
fn plain(value: toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => s.into(),
        toml::Value::Integer(i) => i.into(),
        toml::Value::Float(f) => f.into(),
        toml::Value::Boolean(b) => b.into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(items) => items.into_iter().map(plain).collect(),
        toml::Value::Table(table) => table
            .into_iter()
            .map(|(k, v)| (k, plain(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

/// The status of every translation group, sorted by key.
pub fn status(docs: &[Arc<Doc>], config: &Config) -> Vec<Group> {
    let mut groups: BTreeMap<(&str, bool), Vec<&Doc>> = BTreeMap::new();
    for doc in docs {
        groups
            .entry((doc.source.key.as_str(), doc.is_section()))
            .or_default()
            .push(doc);
    }
    groups
        .into_iter()
        .map(|((key, is_section), docs)| {
            let source = docs
                .iter()
                .find(|d| d.source.lang == config.default_language);
            let fingerprint = source.map(|s| fingerprint(&s.text));
            let languages = config
                .language_codes()
                .map(|lang| {
                    // A blank file (the CMS's, for a language left empty) is no version.
                    let doc =
                        (docs.iter()).find(|d| d.source.lang == lang && !d.front_matter.blank);
                    let status = match (doc, &fingerprint) {
                        (None, _) if config.language(lang).is_some_and(|l| l.partial) => {
                            Status::NotYet
                        }
                        (None, _) => Status::Missing,
                        (Some(_), _) if lang == config.default_language => Status::Source,
                        (Some(_), None) => Status::Orphan,
                        (Some(d), Some(fp)) => match &d.front_matter.translation_of {
                            None => Status::Unmarked,
                            Some(marked) if marked == fp => Status::Current,
                            // A mark made before marks read values.
                            Some(marked)
                                if source.is_some_and(|s| *marked == text_fingerprint(&s.text)) =>
                            {
                                Status::Current
                            }
                            Some(_) => Status::Stale,
                        },
                    };
                    let file = doc.map(|d| d.source.rel_path.clone());
                    (lang.to_string(), LanguageStatus { status, file })
                })
                .collect();
            Group {
                key: if key.is_empty() {
                    "(home)".to_string()
                } else {
                    key.to_string()
                },
                kind: if is_section { "section" } else { "page" },
                fingerprint,
                languages,
            }
        })
        .collect()
}

/// How many translations of `groups` have `status`.
pub fn count(groups: &[Group], status: Status) -> usize {
    groups
        .iter()
        .flat_map(|g| g.languages.values())
        .filter(|l| l.status == status)
        .count()
}

/// A plain-text table: one row per group, one column per language.
pub fn table(groups: &[Group], config: &Config) -> String {
    let langs: Vec<&str> = config.language_codes().collect();
    let name = |g: &Group| match (g.kind, g.key.as_str()) {
        ("section", "(home)") => g.key.clone(),
        ("section", key) => format!("{key}/"),
        _ => g.key.clone(),
    };
    let width = groups
        .iter()
        .map(|g| name(g).chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!("{:width$}", "PAGE");
    for lang in &langs {
        out.push_str(&format!("  {lang:10}"));
    }
    out = out.trim_end().to_string() + "\n";
    for g in groups {
        let mut row = format!("{:width$}", name(g));
        for lang in &langs {
            row.push_str(&format!("  {:10}", g.languages[*lang].status.label()));
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    let count = |s: Status| count(groups, s);
    out.push_str(&format!(
        "\n{} pages and sections: {} missing, {} stale, {} unmarked translations\n",
        groups.len(),
        count(Status::Missing),
        count(Status::Stale),
        count(Status::Unmarked)
    ));
    out
}

/// Records in `file` (a translation) that it matches its source as it is
/// now, by writing `translation_of = "<fingerprint>"` in its front matter.
/// Returns the fingerprint.
pub fn mark_current(
    root: &Path,
    file: &Path,
    docs: &[Arc<Doc>],
    config: &Config,
) -> Result<String> {
    let wanted = normalise(root, file)?;
    let Some(doc) = docs.iter().find(|d| d.source.rel_path == wanted) else {
        return Err(failure(msg!("translations.not_a_page", file = &wanted)));
    };
    if doc.source.lang == config.default_language {
        return Err(failure(msg!("translations.is_source", file = &wanted)));
    }
    let source = docs
        .iter()
        .find(|d| {
            d.source.key == doc.source.key
                && d.is_section() == doc.is_section()
                && d.source.lang == config.default_language
        })
        .with_message(|| {
            msg!(
                "translations.no_source",
                file = &wanted,
                lang = &config.default_language
            )
        })?;
    let fp = fingerprint(&source.text);
    let updated = with_translation_of(&doc.text, &fp);
    write_atomically(&doc.source.abs_path, &updated)?;
    Ok(fp)
}

/// `text` with its front matter's `translation_of` set to `fp`, everything
/// else kept byte for byte.
pub fn with_translation_of(text: &str, fp: &str) -> String {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(text.len() + fp.len() + 20);
    let mut lines = text.split_inclusive('\n');
    // The opening `+++`, then the mark: a top-level key must come before
    // any [table] line, so it goes first.
    if let Some(first) = lines.next() {
        out.push_str(first);
        out.push_str(&format!("translation_of = \"{fp}\"{newline}"));
    }
    let mut in_front_matter = true;
    for line in lines {
        let trimmed = line.trim();
        if in_front_matter && trimmed == "+++" {
            in_front_matter = false;
        } else if in_front_matter && trimmed.starts_with("translation_of") {
            continue; // the previous mark
        }
        out.push_str(line);
    }
    out
}

fn normalise(root: &Path, file: &Path) -> Result<String> {
    let absolute = if file.is_absolute() {
        file.to_path_buf()
    } else {
        std::env::current_dir()?.join(file)
    };
    let absolute = absolute
        .canonicalize()
        .with_message(|| msg!("translations.cannot_find", path = file.display()))?;
    let root = root
        .canonicalize()
        .with_message(|| msg!("translations.cannot_open", path = root.display()))?;
    let rel = absolute.strip_prefix(&root).with_message(|| {
        msg!(
            "translations.outside_site",
            file = file.display(),
            root = root.display()
        )
    })?;
    Ok(crate::load::source::slash_path(rel))
}

fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .with_message(|| msg!("translations.no_folder"))?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_message(|| msg!("translations.cannot_write_in", path = dir.display()))?;
    std::io::Write::write_all(&mut temp, text.as_bytes())?;
    temp.persist(path)
        .with_message(|| msg!("translations.cannot_replace", path = path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_reads_values_not_their_writing() {
        let written = "+++\ntitle = \"A\"\ndate = 2024-05-12\n\n[taxonomies]\nthemes = [\"x\"]\n+++\n\nText\n";
        let a = fingerprint(written);
        // As a form in the browser writes it back: its own key order, the
        // date quoted, no blank lines.
        let rewritten = "+++\ndate = \"2024-05-12\"\ntitle = \"A\"\n[taxonomies]\nthemes = [ \"x\" ]\n+++\nText";
        assert_eq!(a, fingerprint(rewritten));
        assert_ne!(a, fingerprint(&written.replace("\"A\"", "\"B\"")));
        assert_ne!(a, fingerprint(&written.replace("[\"x\"]", "[\"y\"]")));
        assert_ne!(a, fingerprint(&written.replace("Text", "Text.")));
        // Marks made from the text as written stay current.
        assert_ne!(a, text_fingerprint(written));
    }

    #[test]
    fn fingerprint_ignores_line_endings_trailing_spaces_and_its_mark() {
        let a = fingerprint("+++\ntitle = \"A\"\n+++\nText\n");
        assert_eq!(a.len(), 8);
        assert_eq!(a, fingerprint("+++\r\ntitle = \"A\"  \r\n+++\r\nText\r\n"));
        assert_eq!(
            a,
            fingerprint("+++\ntranslation_of = \"x\"\ntitle = \"A\"\n+++\nText\n")
        );
        assert_ne!(a, fingerprint("+++\ntitle = \"A\"\n+++\nText changed\n"));
    }

    #[test]
    fn marks_are_written_first_and_replaced() {
        let text = "+++\ntitle = \"A\"\n\n[taxonomies]\nthemes = []\n+++\nBody\n";
        let once = with_translation_of(text, "aaaa1111");
        assert_eq!(
            once,
            "+++\ntranslation_of = \"aaaa1111\"\ntitle = \"A\"\n\n[taxonomies]\nthemes = []\n+++\nBody\n"
        );
        let twice = with_translation_of(&once, "bbbb2222");
        assert_eq!(twice, once.replace("aaaa1111", "bbbb2222"));
        let crlf = with_translation_of("+++\r\ntitle = \"A\"\r\n+++\r\n", "c");
        assert_eq!(
            crlf,
            "+++\r\ntranslation_of = \"c\"\r\ntitle = \"A\"\r\n+++\r\n"
        );
    }
}
