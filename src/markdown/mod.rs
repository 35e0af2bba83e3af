//! Stage `render_markdown`: a doc's Markdown body becomes HTML, with heading
//! anchors, resolved `@/` links, base-path-aware absolute links, highlighted
//! code and a summary.

mod highlight;
pub mod links;
mod nesting;
mod sanitize;
pub mod typography;
mod video;

pub use highlight::{CLASS_STYLE, stylesheet};

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::i18n::Strings;
use crate::load::page::Doc;
use crate::load::slug::slugify;
use crate::memo::{self, Recall};
use crate::site::{DocId, Site, SiteRead, Unchanged};
use typography::{French, NBSP};

use crate::messages::Message;
use crate::pictures::{self, Kind, Picture, Pictures};

/// The marker that ends a page's summary.
pub const MORE_MARKER: &str = "<!-- more -->";

/// A heading of the page, for tables of contents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A page's own picture: for the page and its cards, for share previews,
/// and what it shows (`image_alt`).
#[derive(Debug, Clone)]
pub struct Lead {
    pub picture: Arc<Picture>,
    pub share: Arc<Picture>,
    pub alt: String,
}

/// The HTML of one doc.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// The part before `<!-- more -->`, if the page has one.
    pub summary: Option<String>,
    pub headings: Vec<Heading>,
    /// The text without markup, for the search index.
    pub text: String,
    /// Problems worth telling the author that do not stop the build
    /// (an image without a text alternative).
    pub warnings: Vec<Diagnostic>,
    /// Each `@/` link as written (after `@/`) and the URL it led to: the
    /// only thing a body reads of other docs.
    pub links: Vec<(String, String)>,
    /// The other links of its Markdown (`/fr/page/`, `rapport.pdf`) and
    /// where each is written in the file: checked against the output once
    /// it is known (see `check::body_links`).
    pub plain_links: Vec<(String, Range<usize>)>,
    /// The local pictures it shows, by their file (site-relative): their
    /// files are published with the site.
    pub pictures: Vec<(String, Arc<Picture>)>,
    /// The page's own picture (`image` in its front matter).
    pub lead: Option<Lead>,
    /// [`Self::digest`], worked out once for the bodies a memo keeps.
    digest: Option<memo::Key>,
}

impl Rendered {
    /// A hash of what templates see of it: HTML, summary, headings.
    pub fn digest(&self) -> memo::Key {
        self.digest.unwrap_or_else(|| {
            let mut digest = memo::hasher();
            (&self.html, &self.summary, format!("{:?}", self.headings)).hash(&mut digest);
            let lead = self.lead.as_ref();
            let first = |p: &Arc<Picture>| p.variants.first().map(|v| v.path.clone());
            lead.map(|l| (first(&l.picture), first(&l.share), &l.alt))
                .hash(&mut digest);
            digest.key()
        })
    }
}

/// Renders every doc in parallel; the result is indexed like `site.docs`.
/// A doc whose text is as in the last build, and whose `@/` links lead
/// where they did, keeps its HTML from `memo` (or, when it is `unchanged`,
/// from the bodies of the build before, without a look).
pub fn render_all(
    site: &Site,
    strings: &Strings,
    pictures: &Pictures,
    memo: &Recall<Arc<Rendered>>,
    unchanged: Option<(&Unchanged, &[Arc<Rendered>])>,
) -> Result<Vec<Arc<Rendered>>, Diagnostics> {
    if let Some((unchanged, _)) = unchanged {
        memo.carry_previous();
        memo.count_reused(site.docs.len() - unchanged.changed());
    }
    let results: Vec<Result<Arc<Rendered>, Vec<Diagnostic>>> = site
        .doc_ids()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|id| {
            if let Some((_, before)) = unchanged.filter(|(u, _)| u.same(id)) {
                return Ok(Arc::clone(&before[id.0]));
            }
            let doc = site.doc(id);
            let key = || memo::key_of(&(&doc.source.rel_path, doc.text_hash));
            let still = |body: &Arc<Rendered>| links_lead_where_they_did(site, doc, body);
            // A body kept for the next build is hashed once, now.
            let kept = |mut body: Rendered| {
                body.digest = memo.remembers().then(|| body.digest());
                Arc::new(body)
            };
            let render = || render(site, id, strings, pictures).map(kept);
            memo.get_valid(key, still, render)
        })
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

