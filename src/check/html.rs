//! What `check` reads in a page: the URLs it references and the ids its
//! `#anchors` may target, read as browsers read them (any quoting, entities
//! decoded, nothing inside scripts, styles or comments) by html5ever's
//! tokenizer. Its tree builder is not used: it is quadratic on deep nesting,
//! and no tree is needed to read attributes.

use std::cell::RefCell;

use crate::html::{content_state, feed, srcset_urls};

use html5ever::local_name;
use html5ever::tokenizer::{
    BufferQueue, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
};

/// What one page refers to and offers.
#[derive(Debug, Default, PartialEq)]
pub struct Refs {
    /// `href`, `src`, `poster` and each `srcset` candidate, in page order.
    pub urls: Vec<String>,
    /// Every `id`, and `name` on `<a>` (the old way to make an anchor).
    pub ids: Vec<String>,
}

/// Reads the links and anchors of `html`.
pub fn read(html: &str) -> Refs {
    let tokenizer = Tokenizer::new(Sink::default(), Default::default());
    feed(&tokenizer, &BufferQueue::default(), html);
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
                    refs.urls.extend(
                        srcset_urls(value)
                            .into_iter()
                            .map(|url| value[url].to_string()),
                    );
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let filler = "é".repeat(crate::html::CHUNK);
        let html = format!("<a href=/a/>{filler}<a href=/b/ id=\"{filler}\">");
        let refs = read(&html);
        assert_eq!(refs.urls, ["/a/", "/b/"]);
        assert_eq!(refs.ids, [filler]);
    }
}
