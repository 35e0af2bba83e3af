//! The imported site's files: `config.toml`, each page with TOML front
//! matter in portail's key order, resources beside their pages, static
//! files, and the section pages a language lacks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use super::{Front, Outcome, Page, Read, Row};
use crate::diagnostics::Diagnostic;

/// `posts/x.fr.md`, `posts/x/index.fr.md`, `_index.fr.md`.
pub fn content_path(dir: &str, name: &str, lang: &str, bundle: bool) -> String {
    let file = if bundle && name != "_index" {
        format!("{name}/index.{lang}.md")
    } else {
        format!("{name}.{lang}.md")
    };
    if dir.is_empty() {
        format!("content/{file}")
    } else {
        format!("content/{dir}/{file}")
    }
}

/// A file of the new site: its path in it and its bytes.
pub type File = (PathBuf, Vec<u8>);

/// Every file of the new site, and a report row for each source file.
pub fn files(site: &Read) -> Result<(Vec<File>, Vec<Row>), Diagnostic> {
    let mut files: Vec<File> = Vec::new();
    let mut rows = Vec::new();
    let mut written: BTreeSet<String> = BTreeSet::new();
    for page in &site.pages {
        let path = content_path(&page.dir, &page.name, &page.lang, page.bundle);
        if !inside(&path) {
            rows.push(Row {
                file: page.origin.clone(),
                result: Outcome::Skipped,
                written: None,
                notes: vec![msg!("import.unsafe_path", path)],
            });
            continue;
        }
        if !written.insert(path.clone()) {
            rows.push(Row {
                file: page.origin.clone(),
                result: Outcome::Skipped,
                written: None,
                notes: vec![msg!("import.same_file", path)],
            });
            continue;
        }
        files.push((PathBuf::from(&path), page_text(page).into_bytes()));
        rows.push(Row {
            file: page.origin.clone(),
            result: if page.notes.is_empty() {
                Outcome::Imported
            } else {
                Outcome::Warning
            },
            written: Some(path.clone()),
            notes: page.notes.clone(),
        });
    }
    for (source, origin, to) in &site.copies {
        if !inside(to) {
            rows.push(Row {
                file: origin.clone(),
                result: Outcome::Skipped,
                written: None,
                notes: vec![msg!("import.unsafe_path", path = to)],
            });
        } else if written.insert(to.clone()) {
            files.push((PathBuf::from(to), read(source)?));
            rows.push(Row {
                file: origin.clone(),
                result: Outcome::Imported,
                written: Some(to.clone()),
                notes: Vec::new(),
            });
        } else {
            rows.push(Row {
                file: origin.clone(),
                result: Outcome::Skipped,
                written: None,
                notes: vec![msg!("import.same_file", path = to)],
            });
        }
    }
    for (path, text, title) in missing_section_pages(site, &written) {
        rows.push(Row {
            file: format!("({path})"),
            result: Outcome::Warning,
            written: Some(path.clone()),
            notes: vec![msg!("import.section_page", title)],
        });
        files.push((PathBuf::from(path), text.into_bytes()));
    }
    let (texts, text_rows) = interface_texts(site);
    files.extend(texts);
    rows.extend(text_rows);
    files.push((PathBuf::from("config.toml"), config(site).into_bytes()));
    Ok((files, rows))
}

fn read(source: &std::path::Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(source).map_err(|err| {
        Diagnostic::error(msg!(
            "import.unreadable",
            path = source.display(),
            error = err
        ))
    })
}

/// Whether a path names a file inside the new site: plain names only,
/// no `..`, nothing absolute (a slug in an export may hold anything).
pub fn inside(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|part| {
            !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', ':'])
        })
}

/// A TOML string on one line, quoted and escaped: a value never spans
/// lines, so no line of it can close the front matter.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key as TOML writes it: bare when it can be.
fn key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { k.to_string() } else { quoted(k) }
}

/// A JSON value as one line of TOML (`None` for a null, which TOML has
/// not).
fn inline(value: &Value) -> Option<String> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => toml::Value::Float(n.as_f64()?).to_string(),
        },
        Value::String(s) => quoted(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().filter_map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let pairs: Vec<String> = (map.iter())
                .filter_map(|(k, v)| Some(format!("{} = {}", key(k), inline(v)?)))
                .collect();
            format!("{{ {} }}", pairs.join(", "))
        }
    })
}