/// Whether each `@/` link of `body` still leads where it did.
fn links_lead_where_they_did(site: &Site, doc: &Doc, body: &Rendered) -> bool {
    body.links.iter().all(|(target, url)| {
        links::resolve(site, target, &doc.source.lang)
            .is_ok_and(|(id, anchor)| url.strip_prefix(&site.url(id)) == Some(anchor))
    })
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders one doc's body, in one pass over its events (the pass's state:
/// links, anchors, typography, the summary's end, the alt check).
pub fn render(
    site: &Site,
    id: DocId,
    strings: &Strings,
    pictures: &Pictures,
) -> Result<Rendered, Vec<Diagnostic>> {
    let doc = site.doc(id);
    let mut shown = Shown {
        site,
        doc,
        pictures,
        used: Vec::new(),
        in_body: 0,
        warnings: Vec::new(),
        weights: Vec::new(),
    };
    let mut links = LinkRewriter {
        site,
        doc,
        errors: Vec::new(),
        resolved: Vec::new(),
        plain: Vec::new(),
    };
    let mut events: Vec<Event> = Vec::new();
    let mut headings = Vec::new();
    let mut anchors = Anchors::default();
    let mut more_at = None;
    // Nesting of containers; `<!-- more -->` counts only outside them, so
    // the summary never ends inside an open list or quote.
    let mut depth = 0usize;
    let mut parser = nesting::Bounded::new(
        Parser::new_ext(doc.body(), options()).into_offset_iter(),
        site.config.markdown.safe,
    );
    let mut typography = Typesetter::for_language(site, &doc.source.lang);

    let lead = shown.lead();
    let mut alts = AltCheck {
        doc,
        image: None,
        warnings: Vec::new(),
    };
    while let Some((event, range)) = parser.next() {
        alts.follow(&event, &range);
        if let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &event
            && let Some(file) = shown.local(dest_url)
        {
            let alt = image_alt(&mut parser, &mut alts);
            match shown.picture(&file, &alt, title, &range) {
                Ok(html) => typography.push(&mut events, Event::InlineHtml(html.into())),
                Err(error) => links.errors.push(error),
            }
            continue;
        }
        if let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &event
            && video::is_local_video(dest_url)
        {
            let alt = image_alt(&mut parser, &mut alts);
            let src = links
                .target(dest_url, &range)
                .unwrap_or(dest_url.to_string());
            match shown.video(dest_url, &src, &alt, title, &range) {
                Ok(html) => events.push(Event::InlineHtml(html.into())),
                Err(error) => links.errors.push(error),
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id: given,
                classes,
                attrs,
            }) => {
                if let Some(t) = typography.french.as_mut() {
                    t.reset();
                }
                let (inner, text) = heading_content(&mut parser, &mut typography, &mut links);
                let base = given
                    .map(|g| g.to_string())
                    .unwrap_or_else(|| slugify(&text));
                let anchor = anchors.unique(if base.is_empty() {
                    "section".to_string()
                } else {
                    base
                });
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
                events.push(Event::Html(code_block(&mut parser, &kind).into()));
            }
            Event::Html(ref html)
                if more_at.is_none() && depth == 1 && html.trim() == MORE_MARKER =>
            {
                // The marker is alone in an HTML block: cut before that block.
                more_at = Some(events.len() - 1);
            }
            Event::TaskListMarker(done) => {
                events.push(Event::InlineHtml(task_box(site, doc, strings, done).into()));
            }
            Event::Start(Tag::HtmlBlock) => {
                depth += 1;
                events.push(Event::Start(Tag::HtmlBlock));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                depth += 1;
                events.push(Event::Html(callout_start(site, doc, strings, kind).into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                depth = depth.saturating_sub(1);
                events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(tag) => {
                depth += 1;
                typography.push(&mut events, links.rewrite(Event::Start(tag), range));
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                typography.push(&mut events, Event::End(end));
            }
            other => typography.push(&mut events, links.rewrite(other, range)),
        }
    }
    if let Some(at) = parser.too_deep_at() {
        let span = doc.body_offset + at..doc.body_offset + at + 1;
        return Err(vec![
            Diagnostic::error(msg!("markdown.too_deep", max = nesting::MAX_DEPTH))
                .at_span(doc.source.rel_path.clone(), &doc.text, span)
                .with_help(msg!("markdown.too_deep_help")),
        ]);
    }
    let lead = match lead {
        Ok(lead) => lead,
        Err(error) => {
            links.errors.push(error);
            None
        }
    };
    if !links.errors.is_empty() {
        return Err(links.errors);
    }
    // Less trusted authors: nothing in the HTML may run (`[markdown] safe`).
    let finish = |html: String| {
        if site.config.markdown.safe {
            sanitize::clean(&html)
        } else {
            html
        }
    };
    let play = |title: &str| play_label(site, doc, strings, title);
    // A video without a picture of its own shows the page's (decorative:
    // the label says what the link does).
    let poster = lead.as_ref().map(|lead| {
        let url_of = |path: &str| site.config.url_of(path);
        pictures::html(&lead.picture, "", url_of, pictures::SIZES, false)
    });
    let videos = video::Videos {
        untitled: &doc.front_matter.title,
        poster: poster.as_deref(),
        label: play,
    };
    let summary = more_at.map(|at| {
        let mut summary = without_heading_ids(&events[..at]);
        videos.place(&mut summary);
        place_figures(&mut summary);
        finish(to_html(&summary))
    });
    videos.place(&mut events);
    place_figures(&mut events);
    let html = finish(to_html(&events));
    shown.weigh(html.len());
    Ok(Rendered {
        text: plain_text(&events),
        html,
        summary,
        headings,
        warnings: alts.warnings.into_iter().chain(shown.warnings).collect(),
        links: links.resolved,
        plain_links: links.plain,
        pictures: shown.used,
        lead,
        digest: None,
    })
}

/// An image's text alternative, up to its end.
fn image_alt<'a>(
    parser: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    alts: &mut AltCheck,
) -> String {
    let mut alt = String::new();
    for (event, range) in parser {
        alts.follow(&event, &range);
        match event {
            Event::End(TagEnd::Image) => break,
            Event::Text(t) | Event::Code(t) => alt.push_str(&t),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    alt
}

/// The local pictures of a body, processed as they come.
struct Shown<'a> {
    site: &'a Site,
    doc: &'a crate::load::page::Doc,
    pictures: &'a Pictures,
    used: Vec<(String, Arc<Picture>)>,
    /// How many pictures the body showed so far.
    in_body: usize,
    /// Originals worth making lighter.
    warnings: Vec<Diagnostic>,
    /// What each picture weighs as a wide screen loads it, and where it
    /// is written.
    weights: Vec<(u64, Range<usize>)>,
}

impl Shown<'_> {
    /// The file of an image's address, if it is a local picture.
    fn local(&self, url: &str) -> Option<std::path::PathBuf> {
        let source = &self.doc.source;
        pictures::source_file(&source.rel_path, &source.abs_path, url)
    }

    /// The markup of the video written `url` (at `src` in the page),
    /// with the captions beside it; its file must exist.
    fn video(
        &self,
        url: &str,
        src: &str,
        alt: &str,
        title: &str,
        range: &Range<usize>,
    ) -> Result<String, Diagnostic> {
        let (doc, config) = (self.doc, &self.site.config);
        let file = pictures::local_file(&doc.source.rel_path, &doc.source.abs_path, url);
        let Some(file) = file.filter(|f| f.is_file()) else {
            let span = doc.body_offset + range.start..doc.body_offset + range.end;
            return Err(
                Diagnostic::error(msg!("markdown.video_missing", file = url))
                    .at_span(doc.source.rel_path.clone(), &doc.text, span)
                    .with_help(msg!("markdown.image_missing_help")),
            );
        };
        let languages: Vec<(String, String)> = (config.languages.iter())
            .map(|l| (l.code.clone(), l.name.clone()))
            .collect();
        let tracks = video::tracks(&file, src, &doc.source.lang, &languages);
        Ok(video::local(src, alt, title, &tracks))
    }

    /// The markup of the picture in `file` (the image at `range`).
    /// The page's own picture, when its front matter names one (a
    /// translation that inherits it leaves the errors to the page it
    /// inherits from).
    fn lead(&mut self) -> Result<Option<Lead>, Diagnostic> {
        let doc = self.doc;
        let Some((path, spot)) = &doc.front_matter.image else {
            return Ok(None);
        };
        let own = doc.front_matter.spans.contains_key("image");
        let error = |message| {
            Diagnostic::error(message).at_span(
                doc.source.rel_path.clone(),
                &doc.text,
                spot.span.clone(),
            )
        };
        let Some(file) = self.local(path) else {
            return match own {
                true => Err(error(msg!("markdown.lead_not_raster", path))
                    .with_help(msg!("markdown.lead_not_raster_help"))),
                false => Ok(None),
            };
        };
        let made = self.get(&file, Kind::Widths);
        match made.and_then(|picture| Ok((picture, self.get(&file, Kind::Share)?))) {
            Ok((picture, share)) => {
                let alt = doc.front_matter.image_alt.clone().unwrap_or_default();
                // Where to tell: the `image` line, else (it is inherited)
                // the start of the file.
                let span = if own { spot.span.clone() } else { 0..3 };
                if alt.trim().is_empty() {
                    let warning = Diagnostic::warning(msg!("markdown.lead_without_alt"))
                        .at_span(doc.source.rel_path.clone(), &doc.text, span.clone())
                        .with_help(msg!("markdown.lead_without_alt_help"));
                    self.warnings.push(warning);
                }
                self.weights.push((picture.weight(), span.clone()));
                if own {
                    self.warn_if_heavy(&picture, span);
                }
                Ok(Some(Lead {
                    picture,
                    share,
                    alt,
                }))
            }
            Err(problem) if own => Err(self.problem(problem, &file, error)),
            Err(_) => Ok(None),
        }
    }

    /// A warning when the original is heavier or larger than the settings
    /// find reasonable.
    fn warn_if_heavy(&mut self, picture: &Picture, span: Range<usize>) {
        if !picture.oversized(self.pictures.settings()) {
            return;
        }
        let doc = self.doc;
        let (bytes, width, height) = picture.original;
        let size = format!("{:.1}", bytes as f64 / 1_000_000.0);
        let warning = Diagnostic::warning(msg!("markdown.image_heavy", size, width, height))
            .at_span(doc.source.rel_path.clone(), &doc.text, span)
            .with_help(msg!("markdown.image_heavy_help"));
        self.warnings.push(warning);
    }

    /// A warning, at its heaviest picture, when the page with `html` bytes
    /// and its pictures weighs more than the budget of `[images]`.
    fn weigh(&mut self, html: usize) {
        let budget = self.pictures.settings().page_budget_kb * 1000;
        let total = html as u64 + self.weights.iter().map(|(w, _)| w).sum::<u64>();
        // The first of the heaviest (`max_by_key` gives the last).
        let heaviest = self.weights.iter().rev().max_by_key(|(w, _)| *w);
        let (Some((_, span)), true) = (heaviest, total > budget) else {
            return;
        };
        let doc = self.doc;
        let kb = |bytes: u64| (bytes + 500) / 1000;
        let warning = Diagnostic::warning(msg!(
            "markdown.page_heavy",
            weight = kb(total),
            budget = kb(budget),
            pictures = self.weights.len()
        ))
        .at_span(doc.source.rel_path.clone(), &doc.text, span.clone())
        .with_help(msg!("markdown.page_heavy_help"));
        self.warnings.push(warning);
    }

    /// The picture in `file`, kept among those the body shows.
    fn get(
        &mut self,
        file: &std::path::Path,
        kind: Kind,
    ) -> Result<Arc<Picture>, pictures::Problem> {
        let picture = self.pictures.get(file, kind)?;
        let doc = self.doc;
        let root = pictures::site_root(&doc.source.rel_path, &doc.source.abs_path);
        let relative = root.and_then(|root| file.strip_prefix(root).ok());
        let shown = file.display().to_string();
        let name = relative.map_or(shown, |r| r.to_string_lossy().replace('\\', "/"));
        self.used.push((name, Arc::clone(&picture)));
        Ok(picture)
    }

    /// The error for a picture that could not be processed.
    fn problem(
        &self,
        problem: pictures::Problem,
        file: &std::path::Path,
        error: impl Fn(Message) -> Diagnostic,
    ) -> Diagnostic {
        problem.diagnostic(&file.display().to_string(), error)
    }

    /// A title makes it a figure, the title its caption.
    fn picture(
        &mut self,
        file: &std::path::Path,
        alt: &str,
        title: &str,
        range: &Range<usize>,
    ) -> Result<String, Diagnostic> {
        let doc = self.doc;
        let span = doc.body_offset + range.start..doc.body_offset + range.end;
        let error = |message| {
            Diagnostic::error(message).at_span(doc.source.rel_path.clone(), &doc.text, span.clone())
        };
        let first = self.in_body == 0;
        self.in_body += 1;
        let picture = self
            .get(file, Kind::Widths)
            .map_err(|problem| self.problem(problem, file, error))?;
        self.warn_if_heavy(&picture, span.clone());
        self.weights.push((picture.weight(), span.clone()));
        let config = &self.site.config;
        let url_of = |path: &str| config.url_of(path);
        let html = pictures::html(&picture, alt, url_of, pictures::SIZES, first);
        Ok(match title.trim() {
            "" => html,
            caption => format!(
                "{FIGURE}{html}<figcaption>{}</figcaption></figure>",
                crate::escape::html(caption)
            ),
        })
    }
}

/// The start of a callout (`> [!NOTE]` and its kin): a note with its
/// label, in the page's language.
fn callout_start(
    site: &Site,
    doc: &crate::load::page::Doc,
    strings: &Strings,
    kind: pulldown_cmark::BlockQuoteKind,
) -> String {
    use pulldown_cmark::BlockQuoteKind as Kind;
    let name = match kind {
        Kind::Note => "note",
        Kind::Tip => "tip",
        Kind::Important => "important",
        Kind::Warning => "warning",
        Kind::Caution => "caution",
    };
    let key = format!("callout_{name}");
    let label = strings
        .get(&doc.source.lang, &key)
        .or_else(|_| strings.get(&site.config.default_language, &key))
        .unwrap_or(name);
    format!(
        "<div class=\"callout callout-{name}\" role=\"note\">\n<p class=\"callout-label\">{}</p>\n",
        crate::escape::html(label)
    )
}

/// "Play: title", in the page's language.
fn play_label(site: &Site, doc: &crate::load::page::Doc, strings: &Strings, title: &str) -> String {
    let key = "video_play";
    let label = (strings.get(&doc.source.lang, key))
        .or_else(|_| strings.get(&site.config.default_language, key))
        .unwrap_or("Play: {title}");
    label.replace("{title}", title)
}

/// A figure alone in its paragraph stands in the paragraph's place; one
/// among words stays a picture without its caption (a `<figure>` cannot
/// be inside a `<p>`).
fn place_figures(events: &mut Vec<Event>) {
    let figure = |e: &Event| matches!(e, Event::InlineHtml(h) if h.starts_with(FIGURE));
    let mut at = 0;
    while at < events.len() {
        if figure(&events[at]) {
            let alone = at > 0
                && matches!(events[at - 1], Event::Start(Tag::Paragraph))
                && matches!(events.get(at + 1), Some(Event::End(TagEnd::Paragraph)));
            let Event::InlineHtml(html) = &events[at] else {
                unreachable!("matched above")
            };
            if alone {
                let block = Event::Html(format!("{html}\n").into());
                events.splice(at - 1..at + 2, [block]);
                at -= 1;
            } else {
                let picture = html.trim_start_matches(FIGURE);
                let picture = picture.split("<figcaption>").next().unwrap_or(picture);
                events[at] = Event::InlineHtml(picture.to_string().into());
            }
        }
        at += 1;
    }
}

const FIGURE: &str = "<figure>";

/// A task's box, which says whether it is done, also to screen readers.
fn task_box(site: &Site, doc: &crate::load::page::Doc, strings: &Strings, done: bool) -> String {
    let key = if done { "task_done" } else { "task_to_do" };
    let label = strings
        .get(&doc.source.lang, key)
        .or_else(|_| strings.get(&site.config.default_language, key))
        .unwrap_or(key);
    format!(
        "<input type=\"checkbox\" disabled{} aria-label=\"{}\"> ",
        if done { " checked" } else { "" },
        crate::escape::html(label)
    )
}

/// The events of a heading up to its end (typeset, links rewritten), and
/// its text.
fn heading_content<'a>(
    parser: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    typography: &mut Typesetter,
    links: &mut LinkRewriter,
) -> (Vec<Event<'a>>, String) {
    let mut inner = Vec::new();
    let mut text = String::new();
    for (event, range) in parser {
        match &event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
        typography.push(&mut inner, links.rewrite(event, range));
    }
    (inner, text)
}

/// A code block up to its end, highlighted.
fn code_block<'a>(
    parser: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    kind: &CodeBlockKind,
) -> String {
    let lang_tag = match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or(""),
        CodeBlockKind::Indented => "",
    };
    let mut code = String::new();
    for (event, _) in parser {
        match event {
            Event::End(TagEnd::CodeBlock) => break,
            Event::Text(t) => code.push_str(&t),
            _ => {}
        }
    }
    highlight::code_block(&code, lang_tag)
}

