//! WordPress export files (WXR): posts and pages with their categories,
//! tags, featured pictures and old slugs; languages and translations as
//! Polylang records them (`language` and `post_translations` terms);
//! bodies as Markdown when nothing is lost, else as HTML; the pictures of
//! the uploads folder, where the export's addresses point.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use regex::{Captures, Regex};
use roxmltree::{Document, Node};

use super::common::{args, language_name, skipped};
use super::markdown::{Kept, convert};
use super::{Front, Language, Page, Read, Row};
use crate::diagnostics::Diagnostic;
use crate::messages::Message;

/// What the import keeps of an `<item>`.
#[derive(Debug, Default)]
struct Item {
    id: String,
    kind: String,
    status: String,
    title: String,
    link: String,
    slug: String,
    date: String,
    date_gmt: String,
    content: String,
    excerpt: String,
    /// (domain, nicename, label).
    terms: Vec<(String, String, String)>,
    meta: HashMap<String, String>,
    attachment_url: String,
    menu_order: i64,
    comments: usize,
}

impl Item {
    fn term(&self, domain: &str) -> Option<&str> {
        self.terms
            .iter()
            .find(|(d, _, _)| d == domain)
            .map(|(_, n, _)| n.as_str())
    }

    fn labels(&self, domain: &str) -> Vec<String> {
        self.terms
            .iter()
            .filter(|(d, _, _)| d == domain)
            .map(|(_, _, l)| l.clone())
            .collect()
    }

    /// `post 12 (atelier-regional-dakar)`: how the report names it.
    fn origin(&self) -> String {
        let name = if self.slug.is_empty() {
            &self.title
        } else {
            &self.slug
        };
        format!("{} {} ({name})", self.kind, self.id)
    }
}

/// Reads a WordPress export; pictures come from `uploads` (by default the
/// `uploads` folder beside the export).
pub fn read(source: &Path, uploads: Option<&Path>) -> Result<Read, Diagnostic> {
    let file = export_file(source)?;
    let text = std::fs::read_to_string(&file).map_err(|err| {
        Diagnostic::error(msg!(
            "import.unreadable",
            path = file.display(),
            error = err
        ))
    })?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = Document::parse_with_options(&text, options).map_err(|err| {
        Diagnostic::error(msg!("import.bad_xml", line = err.pos().row, error = err))
            .in_file(file.display().to_string())
    })?;
    let channel = doc
        .descendants()
        .find(|n| n.has_tag_name("channel"))
        .ok_or_else(|| {
            Diagnostic::error(msg!("import.not_wxr", path = file.display()))
                .with_help(msg!("import.not_wxr_help"))
        })?;
    let base = text_of(channel, "base_site_url")
        .or_else(|| text_of(channel, "link"))
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string();
    let items: Vec<Item> = channel
        .children()
        .filter(|n| n.has_tag_name("item"))
        .map(item)
        .collect();
    let languages = languages(channel, &items);
    let default_language = languages
        .first()
        .map_or_else(|| "en".to_string(), |l| l.code.clone());
    let uploads_dir = uploads
        .map(Path::to_path_buf)
        .or_else(|| file.parent().map(|p| p.join("uploads")));
    let context = Context {
        base: base.clone(),
        links: items
            .iter()
            .map(|i| (i.id.clone(), i.link.clone()))
            .collect(),
        attachments: items
            .iter()
            .filter(|i| i.kind == "attachment")
            .map(|i| {
                let alt = i
                    .meta
                    .get("_wp_attachment_image_alt")
                    .cloned()
                    .unwrap_or_default();
                // A picture not in the uploads folder stays at its old
                // address, so the page still shows it.
                let url = match upload(uploads_dir.as_deref(), &i.attachment_url) {
                    Some(_) => local_url(&base, &i.attachment_url),
                    None => i.attachment_url.clone(),
                };
                (i.id.clone(), (url, alt))
            })
            .collect(),
        uploads: uploads_dir.clone(),
    };
    let mut pages = Vec::new();
    let mut copies = Vec::new();
    let mut others = Vec::new();
    for item in &items {
        match (item.kind.as_str(), item.status.as_str()) {
            ("attachment", _) => match upload(uploads_dir.as_deref(), &item.attachment_url) {
                Some((abs, rest)) => copies.push((
                    abs,
                    item.origin(),
                    format!("static/wp-content/uploads/{rest}"),
                )),
                None => others.push(skipped(
                    item.origin(),
                    msg!("import.upload_missing", url = &item.attachment_url),
                )),
            },
            ("post" | "page", "trash" | "auto-draft" | "inherit") => {
                others.push(skipped(
                    item.origin(),
                    msg!("import.wp_status", status = &item.status),
                ));
            }
            ("post" | "page", _) => pages.push(page(item, &default_language, &context)),
            (kind, _) => others.push(skipped(item.origin(), msg!("import.wp_kind", kind))),
        }
    }
    others.push(Row {
        file: file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        result: super::Outcome::Imported,
        written: Some("config.toml".into()),
        notes: Vec::new(),
    });
    Ok(Read {
        base_url: format!("{base}/"),
        title: text_of(channel, "title").unwrap_or_default(),
        default_language,
        languages,
        taxonomies: vec!["categories".into(), "tags".into()],
        timezone: None,
        pages,
        copies,
        others,
        shared: Default::default(),
    })
}