/// The page's file: front matter in portail's order, then the body.
pub fn page_text(page: &Page) -> String {
    let Front {
        title,
        slug,
        description,
        date,
        updated,
        draft,
        weight,
        aliases,
        image,
        image_alt,
        taxonomies,
        extra,
    } = &page.front;
    let mut out = String::from("+++\n");
    out.push_str(&format!("title = {}\n", quoted(title)));
    if let Some(slug) = slug {
        out.push_str(&format!("slug = {}\n", quoted(slug)));
    }
    if let Some(description) = description {
        out.push_str(&format!("description = {}\n", quoted(description)));
    }
    if let Some(date) = date {
        out.push_str(&format!("date = {date}\n"));
    }
    if let Some(updated) = updated {
        out.push_str(&format!("updated = {updated}\n"));
    }
    if *draft {
        out.push_str("draft = true\n");
    }
    if let Some(weight) = weight {
        out.push_str(&format!("weight = {weight}\n"));
    }
    if let Some(image) = image {
        out.push_str(&format!("image = {}\n", quoted(image)));
    }
    if let Some(alt) = image_alt {
        out.push_str(&format!("image_alt = {}\n", quoted(alt)));
    }
    if !aliases.is_empty() {
        let list: Vec<String> = aliases.iter().map(|a| quoted(a)).collect();
        out.push_str(&format!("aliases = [{}]\n", list.join(", ")));
    }
    if !taxonomies.is_empty() {
        out.push_str("\n[taxonomies]\n");
        for (name, terms) in taxonomies {
            let list: Vec<String> = terms.iter().map(|t| quoted(t)).collect();
            out.push_str(&format!("{} = [{}]\n", key(name), list.join(", ")));
        }
    }
    let extra: Vec<String> = (extra.iter())
        .filter_map(|(k, v)| Some(format!("{} = {}\n", key(k), inline(v)?)))
        .collect();
    if !extra.is_empty() {
        out.push_str("\n[extra]\n");
        out.push_str(&extra.concat());
    }
    out.push_str("+++\n\n");
    out.push_str(page.body.trim_start_matches('\n'));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A section with pages in a language needs its own page in that
/// language (its title and list); the home too.
fn missing_section_pages(site: &Read, written: &BTreeSet<String>) -> Vec<(String, String, String)> {
    let mut wanted: BTreeMap<(String, String), ()> = BTreeMap::new();
    for page in &site.pages {
        wanted.insert((String::new(), page.lang.clone()), ());
        // Every folder above the page is a section with its own page.
        let mut dir = String::new();
        for part in page.dir.split('/').filter(|p| !p.is_empty()) {
            if !dir.is_empty() {
                dir.push('/');
            }
            dir.push_str(part);
            wanted.insert((dir.clone(), page.lang.clone()), ());
        }
    }
    wanted
        .into_keys()
        .filter_map(|(dir, lang)| {
            let path = content_path(&dir, "_index", &lang, false);
            if written.contains(&path) {
                return None;
            }
            let title = if dir.is_empty() {
                site.languages
                    .iter()
                    .find(|l| l.code == lang)
                    .map_or(site.title.clone(), |l| l.title.clone())
            } else {
                title_of_folder(dir.rsplit('/').next().unwrap_or(&dir))
            };
            let text = format!("+++\ntitle = {}\n+++\n", quoted(&title));
            Some((path, text, title))
        })
        .collect()
}

/// `good-practices` → "Good practices".
pub fn title_of_folder(dir: &str) -> String {
    let words = dir.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The theme's interface texts for the languages it has none in: its
/// English ones, to translate, in `i18n/<lang>.toml`; and every table
/// gets the new languages' names (their own, until translated).
fn interface_texts(site: &Read) -> (Vec<File>, Vec<Row>) {
    let theme = crate::load::theme::Theme::builtin();
    let tables: BTreeMap<String, String> = theme
        .files_under("i18n")
        .filter_map(|(name, file)| {
            let code = name.strip_suffix(".toml")?.to_string();
            Some((code, String::from_utf8_lossy(&file.bytes).into_owned()))
        })
        .collect();
    let new: Vec<&super::Language> = (site.languages.iter())
        .filter(|l| !tables.contains_key(&l.code))
        .collect();
    if new.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let names: String = new
        .iter()
        .map(|l| format!("language_{} = {}\n", l.code, quoted(&l.name)))
        .collect();
    let english = tables.get("en").cloned().unwrap_or_default();
    let mut files = Vec::new();
    let mut rows = Vec::new();
    for language in &site.languages {
        let path = format!("i18n/{}.toml", language.code);
        if new.iter().any(|l| l.code == language.code) {
            let text = format!(
                "# The theme's English texts: translate each one into {}.\n{english}\n{names}",
                language.name
            );
            files.push((PathBuf::from(&path), text.into_bytes()));
            rows.push(Row {
                file: format!("config.toml [languages.{}]", language.code),
                result: Outcome::Warning,
                written: Some(path),
                notes: vec![msg!("import.texts_to_translate", lang = &language.code)],
            });
        } else {
            files.push((PathBuf::from(&path), names.clone().into_bytes()));
        }
    }
    (files, rows)
}

/// `config.toml`: the languages, their menus (the top sections), the
/// taxonomies, and sorting by date for sections of dated pages.
fn config(site: &Read) -> String {
    let mut out = String::from("# Imported by `portail import`; see the import's report.\n");
    out.push_str(&format!("base_url = {}\n", quoted(&site.base_url)));
    out.push_str(&format!(
        "default_language = {}\n",
        quoted(&site.default_language)
    ));
    out.push_str(&format!(
        "timezone = {}\n",
        quoted(site.timezone.as_deref().unwrap_or("UTC"))
    ));
    let top_sections: BTreeSet<&str> = site
        .pages
        .iter()
        .filter_map(|p| p.dir.split('/').next())
        .filter(|d| !d.is_empty())
        .collect();
    for language in &site.languages {
        out.push_str(&format!("\n[languages.{}]\n", language.code));
        out.push_str(&format!("name = {}\n", quoted(&language.name)));
        out.push_str(&format!("title = {}\n", quoted(&language.title)));
        if crate::load::lang::Pipeline::for_code(&language.code).is_none() {
            out.push_str("search = \"generic\"\n");
        }
        // The sections with pages in this language.
        let menu: Vec<String> = top_sections
            .iter()
            .filter(|dir| {
                (site.pages.iter())
                    .any(|p| p.lang == language.code && p.dir.split('/').next() == Some(**dir))
            })
            .map(|dir| {
                let title = site
                    .pages
                    .iter()
                    .find(|p| p.dir == *dir && p.name == "_index" && p.lang == language.code)
                    .map_or_else(|| title_of_folder(dir), |p| p.front.title.clone());
                format!(
                    "  {{ name = {}, url = {} }},",
                    quoted(&title),
                    quoted(&format!("@/{dir}/_index.md"))
                )
            })
            .collect();
        if !menu.is_empty() {
            out.push_str(&format!("menu = [\n{}\n]\n", menu.join("\n")));
        }
    }
    for taxonomy in &site.taxonomies {
        out.push_str(&format!("\n[taxonomies.{}]\n", quoted(taxonomy)));
    }
    for (dir, shared) in &site.shared {
        // The home's folder holds pages too (`content/about.fr.md`); its
        // list is not sorted by date.
        let dated =
            !dir.is_empty() && (site.pages.iter()).any(|p| p.dir == *dir && p.front.date.is_some());
        let default = shared.as_slice() == crate::load::config::DEFAULT_SHARED;
        if !dated && default {
            continue;
        }
        out.push_str(&format!("\n[sections.{}]\n", quoted(dir)));
        if dated {
            out.push_str("sort_by = \"date\"\n");
        }
        let list: Vec<String> = shared.iter().map(|s| quoted(s)).collect();
        out.push_str(&format!("shared = [{}]\n", list.join(", ")));
    }
    out
}
