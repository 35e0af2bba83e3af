//! `portail check`: the links of the rendered site, whatever wrote them
//! (Markdown links, `@/` links, raw HTML, templates), and every image and
//! document they reference, checked against the output before anything is
//! written; plus pages that lack a translation.

pub mod external_links;
mod html;
pub mod translations;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::page::Doc;
use crate::markdown::Rendered;
use crate::messages::Message;
use crate::output::{Content, OutputSet};
use crate::site::Site;

/// Stands for "some template" among the origins of links.
const TEMPLATES: &str = "(templates)";

/// The HTML pages of the output, sorted: (path, text, origin).
fn pages(set: &OutputSet) -> Vec<(&str, &str, &str)> {
    set.files
        .values()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| match &f.content {
            Content::Bytes(bytes) => std::str::from_utf8(bytes)
                .ok()
                .map(|html| (f.path.as_str(), html, f.origin.as_str())),
            _ => None,
        })
        .collect()
}

/// The links and anchors of every page of the output, read once for both
/// checks.
pub struct Scan<'a> {
    /// In page order, then in order on the page.
    links: Vec<Link<'a>>,
    /// Targets of `#anchors`, by page.
    anchors: BTreeMap<&'a str, BTreeSet<String>>,
}

/// Reads every HTML page of the output, pages in parallel.
pub fn scan(set: &OutputSet) -> Scan<'_> {
    let read: Vec<_> = pages(set)
        .into_par_iter()
        .map(|(page, text, origin)| {
            let refs = html::read(text);
            (page, origin, refs.urls, refs.ids.into_iter().collect())
        })
        .collect();
    let mut scan = Scan {
        links: Vec::with_capacity(read.iter().map(|(_, _, urls, _)| urls.len()).sum()),
        anchors: BTreeMap::new(),
    };
    for (page, origin, urls, ids) in read {
        let links = urls.into_iter().map(|href| Link { page, origin, href });
        scan.links.extend(links);
        scan.anchors.insert(page, ids);
    }
    scan
}

/// Source text by site-relative path.
fn sources(docs: &[Arc<Doc>]) -> BTreeMap<&str, &str> {
    docs.iter()
        .map(|d| (d.source.rel_path.as_str(), d.text.as_str()))
        .collect()
}

/// The file that wrote `link`: its page's source when the link is in it,
/// else some template ([`TEMPLATES`]). Asked only of the links reported,
/// since it searches the source.
fn written_by<'a>(link: &Link<'a>, sources: &BTreeMap<&str, &str>) -> &'a str {
    let in_source = sources
        .get(link.origin)
        .is_some_and(|text| span_of(text, &link.href).is_some());
    if in_source { link.origin } else { TEMPLATES }
}

struct Link<'a> {
    page: &'a str,
    /// The file the page was made from.
    origin: &'a str,
    href: String,
}

/// Problems found, one per link and origin: (origin, href) → (diagnostic
/// without location, pages it is on).
pub type Found = BTreeMap<(String, String), (Diagnostic, Vec<String>)>;

/// Checks every link of every HTML file of the output.
pub fn internal_links(
    root: &Path,
    scan: &Scan,
    set: &OutputSet,
    config: &Config,
    docs: &[Arc<Doc>],
) -> Diagnostics {
    let broken: Vec<(&Link, Message)> = scan
        .links
        .par_iter()
        .filter_map(|link| {
            let problem = problem(&link.href, link.page, config, set, &scan.anchors)?;
            Some((link, problem))
        })
        .collect();
    let mut found = Found::new();
    let sources = sources(docs);
    for (link, problem) in broken {
        found
            .entry((written_by(link, &sources).to_string(), link.href.clone()))
            .or_insert_with(|| {
                let shown = percent_encoding::percent_decode_str(&link.href).decode_utf8_lossy();
                (
                    Diagnostic::error(msg!("check.link", problem, href = shown)),
                    Vec::new(),
                )
            })
            .1
            .push(link.page.to_string());
    }
    locate(found, root, config, docs)
}

/// Links of Markdown bodies to pages or files the site does not publish:
/// warnings for `build` and `serve`, with the closest address (`check`
/// reports every link of every page, anchors too, as errors).
pub fn body_links(site: &Site, bodies: &[Arc<Rendered>], set: &OutputSet) -> Diagnostics {
    let config = &site.config;
    let no_anchors = BTreeMap::new();
    let mut addresses: Option<Vec<String>> = None;
    let mut warnings = Diagnostics::new();
    let placed = site.docs.iter().zip(site.placements.iter()).zip(bodies);
    for ((doc, placement), body) in placed {
        let page = format!("{}index.html", placement.url_path);
        for (href, span) in &body.plain_links {
            if problem(href, &page, config, set, &no_anchors).is_none() {
                continue;
            }
            // Every published address, once a link needs them.
            let addresses = addresses.get_or_insert_with(|| {
                set.files
                    .keys()
                    .map(|path| config.url_of(path.strip_suffix("index.html").unwrap_or(path)))
                    .collect()
            });
            let closest = crate::diagnostics::closest(href, addresses.iter().map(String::as_str));
            let help = match closest {
                Some(best) => msg!("check.body_link_closest", best),
                None => msg!("check.body_link_help"),
            };
            // At the address, when it is written as published.
            let at = doc
                .text
                .get(span.clone())
                .and_then(|written| written.rfind(href.as_str()));
            let span = at.map_or(span.clone(), |at| {
                span.start + at..span.start + at + href.len()
            });
            warnings.push(
                Diagnostic::warning(msg!("check.body_link", href))
                    .at_span(doc.source.rel_path.clone(), &doc.text, span)
                    .with_help(help),
            );
        }
    }
    warnings
}