/// The export file: `source` itself, or the one `.xml` file in it.
fn export_file(source: &Path) -> Result<PathBuf, Diagnostic> {
    if source.is_file() {
        return Ok(source.to_path_buf());
    }
    let xml: Vec<PathBuf> = std::fs::read_dir(source)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "xml"))
                .collect()
        })
        .unwrap_or_default();
    match xml.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(
            Diagnostic::error(msg!("import.not_wxr", path = source.display()))
                .with_help(msg!("import.not_wxr_help")),
        ),
    }
}

/// A child's text by local name (`wp:post_id` is `post_id`; the export's
/// version changes the namespace, not the name).
fn text_of(node: Node, name: &str) -> Option<String> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
        .map(|n| n.text().unwrap_or("").to_string())
}

fn item(node: Node) -> Item {
    let get = |name: &str| text_of(node, name).unwrap_or_default();
    let encoded = |ns: &str| {
        node.children()
            .find(|n| {
                n.is_element()
                    && n.tag_name().name() == "encoded"
                    && n.tag_name().namespace().is_some_and(|u| u.contains(ns))
            })
            .and_then(|n| n.text())
            .unwrap_or("")
            .to_string()
    };
    let terms = node
        .children()
        .filter(|n| n.has_tag_name("category"))
        .map(|n| {
            (
                n.attribute("domain").unwrap_or("category").to_string(),
                n.attribute("nicename").unwrap_or("").to_string(),
                n.text().unwrap_or("").to_string(),
            )
        })
        .collect();
    let meta = node
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "postmeta")
        .filter_map(|m| Some((text_of(m, "meta_key")?, text_of(m, "meta_value")?)))
        .collect();
    Item {
        id: get("post_id"),
        kind: get("post_type"),
        status: get("status"),
        title: get("title"),
        link: get("link"),
        slug: get("post_name"),
        date: get("post_date"),
        date_gmt: get("post_date_gmt"),
        content: encoded("content"),
        excerpt: encoded("excerpt"),
        terms,
        meta,
        attachment_url: get("attachment_url"),
        menu_order: get("menu_order").parse().unwrap_or(0),
        comments: node
            .children()
            .filter(|n| n.is_element() && n.tag_name().name() == "comment")
            .count(),
    }
}

/// Polylang's languages, the site's (`<language>`) first.
fn languages(channel: Node, items: &[Item]) -> Vec<Language> {
    let mut codes: Vec<(String, String)> = channel
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "term")
        .filter(|t| text_of(*t, "term_taxonomy").as_deref() == Some("language"))
        .filter_map(|t| Some((text_of(t, "term_slug")?, text_of(t, "term_name")?)))
        .collect();
    for item in items {
        if let Some(code) = item.term("language")
            && !codes.iter().any(|(c, _)| c == code)
        {
            codes.push((code.to_string(), language_name(code)));
        }
    }
    let site = text_of(channel, "language")
        .map(|l| l.split(['-', '_']).next().unwrap_or("").to_lowercase())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "en".into());
    if !codes.iter().any(|(c, _)| *c == site) {
        codes.push((site.clone(), language_name(&site)));
    }
    codes.sort_by_key(|(c, _)| *c != site);
    let title = text_of(channel, "title").unwrap_or_default();
    codes
        .into_iter()
        .map(|(code, name)| Language {
            code,
            name,
            title: title.clone(),
        })
        .collect()
}

