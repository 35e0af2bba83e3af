//! Hugo sites: the configuration (`hugo.*` or `config.*`, TOML, YAML or
//! JSON), content in one folder with languages in file names or one
//! folder per language (`contentDir`), pages paired by name or by
//! `translationKey`, page bundles, `static/`, and the `i18n/` texts that
//! some titles are keys of.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use regex::Regex;
use serde_json::{Map, Value};

use super::common::{
    args, date, figure, get, get_str, is_markdown, language_name, not_walked, skipped, urlize, walk,
};
use super::dialects;
use super::{Front, Language, Outcome, Page, Read, Row};
use crate::diagnostics::Diagnostic;
use crate::messages::Message;

const CONFIG_FILES: [&str; 8] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// Why a file outside the content and static folders is not imported.
fn not_content(top: &str) -> Message {
    match top {
        "layouts" | "themes" => msg!("import.skip_templates"),
        "archetypes" => msg!("import.skip_archetypes"),
        "assets" => msg!("import.skip_assets"),
        "data" => msg!("import.skip_data"),
        "resources" | "public" => msg!("import.skip_generated"),
        "i18n" => msg!("import.skip_i18n"),
        _ => msg!("import.skip_other"),
    }
}

/// The settings of the Hugo site that the import uses.
struct Settings {
    base_url: String,
    title: String,
    default_language: String,
    in_subdir: bool,
    /// Code, name, title, content folder; the default language first.
    languages: Vec<(Language, Option<String>)>,
    /// Plural names of the taxonomies.
    taxonomies: Vec<String>,
    permalinks: HashMap<String, String>,
    content_dir: String,
    timezone: Option<String>,
}

/// Reads a Hugo site.
pub fn read(source: &Path) -> Result<Read, Diagnostic> {
    let (config_file, settings) = settings(source)?;
    let i18n = i18n(source);
    let mut others = vec![Row {
        file: config_file,
        result: Outcome::Imported,
        written: Some("config.toml".into()),
        notes: Vec::new(),
    }];
    others.extend(not_walked(source));
    let mut pages = Vec::new();
    // Files published as they are; those beside the content (a bundle's
    // pictures) stay beside it.
    let mut copies = Vec::new();
    // One folder per language, or one for all.
    let mut roots: Vec<(String, Option<String>)> = settings
        .languages
        .iter()
        .filter_map(|(l, dir)| dir.clone().map(|d| (d, Some(l.code.clone()))))
        .collect();
    if roots.is_empty() {
        roots.push((settings.content_dir.clone(), None));
    }
    for (root, lang) in &roots {
        for (abs, rel) in walk(&source.join(root)) {
            let origin = format!("{root}/{rel}");
            if is_markdown(&rel) {
                match page(source, &origin, &rel, lang.as_deref(), &settings, &i18n) {
                    Ok(page) => pages.push(page),
                    Err(reason) => others.push(skipped(origin, reason)),
                }
            } else {
                copies.push((abs, origin, format!("content/{rel}")));
            }
        }
    }
    for (abs, rel) in walk(&source.join("static")) {
        copies.push((abs, format!("static/{rel}"), format!("static/{rel}")));
    }
    for (file, _) in walk(source) {
        let rel = file
            .strip_prefix(source)
            .map(crate::load::source::slash_path)
            .unwrap_or_default();
        let top = rel.split('/').next().unwrap_or("");
        let known = roots.iter().any(|(r, _)| rel.starts_with(&format!("{r}/")))
            || top == "static"
            || CONFIG_FILES.contains(&rel.as_str());
        if known {
            continue;
        }
        let reason = not_content(top);
        others.push(skipped(rel, reason));
    }
    Ok(Read {
        base_url: settings.base_url.clone(),
        title: settings.title.clone(),
        default_language: settings.default_language.clone(),
        languages: settings.languages.iter().map(|(l, _)| l.clone()).collect(),
        taxonomies: settings.taxonomies.clone(),
        timezone: settings.timezone.clone(),
        pages,
        copies,
        others,
        shared: BTreeMap::new(),
    })
}

