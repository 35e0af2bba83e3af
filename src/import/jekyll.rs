//! Jekyll sites: `_config.yml`, posts in `_posts/` (their date in their
//! name), drafts in `_drafts/`, collections (`_events/`), pages anywhere
//! else; languages the Polyglot way (`languages`, `default_lang`, a
//! `lang` key or a language folder, translations sharing a `permalink`);
//! Liquid links (`{% link %}`, `{% post_url %}`) and figures made
//! Markdown.

use std::collections::HashMap;
use std::path::Path;

use regex::Regex;
use serde_json::{Map, Value};

use super::common::{
    args, date, figure, get_str, is_markdown, language_name, not_walked, skipped, urlize, walk,
};
use super::dialects;
use super::{Front, Language, Outcome, Page, Read, Row};
use crate::diagnostics::Diagnostic;
use crate::messages::Message;

struct Settings {
    url: String,
    title: String,
    default_language: String,
    languages: Vec<String>,
    /// `/:year/:month/:day/:title/` and the like, for posts.
    permalink: String,
    /// Collection name → its permalink pattern, if it has one.
    collections: HashMap<String, Option<String>>,
    timezone: Option<String>,
    /// `exclude:` paths, left out as Jekyll leaves them out.
    exclude: Vec<String>,
}

/// Reads a Jekyll site.
pub fn read(source: &Path) -> Result<Read, Diagnostic> {
    let settings = settings(source)?;
    let mut pages = Vec::new();
    let mut copies = Vec::new();
    let mut others = vec![Row {
        file: "_config.yml".into(),
        result: Outcome::Imported,
        written: Some("config.toml".into()),
        notes: Vec::new(),
    }];
    others.extend(not_walked(source));
    for (abs, rel) in walk(source) {
        if rel == "_config.yml" {
            continue;
        }
        let excluded = settings.exclude.iter().any(|e| {
            let e = e.trim_end_matches('/');
            rel == e || rel.starts_with(&format!("{e}/"))
        });
        if excluded {
            others.push(skipped(rel, msg!("import.skip_excluded")));
            continue;
        }
        let top = rel.split('/').next().unwrap_or("");
        let kind = if top == "_posts" {
            Kind::Post
        } else if top == "_drafts" {
            Kind::Draft
        } else if let Some(name) = top
            .strip_prefix('_')
            .filter(|n| settings.collections.contains_key(*n))
        {
            Kind::Collection(name.to_string())
        } else if top.starts_with('_') || rel.starts_with("Gemfile") {
            others.push(skipped(rel.clone(), not_content(top)));
            continue;
        } else {
            Kind::Page
        };
        if !is_markdown(&rel) {
            // An HTML page or a feed with front matter is a template of
            // Jekyll's, not a file to publish as it is.
            let templated = std::fs::read(&abs).is_ok_and(|b| b.starts_with(b"---"));
            match kind {
                Kind::Page if templated => {
                    others.push(skipped(rel, msg!("import.skip_liquid_file")))
                }
                Kind::Page => copies.push((abs, rel.clone(), format!("static/{rel}"))),
                _ => others.push(skipped(rel, msg!("import.skip_other"))),
            }
            continue;
        }
        match page(&abs, &rel, &kind, &settings) {
            Ok(Some(page)) => pages.push(page),
            Ok(None) => others.push(skipped(rel, msg!("import.skip_unpublished"))),
            Err(reason) => others.push(skipped(rel, reason)),
        }
    }
    Ok(Read {
        base_url: settings.url.clone(),
        title: settings.title.clone(),
        default_language: settings.default_language.clone(),
        languages: settings
            .languages
            .iter()
            .map(|code| Language {
                code: code.clone(),
                name: language_name(code),
                title: settings.title.clone(),
            })
            .collect(),
        taxonomies: vec!["categories".into(), "tags".into()],
        timezone: settings.timezone.clone(),
        pages,
        copies,
        others,
        shared: Default::default(),
    })
}

enum Kind {
    Post,
    Draft,
    Collection(String),
    Page,
}