/// What a body's links and pictures are read against.
struct Context {
    base: String,
    /// Post id → its address.
    links: HashMap<String, String>,
    /// Attachment id → its address in the new site, and its text
    /// alternative.
    attachments: HashMap<String, (String, String)>,
    /// Where uploaded files are read from.
    uploads: Option<PathBuf>,
}

/// An address of the old site as a path of the new one.
fn local_url(base: &str, url: &str) -> String {
    url.strip_prefix(base).map_or(url.to_string(), |rest| {
        if rest.starts_with('/') {
            rest.to_string()
        } else {
            format!("/{rest}")
        }
    })
}

/// The uploaded file an attachment's address names, in `uploads`: plain
/// names only, and a file that is inside that folder once links are
/// followed.
fn upload(uploads: Option<&Path>, url: &str) -> Option<(PathBuf, String)> {
    let rest = url.split("/wp-content/uploads/").nth(1)?;
    let rest = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()?
        .into_owned();
    if !super::write::inside(&rest) {
        return None;
    }
    let uploads = uploads?.canonicalize().ok()?;
    let path = uploads.join(&rest).canonicalize().ok()?;
    (path.starts_with(&uploads) && path.is_file()).then_some((path, rest))
}

fn page(item: &Item, default_language: &str, context: &Context) -> Page {
    let mut notes = Vec::new();
    let lang = item
        .term("language")
        .map(str::to_lowercase)
        .filter(|code| crate::load::lang::is_language_code(code))
        .unwrap_or_else(|| default_language.to_string());
    // WordPress keeps slugs percent-encoded; any of them may name a file.
    let decoded = percent_encoding::percent_decode_str(&item.slug).decode_utf8_lossy();
    let slug = [decoded.as_ref(), item.title.as_str()]
        .into_iter()
        .map(crate::load::slug::slugify)
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| format!("{}-{}", item.kind, item.id));
    let day = item.date.get(..10).unwrap_or("").to_string();
    let (dir, name) = if item.kind == "post" {
        let dated = if day.parse::<jiff::civil::Date>().is_ok() {
            format!("{day}-{slug}")
        } else {
            slug.clone()
        };
        ("posts".to_string(), dated)
    } else {
        (String::new(), slug.clone())
    };
    let mut front = Front {
        title: decode(&item.title),
        date: date(item),
        draft: item.status != "publish",
        taxonomies: [("categories", "category"), ("tags", "post_tag")]
            .into_iter()
            .map(|(name, domain)| (name.to_string(), item.labels(domain)))
            .filter(|(_, terms)| !terms.is_empty())
            .collect(),
        ..Front::default()
    };
    if front.date.is_none() && !item.date.is_empty() && !item.date.starts_with("0000") {
        notes.push(msg!("import.date_unread", written = &item.date));
    }
    if item.status == "private" {
        notes.push(msg!("import.wp_private"));
    }
    if item.kind == "page" && item.menu_order != 0 {
        front.weight = Some(item.menu_order);
    }
    let excerpt = strip_tags(&item.excerpt);
    if !excerpt.is_empty() {
        front.description = Some(excerpt);
    }
    if let Some((url, alt)) = item
        .meta
        .get("_thumbnail_id")
        .and_then(|id| context.attachments.get(id))
    {
        if url.starts_with("http") {
            notes.push(msg!("import.upload_left_out", url));
        } else {
            front.image = Some(url.clone());
            if alt.is_empty() {
                notes.push(msg!("import.image_no_alt"));
            } else {
                front.image_alt = Some(alt.clone());
            }
        }
    }
    let old = local_url(&context.base, &item.link);
    let old_urls = if old.contains('?') {
        Vec::new()
    } else {
        vec![old.clone()]
    };
    if let Some(old_slug) = item.meta.get("_wp_old_slug") {
        front.aliases.push(old.replacen(&item.slug, old_slug, 1));
    }
    if item.comments > 0 {
        notes.push(msg!("import.wp_comments", n = item.comments));
    }
    let body = body(&item.content, context, &mut notes);
    Page {
        origin: item.origin(),
        lang,
        dir,
        name,
        bundle: false,
        front,
        body,
        old_urls,
        key: item.term("post_translations").map(str::to_string),
        notes,
    }
}