fn settings(source: &Path) -> Result<(String, Settings), Diagnostic> {
    let Some(name) = CONFIG_FILES.iter().find(|f| source.join(f).is_file()) else {
        return Err(
            Diagnostic::error(msg!("import.hugo_no_config", path = source.display()))
                .with_help(msg!("import.hugo_no_config_help")),
        );
    };
    let text = std::fs::read_to_string(source.join(name))
        .map_err(|err| Diagnostic::error(msg!("import.unreadable", path = name, error = err)))?;
    let map = if name.ends_with(".toml") {
        dialects::toml_map(&text)
    } else if name.ends_with(".json") {
        dialects::json_map(&text)
    } else {
        dialects::yaml_map(&text)
    }
    .map_err(|message| Diagnostic::error(message).in_file(name.to_string()))?;
    let default_language = get_str(&map, "defaultContentLanguage")
        .unwrap_or_else(|| "en".into())
        .to_lowercase();
    let title = get_str(&map, "title").unwrap_or_default();
    let mut languages: Vec<(i64, Language, Option<String>)> = match get(&map, "languages") {
        Some(Value::Object(langs)) => langs
            .iter()
            .map(|(code, l)| {
                let l = l.as_object().cloned().unwrap_or_default();
                let weight = get(&l, "weight").and_then(Value::as_i64).unwrap_or(0);
                let language = Language {
                    code: code.to_lowercase(),
                    name: get_str(&l, "languageName").unwrap_or_else(|| language_name(code)),
                    title: get_str(&l, "title").unwrap_or_else(|| title.clone()),
                };
                (weight, language, get_str(&l, "contentDir"))
            })
            .collect(),
        _ => Vec::new(),
    };
    if !languages.iter().any(|(_, l, _)| l.code == default_language) {
        languages.push((
            0,
            Language {
                code: default_language.clone(),
                name: language_name(&default_language),
                title: title.clone(),
            },
            None,
        ));
    }
    languages.sort_by_key(|(w, l, _)| (l.code != default_language, *w, l.code.clone()));
    let taxonomies = match get(&map, "taxonomies") {
        Some(Value::Object(t)) => t
            .values()
            .filter_map(|v| v.as_str().map(str::to_lowercase))
            .collect(),
        _ => vec!["tags".to_string(), "categories".to_string()],
    };
    let permalinks = match get(&map, "permalinks") {
        Some(Value::Object(p)) => p
            .iter()
            .filter_map(|(k, v)| {
                // `[permalinks.page] posts = …` in recent Hugo, `posts = …` before.
                match v {
                    Value::String(s) => Some(vec![(k.clone(), s.clone())]),
                    Value::Object(inner) if k == "page" => Some(
                        inner
                            .iter()
                            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                            .collect(),
                    ),
                    _ => None,
                }
            })
            .flatten()
            .collect(),
        _ => HashMap::new(),
    };
    Ok((
        name.to_string(),
        Settings {
            base_url: get_str(&map, "baseURL").unwrap_or_else(|| "https://example.org/".into()),
            title,
            in_subdir: get(&map, "defaultContentLanguageInSubdir").and_then(Value::as_bool)
                == Some(true),
            default_language,
            languages: languages.into_iter().map(|(_, l, d)| (l, d)).collect(),
            taxonomies,
            permalinks,
            content_dir: get_str(&map, "contentDir").unwrap_or_else(|| "content".into()),
            timezone: get_str(&map, "timeZone"),
        },
    ))
}

/// The `i18n/` texts by language and id (Hugo's three forms: `id: text`,
/// `id: {other: text}`, and a list of `{id, translation}`).
fn i18n(source: &Path) -> HashMap<String, HashMap<String, String>> {
    let mut out: HashMap<String, HashMap<String, String>> = HashMap::new();
    for (abs, rel) in walk(&source.join("i18n")) {
        let Some((lang, ext)) = rel.rsplit_once('.') else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&abs) else {
            continue;
        };
        let table = &mut out.entry(lang.to_lowercase()).or_default();
        let text_of = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(m) => get_str(m, "other").or_else(|| get_str(m, "translation")),
            _ => None,
        };
        if ext == "yaml" || ext == "yml" {
            // The list form is a YAML sequence: read it as one.
            if let Ok(docs) = yaml_rust2::YamlLoader::load_from_str(&text)
                && let Some(yaml_rust2::Yaml::Array(items)) = docs.first()
            {
                for item in items {
                    let (id, tr) = (item["id"].as_str(), item["translation"].as_str());
                    if let (Some(id), Some(tr)) = (id, tr) {
                        table.insert(id.to_string(), tr.to_string());
                    }
                }
                continue;
            }
        }
        let map = match ext {
            "toml" => dialects::toml_map(&text).ok(),
            "json" => dialects::json_map(&text).ok(),
            _ => dialects::yaml_map(&text).ok(),
        };
        for (id, value) in map.unwrap_or_default() {
            if let Some(text) = text_of(&value) {
                table.insert(id, text);
            }
        }
    }
    out
}