fn not_content(top: &str) -> Message {
    match top {
        "_layouts" | "_includes" | "_sass" => msg!("import.skip_templates"),
        "_site" | ".jekyll-cache" => msg!("import.skip_generated"),
        "_data" => msg!("import.skip_data"),
        _ => msg!("import.skip_other"),
    }
}

fn settings(source: &Path) -> Result<Settings, Diagnostic> {
    let text = std::fs::read_to_string(source.join("_config.yml")).map_err(|_| {
        Diagnostic::error(msg!("import.jekyll_no_config", path = source.display()))
            .with_help(msg!("import.jekyll_no_config_help"))
    })?;
    let map = dialects::yaml_map(&text)
        .map_err(|message| Diagnostic::error(message).in_file("_config.yml"))?;
    let default_language = get_str(&map, "default_lang")
        .or_else(|| get_str(&map, "lang"))
        .unwrap_or_else(|| "en".into());
    let mut languages: Vec<String> = match map.get("languages") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_lowercase))
            .collect(),
        _ => Vec::new(),
    };
    languages.retain(|l| *l != default_language);
    languages.insert(0, default_language.clone());
    let collections = match map.get("collections") {
        Some(Value::Object(c)) => c
            .iter()
            .map(|(name, v)| {
                let pattern = v.as_object().and_then(|o| get_str(o, "permalink"));
                (name.clone(), pattern)
            })
            .collect(),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(|n| Some((n.as_str()?.to_string(), None)))
            .collect(),
        _ => HashMap::new(),
    };
    let url = get_str(&map, "url").unwrap_or_else(|| "https://example.org".into());
    let baseurl = get_str(&map, "baseurl").unwrap_or_default();
    Ok(Settings {
        url: format!(
            "{}/{}",
            url.trim_end_matches('/'),
            baseurl.trim_matches('/')
        )
        .trim_end_matches('/')
        .to_string()
            + "/",
        title: get_str(&map, "title").unwrap_or_default(),
        default_language,
        languages,
        permalink: match get_str(&map, "permalink").as_deref() {
            None | Some("date") => "/:categories/:year/:month/:day/:title.html".into(),
            Some("pretty") => "/:categories/:year/:month/:day/:title/".into(),
            Some("ordinal") => "/:categories/:year/:y_day/:title.html".into(),
            Some("none") => "/:categories/:title.html".into(),
            Some(pattern) => pattern.to_string(),
        },
        collections,
        timezone: get_str(&map, "timezone"),
        exclude: match map.get("exclude") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        },
    })
}

/// One Markdown file as a page; `None` for one marked `published: false`.
fn page(abs: &Path, rel: &str, kind: &Kind, settings: &Settings) -> Result<Option<Page>, Message> {
    let text = std::fs::read_to_string(abs)
        .map_err(|err| msg!("import.unreadable", path = rel, error = err))?;
    let parsed = dialects::parse(&text)?;
    if parsed.front.get("published") == Some(&Value::Bool(false)) {
        return Ok(None);
    }
    let stem = rel
        .strip_suffix(".md")
        .or_else(|| rel.strip_suffix(".markdown"))
        .unwrap_or(rel);
    let mut parts: Vec<&str> = stem.split('/').collect();
    // The folder a post or page sits in may be its language.
    let mut lang = None;
    let skip = usize::from(!matches!(kind, Kind::Page));
    if let Some(at) = parts
        .iter()
        .skip(skip)
        .position(|p| settings.languages.iter().any(|l| l == p))
    {
        lang = Some(parts.remove(at + skip).to_string());
    }
    let name = parts.pop().unwrap_or_default().to_string();
    let dir = match kind {
        Kind::Post | Kind::Draft => "posts".to_string(),
        Kind::Collection(c) => c.clone(),
        Kind::Page => parts.join("/"),
    };
    let lang = get_str(&parsed.front, "lang")
        .map(|l| l.to_lowercase())
        .filter(|l| settings.languages.contains(l))
        .or(lang)
        .unwrap_or_else(|| settings.default_language.clone());
    let mut notes = Vec::new();
    let (mut front, permalink, redirects) = front(&parsed.front, &mut notes);
    if matches!(kind, Kind::Draft) {
        front.draft = true;
    }
    let name = if matches!(kind, Kind::Page) && name == "index" {
        "_index".to_string()
    } else {
        name
    };
    let (body, body_notes) = liquid(&parsed.body);
    notes.extend(body_notes);
    let mut page = Page {
        origin: rel.to_string(),
        lang,
        dir,
        name,
        bundle: false,
        front,
        body,
        old_urls: Vec::new(),
        key: permalink.clone(),
        notes,
    };
    let dated = crate::load::dates::split_date_prefix(&page.name).is_some();
    if matches!(kind, Kind::Post) && page.front.date.is_none() && !dated {
        page.notes.push(msg!("import.post_no_date"));
    }
    page.old_urls = old_urls(&page, kind, permalink.as_deref(), settings);
    page.front.aliases.extend(redirects);
    Ok(Some(page))
}

