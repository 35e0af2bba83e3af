//! `portail new`: the files of a new page, named and filled from the
//! section's schema, so authors start from something that builds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::load::config::{Config, FieldSpec, FieldType, SortBy};

/// What the author asked for.
pub struct NewPage<'a> {
    /// Content-relative section folder (`news`, `about/team`).
    pub section: &'a str,
    pub title: &'a str,
    pub lang: &'a str,
    /// Also create the page in every other language.
    pub translations: bool,
    /// The title in other languages, where the author gave it: that
    /// version gets it, and an address made from it.
    pub titles: &'a BTreeMap<String, String>,
    /// The day written into dated names and date fields.
    pub today: jiff::civil::Date,
}

/// A file to create: content-relative path and text.
pub struct PlannedFile {
    pub rel_path: String,
    pub text: String,
}

/// Decides the files of the page, refusing anything that already exists.
pub fn plan(root: &Path, config: &Config, page: &NewPage) -> Result<Vec<PlannedFile>, Diagnostic> {
    let section = page
        .section
        .trim_matches('/')
        .trim_start_matches("content/")
        .trim_matches('/');
    check_section(root, config, section)?;
    if config.language(page.lang).is_none() {
        let codes: Vec<&str> = config.language_codes().collect();
        return Err(
            Diagnostic::error(msg!("new.unknown_language", lang = page.lang))
                .with_help(did_you_mean(page.lang, &codes)),
        );
    }
    let slug = crate::load::slug::slugify(page.title);
    if slug.is_empty() {
        return Err(
            Diagnostic::error(msg!("new.empty_name", title = page.title))
                .with_help(msg!("new.empty_name_help")),
        );
    }
    let settings = config.section(section).cloned().unwrap_or_default();
    let stem = if is_dated(&settings) {
        format!("{}-{slug}", page.today)
    } else {
        slug
    };
    let mut langs = vec![page.lang.to_string()];
    if page.translations {
        langs.extend(
            config
                .language_codes()
                .filter(|l| *l != page.lang)
                .map(str::to_string),
        );
    }
    let dir = root.join("content").join(section);
    let default_version_exists = langs.contains(&config.default_language)
        || dir
            .join(format!("{stem}.{}.md", config.default_language))
            .exists();
    let mut files = Vec::new();
    for lang in &langs {
        let rel_path = format!("content/{section}/{stem}.{lang}.md");
        let taken = [
            root.join(&rel_path),
            dir.join(&stem).join(format!("index.{lang}.md")),
        ];
        if let Some(existing) = taken.iter().find(|p| p.exists()) {
            let shown = existing.strip_prefix(root).unwrap_or(existing);
            return Err(
                Diagnostic::error(msg!("new.exists", path = shown.display()))
                    .with_help(msg!("new.exists_help")),
            );
        }
        // Shared fields are written once, in the default-language file.
        let inherits = *lang != config.default_language && default_version_exists;
        let text = front_matter(config, &settings, section, page, lang, inherits);
        files.push(PlannedFile { rel_path, text });
    }
    Ok(files)
}

/// Creates the planned files; on any failure removes those already created.
pub fn write(root: &Path, files: &[PlannedFile]) -> Result<(), Diagnostic> {
    let mut created: Vec<PathBuf> = Vec::new();
    for file in files {
        let path = root.join(&file.rel_path);
        let result = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, file.text.as_bytes()));
        if let Err(err) = result {
            for done in &created {
                let _ = std::fs::remove_file(done);
            }
            // A partly written file of ours is removed too; a file that
            // existed already (AlreadyExists) is not ours to touch.
            if err.kind() != std::io::ErrorKind::AlreadyExists {
                let _ = std::fs::remove_file(&path);
            }
            return Err(Diagnostic::error(msg!(
                "new.cannot_create",
                path = &file.rel_path,
                error = err
            ))
            .with_help(msg!("new.nothing_written")));
        }
        created.push(path);
    }
    Ok(())
}

