//! HTML written in another tool's editor, as Markdown when nothing is
//! lost: paragraphs, headings, emphasis, links, lists, quotes, pictures
//! with captions, code, line breaks and rules. Anything else (a table,
//! an embedded frame, a `style`) keeps the body as HTML, which portail
//! publishes as it is; the reason says what it was.

use std::cell::RefCell;

use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, CommentToken, EndTag, StartTag, Tag, TagToken, Token, TokenSink,
    TokenSinkResult, Tokenizer,
};

use crate::html::{content_state, feed};

/// What the tokenizer saw, in order.
#[derive(Debug)]
enum Piece {
    Start(String, Vec<(String, String)>),
    End(String),
    Text(String),
}

#[derive(Default)]
struct Sink {
    pieces: RefCell<Vec<Piece>>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut pieces = self.pieces.borrow_mut();
        match token {
            TagToken(tag) => {
                let name = tag.name.to_string();
                match tag.kind {
                    StartTag => {
                        let attrs = attributes(&tag);
                        let self_closing =
                            tag.self_closing || matches!(name.as_str(), "img" | "br" | "hr");
                        pieces.push(Piece::Start(name.clone(), attrs));
                        if self_closing {
                            pieces.push(Piece::End(name));
                        }
                        return content_state(&tag);
                    }
                    EndTag => pieces.push(Piece::End(name)),
                }
            }
            CharacterTokens(text) => match pieces.last_mut() {
                Some(Piece::Text(t)) => t.push_str(&text),
                _ => pieces.push(Piece::Text(text.to_string())),
            },
            CommentToken(_) => {}
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn attributes(tag: &Tag) -> Vec<(String, String)> {
    tag.attrs
        .iter()
        .map(|a| (a.name.local.to_string(), a.value.to_string()))
        .collect()
}

/// Why a body stays HTML.
#[derive(Debug, PartialEq, Eq)]
pub struct Kept(pub String);

/// The Markdown of `html`, or why it would lose something.
pub fn convert(html: &str) -> Result<String, Kept> {
    let tokenizer = Tokenizer::new(Sink::default(), Default::default());
    feed(&tokenizer, &BufferQueue::default(), html);
    tokenizer.end();
    let pieces = tokenizer.sink.pieces.into_inner();
    let mut writer = Writer::default();
    for piece in &pieces {
        writer.piece(piece)?;
    }
    Ok(writer.finish())
}

/// Attributes that carry nothing a reader sees (styling hooks, sizes the
/// theme decides).
fn droppable(name: &str) -> bool {
    matches!(
        name,
        "class"
            | "id"
            | "width"
            | "height"
            | "loading"
            | "decoding"
            | "sizes"
            | "srcset"
            | "rel"
            | "target"
    ) || name.starts_with("data-")
}

#[derive(Default)]
struct Writer {
    /// Finished blocks, and the one being written (a stack: a quote or a
    /// figure writes into its own until it closes).
    out: Vec<String>,
    /// Open lists: ordered, the next number, and the width of the
    /// current item's marker (what a nested list is indented by).
    lists: Vec<(bool, usize, usize)>,
    /// Open links' targets.
    links: Vec<String>,
    in_pre: bool,
    /// A figure's picture and caption, while it is open.
    figure: Option<(String, String, Option<String>)>,
    in_caption: bool,
}

impl Writer {
    fn buf(&mut self) -> &mut String {
        if self.out.is_empty() {
            self.out.push(String::new());
        }
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    fn block(&mut self) {
        let buf = self.buf();
        let trimmed = buf.trim_end_matches([' ', '\n']).len();
        buf.truncate(trimmed);
        if !buf.is_empty() {
            buf.push_str("\n\n");
        }
    }

    fn piece(&mut self, piece: &Piece) -> Result<(), Kept> {
        match piece {
            Piece::Text(text) => self.text(text),
            Piece::Start(name, attrs) => self.start(name, attrs)?,
            Piece::End(name) => self.end(name)?,
        }
        Ok(())
    }

    fn start(&mut self, name: &str, attrs: &[(String, String)]) -> Result<(), Kept> {
        let attr = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        const KNOWN: [&str; 29] = [
            "p",
            "div",
            "section",
            "article",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "strong",
            "b",
            "em",
            "i",
            "code",
            "pre",
            "br",
            "hr",
            "a",
            "img",
            "figure",
            "figcaption",
            "ul",
            "ol",
            "li",
            "blockquote",
            "span",
            "u",
            "cite",
        ];
        if !KNOWN.contains(&name) {
            return Err(Kept(format!("<{name}>")));
        }
        let allowed: &[&str] = match name {
            "a" => &["href", "title"],
            "img" => &["src", "alt", "title"],
            "ol" => &["start"],
            _ => &[],
        };
        if let Some((k, _)) = attrs
            .iter()
            .find(|(k, _)| !allowed.contains(&k.as_str()) && !droppable(k))
        {
            return Err(Kept(format!("<{name} {k}=…>")));
        }
        match name {
            "p" | "div" | "section" | "article" => self.block(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.block();
                let level: usize = name[1..].parse().unwrap_or(2);
                let hashes = "#".repeat(level);
                self.buf().push_str(&format!("{hashes} "));
            }
            "strong" | "b" => self.buf().push_str("**"),
            "em" | "i" => self.buf().push('*'),
            "code" if !self.in_pre => self.buf().push('`'),
            "code" => {}
            "pre" => {
                self.block();
                self.in_pre = true;
                self.buf().push_str("```\n");
            }
            "br" => self.buf().push_str("\\\n"),
            "hr" => {
                self.block();
                self.buf().push_str("---");
                self.block();
            }
            "a" => {
                self.links.push(attr("href").unwrap_or_default());
                self.buf().push('[');
            }
            "img" => {
                let src = attr("src").unwrap_or_default();
                let alt = attr("alt").unwrap_or_default();
                match &mut self.figure {
                    Some((s, a, _)) if s.is_empty() => (*s, *a) = (src, alt),
                    Some(_) => return Err(Kept("<figure> with two pictures".into())),
                    None => {
                        let text = format!("![{}]({src})", escape(&alt));
                        self.buf().push_str(&text);
                    }
                }
            }
            "figure" => {
                self.block();
                self.figure = Some((String::new(), String::new(), None));
            }
            "figcaption" => self.in_caption = true,
            "ul" | "ol" => {
                if self.lists.is_empty() {
                    self.block();
                }
                let start = attr("start").and_then(|s| s.parse().ok()).unwrap_or(1);
                self.lists.push((name == "ol", start, 0));
            }
            "li" => {
                let open = self.lists.len().saturating_sub(1);
                let indent: usize = self.lists[..open].iter().map(|(_, _, w)| w).sum();
                let marker = match self.lists.last_mut() {
                    Some((true, n, width)) => {
                        *n += 1;
                        let marker = format!("{}. ", *n - 1);
                        *width = marker.len();
                        marker
                    }
                    Some((false, _, width)) => {
                        *width = 2;
                        "- ".to_string()
                    }
                    None => "- ".to_string(),
                };
                let buf = self.buf();
                let trimmed = buf.trim_end_matches(' ').len();
                buf.truncate(trimmed);
                if !buf.is_empty() && !buf.ends_with('\n') {
                    buf.push('\n');
                }
                buf.push_str(&" ".repeat(indent));
                buf.push_str(&marker);
            }
            "blockquote" => {
                self.block();
                self.out.push(String::new());
            }
            // A quote's source, on its own line.
            "cite" => {
                self.block();
                self.buf().push_str("— ");
            }
            "span" | "u" => {
                // A bare span is nothing; underline is not Markdown.
                if name == "u" || !attrs.is_empty() && attrs.iter().any(|(k, _)| k != "class") {
                    return Err(Kept(format!("<{name}>")));
                }
            }
            other => return Err(Kept(format!("<{other}>"))),
        }
        Ok(())
    }

    fn end(&mut self, name: &str) -> Result<(), Kept> {
        match name {
            "p" | "div" | "section" | "article" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.block()
            }
            "strong" | "b" => self.buf().push_str("**"),
            "em" | "i" => self.buf().push('*'),
            "code" if !self.in_pre => self.buf().push('`'),
            "pre" => {
                self.in_pre = false;
                let buf = self.buf();
                if !buf.ends_with('\n') {
                    buf.push('\n');
                }
                buf.push_str("```");
                self.block();
            }
            "a" => {
                let href = self.links.pop().unwrap_or_default();
                self.buf().push_str(&format!("]({href})"));
            }
            "figcaption" => self.in_caption = false,
            "figure" => {
                let Some((src, alt, caption)) = self.figure.take() else {
                    return Ok(());
                };
                let title = caption.map_or(String::new(), |c| {
                    format!(" \"{}\"", c.trim().replace('"', "'"))
                });
                let text = format!("![{}]({src}{title})", escape(&alt));
                self.buf().push_str(&text);
                self.block();
            }
            "ul" | "ol" => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.block();
                }
            }
            "blockquote" => {
                let quote = self.out.pop().unwrap_or_default();
                let quoted: Vec<String> = quote
                    .trim()
                    .lines()
                    .map(|l| {
                        if l.is_empty() {
                            ">".to_string()
                        } else {
                            format!("> {l}")
                        }
                    })
                    .collect();
                self.block();
                self.buf().push_str(&quoted.join("\n"));
                self.block();
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &str) {
        if self.in_caption {
            if let Some((_, _, caption)) = &mut self.figure {
                caption
                    .get_or_insert_with(String::new)
                    .push_str(&collapse(text));
            }
            return;
        }
        if self.in_pre {
            self.buf().push_str(text);
            return;
        }
        let text = collapse(text);
        let buf = self.buf();
        // Whitespace at the start of a block or after a line's marker is
        // layout, not text.
        let text = if buf.is_empty() || buf.ends_with('\n') || buf.ends_with(' ') {
            text.trim_start().to_string()
        } else {
            text
        };
        let escaped = escape(&text);
        self.buf().push_str(&escaped);
    }

    fn finish(mut self) -> String {
        while self.out.len() > 1 {
            let inner = self.out.pop().unwrap_or_default();
            self.buf().push_str(&inner);
        }
        let out = self.out.pop().unwrap_or_default();
        let mut out = out.trim().to_string();
        out.push('\n');
        out
    }
}

/// Runs of whitespace as one space, as browsers show them.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// Text that Markdown would read as markup, escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '*' | '_' | '[' | ']' | '`' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_html_becomes_markdown() {
        let html = "<p>Le <strong>Dialogue</strong> est <em>ouvert</em> : lire <a href=\"/x/\">la page</a>.</p>\n\
                    <h2 class=\"wp-block-heading\">Comment ?</h2>\n\
                    <ul class=\"wp-block-list\"><li>un <em>a</em> ;</li><li>deux</li></ul>\n\
                    <ol><li>premier</li><li>second<ul><li>dedans</li></ul></li></ol>\n\
                    <blockquote><p>Une citation.</p></blockquote>\n\
                    <figure class=\"wp-block-image\"><img src=\"/a.jpg\" alt=\"Une carte\" width=\"320\"/><figcaption>Le Sahel</figcaption></figure>\n\
                    <p>5 * 3 [note]<br>suite</p>";
        let md = convert(html).unwrap();
        assert_eq!(
            md,
            "Le **Dialogue** est *ouvert* : lire [la page](/x/).\n\n\
             ## Comment ?\n\n\
             - un *a* ;\n- deux\n\n\
             1. premier\n2. second\n   - dedans\n\n\
             > Une citation.\n\n\
             ![Une carte](/a.jpg \"Le Sahel\")\n\n\
             5 \\* 3 \\[note\\]\\\nsuite\n"
        );
    }

    #[test]
    fn what_markdown_cannot_say_keeps_the_html() {
        assert_eq!(
            convert("<table><tr><td>1</td></tr></table>"),
            Err(Kept("<table>".into()))
        );
        assert_eq!(
            convert("<iframe src=\"x\"></iframe>"),
            Err(Kept("<iframe>".into()))
        );
        assert_eq!(
            convert("<p style=\"color:red\">x</p>"),
            Err(Kept("<p style=…>".into()))
        );
    }
}