/// Jekyll's front matter as portail's; returns the page's own
/// `permalink` and its `redirect_from` addresses.
fn front(
    map: &Map<String, Value>,
    notes: &mut Vec<Message>,
) -> (Front, Option<String>, Vec<String>) {
    let mut front = Front::default();
    let (mut permalink, mut redirects) = (None, Vec::new());
    let mut moved = Vec::new();
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    // `categories: a b` is two categories; a list is a list.
    let words = |v: &Value| -> Vec<String> {
        match v {
            Value::Array(items) => items.iter().filter_map(text).collect(),
            Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
            _ => Vec::new(),
        }
    };
    for (k, v) in map {
        match k.as_str() {
            "title" => front.title = text(v).unwrap_or_default(),
            "description" => front.description = text(v),
            "excerpt" => {
                if front.description.is_none() {
                    front.description = text(v);
                }
            }
            "date" => front.date = text(v).and_then(|d| date(&d, notes)),
            "last_modified_at" => front.updated = text(v).and_then(|d| date(&d, notes)),
            "permalink" => permalink = text(v),
            "redirect_from" => redirects = words(v),
            "slug" => front.slug = text(v),
            "image" => front.image = text(v),
            "categories" | "category" | "tags" => {
                let name = if k == "tags" { "tags" } else { "categories" };
                let terms = words(v);
                if !terms.is_empty() {
                    front.taxonomies.insert(name.to_string(), terms);
                }
            }
            "layout" | "lang" | "published" | "lang_ref" => {}
            _ => {
                front.extra.insert(k.clone(), v.clone());
                moved.push(k.clone());
            }
        }
    }
    if !moved.is_empty() {
        notes.push(msg!("import.keys_extra", keys = moved.join(", ")));
    }
    (front, permalink, redirects)
}

/// Where Jekyll published the page (Polyglot puts other languages under
/// `/<lang>/`); without the site's `baseurl`, which `base_url` holds now.
fn old_urls(page: &Page, kind: &Kind, permalink: Option<&str>, settings: &Settings) -> Vec<String> {
    let prefix = if page.lang == settings.default_language {
        String::new()
    } else {
        format!("/{}", page.lang)
    };
    let (date, title) = match crate::load::dates::split_date_prefix(&page.name) {
        Some((date, title)) => (date.to_string(), title.to_string()),
        None => (
            page.front.date.clone().unwrap_or_default(),
            page.name.clone(),
        ),
    };
    let part = |range: std::ops::Range<usize>| date.get(range).unwrap_or("").to_string();
    let pattern = match (permalink, kind) {
        (Some(p), _) => p.to_string(),
        (None, Kind::Post | Kind::Draft) => settings.permalink.clone(),
        (None, Kind::Collection(c)) => settings
            .collections
            .get(c)
            .cloned()
            .flatten()
            .unwrap_or_else(|| "/:collection/:path/".into()),
        (None, Kind::Page) if page.name == "_index" => format!("/{}/", page.dir),
        (None, Kind::Page) => format!("/{}/{}/", page.dir, page.name),
    };
    let categories = (page.front.taxonomies.get("categories"))
        .map(|c| c.iter().map(|c| urlize(c)).collect::<Vec<_>>().join("/"))
        .unwrap_or_default();
    let collection = match kind {
        Kind::Collection(c) => c.as_str(),
        _ => "",
    };
    let path = pattern
        .replace(":categories", &categories)
        .replace(":collection", collection)
        .replace(":year", &part(0..4))
        .replace(":month", &part(5..7))
        .replace(":day", &part(8..10))
        .replace(":title", &title)
        .replace(":slug", &title)
        .replace(":name", &title)
        .replace(":path", &title);
    let path = Regex::new("/+").map_or(path.clone(), |re| re.replace_all(&path, "/").into_owned());
    vec![format!("{prefix}{path}")]
}