/// The publication date: in UTC when the export gives it, else as the
/// site wrote it (a draft's UTC date is zeros).
fn date(item: &Item) -> Option<String> {
    // `2024-03-05 10:00:00`, split where WordPress writes it.
    let parts = |s: &str| -> Option<(String, String)> {
        let (day, time) = (s.get(..10)?, s.get(11..19)?);
        (!day.starts_with("0000")).then(|| (day.to_string(), time.to_string()))
    };
    let date = match (parts(&item.date_gmt), parts(&item.date)) {
        (Some((day, time)), _) => format!("{day}T{time}Z"),
        (None, Some((day, time))) => format!("{day}T{time}"),
        (None, None) => return None,
    };
    // What the export says must be a date TOML can hold.
    date.parse::<toml::value::Datetime>().ok().map(|_| date)
}

/// `&amp;` and the like in a title.
fn decode(text: &str) -> String {
    let numeric = Regex::new(r"&#(x[0-9a-fA-F]+|[0-9]+);").ok();
    let text = numeric.map_or(text.to_string(), |re| {
        re.replace_all(text, |c: &Captures| {
            let code = match c[1].strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => c[1].parse().ok(),
            };
            code.and_then(char::from_u32)
                .map_or(c[0].to_string(), |ch| ch.to_string())
        })
        .into_owned()
    });
    text.replace("&amp;", "&")
        .replace("&#039;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn strip_tags(html: &str) -> String {
    let re = Regex::new(r"<[^>]*>").ok();
    let text = re.map_or(html.to_string(), |re| re.replace_all(html, "").into_owned());
    decode(text.split_whitespace().collect::<Vec<_>>().join(" ").trim())
}