/// Warnings for images without a text alternative, and for text indented
/// into code, as the events pass.
struct AltCheck<'d> {
    doc: &'d crate::load::page::Doc,
    /// The image being read: where it is, and its text alternative so far.
    image: Option<(Range<usize>, String)>,
    warnings: Vec<Diagnostic>,
}

impl AltCheck<'_> {
    fn follow(&mut self, event: &Event, range: &Range<usize>) {
        let doc = self.doc;
        match (event, self.image.as_mut()) {
            (Event::Start(Tag::Image { .. }), _) => {
                self.image = Some((range.clone(), String::new()));
            }
            // Text pasted with a tab (or four spaces) in front becomes code:
            // rarely what a writer meant, and silent.
            (Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)), _) => {
                let first = doc.body()[range.clone()].lines().next().unwrap_or("");
                let start = doc.body_offset + range.start;
                self.warnings.push(
                    Diagnostic::warning(msg!("markdown.indented"))
                        .at_span(
                            doc.source.rel_path.clone(),
                            &doc.text,
                            start..start + first.len(),
                        )
                        .with_help(msg!("markdown.indented_help")),
                );
            }
            (Event::Text(t) | Event::Code(t), Some((_, alt))) => alt.push_str(t),
            (Event::End(TagEnd::Image), Some((at, alt))) => {
                if alt.trim().is_empty() {
                    let span = doc.body_offset + at.start..doc.body_offset + at.end;
                    self.warnings.push(
                        Diagnostic::warning(msg!("markdown.image_without_alt"))
                            .at_span(doc.source.rel_path.clone(), &doc.text, span)
                            .with_help(msg!("markdown.image_without_alt_help")),
                    );
                }
                self.image = None;
            }
            // In raw HTML, `alt=""` marks a decorative image: only a
            // missing attribute is a mistake.
            (Event::Html(html) | Event::InlineHtml(html), _) => {
                for tag in img_tags_without_alt(html) {
                    let start = doc.body_offset + range.start + tag.start;
                    self.warnings.push(
                        Diagnostic::warning(msg!("markdown.img_without_alt"))
                            .at_span(
                                doc.source.rel_path.clone(),
                                &doc.text,
                                start..start + tag.len(),
                            )
                            .with_help(msg!("markdown.img_without_alt_help")),
                    );
                }
            }
            _ => {}
        }
    }
}