/// Liquid in a body: `{% link %}` and `{% post_url %}` become references
/// the links step resolves, `{% include figure.html %}` a Markdown
/// picture, `{{ site.baseurl }}` nothing (addresses are the site's now),
/// `{% raw %}` its content; any other tag is left as text, with a note.
fn liquid(body: &str) -> (String, Vec<Message>) {
    let Ok(re) = Regex::new(r"\{%-?\s*(\w+)\s*(.*?)\s*-?%\}|\{\{-?\s*site\.(baseurl|url)\s*-?\}\}")
    else {
        return (body.to_string(), Vec::new());
    };
    let mut notes = Vec::new();
    let mut out = String::with_capacity(body.len());
    let mut last = 0;
    let mut raw = false;
    for c in re.captures_iter(body) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        out.push_str(&body[last..whole.start]);
        last = whole.end;
        let line = body[..whole.start].lines().count().max(1);
        if raw && c.get(1).map(|m| m.as_str()) != Some("endraw") {
            out.push_str(&body[whole]);
            continue;
        }
        if c.get(3).is_some() {
            // `{{ site.baseurl }}/x`: the path is the site's own now.
            continue;
        }
        let (tag, rest) = (&c[1], c.get(2).map_or("", |m| m.as_str()));
        match tag {
            "raw" => raw = true,
            "endraw" => raw = false,
            "link" => {
                out.push_str(super::body::REF);
                out.push_str(rest.trim());
            }
            "post_url" => {
                out.push_str(super::body::REF);
                out.push_str(&format!("_posts/{}", rest.trim()));
            }
            "include" if rest.starts_with("figure") => {
                let args = args(rest.trim_start_matches(|c: char| !c.is_whitespace()));
                let get = |k: &str| {
                    args.iter()
                        .find(|(n, _)| n.as_deref() == Some(k))
                        .map(|(_, v)| v.clone())
                };
                let src = get("src").or_else(|| get("image")).unwrap_or_default();
                out.push_str(&figure(&src, get("alt"), get("caption"), line, &mut notes));
            }
            _ => {
                out.push_str(&body[whole]);
                notes.push(msg!("import.liquid_kept", tag, line));
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
    fn liquid_becomes_markdown_or_stays_with_a_note() {
        let (out, notes) = liquid(
            "[a]({% link _posts/2024-03-01-atelier.md %}) [b]({% post_url 2024-03-01-atelier %})\n\
             ![x]({{ site.baseurl }}/assets/img/a.png)\n\
             {% include figure.html src=\"/a.jpg\" alt=\"A map\" caption=\"Sahel\" %}\n\
             {% raw %}{{ not liquid }} {% if x %}{% endraw %}\n{% if site.x %}y{% endif %}",
        );
        assert!(
            out.contains("[a](import-ref:_posts/2024-03-01-atelier.md)"),
            "{out}"
        );
        assert!(
            out.contains("[b](import-ref:_posts/2024-03-01-atelier)"),
            "{out}"
        );
        assert!(out.contains("![x](/assets/img/a.png)"), "{out}");
        assert!(out.contains("![A map](/a.jpg \"Sahel\")"), "{out}");
        assert!(out.contains("{{ not liquid }} {% if x %}\n"), "{out}");
        assert_eq!(notes.len(), 2, "{out}"); // `if` and `endif`
    }
}
