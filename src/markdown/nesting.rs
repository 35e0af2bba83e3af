//! How deep a body's elements nest, for `[markdown] safe = true`.
//!
//! The sanitiser parses HTML as browsers do, and that parser checks the
//! elements open around each new one: its time grows with the square of the
//! nesting (100,000 nested quotes: about a minute). A page nested deeper
//! than [`MAX_DEPTH`] is therefore refused before it reaches the sanitiser;
//! browsers themselves stop nesting at that depth, so no page that renders
//! as written is refused.

use std::ops::Range;

use pulldown_cmark::Event;

/// The deepest nesting of elements a page may have in safe mode (as deep as
/// browsers' HTML parsers nest).
pub const MAX_DEPTH: usize = 512;

/// Elements that never hold others, and those whose end tag authors often
/// leave out (the parser closes them itself): neither opens a level.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "rtc",
];

/// The nesting so far: Markdown's containers and inline elements, plus the
/// elements raw HTML opened and has not closed.
#[derive(Debug, Default)]
pub struct Nesting {
    markdown: usize,
    html: usize,
}

impl Nesting {
    /// Follows one event; where in it the nesting got deeper than allowed,
    /// if it did.
    pub fn too_deep_in(&mut self, event: &Event) -> Option<usize> {
        match event {
            Event::Start(_) => self.markdown += 1,
            Event::End(_) => self.markdown = self.markdown.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                let room = MAX_DEPTH.saturating_sub(self.markdown);
                return self.follow_html(html, room);
            }
            _ => {}
        }
        (self.markdown + self.html > MAX_DEPTH).then_some(0)
    }

    /// Counts the tags of a fragment of raw HTML, in one pass; where the
    /// HTML nesting got deeper than `room`, if it did.
    fn follow_html(&mut self, html: &str, room: usize) -> Option<usize> {
        let mut too_deep = None;
        let mut rest = html;
        while let Some(at) = rest.find('<') {
            let tag_at = html.len() - rest.len() + at;
            rest = &rest[at + 1..];
            if let Some(comment) = rest.strip_prefix("!--") {
                rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
                continue;
            }
            let (closing, tag) = match rest.strip_prefix('/') {
                Some(tag) => (true, tag),
                None => (false, rest),
            };
            let name_len = tag
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .unwrap_or(tag.len());
            let name = &tag[..name_len];
            if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            let end = tag.find('>');
            let self_closing = end.is_some_and(|end| tag[..end].ends_with('/'));
            let nests = !NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name));
            match (closing, nests && !self_closing) {
                (true, _) if nests => self.html = self.html.saturating_sub(1),
                (false, true) => {
                    self.html += 1;
                    if self.html > room {
                        too_deep = too_deep.or(Some(tag_at));
                    }
                }
                _ => {}
            }
            rest = end.map_or("", |end| &tag[end + 1..]);
        }
        too_deep
    }
}

/// A parser's events, which end early where the nesting gets too deep
/// (when bounded at all).
pub struct Bounded<I> {
    events: I,
    nesting: Option<Nesting>,
    too_deep_at: Option<usize>,
}

impl<I> Bounded<I> {
    pub fn new(events: I, bounded: bool) -> Self {
        Bounded {
            events,
            nesting: bounded.then(Nesting::default),
            too_deep_at: None,
        }
    }

    /// Where in the body the nesting got too deep, if it did.
    pub fn too_deep_at(&self) -> Option<usize> {
        self.too_deep_at
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Bounded<I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.too_deep_at.is_some() {
            return None;
        }
        let (event, range) = self.events.next()?;
        if let Some(nesting) = &mut self.nesting
            && let Some(at) = nesting.too_deep_in(&event)
        {
            self.too_deep_at = Some(range.start + at);
            return None;
        }
        Some((event, range))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(html: &str) -> usize {
        let mut nesting = Nesting::default();
        nesting.follow_html(html, MAX_DEPTH);
        nesting.html
    }

    #[test]
    fn the_deepest_point_of_a_fragment_counts() {
        let mut nesting = Nesting::default();
        let html = "<div>".repeat(MAX_DEPTH + 1) + &"</div>".repeat(MAX_DEPTH + 1);
        let at = nesting.too_deep_in(&Event::Html(html.into()));
        assert_eq!(at, Some(MAX_DEPTH * "<div>".len()));
        assert_eq!(nesting.html, 0);
    }

    #[test]
    fn counts_what_raw_html_leaves_open() {
        assert_eq!(depth("<div><section><span>x</span>"), 2);
        assert_eq!(depth("<div>a</div><div>b</div>"), 0);
        assert_eq!(depth("<DIV class=\"a>b\">"), 1);
        // Void, self-closed and optionally closed elements, comments.
        assert_eq!(depth("<img src=a><br><hr/><p>a<p>b<li>c"), 0);
        assert_eq!(depth("<svg><path d='M0'/></svg>"), 0);
        assert_eq!(depth("<!-- <div><div> --><b>"), 1);
        // Not tags at all.
        assert_eq!(depth("a < b <3 <-> </ >"), 0);
        // More closed than opened never goes below nothing.
        assert_eq!(depth("</div></div><div>"), 1);
    }

    #[test]
    fn markdown_and_html_add_up() {
        let mut nesting = Nesting::default();
        let start = Event::Start(pulldown_cmark::Tag::BlockQuote(None));
        for _ in 0..MAX_DEPTH - 1 {
            assert_eq!(nesting.too_deep_in(&start), None);
        }
        assert_eq!(nesting.too_deep_in(&Event::Html("<div>".into())), None);
        let html = Event::InlineHtml("a <span>".into());
        assert_eq!(nesting.too_deep_in(&html), Some(2));
        assert_eq!(nesting.too_deep_in(&start), Some(0));
    }
}