/// Where, in a fragment of raw HTML, `<img>` tags have no `alt` attribute.
fn img_tags_without_alt(html: &str) -> Vec<Range<usize>> {
    static IMG: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"(?is)<img\b[^>]*>").expect("valid regex"));
    static ALT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\salt(\s*=|\s|/?>)").expect("valid regex")
    });
    IMG.find_iter(html)
        .filter(|tag| !ALT.is_match(tag.as_str()))
        .map(|tag| tag.range())
        .collect()
}

/// The words of the events: text and code, blocks and breaks as spaces.
fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            // Highlighted code blocks are HTML by now and stay out.
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_)
                if !text.ends_with(' ') && !text.is_empty() =>
            {
                text.push(' ');
            }
            _ => {}
        }
    }
    text.truncate(text.trim_end().len());
    text
}

/// Block-level tags, at whose edges typography starts afresh.
fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

/// The language's typography, applied to the text of a body; `None` for
/// languages without rules.
struct Typesetter {
    french: Option<French>,
    /// Inside an image: its text is the `alt` attribute, left alone.
    in_image: usize,
}

impl Typesetter {
    /// French typography where the language asks for it.
    fn for_language(site: &Site, lang: &str) -> Self {
        Typesetter {
            french: site
                .config
                .language(lang)
                .and_then(|l| French::new(l.typography)),
            in_image: 0,
        }
    }