/// One content file as a page.
fn page(
    source: &Path,
    origin: &str,
    rel: &str,
    folder_lang: Option<&str>,
    settings: &Settings,
    i18n: &HashMap<String, HashMap<String, String>>,
) -> Result<Page, Message> {
    let text = std::fs::read_to_string(source.join(origin))
        .map_err(|err| msg!("import.unreadable", path = origin, error = err))?;
    let parsed = dialects::parse(&text)?;
    let stem = rel
        .strip_suffix(".md")
        .or_else(|| rel.strip_suffix(".markdown"))
        .unwrap_or(rel);
    // `post.fr.md`, `post.pt-BR.md`: language codes whatever their case.
    let known = |code: &str| settings.languages.iter().any(|(l, _)| l.code == code);
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((name, suffix)) if !name.ends_with('/') && known(&suffix.to_lowercase()) => {
            (name, suffix.to_lowercase())
        }
        _ => (
            stem,
            folder_lang
                .unwrap_or(&settings.default_language)
                .to_string(),
        ),
    };
    let (dir, file) = stem.rsplit_once('/').unwrap_or(("", stem));
    let (dir, name, bundle) = match file {
        "_index" => (dir.to_string(), "_index".to_string(), false),
        "index" if !dir.is_empty() => {
            let (parent, name) = dir.rsplit_once('/').unwrap_or(("", dir));
            (parent.to_string(), name.to_string(), true)
        }
        _ => (dir.to_string(), file.to_string(), false),
    };
    let mut notes = Vec::new();
    let strings = i18n.get(&lang);
    let (front, key, url) = front(&parsed.front, settings, strings, &mut notes);
    let (body, body_notes) = shortcodes(&parsed.body);
    notes.extend(body_notes);
    let mut page = Page {
        origin: origin.to_string(),
        lang,
        dir,
        name,
        bundle,
        front,
        body,
        old_urls: Vec::new(),
        key,
        notes,
    };
    page.old_urls = old_urls(&page, url.as_deref(), settings);
    Ok(page)
}

/// The front matter keys Hugo reads to render a page, which portail's
/// templates do not.
const RENDERING_KEYS: [&str; 10] = [
    "layout", "type", "outputs", "menu", "menus", "cascade", "build", "_build", "headless",
    "markup",
];

