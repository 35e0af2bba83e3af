//! Links in an imported page's Markdown: a link to another imported page
//! — by its old address, or by the `import-ref:` an importer wrote for a
//! reference by file — becomes an `@/` link, which portail checks and
//! keeps right when addresses change. What cannot be followed is left as
//! written, with a note.

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::{Page, Targets, write::content_path};
use crate::messages::Message;

/// What an importer writes for a link to a content file (Hugo's `ref`).
pub const REF: &str = "import-ref:";

/// What links are resolved against.
pub struct Links<'a> {
    pub targets: &'a Targets,
    pub pages: &'a [Page],
    pub base_url: &'a str,
    /// A link to an address of another language leads to the linking
    /// page's language when the target has a version in it (Jekyll's
    /// Polyglot rewrites links so).
    pub follow_language: bool,
}

/// The page's body with its links rewritten, and notes on those that
/// could not be.
pub fn rewrite(page: &Page, links: &Links) -> (String, Vec<Message>) {
    let body = &page.body;
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut notes = Vec::new();
    let parser = Parser::new_ext(body, Options::all());
    for (span, dest) in parser
        .reference_definitions()
        .iter()
        .map(|(_, def)| (def.span.clone(), def.dest.to_string()))
        .collect::<Vec<_>>()
    {
        if let Found::Page(edit) = link(page, links, &dest, &mut notes)
            && let Some(at) = find_in(body, span.clone(), &dest)
        {
            edits.push((at, edit));
        }
    }
    for (event, span) in Parser::new_ext(body, Options::all()).into_offset_iter() {
        let (dest, is_link) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), true),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), false),
            _ => continue,
        };
        match link(page, links, &dest, &mut notes) {
            Found::Page(edit) => {
                if let Some(at) = find_in(body, span, &dest)
                    && !edits.iter().any(|(r, _)| r.start == at.start)
                {
                    edits.push((at, edit));
                }
            }
            // A link that `check` would call broken keeps its text.
            Found::Nothing if is_link => {
                if let Some(text) = link_text(body, span.clone(), &dest) {
                    edits.push((span, text));
                }
            }
            Found::Nothing | Found::Other => {}
        }
    }
    // A reference the Markdown parser did not see as a link (in raw HTML,
    // say) is still a reference by file.
    // A link around a picture that is itself a link: the outer edit
    // wins, the ones inside it are dropped.
    edits.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut kept: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for edit in edits {
        if kept.last().is_none_or(|(last, _)| edit.0.start >= last.end) {
            kept.push(edit);
        }
    }
    let mut out = body.clone();
    for (range, text) in kept.into_iter().rev() {
        out.replace_range(range, &text);
    }
    if out.contains(REF) {
        notes.push(msg!("import.ref_not_link"));
    }
    (out, notes)
}

/// What a link leads to.
enum Found {
    /// An imported page: its `@/` link.
    Page(String),
    /// A page of the site that was not imported.
    Nothing,
    /// Another site, a file, an anchor: left alone.
    Other,
}

/// The text of an inline link `[text](dest)`, without the link.
fn link_text(body: &str, span: std::ops::Range<usize>, dest: &str) -> Option<String> {
    let text = body.get(span)?;
    let end = text.rfind(&format!("]({dest}"))?;
    text.starts_with('[').then(|| text[1..end].to_string())
}

/// Where `dest` is written inside `span` (after the link text).
fn find_in(body: &str, span: std::ops::Range<usize>, dest: &str) -> Option<std::ops::Range<usize>> {
    let text = body.get(span.clone())?;
    let from = text.find("](").map_or(0, |i| i + 2);
    let at = text[from..].find(dest)? + from + span.start;
    Some(at..at + dest.len())
}

/// The `@/` link for `dest`, if it leads to an imported page.
fn link(page: &Page, links: &Links, dest: &str, notes: &mut Vec<Message>) -> Found {
    let Links {
        targets,
        pages,
        base_url,
        ..
    } = links;
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (dest, String::new()),
    };
    if let Some(reference) = path.strip_prefix(REF) {
        return match targets.by_content_path(pages, reference, &page.lang) {
            Some(at) => Found::Page(format!("{}{fragment}", at_link(page, &pages[at]))),
            None => {
                notes.push(msg!("import.ref_unknown", path = reference));
                Found::Nothing
            }
        };
    }
    let Some(local) = site_path(path, base_url) else {
        return Found::Other;
    };
    match targets.by_url(&local) {
        Some(at) => {
            let to = &pages[at];
            let own = (pages.iter()).find(|p| {
                links.follow_language && p.lang == page.lang && p.dir == to.dir && p.name == to.name
            });
            Found::Page(format!("{}{fragment}", at_link(page, own.unwrap_or(to))))
        }
        None => {
            // A file (`/files/report.pdf`) is published as it was.
            let last = local.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            if last.contains('.') {
                return Found::Other;
            }
            notes.push(msg!("import.link_unknown", url = dest));
            Found::Nothing
        }
    }
}

/// The path of a link into the site (`/fr/x/`, or the site's own full
/// address); `None` for another site, a mail address or a page's file.
fn site_path(path: &str, base_url: &str) -> Option<String> {
    let base = base_url.trim_end_matches('/');
    if !base.is_empty() {
        if let Some(rest) = path.strip_prefix(base) {
            return Some(if rest.is_empty() {
                "/".into()
            } else {
                rest.to_string()
            });
        }
        let bare = base.split_once("://").map_or(base, |(_, b)| b);
        if let Some(rest) = path.strip_prefix("//").and_then(|p| p.strip_prefix(bare)) {
            return Some(rest.to_string());
        }
    }
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_string())
}

/// `@/posts/x.md`, naming the language when it is not the linking page's.
fn at_link(from: &Page, to: &Page) -> String {
    let path = content_path(&to.dir, &to.name, &to.lang, to.bundle);
    let path = path.strip_prefix("content/").unwrap_or(&path);
    if from.lang == to.lang {
        let suffix = format!(".{}.md", to.lang);
        format!("@/{}.md", path.strip_suffix(&suffix).unwrap_or(path))
    } else {
        format!("@/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_into_the_site_are_paths() {
        let base = "https://example.org/";
        assert_eq!(site_path("/fr/x/", base).as_deref(), Some("/fr/x/"));
        assert_eq!(
            site_path("https://example.org/en/y/", base).as_deref(),
            Some("/en/y/")
        );
        assert_eq!(site_path("https://other.org/", base), None);
        assert_eq!(site_path("mailto:a@b.c", base), None);
        assert_eq!(site_path("photo.jpg", base), None);
    }
}
