//! `data/`: TOML, JSON and CSV files that templates read as `data.<name>`
//! (`data/partners.csv` → `data.partners`, a list of rows keyed by the
//! header). Term lists of taxonomies live here too.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Every data file of the site, as one JSON object keyed by file stem.
pub fn load(root: &Path) -> Result<serde_json::Value, Diagnostics> {
    let dir = root.join("data");
    let mut out = serde_json::Map::new();
    // Which file gave each name, to point at both when two collide.
    let mut origin: std::collections::HashMap<String, String> = Default::default();
    let mut diagnostics = Diagnostics::new();
    if !dir.is_dir() {
        return Ok(out.into());
    }
    // A link may lead anywhere inside the site, and nowhere else (a link to
    // a private file would let a template publish it).
    let boundary = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .follow_links(true)
        .max_depth(1)
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                diagnostics.push(
                    Diagnostic::error(msg!("data.folder_unreadable", error = err)).in_file("data"),
                );
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        let rel = match entry.depth() {
            0 => "data".to_string(),
            _ => format!("data/{name}"),
        };
        if entry.path_is_symlink() && !crate::load::source::points_inside(path, &boundary) {
            diagnostics.push(
                Diagnostic::error(msg!("theme.link_outside"))
                    .in_file(rel)
                    .with_help(msg!("theme.link_outside_help")),
            );
            continue;
        }
        if entry.depth() == 0 || name.starts_with('.') || !entry.file_type().is_file() {
            continue;
        }
        let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
        let Some(value) = read_file(path, &rel, ext) else {
            continue;
        };
        match value {
            Ok(_) if origin.contains_key(stem) => diagnostics.push(
                Diagnostic::error(msg!(
                    "data.same_name",
                    first = &origin[stem],
                    rel = &rel,
                    stem
                ))
                .in_file(rel)
                .with_help(msg!("data.same_name_help")),
            ),
            Ok(value) => {
                origin.insert(stem.to_string(), rel);
                out.insert(stem.to_string(), value);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(out.into())
}

/// The value of a data file of the format `ext` (`None` for a file of no
/// data format).
fn read_file(path: &Path, rel: &str, ext: &str) -> Option<Result<serde_json::Value, Diagnostic>> {
    if !matches!(ext, "toml" | "json" | "csv") {
        return None;
    }
    let text = match std::fs::read_to_string(path) {
        // Some Windows editors start UTF-8 files with a byte-order mark.
        Ok(text) => match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        },
        Err(err) => {
            let error = Diagnostic::error(msg!("data.file_unreadable", error = err)).in_file(rel);
            return Some(Err(error));
        }
    };
    let value = match ext {
        "toml" => toml::from_str::<serde_json::Value>(&text).map_err(|e| {
            let d = Diagnostic::error(msg!(
                "data.invalid_toml",
                error = e.message().lines().next().unwrap_or("")
            ));
            match e.span() {
                Some(span) => d.at_span(rel, &text, span),
                None => d.in_file(rel),
            }
        }),
        "json" => serde_json::from_str::<serde_json::Value>(&text).map_err(|e| {
            Diagnostic::error(msg!("data.invalid_json", error = &e)).at_line(rel, &text, e.line())
        }),
        _ => read_csv(&text).map_err(|(line, message)| {
            Diagnostic::error(msg!("data.invalid_csv", error = message)).at_line(rel, &text, line)
        }),
    };
    Some(value.map_err(|d| d.with_help(msg!("data.formats_help"))))
}

/// Rows as objects keyed by the header line.
fn read_csv(text: &str) -> Result<serde_json::Value, (usize, String)> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| (1, e.to_string()))?.clone();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            (
                e.position().map_or(i + 2, |p| p.line() as usize),
                e.to_string(),
            )
        })?;
        let row: serde_json::Map<String, serde_json::Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.to_string(), v.into()))
            .collect();
        rows.push(serde_json::Value::Object(row));
    }
    Ok(rows.into())
}
