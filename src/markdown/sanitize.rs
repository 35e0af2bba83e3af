//! `[markdown] safe = true`: the HTML of each body goes through ammonia, an
//! allow-list sanitiser, so raw HTML from less trusted authors cannot run
//! scripts (no `<script>`, `<iframe>` or `<style>`, no `on…` handlers, no
//! `javascript:` URLs) while everything portail's own Markdown output uses
//! is kept: heading anchors, footnotes, task lists, highlighted code, table
//! alignment.

use std::collections::HashSet;
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut cleaner = ammonia::Builder::default();
    cleaner
        // Anchors, footnote links, highlighting classes, task-list labels
        // (classes and ids filtered below).
        .add_generic_attributes(["id", "class", "aria-label", "aria-hidden"])
        .add_tags(["input", "section", "picture", "source"])
        // Processed pictures (see `crate::pictures::html`).
        .add_tag_attributes("source", ["type", "srcset", "sizes"])
        .add_tag_attributes("img", ["srcset", "sizes", "decoding", "loading"])
        .add_tag_attributes("input", ["checked", "disabled"])
        .set_tag_attribute_value("input", "type", "checkbox")
        .add_tag_attributes("a", ["type"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("time", ["datetime"])
        .filter_style_properties(HashSet::from(["text-align"]))
        // Links inside the site stay as they are: they were resolved before.
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .attribute_filter(|_, attribute, value| match attribute {
            "class" => markdown_classes(value).map(Into::into),
            // The theme's own ids stay the theme's (its scripts find them).
            "id" if THEME_IDS.contains(&value) => None,
            _ => Some(value.into()),
        });
    cleaner
});

/// Ids the default theme's pages and scripts use.
const THEME_IDS: &[&str] = &[
    "main",
    "site-search-input",
    "search-results",
    "home-title",
    "home-latest",
    "home-upcoming",
    "home-featured",
    "home-sections",
    "upcoming",
    "past",
    "archive",
    "documents-title",
    "related-title",
];

/// The classes Markdown output uses (code, highlighting, footnotes) from
/// `value`; raw HTML cannot borrow the theme's (`events-upcoming`…).
fn markdown_classes(value: &str) -> Option<String> {
    let kept: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|class| {
            class.starts_with("hl-")
                || class.starts_with("language-")
                || class.starts_with("footnote-")
                || *class == "code"
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join(" "))
}

/// `html` with everything that could run removed.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_processed_picture() {
        let picture = concat!(
            r#"<picture><source type="image/webp" srcset="/p/a.1.480.webp 480w" sizes="100vw">"#,
            r#"<img src="/p/a.1.480.jpg" srcset="/p/a.1.480.jpg 480w" sizes="100vw" "#,
            r#"width="480" height="360" alt="A" loading="lazy" decoding="async"></picture>"#,
        );
        assert_eq!(clean(picture), picture);
    }

    #[test]
    fn removes_what_runs_and_keeps_what_markdown_makes() {
        let html = clean(concat!(
            r#"<h2 id="contexte">Contexte</h2>"#,
            r#"<p><a href="javascript:alert(1)">x</a> <a href="/fr/a/#b">y</a> "#,
            r#"<img src="a.svg" alt="A" onerror="alert(1)"></p>"#,
            r#"<script>alert(1)</script><iframe src="https://example.org/"></iframe>"#,
            r#"<style>body{display:none}</style>"#,
            r#"<ul><li><input type="checkbox" disabled checked aria-label="fait"> a</li></ul>"#,
            r#"<table><tr><th style="text-align: center; background: url(x)">T</th></tr></table>"#,
            r#"<pre class="code"><code><span class="hl-string">"s"</span></code></pre>"#,
            r##"<sup class="footnote-reference"><a href="#1">1</a></sup>"##,
            r#"<input type="text" value="x"><div onclick="alert(1)">d</div>"#,
            r#"<ul class="events-upcoming page-list"><li id="main">m</li></ul>"#,
            r#"<pre class="code evil"><code class="language-json">{}</code></pre>"#,
        ));
        for gone in [
            "javascript:",
            "onerror",
            "<script",
            "alert(1)",
            "<iframe",
            "<style",
            "display",
            "onclick",
            "background",
            "type=\"text\"",
            "events-upcoming",
            "id=\"main\"",
            "evil",
        ] {
            assert!(!html.contains(gone), "{gone} in {html}");
        }
        for kept in [
            r#"<h2 id="contexte">"#,
            r#"<a href="/fr/a/#b">y</a>"#,
            r#"<img src="a.svg" alt="A">"#,
            r#"aria-label="fait""#,
            r#"type="checkbox""#,
            r#"style="text-align:center""#,
            r#"<span class="hl-string">"#,
            r##"<a href="#1">1</a>"##,
            "<div>d</div>",
            r#"<input type="checkbox">"#,
            r#"<pre class="code"><code class="language-json">"#,
        ] {
            assert!(html.contains(kept), "{kept} not in {html}");
        }
    }
}
