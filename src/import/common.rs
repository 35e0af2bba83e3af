//! What every importer needs: walking a folder, reading keys whatever
//! their case, dates in the forms sites write them, tag arguments.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::{Outcome, Row};

/// `2024-05-12 10:30`, `2024-05-12T10:30:00 +0200`: compiled once, as
/// every date and tag of a site goes through them.
static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(?:\s*(Z|[+-]\d{2}:?\d{2}))?$",
    )
    .expect("a valid pattern")
});

/// A tag's argument: `key="value"`, `"value"`, `value`.
static ARGUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|([^\s"`]+))"#,
    )
    .expect("a valid pattern")
});
use crate::messages::Message;

pub fn skipped(file: String, reason: Message) -> Row {
    Row {
        file,
        result: Outcome::Skipped,
        written: None,
        notes: vec![reason],
    }
}

pub fn is_markdown(rel: &str) -> bool {
    rel.ends_with(".md") || rel.ends_with(".markdown")
}

/// Every file under `dir`, with its path relative to it, in name order;
/// hidden files and folders (`.git`) left out.
pub fn walk(dir: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some((e.path().to_path_buf(), crate::load::source::slash_path(rel)))
        })
        .collect()
}

/// What a walk leaves out besides hidden files: links (not followed: one
/// may lead anywhere, or in a circle) and what cannot be read, each with
/// its reason.
pub fn not_walked(dir: &Path) -> Vec<Row> {
    let mut rows = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.path_is_symlink() => {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .map(crate::load::source::slash_path);
                rows.push(skipped(rel.unwrap_or_default(), msg!("import.skip_link")));
            }
            Ok(_) => {}
            Err(err) => {
                let rel = (err.path())
                    .and_then(|p| p.strip_prefix(dir).ok())
                    .map(crate::load::source::slash_path)
                    .unwrap_or_default();
                rows.push(skipped(
                    rel,
                    msg!("import.unreadable", path = "", error = err),
                ));
            }
        }
    }
    rows
}

/// A value by key, whatever its case (Hugo's keys are case-insensitive).
pub fn get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

pub fn get_str(map: &Map<String, Value>, key: &str) -> Option<String> {
    match get(map, key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A language's own name, for the languages portail knows.
pub fn language_name(code: &str) -> String {
    match code {
        "fr" => "Français",
        "en" => "English",
        "ar" => "العربية",
        "es" => "Español",
        "pt" => "Português",
        "de" => "Deutsch",
        "it" => "Italiano",
        other => other,
    }
    .to_string()
}

/// A date as TOML writes it, and whether it was guessed from another
/// form: `2024-05-12`, `2024-05-12T10:30:00+02:00`, `2024-05-12 10:30`
/// (a local time) are read; `12/05/2024` and `May 12, 2024` guessed.
pub fn toml_date(written: &str) -> Option<(String, bool)> {
    let s = written.trim().trim_matches('"');
    let valid = |t: &str| {
        t.parse::<toml::value::Datetime>()
            .ok()
            .map(|d| d.to_string())
    };
    // `2024-05-12 10:30`, `2024-05-12 10:30:00 +0200`: written with
    // seconds, as every reader of TOML takes them.
    if let Some(c) = DATE_TIME.captures(s) {
        let seconds = c.get(3).map_or(":00", |m| m.as_str());
        let offset = c.get(4).map_or(String::new(), |m| {
            let o = m.as_str();
            if o.len() == 5 {
                format!("{}:{}", &o[..3], &o[3..])
            } else {
                o.to_string()
            }
        });
        return valid(&format!("{}T{}{seconds}{offset}", &c[1], &c[2])).map(|v| (v, false));
    }
    if let Some(value) = valid(s) {
        return Some((value, false));
    }
    guess_date(s).map(|d| (d, true))
}

/// A date as TOML writes it, with a note when it was guessed or could
/// not be read.
pub fn date(written: &str, notes: &mut Vec<Message>) -> Option<String> {
    match toml_date(written) {
        Some((value, false)) => Some(value),
        Some((value, true)) => {
            notes.push(msg!("import.date_guessed", written, date = &value));
            Some(value)
        }
        None => {
            notes.push(msg!("import.date_unread", written));
            None
        }
    }
}

/// A picture with its caption, in Markdown, from a figure tag's parts.
pub fn figure(
    src: &str,
    alt: Option<String>,
    caption: Option<String>,
    line: usize,
    notes: &mut Vec<Message>,
) -> String {
    let alt = alt.or_else(|| caption.clone());
    if alt.is_none() {
        notes.push(msg!("import.figure_no_alt", line));
    }
    let title = caption.map_or(String::new(), |c| format!(" \"{}\"", c.replace('"', "'")));
    format!("![{}]({src}{title})", alt.unwrap_or_default())
}

/// An address part as Hugo and Jekyll make one from a title: lower case,
/// spaces as hyphens, other punctuation left out.
pub fn urlize(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' => Some(c),
            _ => None,
        })
        .collect()
}

/// `12/05/2024` (day first), `May 12, 2024`, `12 May 2024`.
fn guess_date(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let words: Vec<String> = s
        .split(|c: char| c == '/' || c == ',' || c == '.' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let month_of = |w: &str| {
        MONTHS
            .iter()
            .position(|m| w.starts_with(m))
            .map(|i| i as i8 + 1)
    };
    let (day, month, year): (i8, i8, i16) = match words.as_slice() {
        [d, m, y] if d.parse::<i8>().is_ok() && m.parse::<i8>().is_ok() => {
            (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?)
        }
        [m, d, y] if month_of(m).is_some() => (d.parse().ok()?, month_of(m)?, y.parse().ok()?),
        [d, m, y] if month_of(m).is_some() => (d.parse().ok()?, month_of(m)?, y.parse().ok()?),
        _ => return None,
    };
    let date = jiff::civil::Date::new(year, month, day).ok()?;
    Some(date.to_string())
}

/// A shortcode's arguments: `key="value"`, `"value"`, `value`.
pub fn args(text: &str) -> Vec<(Option<String>, String)> {
    ARGUMENT
        .captures_iter(text)
        .map(|c| {
            let value = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map_or("", |m| m.as_str());
            (
                c.get(1).map(|m| m.as_str().to_string()),
                value.replace("\\\"", "\""),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_three_forms_and_guesses() {
        assert_eq!(toml_date("2024-05-12"), Some(("2024-05-12".into(), false)));
        assert_eq!(
            toml_date("2024-05-12T10:30:00+02:00"),
            Some(("2024-05-12T10:30:00+02:00".into(), false))
        );
        assert_eq!(
            toml_date("2024-05-12 10:30"),
            Some(("2024-05-12T10:30:00".into(), false))
        );
        assert_eq!(
            toml_date("2024-05-12 10:30:00 +0200"),
            Some(("2024-05-12T10:30:00+02:00".into(), false))
        );
        assert_eq!(toml_date("12/05/2024"), Some(("2024-05-12".into(), true)));
        assert_eq!(toml_date("May 12, 2024"), Some(("2024-05-12".into(), true)));
        assert_eq!(toml_date("12 mai 2024"), None);
        assert_eq!(toml_date("31/02/2024"), None);
    }
}