    /// Pushes `event` onto `events`, its text typeset; code and line breaks
    /// pass unchanged but still count as "something before" the next text.
    fn push<'e>(&mut self, events: &mut Vec<Event<'e>>, event: Event<'e>) {
        let Some(t) = self.french.as_mut() else {
            events.push(event);
            return;
        };
        let event = match event {
            Event::Start(tag @ Tag::Image { .. }) => {
                self.in_image += 1;
                Event::Start(tag)
            }
            Event::End(TagEnd::Image) => {
                self.in_image = self.in_image.saturating_sub(1);
                Event::End(TagEnd::Image)
            }
            Event::Start(tag) => {
                if is_block(&tag) {
                    t.reset();
                }
                Event::Start(tag)
            }
            Event::Text(text) if self.in_image == 0 => {
                let typeset = match t.apply(&text) {
                    std::borrow::Cow::Borrowed(_) => Event::Text(text),
                    std::borrow::Cow::Owned(changed) => Event::Text(changed.into()),
                };
                if let Some(space) = t.take_fix_previous() {
                    replace_trailing_space(events, space);
                }
                typeset
            }
            Event::Code(code) => {
                if t.after_opening_guillemet() {
                    events.push(Event::Text(NBSP.to_string().into()));
                }
                t.after_other('x');
                Event::Code(code)
            }
            Event::SoftBreak | Event::HardBreak => {
                t.after_other('\n');
                event
            }
            other => other,
        };
        events.push(event);
    }
}

