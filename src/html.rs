//! What portail reads of HTML that people write (raw HTML in Markdown) or
//! that it publishes: the attributes that hold URLs.

use std::cell::RefCell;
use std::ops::Range;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, EndTag, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
};
use html5ever::{LocalName, TokenizerResult, local_name};

/// What a published page carries to be served by `serve` without its
/// reload script: an application that saves through `serve` (the CMS)
/// would be reloaded by its own saves.
pub const NO_LIVE_RELOAD: &str = r#"<meta name="portail-live-reload" content="off">"#;

/// A tokenizer is fed at most this many bytes at a time: a tendril holds
/// less than 4 GiB.
pub const CHUNK: usize = 1 << 20;

/// An attribute of a fragment of HTML that holds URLs (`href`, `src`,
/// `srcset`), quoted or not.
#[derive(Debug, PartialEq, Eq)]
pub struct UrlAttribute<'a> {
    /// The text before the value (up to `=` and the opening quote).
    pub before: &'a str,
    pub value: &'a str,
    /// The text after the value (from the closing quote on).
    pub after: &'a str,
    /// Whether the value is a list of image candidates (`srcset`).
    pub srcset: bool,
}

/// The next `href=`, `src=` or `srcset=` attribute of `html`, in one pass
/// and without copying it.
pub fn next_url_attribute(html: &str) -> Option<UrlAttribute<'_>> {
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(eq) = html[from..].find('=').map(|at| from + at) {
        from = eq + 1;
        let name_start = html[..eq]
            .rfind(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .map_or(0, |at| at + 1);
        let name = &html[name_start..eq];
        let srcset = name.eq_ignore_ascii_case("srcset");
        let url = name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src");
        // An attribute starts after whitespace: not `data-href=`, nor
        // `src=` inside another attribute's value.
        let attribute = name_start == 0 || bytes[name_start - 1].is_ascii_whitespace();
        if !(srcset || url) || !attribute {
            continue;
        }
        let (start, end) = match bytes.get(eq + 1) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = eq + 2;
                (start, start + html[start..].find(quote as char)?)
            }
            _ => {
                let start = eq + 1;
                let len = html[start..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .unwrap_or(html.len() - start);
                (start, start + len)
            }
        };
        if start == end {
            continue;
        }
        return Some(UrlAttribute {
            before: &html[..start],
            value: &html[start..end],
            after: &html[end..],
            srcset,
        });
    }
    None
}

/// Where the URLs of a `srcset` value are, by the HTML standard's "parse a
/// srcset attribute": a URL runs to the next whitespace, less the commas
/// that end it; its descriptors run to the next comma outside parentheses.
/// So `a.jpg,b.jpg 2x` is one URL, `a.jpg, b.jpg 2x` two.
pub fn srcset_urls(value: &str) -> Vec<Range<usize>> {
    let mut urls = Vec::new();
    let mut at = 0;
    loop {
        let rest = &value[at..];
        let skipped = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',')
                .len();
        at += skipped;
        let rest = &value[at..];
        if rest.is_empty() {
            return urls;
        }
        let candidate_len = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url_len = rest[..candidate_len].trim_end_matches(',').len();
        urls.push(at..at + url_len);
        at += candidate_len;
        if url_len == candidate_len {
            at = value.len() - after_descriptors(&value[at..]).len();
        }
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

/// Gives `html` to `tokenizer`, all of it, a chunk at a time.
pub fn feed<S: TokenSink>(tokenizer: &Tokenizer<S>, input: &BufferQueue, html: &str) {
    let mut rest = html;
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(rest.floor_char_boundary(CHUNK));
        input.push_back(StrTendril::from_slice(chunk));
        // It pauses only for a script to run or a new encoding, which
        // portail's sinks never ask for; `Done` means the chunk is read.
        while !matches!(tokenizer.feed(input), TokenizerResult::Done) {}
        rest = tail;
    }
}

/// How the content of the element `tag` opens is tokenized: the tree
/// builder's switch, which a bare tokenizer needs from its sink so that
/// `<script>` and `<style>` hold text, not tags. `<noscript>` is read as
/// markup, as with scripts off: its links are shown then.
pub fn content_state(tag: &Tag) -> TokenSinkResult<()> {
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

/// The elements raw HTML leaves open, as a browser would nest them, read
/// piece by piece (the pieces of one page's raw HTML, in order): what
/// elements can never hold (`<br>`), close on their own (`<p>`, `<li>`)
/// or may not nest (`<a>` in `<a>`) opens no level; `/>` closes only SVG
/// and MathML elements; an end tag closes only an element that is open.
/// It errs, if anywhere, towards more depth (the end of a paragraph does
/// not close what its raw HTML left open).
pub struct OpenElements {
    tokenizer: Tokenizer<Stack>,
    input: BufferQueue,
}

impl OpenElements {
    /// Reads no further than `limit` levels deep: past it, the rest only
    /// goes through the tokenizer (finding an end tag's element among
    /// 100,000 open ones would take its time).
    pub fn with_limit(limit: usize) -> Self {
        let stack = Stack::default();
        stack.state.borrow_mut().limit = limit;
        OpenElements {
            tokenizer: Tokenizer::new(stack, Default::default()),
            input: BufferQueue::default(),
        }
    }

    /// Reads the next piece; the deepest the elements nested while it was
    /// read.
    pub fn feed(&mut self, html: &str) -> usize {
        {
            let mut state = self.tokenizer.sink.state.borrow_mut();
            state.deepest = state.open.len();
        }
        feed(&self.tokenizer, &self.input, html);
        self.tokenizer.sink.state.borrow().deepest
    }
}

#[derive(Default)]
struct Stack {
    state: RefCell<StackState>,
}

#[derive(Default)]
struct StackState {
    open: Vec<LocalName>,
    limit: usize,
    /// How many of them are `<svg>` or `<math>`.
    foreign: usize,
    deepest: usize,
}

impl TokenSink for Stack {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let mut state = self.state.borrow_mut();
        if state.open.len() > state.limit {
            return TokenSinkResult::Continue;
        }
        match tag.kind {
            StartTag => {
                state.open_element(&tag);
                content_state(&tag)
            }
            EndTag => {
                state.close(&tag.name);
                TokenSinkResult::Continue
            }
        }
    }
}

