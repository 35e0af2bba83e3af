//! Stage `render_markdown`: a doc's Markdown body becomes HTML, with heading
//! anchors, resolved `@/` links, base-path-aware absolute links, highlighted
//! code and a summary.

mod highlight;

pub use highlight::{CLASS_STYLE, stylesheet};

use std::collections::BTreeSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links;
use crate::site::{DocId, Site};
use crate::slug::slugify;

/// The marker that ends a page's summary.
pub const MORE_MARKER: &str = "<!-- more -->";

/// A heading of the page, for tables of contents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// The HTML of one doc.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// The part before `<!-- more -->`, if the page has one.
    pub summary: Option<String>,
    pub headings: Vec<Heading>,
}

/// Renders every doc in parallel; the result is indexed like `site.docs`.
pub fn render_all(site: &Site) -> Result<Vec<Rendered>, Diagnostics> {
    let results: Vec<Result<Rendered, Vec<Diagnostic>>> = site
        .doc_ids()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|id| render(site, id))
        .collect();
    let mut diagnostics = Diagnostics::new();
    let mut rendered = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(r) => rendered.push(r),
            Err(errors) => diagnostics.extend(errors),
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(rendered)
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders one doc's body.
pub fn render(site: &Site, id: DocId) -> Result<Rendered, Vec<Diagnostic>> {
    let doc = site.doc(id);
    let body = doc.body();
    let lang = doc.source.lang.as_str();
    let mut errors = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut headings = Vec::new();
    let mut ids = BTreeSet::new();
    let mut more_at = None;
    let mut parser = Parser::new_ext(body, options()).into_offset_iter();

    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                    match rewrite_url(site, dest_url, lang) {
                        Ok(dest) => *dest_url = dest.into(),
                        Err(err) => {
                            let span = doc.body_offset + range.start..doc.body_offset + range.end;
                            errors.push(
                                Diagnostic::error(err.message)
                                    .at_span(doc.source.rel_path.clone(), &doc.text, span)
                                    .with_help(err.help),
                            );
                        }
                    }
                }
                events.push(Event::Start(tag));
            }
            Event::Start(Tag::Heading {
                level,
                id: given,
                classes,
                attrs,
            }) => {
                let mut inner = Vec::new();
                let mut text = String::new();
                for (event, _) in parser.by_ref() {
                    match &event {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                    inner.push(event);
                }
                let base = given
                    .map(|g| g.to_string())
                    .unwrap_or_else(|| slugify(&text));
                let anchor = unique_id(
                    if base.is_empty() {
                        "section".to_string()
                    } else {
                        base
                    },
                    &mut ids,
                );
                headings.push(Heading {
                    level: level as u8,
                    id: anchor.clone(),
                    title: text,
                });
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(anchor.into()),
                    classes,
                    attrs,
                }));
                events.extend(inner);
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang_tag = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for (event, _) in parser.by_ref() {
                    match event {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                events.push(Event::Html(highlight::code_block(&code, &lang_tag).into()));
            }
            Event::Html(ref html) if more_at.is_none() && html.trim() == MORE_MARKER => {
                more_at = Some(events.len());
            }
            other => events.push(other),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let summary = more_at.map(|at| to_html(&events[..at]));
    Ok(Rendered {
        html: to_html(&events),
        summary,
        headings,
    })
}

fn to_html(events: &[Event]) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    html
}

fn unique_id(base: String, ids: &mut BTreeSet<String>) -> String {
    let mut candidate = base.clone();
    let mut n = 1;
    while ids.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    ids.insert(candidate.clone());
    candidate
}

/// `@/…` links resolve to the doc's URL; root-relative links get the base
/// path so the site works below a sub-path. Anything else is left alone.
fn rewrite_url(site: &Site, url: &CowStr, lang: &str) -> Result<String, links::LinkError> {
    if let Some(target) = url.strip_prefix("@/") {
        let (id, anchor) = links::resolve(site, target, lang)?;
        return Ok(format!("{}{anchor}", site.url(id)));
    }
    if let Some(rest) = url.strip_prefix('/')
        && !rest.starts_with('/')
    {
        return Ok(format!("{}{rest}", site.config.base_path));
    }
    Ok(url.to_string())
}