/// `Bonjour **!**`: the space before the punctuation ended an earlier text
/// (it becomes `space`, or goes).
fn replace_trailing_space(events: &mut [Event], space: Option<char>) {
    if let Some(Event::Text(text)) = events
        .iter_mut()
        .rev()
        .find(|e| matches!(e, Event::Text(_)))
        && let Some(kept) = text.strip_suffix(' ')
    {
        *text = format!("{kept}{}", space.map(String::from).unwrap_or_default()).into();
    }
}

/// Headings of a summary lose their ids: the summary is shown on list pages
/// next to others, where the ids would repeat.
fn without_heading_ids<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    events
        .iter()
        .map(|event| match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => Event::Start(Tag::Heading {
                level: *level,
                id: None,
                classes: classes.clone(),
                attrs: attrs.clone(),
            }),
            other => other.clone(),
        })
        .collect()
}

/// Rewrites link targets in Markdown links, images and raw HTML, collecting
/// the errors of links that do not resolve.
struct LinkRewriter<'a> {
    site: &'a Site,
    doc: &'a crate::load::page::Doc,
    errors: Vec<Diagnostic>,
    /// Its `@/` links (as written after `@/`) and the URLs they lead to.
    resolved: Vec<(String, String)>,
    /// Its other Markdown links, as they are published, and their spans.
    plain: Vec<(String, Range<usize>)>,
}

