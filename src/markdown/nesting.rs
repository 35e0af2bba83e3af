//! How deep a body's elements nest, for `[markdown] safe = true`.
//!
//! The sanitiser parses HTML as browsers do, and that parser checks the
//! elements open around each new one: its time grows with the square of the
//! nesting (100,000 nested quotes: about a minute). A page nested deeper
//! than [`MAX_DEPTH`] is therefore refused before it reaches the sanitiser;
//! browsers themselves stop nesting at that depth, so no page that renders
//! as written is refused. The depth is Markdown's containers and inline
//! elements plus what its raw HTML leaves open, read as browsers nest it
//! ([`OpenElements`]), in one pass.

use std::ops::Range;

use pulldown_cmark::Event;

use crate::html::OpenElements;

/// The deepest nesting of elements a page may have in safe mode (as deep as
/// browsers' HTML parsers nest).
pub const MAX_DEPTH: usize = 512;

/// The nesting so far.
pub struct Nesting {
    markdown: usize,
    html: OpenElements,
}

impl Default for Nesting {
    fn default() -> Self {
        Nesting {
            markdown: 0,
            html: OpenElements::with_limit(MAX_DEPTH),
        }
    }
}

impl Nesting {
    /// Follows one event; whether the nesting got deeper than allowed in it.
    pub fn too_deep_in(&mut self, event: &Event) -> bool {
        let html = match event {
            Event::Start(_) => {
                self.markdown += 1;
                0
            }
            Event::End(_) => {
                self.markdown = self.markdown.saturating_sub(1);
                0
            }
            Event::Html(html) | Event::InlineHtml(html) => self.html.feed(html),
            _ => 0,
        };
        self.markdown + html > MAX_DEPTH
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

    /// Where in the body the nesting got too deep (the start of the
    /// Markdown element or piece of raw HTML), if it did.
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
            && nesting.too_deep_in(&event)
        {
            self.too_deep_at = Some(range.start);
            return None;
        }
        Some((event, range))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_add_up() {
        let mut nesting = Nesting::default();
        let start = Event::Start(pulldown_cmark::Tag::BlockQuote(None));
        for _ in 0..MAX_DEPTH - 1 {
            assert!(!nesting.too_deep_in(&start));
        }
        assert!(!nesting.too_deep_in(&Event::Html("<div>".into())));
        assert!(nesting.too_deep_in(&Event::InlineHtml("a <span>".into())));
        let html = "<div>".repeat(MAX_DEPTH + 1) + &"</div>".repeat(MAX_DEPTH + 1);
        assert!(Nesting::default().too_deep_in(&Event::Html(html.into())));
    }
}