/// The `http(s)://` links to other sites: URL → (origin, page) of each use.
pub fn external_urls(
    scan: &Scan,
    config: &Config,
    docs: &[Arc<Doc>],
) -> BTreeMap<String, Vec<(String, String)>> {
    let mut urls: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let sources = sources(docs);
    for link in &scan.links {
        let lower = link.href.to_ascii_lowercase();
        if (lower.starts_with("http://") || lower.starts_with("https://"))
            && !link.href.starts_with(config.base_url.as_str())
        {
            let url = link.href.split('#').next().unwrap_or("").to_string();
            urls.entry(url).or_default().push((
                written_by(link, &sources).to_string(),
                link.page.to_string(),
            ));
        }
    }
    urls
}

/// Places each problem where it is written: in the Markdown source (file,
/// line, column), or once at the template that writes it.
pub fn locate(found: Found, root: &Path, config: &Config, docs: &[Arc<Doc>]) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    for ((origin, href), (d, mut pages)) in found {
        pages.sort();
        pages.dedup();
        let where_ = match pages.as_slice() {
            [one] => msg!("check.in_page", page = one),
            [one, rest @ ..] => Message::count("check.in_pages", rest.len()).arg("page", one),
            [] => Message::raw(""),
        };
        let d = d.with_help(msg!("check.link_help", where_ = where_.clone()));
        if origin == TEMPLATES {
            let in_config = config.text.find(href.as_str()).map(|at| {
                (
                    "config.toml".to_string(),
                    config.text.clone(),
                    at..at + href.len(),
                )
            });
            diagnostics.push(
                match in_templates(root, &config.theme, &href).or(in_config) {
                    Some((file, text, span)) => d.at_span(file, &text, span),
                    None => d.with_help(msg!("check.template_link_help", where_)),
                },
            );
            continue;
        }
        let source = docs.iter().find(|doc| doc.source.rel_path == origin);
        let spans = source
            .map(|doc| spans_of(&doc.text, &href))
            .unwrap_or_default();
        match (source, spans.is_empty()) {
            (Some(doc), false) => {
                // Each time it is written, at its own line and column.
                for span in spans {
                    diagnostics.push(d.clone().at_span(origin.clone(), &doc.text, span));
                }
            }
            _ => diagnostics.push(d.in_file(origin)),
        }
    }
    diagnostics
}

/// What is wrong with a link found on `page`, if anything.
fn problem(
    href: &str,
    page: &str,
    config: &Config,
    set: &OutputSet,
    anchors: &BTreeMap<&str, BTreeSet<String>>,
) -> Option<Message> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    let local = if let Some(rest) = href.strip_prefix(config.base_url.as_str()) {
        config.url_of(rest)
    } else if lower.starts_with("//")
        || lower.contains(':') && !lower.starts_with('/') && {
            let scheme = lower.split(':').next().unwrap_or("");
            !scheme.contains(['/', '?', '#'])
        }
    {
        // Another site, or mailto:, tel:, data:…: not ours to check here.
        return None;
    } else {
        href.to_string()
    };
    let (rest, fragment) = match local.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (local.as_str(), None),
    };
    let rest = rest.split('?').next().unwrap_or("");
    let target = if rest.is_empty() {
        page.to_string()
    } else {
        let absolute = if let Some(path) = rest.strip_prefix('/') {
            let path = format!("/{path}");
            // `/portal` is the home of a site under `/portal/`.
            let path = if format!("{path}/") == config.base_path {
                config.base_path.clone()
            } else {
                path
            };
            match path.strip_prefix(config.base_path.as_str()) {
                Some(inside) => inside.to_string(),
                None => return Some(msg!("check.outside_base_path")),
            }
        } else {
            let dir = page.rsplit_once('/').map_or("", |(dir, _)| dir);
            format!("{dir}/{rest}")
        };
        let decoded = percent_encoding::percent_decode_str(&absolute)
            .decode_utf8_lossy()
            .into_owned();
        normalise(&decoded)
    };
    let file = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else {
        target
    };
    let file = if set.files.contains_key(&file) {
        file
    } else if set.files.contains_key(&format!("{file}/index.html")) {
        format!("{file}/index.html")
    } else {
        return Some(msg!("check.missing_page"));
    };
    match (fragment, anchors.get(file.as_str())) {
        // `#top` is the top of any page for browsers.
        (Some(fragment), Some(ids)) if !fragment.is_empty() && fragment != "top" => {
            let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
            if ids.contains(fragment.as_ref()) {
                return None;
            }
            // `#les-détails` for the heading « Les détails », whose id is `les-details`.
            Some(
                match crate::diagnostics::closest(&fragment, ids.iter().map(String::as_str)) {
                    Some(best) => msg!("check.missing_anchor_closest", best),
                    None => msg!("check.missing_anchor"),
                },
            )
        }
        _ => None,
    }
}