impl<'a> LinkRewriter<'a> {
    fn rewrite<'e>(&mut self, event: Event<'e>, range: Range<usize>) -> Event<'e> {
        match event {
            Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                // `@/` links are checked as they resolve.
                let plain =
                    matches!(&tag, Tag::Link { dest_url, .. } if !dest_url.starts_with("@/"));
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag
                    && let Some(dest) = self.target(dest_url, &range)
                {
                    *dest_url = dest.into();
                }
                if let Tag::Link { dest_url, .. } = &tag
                    && plain
                    && !dest_url.is_empty()
                    && !dest_url.starts_with('#')
                {
                    let at = self.doc.body_offset;
                    self.plain
                        .push((dest_url.to_string(), at + range.start..at + range.end));
                }
                Event::Start(tag)
            }
            Event::Html(html) => Event::Html(self.raw_html(html, &range)),
            Event::InlineHtml(html) => Event::InlineHtml(self.raw_html(html, &range)),
            other => other,
        }
    }

    /// The new target of a link, or `None` to leave it as written.
    fn target(&mut self, url: &str, range: &Range<usize>) -> Option<String> {
        match rewrite_url(self.site, url, &self.doc.source.lang) {
            Ok((dest, target)) => {
                if let (Some(_), Some(written)) = (target, url.strip_prefix("@/")) {
                    let link = (written.to_string(), dest.clone());
                    if !self.resolved.contains(&link) {
                        self.resolved.push(link);
                    }
                }
                (dest != url).then_some(dest)
            }
            Err(err) => {
                let span = self.doc.body_offset + range.start..self.doc.body_offset + range.end;
                self.errors.push(
                    Diagnostic::error(err.message)
                        .at_span(self.doc.source.rel_path.clone(), &self.doc.text, span)
                        .with_help(err.help),
                );
                None
            }
        }
    }

    /// URLs of raw HTML (`href`, `src`, each of a `srcset`, quoted or not)
    /// get the same treatment as Markdown links.
    fn raw_html<'e>(&mut self, html: CowStr<'e>, range: &Range<usize>) -> CowStr<'e> {
        let mut out = String::new();
        let mut rest: &str = &html;
        let mut changed = false;
        while let Some(attribute) = crate::html::next_url_attribute(rest) {
            out.push_str(attribute.before);
            let value = attribute.value;
            // Where the value is in the file, for a link to check later.
            let at = self.doc.body_offset + range.start + html.len() - rest.len()
                + attribute.before.len();
            let link = !attribute.srcset
                && attribute
                    .before
                    .trim_end_matches(['"', '\''])
                    .to_ascii_lowercase()
                    .ends_with("href=")
                && !value.is_empty()
                && !value.starts_with(['#', '@']);
            let urls = match attribute.srcset {
                true => crate::html::srcset_urls(value),
                false => std::iter::once(0..value.len()).collect(),
            };
            let mut copied = 0;
            for url in urls {
                out.push_str(&value[copied..url.start]);
                let published = match self.target(&value[url.clone()], range) {
                    Some(dest) => {
                        changed = true;
                        dest
                    }
                    None => value[url.clone()].to_string(),
                };
                out.push_str(&published);
                if link {
                    self.plain.push((published, at..at + value.len()));
                }
                copied = url.end;
            }
            out.push_str(&value[copied..]);
            rest = attribute.after;
        }
        if !changed {
            return html;
        }
        out.push_str(rest);
        out.into()
    }
}