/// Hugo's front matter as portail's; returns the translation key and the
/// `url` it gave, if any.
fn front(
    map: &Map<String, Value>,
    settings: &Settings,
    strings: Option<&HashMap<String, String>>,
    notes: &mut Vec<Message>,
) -> (Front, Option<String>, Option<String>) {
    let mut front = Front::default();
    let (mut key, mut url) = (None, None);
    let mut moved: Vec<String> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let list = |v: &Value| -> Vec<String> {
        match v {
            Value::Array(items) => items.iter().filter_map(text).collect(),
            other => text(other).into_iter().collect(),
        }
    };
    // A value that is neither text nor a list of texts (a table, say).
    let odd = |v: &Value| match v {
        Value::Array(items) => items.iter().any(|i| text(i).is_none()),
        other => text(other).is_none(),
    };
    let mut dates: BTreeMap<&str, String> = BTreeMap::new();
    for (k, v) in map {
        let lower = k.to_lowercase();
        match lower.as_str() {
            "title" => front.title = text(v).unwrap_or_default(),
            "description" => front.description = text(v),
            "summary" => {
                front.extra.insert("summary".into(), v.clone());
            }
            "date" | "publishdate" | "pubdate" | "published" | "lastmod" | "modified"
            | "expirydate" | "unpublishdate" => {
                if let Some(s) = text(v) {
                    dates.insert(
                        match lower.as_str() {
                            "date" => "date",
                            "publishdate" | "pubdate" | "published" => "publish",
                            "lastmod" | "modified" => "updated",
                            _ => "expiry",
                        },
                        s,
                    );
                }
            }
            "draft" => {
                front.draft = v.as_bool().unwrap_or_else(|| {
                    matches!(
                        text(v).as_deref().map(str::to_lowercase).as_deref(),
                        Some("true" | "yes")
                    )
                })
            }
            "slug" => front.slug = text(v),
            "url" => url = text(v),
            "aliases" => front.aliases = list(v),
            "weight" => front.weight = v.as_i64().or_else(|| text(v)?.trim().parse().ok()),
            "translationkey" => key = text(v),
            "image_alt" | "imagealt" => front.image_alt = text(v),
            "images" | "image" | "featured_image" | "cover" => match list(v).into_iter().next() {
                Some(first) if front.image.is_none() => front.image = Some(first),
                _ => {
                    front.extra.insert(k.clone(), v.clone());
                    moved.push(k.clone());
                }
            },
            "params" => {
                if let Value::Object(params) = v {
                    for (pk, pv) in params {
                        front.extra.insert(pk.clone(), pv.clone());
                        moved.push(format!("params.{pk}"));
                    }
                }
            }
            _ if settings
                .taxonomies
                .iter()
                .any(|t| t.eq_ignore_ascii_case(k)) =>
            {
                if odd(v) {
                    notes.push(msg!("import.terms_not_text", taxonomy = k));
                }
                let terms = list(v);
                if !terms.is_empty() {
                    front.taxonomies.insert(lower.clone(), terms);
                }
            }
            _ if RENDERING_KEYS.contains(&lower.as_str()) => dropped.push(k.clone()),
            _ => {
                front.extra.insert(k.clone(), v.clone());
                moved.push(k.clone());
            }
        }
    }
    // `summary` is what portail calls the description.
    if front.description.is_none()
        && let Some(Value::String(summary)) = front.extra.remove("summary")
    {
        front.description = Some(summary);
    }
    if front.extra.contains_key("summary") {
        moved.push("summary".into());
    }
    dates_into(&mut front, &dates, notes);
    if let Some(translated) = strings.and_then(|s| s.get(&front.title)) {
        notes.push(msg!("import.title_from_i18n", key = &front.title));
        front.title = translated.clone();
    }
    if front.image.is_some() && front.image_alt.is_none() {
        notes.push(msg!("import.image_no_alt"));
    }
    if let Some(slug) = &front.slug
        && crate::load::slug::slug_problem(slug).is_some()
    {
        let fixed = crate::load::slug::slugify(slug);
        notes.push(msg!("import.slug_changed", slug, fixed = &fixed));
        front.slug = Some(fixed);
    }
    if let Some(url) = &url {
        // The last part of the address names the page; the whole address
        // becomes an alias.
        let last = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        if !last.is_empty() && front.slug.is_none() {
            front.slug = Some(crate::load::slug::slugify(last));
        }
        notes.push(msg!("import.url_alias", url));
    }
    if !dropped.is_empty() {
        notes.push(msg!("import.keys_dropped", keys = dropped.join(", ")));
    }
    if !moved.is_empty() {
        moved.sort();
        moved.dedup();
        notes.push(msg!("import.keys_extra", keys = moved.join(", ")));
    }
    (front, key, url)
}

/// `date`, else the publication date; `lastmod` as `updated`; an expiry
/// kept in `[extra]`, which portail does not act on.
fn dates_into(front: &mut Front, dates: &BTreeMap<&str, String>, notes: &mut Vec<Message>) {
    match (dates.get("date"), dates.get("publish")) {
        (Some(d), publish) => {
            front.date = date(d, notes);
            if let Some(p) = publish {
                front
                    .extra
                    .insert("publish_date".into(), Value::String(p.clone()));
                notes.push(msg!("import.publish_date"));
            }
        }
        (None, Some(p)) => front.date = date(p, notes),
        (None, None) => {}
    }
    if let Some(u) = dates.get("updated") {
        front.updated = date(u, notes);
    }
    if let Some(e) = dates.get("expiry") {
        front
            .extra
            .insert("expiry_date".into(), Value::String(e.clone()));
        notes.push(msg!("import.expiry", date = e));
    }
}