impl StackState {
    fn open_element(&mut self, tag: &Tag) {
        let name = &tag.name;
        if is_void_or_self_closing(name) || (tag.self_closing && self.foreign > 0) {
            return;
        }
        if matches!(
            *name,
            local_name!("a") | local_name!("button") | local_name!("nobr")
        ) {
            self.close(name);
        }
        if matches!(*name, local_name!("svg") | local_name!("math")) {
            self.foreign += 1;
        }
        self.open.push(name.clone());
        self.deepest = self.deepest.max(self.open.len());
    }

    /// Closes `name` and what was opened inside it, if it is open.
    fn close(&mut self, name: &LocalName) {
        let Some(at) = self.open.iter().rposition(|open| open == name) else {
            return;
        };
        for closed in self.open.drain(at..) {
            if matches!(closed, local_name!("svg") | local_name!("math")) {
                self.foreign -= 1;
            }
        }
    }
}

/// Elements that hold nothing, and those whose end tag is left out so
/// often that browsers close them themselves.
fn is_void_or_self_closing(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("param")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
            | local_name!("p")
            | local_name!("li")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("option")
            | local_name!("optgroup")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("thead")
            | local_name!("tbody")
            | local_name!("tfoot")
            | local_name!("colgroup")
            | local_name!("caption")
            | local_name!("rb")
            | local_name!("rt")
            | local_name!("rp")
            | local_name!("rtc")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deepest(pieces: &[&str]) -> usize {
        let mut open = OpenElements::with_limit(10_000);
        pieces
            .iter()
            .map(|piece| open.feed(piece))
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn nests_elements_as_browsers_do() {
        let many = |piece: &str| piece.repeat(600);
        let cases: Vec<(String, usize)> = vec![
            ("<div><section><span>x</span>".into(), 3),
            ("<div>a</div><div>b</div>".into(), 1),
            ("<img src=a><br><hr/><p>a<p>b<li>c".into(), 0),
            ("<svg><path d='M0'/><g/></svg>".into(), 1),
            ("<!-- <div><div> --><b>".into(), 1),
            ("<script>if (a < b) { '<div>' }</script>".into(), 1),
            ("a < b <3 <-> </ >".into(), 0),
            // `/>` does not close a div; an end tag closes only what is open.
            (many("<div/>"), 600),
            (many("<div></span>"), 600),
            // `<a>` closes the `<a>` before; other formatting elements nest.
            (many("<a href=/x/>"), 1),
            (many("<b>x"), 600),
        ];
        for (html, depth) in &cases {
            assert_eq!(deepest(&[html]), *depth, "{}", &html[..html.len().min(60)]);
        }
        // Pieces follow each other: a comment or an element spans them.
        assert_eq!(deepest(&["<!--", &many("<div class=card>\n"), "-->"]), 0);
        assert_eq!(deepest(&["<div>", "<div>", "</div>", "<div>"]), 2);
    }

    #[test]
    fn finds_url_attributes_however_they_are_quoted() {
        let cases = [
            (r#"<a href="/fr/">"#, Some(("/fr/", false))),
            (r#"<img src="/a.svg" alt="">"#, Some(("/a.svg", false))),
            (
                r#"<a class="x" HREF='@/news/a.md'>"#,
                Some(("@/news/a.md", false)),
            ),
            ("<a href=@/news/a.md>x</a>", Some(("@/news/a.md", false))),
            ("<img src=/a.png/>", Some(("/a.png/", false))),
            (
                r#"<img srcset="/a.jpg 1x, /b.jpg 2x">"#,
                Some(("/a.jpg 1x, /b.jpg 2x", true)),
            ),
            (r#"<a data-href="/x">"#, None),
            (r#"<abbr title="src=1">"#, None),
            ("<a href= >", None),
            ("<br>", None),
        ];
        for (html, expected) in cases {
            let got = next_url_attribute(html).map(|a| (a.value, a.srcset));
            assert_eq!(got, expected, "{html}");
        }
        let attribute = next_url_attribute("<a href='x'>y</a>").unwrap();
        assert_eq!(
            (attribute.before, attribute.after),
            ("<a href='", "'>y</a>")
        );
    }

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
            let found: Vec<&str> = srcset_urls(value).into_iter().map(|r| &value[r]).collect();
            assert_eq!(found, *urls, "srcset={value:?}");
        }
    }
}