fn check_section(root: &Path, config: &Config, section: &str) -> Result<(), Diagnostic> {
    let dir = root.join("content").join(section);
    let has_index = config
        .language_codes()
        .any(|l| dir.join(format!("_index.{l}.md")).is_file());
    if !section.is_empty() && !section.split('/').any(|s| s == ".." || s == ".") && has_index {
        return Ok(());
    }
    let known: Vec<String> = walkdir::WalkDir::new(root.join("content"))
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .filter(|e| {
            config
                .language_codes()
                .any(|l| e.path().join(format!("_index.{l}.md")).is_file())
        })
        .filter_map(|e| {
            let rel = e.path().strip_prefix(root.join("content")).ok()?;
            Some(crate::load::source::slash_path(rel))
        })
        .collect();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    Err(
        Diagnostic::error(msg!("new.no_section", section)).with_help(if known.is_empty() {
            msg!("new.no_section_help")
        } else {
            did_you_mean(section, &known)
        }),
    )
}

/// Pages of sections listed by date carry their date in the file name.
fn is_dated(settings: &crate::load::config::SectionSettings) -> bool {
    !settings.calendar && matches!(settings.sort_by, None | Some(SortBy::Date))
}

fn front_matter(
    config: &Config,
    settings: &crate::load::config::SectionSettings,
    section: &str,
    page: &NewPage,
    lang: &str,
    inherits: bool,
) -> String {
    let shared = config.shared_fields(section);
    let writes = |key: &str| !inherits || !shared.contains(&key);
    let mut out = String::from("+++\n");
    let own = page
        .titles
        .get(lang)
        .filter(|t| lang != page.lang && !t.trim().is_empty());
    match own {
        Some(title) => {
            out.push_str(&format!("title = {}\n", toml_string(title.trim())));
            // The file keeps the first language's name; the page gets an
            // address in its own.
            let slug = crate::load::slug::slugify(title);
            if !slug.is_empty() {
                out.push_str(&format!("slug = {}\n", toml_string(&slug)));
            }
        }
        None if page.lang != lang => {
            out.push_str(&format!(
                "title = {}  # to translate\n",
                toml_string(page.title)
            ));
        }
        None => out.push_str(&format!("title = {}\n", toml_string(page.title))),
    }
    out.push_str("description = \"\"\n");
    out.push_str("draft = true  # delete this line to publish the page\n");
    let wants_date = settings.required.iter().any(|r| r == "date")
        || settings.filters.iter().any(|f| f == "year");
    if !is_dated(settings) && wants_date && writes("date") {
        out.push_str(&format!("date = {}\n", page.today));
    }
    for (name, ty) in &settings.fields {
        // Keys written above are not written twice (TOML forbids it).
        if !writes(name) || ["title", "description", "draft", "date"].contains(&name.as_str()) {
            continue;
        }
        let spec = settings.specs.get(name);
        let required = spec.is_some_and(|s| s.required) || settings.required.contains(name);
        out.push_str(&format!(
            "{} = {}",
            toml_key(name),
            placeholder(*ty, page.today)
        ));
        let mut notes = Vec::new();
        if required {
            notes.push("required".to_string());
        }
        if let Some(FieldSpec {
            one_of: Some(values),
            ..
        }) = spec
        {
            notes.push(format!("one of: {}", values.join(", ")));
        }
        if let Some(FieldSpec {
            taxonomy: Some(taxonomy),
            ..
        }) = spec
        {
            notes.push(format!("terms listed in data/{taxonomy}.toml"));
        }
        if !notes.is_empty() {
            out.push_str(&format!("  # {}", notes.join("; ")));
        }
        out.push('\n');
    }
    if !config.taxonomies.is_empty() && writes("taxonomies") {
        out.push_str("\n[taxonomies]\n");
        for taxonomy in &config.taxonomies {
            out.push_str(&format!("{} = []", toml_key(&taxonomy.name)));
            if settings.required.contains(&taxonomy.name) {
                out.push_str("  # required");
            }
            out.push('\n');
        }
    }
    out.push_str("+++\n\n");
    out
}

fn placeholder(ty: FieldType, today: jiff::civil::Date) -> String {
    match ty {
        FieldType::String => "\"\"".to_string(),
        FieldType::Date => today.to_string(),
        FieldType::Datetime => format!("{today}T09:00:00"),
        FieldType::Bool => "false".to_string(),
        FieldType::Integer => "0".to_string(),
        FieldType::List => "[]".to_string(),
    }
}

/// A key as TOML needs it: bare when it can be, quoted otherwise (`thèmes`).
fn toml_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        name.to_string()
    } else {
        toml_string(name)
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_that_cannot_be_bare_are_quoted() {
        assert_eq!(super::toml_key("start"), "start");
        assert_eq!(super::toml_key("thèmes"), "\"thèmes\"");
        assert_eq!(super::toml_key("a.b"), "\"a.b\"");
    }
}
