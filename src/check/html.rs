//! What `check` reads in a page: the URLs it references and the ids its
//! `#anchors` may target, read as browsers read them (any quoting, entities
//! decoded, nothing inside scripts, styles or comments) by html5ever's
//! tokenizer. Its tree builder is not used: it is quadratic on deep nesting,
//! and no tree is needed to read attributes.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
};
use html5ever::{TokenizerResult, local_name};

/// What one page refers to and offers.
#[derive(Debug, Default, PartialEq)]
pub struct Refs {
    /// `href`, `src`, `poster` and each `srcset` candidate, in page order.
    pub urls: Vec<String>,
    /// Every `id`, and `name` on `<a>` (the old way to make an anchor).
    pub ids: Vec<String>,
}

/// The tokenizer is fed at most this many bytes at a time: a tendril holds
/// less than 4 GiB.
const CHUNK: usize = 1 << 20;

/// Reads the links and anchors of `html`.
pub fn read(html: &str) -> Refs {
    let tokenizer = Tokenizer::new(Sink::default(), Default::default());
    let input = BufferQueue::default();
    let mut rest = html;
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(rest.floor_char_boundary(CHUNK));
        input.push_back(StrTendril::from_slice(chunk));
        // It pauses only for a script to run or a new encoding, which this
        // sink never asks for; `Done` means the chunk is read.
        while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
        rest = tail;
    }
    tokenizer.end();
    tokenizer.sink.refs.into_inner()
}

/// Keeps the attributes of start tags; text, comments and end tags are
/// dropped as they come, without copying.
#[derive(Default)]
struct Sink {
    refs: RefCell<Refs>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            TagToken(tag) if tag.kind == StartTag => {
                self.keep(&tag);
                content_state(&tag)
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

impl Sink {
    fn keep(&self, tag: &Tag) {
        let mut refs = self.refs.borrow_mut();
        for attribute in &tag.attrs {
            let value = &*attribute.value;
            match attribute.name.local {
                local_name!("href") | local_name!("src") | local_name!("poster") => {
                    refs.urls.push(value.to_string());
                }
                local_name!("srcset") => {
                    refs.urls
                        .extend(srcset_urls(value).into_iter().map(str::to_string));
                }
                local_name!("id") => refs.ids.push(value.to_string()),
                local_name!("name") if tag.name == local_name!("a") => {
                    refs.ids.push(value.to_string());
                }
                _ => {}
            }
        }
    }
}

/// How the content of the element `tag` opens is tokenized: the tree
/// builder's switch, which a bare tokenizer needs from its sink so that
/// `<script>` and `<style>` hold text, not tags. `<noscript>` is read as
/// markup, as with scripts off: its links are shown then.
fn content_state(tag: &Tag) -> TokenSinkResult<()> {
    let raw = match tag.name {
        local_name!("script") => RawKind::ScriptData,
        local_name!("style")
        | local_name!("xmp")
        | local_name!("iframe")
        | local_name!("noembed")
        | local_name!("noframes") => RawKind::Rawtext,
        local_name!("title") | local_name!("textarea") => RawKind::Rcdata,
        local_name!("plaintext") => return TokenSinkResult::Plaintext,
        _ => return TokenSinkResult::Continue,
    };
    TokenSinkResult::RawData(raw)
}

/// The URLs of a `srcset` value, by the HTML standard's "parse a srcset
/// attribute": a URL runs to the next whitespace, less the commas that end
/// it; its descriptors run to the next comma outside parentheses. So
/// `a.jpg,b.jpg 2x` is one URL, `a.jpg, b.jpg 2x` two.
pub fn srcset_urls(value: &str) -> Vec<&str> {
    let mut urls = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return urls;
        }
        let end = rest.find(|c: char| c.is_ascii_whitespace());
        let (candidate, after) = rest.split_at(end.unwrap_or(rest.len()));
        let url = candidate.trim_end_matches(',');
        urls.push(url);
        rest = if url.len() < candidate.len() {
            after
        } else {
            after_descriptors(after)
        };
    }
}

/// What follows the first comma outside parentheses (where the next
/// candidate starts), or nothing.
fn after_descriptors(text: &str) -> &str {
    let mut in_parens = false;
    for (at, c) in text.char_indices() {
        match c {
            '(' => in_parens = true,
            ')' => in_parens = false,
            ',' if !in_parens => return &text[at + 1..],
            _ => {}
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srcset_candidates_are_split_as_the_standard_says() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("  ,, ", &[]),
            ("a.jpg", &["a.jpg"]),
            ("a.jpg 1x, /fr/b.jpg 2x", &["a.jpg", "/fr/b.jpg"]),
            ("a.jpg 480w,b.jpg 800w", &["a.jpg", "b.jpg"]),
            ("a.jpg, b.jpg 2x", &["a.jpg", "b.jpg"]),
            ("a.jpg,,, b.jpg", &["a.jpg", "b.jpg"]),
            // A comma inside a URL, not followed by whitespace, is its own.
            ("a,b.jpg 1x, c.jpg 2x", &["a,b.jpg", "c.jpg"]),
            ("a.jpg,b.jpg 2x", &["a.jpg,b.jpg"]),
            (
                "data:image/png;base64,iVBO 1x, x.png 2x",
                &["data:image/png;base64,iVBO", "x.png"],
            ),
            // A comma inside parentheses belongs to the descriptor.
            ("a.jpg (1x, 2x) 3x, b.jpg", &["a.jpg", "b.jpg"]),
            ("\ta.jpg\n1x,\r\nb.jpg\x0c2x", &["a.jpg", "b.jpg"]),
            ("a.jpg 1x 2x 3x , b.jpg", &["a.jpg", "b.jpg"]),
            ("é.jpg 1x,ü.jpg", &["é.jpg", "ü.jpg"]),
        ];
        for (value, urls) in cases {
            assert_eq!(srcset_urls(value), *urls, "srcset={value:?}");
        }
    }

    #[test]
    fn reads_attributes_however_they_are_quoted() {
        let refs = read(
            "<a href='/a/' id=one>x</a><A HREF=/b/ NAME=two></A>\
             <img src=\"c&amp;d.png\" srcset=\"e.png 1x, f.png 2x\">\
             <video poster=g.png></video><p name=not-an-anchor></p>",
        );
        let want = ["/a/", "/b/", "c&d.png", "e.png", "f.png", "g.png"];
        assert_eq!(refs.urls, want);
        assert_eq!(refs.ids, ["one", "two"]);
    }

    #[test]
    fn scripts_styles_comments_and_text_hold_no_links() {
        let refs = read(
            "<script>let a = '<a href=\"/s/\" id=\"s\">';</script>\
             <style>/* <a href=\"/t/\"> */</style>\
             <!-- <a href=\"/c/\" id=\"c\"> -->\
             <title><a href=/title/></title><textarea><a href=/ta/></textarea>\
             <p>href=\"/text/\" &lt;a href=\"/escaped/\"&gt;</p>\
             <noscript><a href=/ns/></noscript></a href=/end/>\
             <![CDATA[<a href=/cdata/>]]><a href=/after/>",
        );
        assert_eq!(refs.urls, ["/ns/", "/after/"]);
        assert!(refs.ids.is_empty(), "{:?}", refs.ids);
    }

    #[test]
    fn a_page_longer_than_a_chunk_is_read_whole() {
        let filler = "é".repeat(CHUNK);
        let html = format!("<a href=/a/>{filler}<a href=/b/ id=\"{filler}\">");
        let refs = read(&html);
        assert_eq!(refs.urls, ["/a/", "/b/"]);
        assert_eq!(refs.ids, [filler]);
    }
}