/// Where Hugo published the page: its `url`, its section's permalink
/// pattern, or its path; with the language's prefix.
fn old_urls(page: &Page, url: Option<&str>, settings: &Settings) -> Vec<String> {
    let prefix = if page.lang != settings.default_language || settings.in_subdir {
        format!("/{}", page.lang)
    } else {
        String::new()
    };
    if let Some(url) = url {
        // `https://example.org/x/` is the path `/x/`.
        let path = url::Url::parse(url).map_or(url.to_string(), |u| u.path().to_string());
        return vec![path];
    }
    let dir = if page.dir.is_empty() {
        String::new()
    } else {
        format!("/{}", page.dir.to_lowercase())
    };
    if page.name == "_index" {
        return vec![format!("{prefix}{dir}/")];
    }
    let slug = page
        .front
        .slug
        .clone()
        .unwrap_or_else(|| urlize(&page.name));
    let section = page.dir.split('/').next().unwrap_or("");
    let mut urls = vec![format!("{prefix}{dir}/{slug}/")];
    if let Some(pattern) = settings.permalinks.get(section) {
        let date = page.front.date.as_deref().unwrap_or("");
        let part = |range: std::ops::Range<usize>| date.get(range).unwrap_or("").to_string();
        let title_slug = page
            .front
            .slug
            .clone()
            .unwrap_or_else(|| urlize(&page.front.title));
        let path = pattern
            .replace(":year", &part(0..4))
            .replace(":month", &part(5..7))
            .replace(":day", &part(8..10))
            .replace(":slug", &title_slug)
            .replace(":title", &urlize(&page.front.title))
            .replace(":filename", &urlize(&page.name))
            .replace(":contentbasename", &urlize(&page.name))
            .replace(":sections", &page.dir)
            .replace(":section", section);
        urls.insert(0, format!("{prefix}{path}"));
    }
    urls
}

/// Hugo's shortcodes in a body: `ref` and `relref` become references
/// that the links step resolves, `figure` a Markdown picture, `youtube`
/// and `vimeo` a video link alone in its paragraph; any other is left as
/// text, with a note.
fn shortcodes(body: &str) -> (String, Vec<Message>) {
    let Ok(re) = Regex::new(r"\{\{([<%])\s*(/?)\s*([A-Za-z0-9_./-]+)((?s:.*?))\s*[>%]\}\}") else {
        return (body.to_string(), Vec::new());
    };
    let mut notes = Vec::new();
    let mut out = String::with_capacity(body.len());
    let mut last = 0;
    for c in re.captures_iter(body) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        out.push_str(&body[last..whole.start]);
        last = whole.end;
        let (closing, name, args) = (&c[2] == "/", &c[3], args(&c[4]));
        let line = body[..whole.start].lines().count().max(1);
        let arg = |key: &str, at: usize| -> Option<String> {
            args.iter()
                .find(|(k, _)| k.as_deref() == Some(key))
                .or_else(|| args.iter().filter(|(k, _)| k.is_none()).nth(at))
                .map(|(_, v)| v.clone())
        };
        match (closing, name) {
            (false, "ref" | "relref") => {
                out.push_str(super::body::REF);
                out.push_str(&arg("path", 0).unwrap_or_default());
            }
            (false, "figure") => {
                let src = arg("src", 0).unwrap_or_default();
                let caption = arg("caption", usize::MAX).or_else(|| arg("title", usize::MAX));
                let alt = arg("alt", usize::MAX);
                out.push_str(&figure(&src, alt, caption, line, &mut notes));
            }
            (false, "youtube") => {
                let id = arg("id", 0).unwrap_or_default();
                out.push_str(&format!("\n\nhttps://www.youtube.com/watch?v={id}\n\n"));
            }
            (false, "vimeo") => {
                let id = arg("id", 0).unwrap_or_default();
                out.push_str(&format!("\n\nhttps://vimeo.com/{id}\n\n"));
            }
            (closing, name) => {
                out.push_str(&body[whole.clone()]);
                if !closing {
                    notes.push(msg!("import.shortcode_kept", name, line));
                }
            }
        }
    }
    out.push_str(&body[last..]);
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_become_markdown_or_stay_with_a_note() {
        let (out, notes) = shortcodes(
            "See [x]({{< ref \"posts/a.md\" >}}).\n{{< figure src=\"p.jpg\" alt=\"A hill\" caption=\"Dakar\" >}}\n{{< youtube abc123 >}}\n{{< callout type=\"note\" >}}Hi{{< /callout >}}",
        );
        assert!(out.contains("[x](import-ref:posts/a.md)"), "{out}");
        assert!(out.contains("![A hill](p.jpg \"Dakar\")"), "{out}");
        assert!(
            out.contains("\nhttps://www.youtube.com/watch?v=abc123\n"),
            "{out}"
        );
        assert!(
            out.contains("{{< callout type=\"note\" >}}Hi{{< /callout >}}"),
            "{out}"
        );
        assert_eq!(notes.len(), 1);
    }
}