/// A post's content as Markdown (or HTML, when Markdown would lose
/// something): block comments out, shortcodes as HTML, the site's own
/// addresses as paths, paragraphs made as WordPress shows them.
fn body(content: &str, context: &Context, notes: &mut Vec<Message>) -> String {
    let blocks = Regex::new(r"<!--\s*/?wp:[^>]*-->\n?").ok();
    let mut html = blocks.map_or(content.to_string(), |re| {
        re.replace_all(content, "").into_owned()
    });
    html = shortcodes(&html, context, notes);
    // `?p=12` and `?page_id=5` addresses name posts by number.
    if let Ok(re) = Regex::new(r#"(?:https?://[^/"'\s]+)?/?\?(?:p|page_id)=(\d+)"#) {
        html = re
            .replace_all(&html, |c: &Captures| {
                context
                    .links
                    .get(&c[1])
                    .map_or(c[0].to_string(), |link| local_url(&context.base, link))
            })
            .into_owned();
    }
    // Pictures from the uploads folder are the new site's; one the folder
    // lacks is left out (its address would lead nowhere), with a note.
    let uploads = format!("{}/wp-content/uploads/", context.base);
    if let (Ok(img), Ok(src)) = (
        Regex::new(r"<img\b[^>]*>"),
        Regex::new(r#"\bsrc\s*=\s*["']([^"']*)["']"#),
    ) {
        html = img
            .replace_all(&html, |c: &Captures| {
                let url = src
                    .captures(&c[0])
                    .map_or("", |s| s.get(1).map_or("", |m| m.as_str()));
                if url.starts_with(&uploads) && upload(context.uploads.as_deref(), url).is_none() {
                    notes.push(msg!("import.upload_left_out", url));
                    String::new()
                } else {
                    c[0].to_string()
                }
            })
            .into_owned();
    }
    html = html.replace(&uploads, "/wp-content/uploads/");
    // The block editor writes its paragraphs; the classic editor leaves
    // them to WordPress, which makes them when it shows the post.
    let classic = !content.contains("<!-- wp:") && !content.contains("<p");
    let html = if classic { autop(&html) } else { html };
    match convert(&html) {
        Ok(markdown) => markdown,
        Err(Kept(what)) => {
            notes.push(msg!("import.kept_html", what));
            html
        }
    }
}

/// WordPress's `[caption]`, `[gallery]` and `[embed]` as HTML; any other
/// shortcode left as it is, with a note.
fn shortcodes(html: &str, context: &Context, notes: &mut Vec<Message>) -> String {
    let open = Regex::new(r"\[([a-z][a-z0-9_-]*)((?:\s[^\]]*)?)\]").expect("a valid pattern");
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(c) = open.captures_at(html, at) {
        let whole = c.get(0).map_or(at..at, |m| m.range());
        out.push_str(&html[at..whole.start]);
        let (name, attrs) = (&c[1], args(&c[2]));
        // Enclosing shortcodes hold text up to their closing tag.
        let close = format!("[/{name}]");
        let (inner, end) = match html[whole.end..].find(&close) {
            Some(i) if matches!(name, "caption" | "embed") => {
                (&html[whole.end..whole.end + i], whole.end + i + close.len())
            }
            _ => ("", whole.end),
        };
        let line = html[..whole.start].lines().count().max(1);
        match name {
            "caption" => {
                // `<img …> The caption text`.
                let (img, text) = match inner.find('>') {
                    Some(end) if inner.trim_start().starts_with("<img") => {
                        (&inner[..=end], inner[end + 1..].trim())
                    }
                    _ => (inner, ""),
                };
                out.push_str(&format!(
                    "<figure>{img}<figcaption>{text}</figcaption></figure>"
                ));
            }
            "gallery" => {
                let ids = attrs
                    .iter()
                    .find(|(k, _)| k.as_deref() == Some("ids"))
                    .map_or(String::new(), |(_, v)| v.clone());
                let pictures: Vec<String> = ids
                    .split(',')
                    .filter_map(|id| context.attachments.get(id.trim()))
                    .map(|(url, alt)| format!("<p><img src=\"{url}\" alt=\"{alt}\"></p>"))
                    .collect();
                out.push_str(&pictures.join("\n\n"));
            }
            "embed" => out.push_str(&format!("\n\n{}\n\n", inner.trim())),
            _ => {
                notes.push(msg!("import.shortcode_kept", name, line));
                out.push_str(&html[whole.clone()]);
            }
        }
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

/// Paragraphs as WordPress makes them from text written without tags:
/// blank lines between paragraphs, a line break inside one.
fn autop(html: &str) -> String {
    const BLOCKS: [&str; 12] = [
        "<p",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<ul",
        "<ol",
        "<blockquote",
        "<figure",
        "<table",
    ];
    let normalized = html.replace("\r\n", "\n");
    normalized
        .split("\n\n")
        .map(str::trim)
        .filter(|chunk| !chunk.is_empty())
        .map(|chunk| {
            let block = BLOCKS.iter().any(|b| chunk.starts_with(b))
                || chunk.starts_with("<div")
                || chunk.starts_with("<pre")
                || chunk.starts_with("<iframe");
            if block {
                chunk.to_string()
            } else {
                format!("<p>{}</p>", chunk.replace('\n', "<br>\n"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_and_galleries_become_figures() {
        let context = Context {
            base: "https://e.org".into(),
            uploads: None,
            links: HashMap::new(),
            attachments: [(
                "7".to_string(),
                ("/wp-content/uploads/a.png".to_string(), "A map".to_string()),
            )]
            .into_iter()
            .collect(),
        };
        let mut notes = Vec::new();
        let html = shortcodes(
            "[caption id=\"x\" width=\"3\"]<img src=\"/a.jpg\" alt=\"Hills\" /> Dakar[/caption]\n[gallery ids=\"7,8\"]\n[contact-form]",
            &context,
            &mut notes,
        );
        assert_eq!(
            html,
            "<figure><img src=\"/a.jpg\" alt=\"Hills\" /><figcaption>Dakar</figcaption></figure>\n<p><img src=\"/wp-content/uploads/a.png\" alt=\"A map\"></p>\n[contact-form]"
        );
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn titles_lose_their_entities() {
        assert_eq!(
            decode("L&#8217;atelier &amp; le &#x2014; bilan"),
            "L’atelier & le — bilan"
        );
    }

    #[test]
    fn text_without_tags_gets_paragraphs() {
        assert_eq!(
            autop("Un.\nDeux.\n\n<h2>T</h2>\n\nTrois."),
            "<p>Un.<br>\nDeux.</p>\n\n<h2>T</h2>\n\n<p>Trois.</p>"
        );
    }
}