fn to_html(events: &[Event]) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    html
}

/// The heading anchors of one page: `contexte`, then `contexte-1`,
/// `contexte-2`… Each name remembers its next number, so a page with
/// thousands of equal headings does not count from 1 for each.
#[derive(Default)]
struct Anchors {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Anchors {
    fn unique(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// `@/…` links resolve to the doc's URL; root-relative links get the base
/// path so the site works below a sub-path. Anything else is left alone.
/// Also gives the doc an `@/` link leads to.
fn rewrite_url(
    site: &Site,
    url: &str,
    lang: &str,
) -> Result<(String, Option<DocId>), links::LinkError> {
    if let Some(target) = url.strip_prefix("@/") {
        let (id, anchor) = links::resolve(site, target, lang)?;
        return Ok((format!("{}{anchor}", site.url(id)), Some(id)));
    }
    if let Some(rest) = url.strip_prefix('/')
        && !rest.starts_with('/')
    {
        return Ok((site.config.url_of(rest), None));
    }
    Ok((url.to_string(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_number_repeated_headings_and_skip_taken_names() {
        let mut anchors = Anchors::default();
        let got: Vec<String> = ["contexte", "contexte-1", "contexte", "contexte", "suite"]
            .map(|b| anchors.unique(b.to_string()))
            .to_vec();
        assert_eq!(
            got,
            [
                "contexte",
                "contexte-1",
                "contexte-2",
                "contexte-3",
                "suite"
            ]
        );
    }
}