/// Resolves `.` and `..`; like browsers, `..` at the root stays there.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    out
}

/// Where the source holds the link: every place the address is written
/// whole (as published or percent-decoded, `#les-détails`), else the first
/// place of its anchor or its last segment.
fn spans_of(text: &str, href: &str) -> Vec<std::ops::Range<usize>> {
    let decoded = percent_encoding::percent_decode_str(href)
        .decode_utf8_lossy()
        .into_owned();
    let mut found: Vec<_> = occurrences(text, href).collect();
    if decoded != href {
        found.extend(occurrences(text, &decoded));
    }
    if found.is_empty() {
        return span_of(text, href).into_iter().collect();
    }
    found.sort_by_key(|span| span.start);
    found
}

/// The places `needle` is written as a whole address: not inside a longer one.
fn occurrences<'a>(
    text: &'a str,
    needle: &'a str,
) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
    let boundary = |c: Option<char>| {
        c.is_none_or(|c| {
            c.is_whitespace() || matches!(c, '(' | ')' | '"' | '\'' | '<' | '>' | '[' | ']')
        })
    };
    text.match_indices(needle)
        .map(move |(at, _)| at..at + needle.len())
        .filter(move |span| {
            boundary(text[..span.start].chars().next_back())
                && boundary(text[span.end..].chars().next())
        })
}

/// Where the source holds the link (or its anchor, or its last segment):
/// the byte range of the first match.
fn span_of(text: &str, href: &str) -> Option<std::ops::Range<usize>> {
    let fragment = href.split_once('#').map(|(_, f)| format!("#{f}"));
    let last = href
        .split(['#', '?'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let whole = Some(href.to_string()).filter(|h| !h.is_empty());
    [whole, fragment, last]
        .into_iter()
        .flatten()
        .find_map(|needle| text.find(&needle).map(|at| at..at + needle.len()))
}

/// The site's template (or site theme's template) that writes `href`.
fn in_templates(
    root: &Path,
    theme: &str,
    href: &str,
) -> Option<(String, String, std::ops::Range<usize>)> {
    let folders = [
        root.join("templates"),
        root.join("themes").join(theme).join("templates"),
    ];
    folders.iter().find_map(|folder| {
        walkdir::WalkDir::new(folder)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .find_map(|entry| {
                let text = std::fs::read_to_string(entry.path()).ok()?;
                let at = text.find(href)?;
                let rel = entry.path().strip_prefix(root).ok()?;
                let rel = crate::load::source::slash_path(rel);
                Some((rel, text, at..at + href.len()))
            })
    })
}

/// Pages and sections that have no version in some language.
/// Files that a near name pairs are left to that warning (`site::pairs`).
pub fn missing_translations(docs: &[Arc<Doc>], config: &Config) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let paired: Vec<String> = crate::site::pairs::near_pairs(docs, config.language_codes().count())
        .into_iter()
        .flat_map(|pair| [pair.first, pair.second])
        .collect();
    for group in crate::check::translations::status(docs, config) {
        let missing: Vec<&str> = group
            .languages
            .iter()
            .filter(|(_, l)| l.status == crate::check::translations::Status::Missing)
            .map(|(lang, _)| lang.as_str())
            .collect();
        let Some(file) = group.languages.values().find_map(|l| l.file.clone()) else {
            continue;
        };
        if missing.is_empty() || paired.contains(&file) {
            continue;
        }
        let names: Vec<String> = missing
            .iter()
            .map(|code| {
                config
                    .language(code)
                    .map_or(code.to_string(), |l| l.name.clone())
            })
            .collect();
        diagnostics.push(
            Diagnostic::warning(msg!("check.no_translation", languages = names.join(", ")))
                .in_file(file)
                .with_help(msg!("check.no_translation_help")),
        );
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_like_browsers_do() {
        assert_eq!(normalise("fr/a/../b/"), "fr/b/");
        assert_eq!(normalise("fr/./b"), "fr/b");
        assert_eq!(normalise("fr/../../x"), "x");
    }

    #[test]
    fn finds_where_the_source_has_the_link() {
        let text = "+++\ntitle = \"x\"\n+++\n\nVoir [ici](../autre/#partie).\n";
        let at = text.find("../autre").unwrap();
        assert_eq!(span_of(text, "../autre/#partie"), Some(at..at + 16));
        // Written as an @/ link: found by its anchor.
        let at = text.find("#partie").unwrap();
        assert_eq!(
            span_of(text, "/fr/actualites/elsewhere/#partie"),
            Some(at..at + 7)
        );
        assert_eq!(span_of(text, "/nothing/"), None);
    }
}
