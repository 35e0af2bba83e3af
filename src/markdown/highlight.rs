//! Fenced code highlighted by syntect into CSS classes (`hl-*`); the theme
//! ships the stylesheet. Syntax definitions load once, on first use.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::escape::html as escape_html;

pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// HTML for a code block in `lang` (empty when none was given).
pub fn code_block(code: &str, lang: &str) -> String {
    let escaped_lang = escape_html(lang);
    let syntax = (!lang.is_empty())
        .then(|| SYNTAXES.find_syntax_by_token(lang))
        .flatten();
    let inner = match syntax {
        Some(syntax) => {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
            let ok = LinesWithEndings::from(code).all(|line| {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_ok()
            });
            if ok {
                generator.finalize()
            } else {
                escape_html(code)
            }
        }
        None => escape_html(code),
    };
    if lang.is_empty() {
        format!("<pre class=\"code\"><code>{inner}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code\" data-lang=\"{escaped_lang}\"><code class=\"language-{escaped_lang}\">{inner}</code></pre>\n"
        )
    }
}

/// The stylesheet for the classes, from one of syntect's bundled themes.
pub fn stylesheet(theme_name: &str) -> Option<String> {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let theme = themes.themes.get(theme_name)?;
    syntect::html::css_for_theme_with_class_style(theme, CLASS_STYLE).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/static/syntax.css"
    );

    /// The theme's stylesheet is generated from syntect; set
    /// `PORTAIL_REGENERATE=1` to rewrite it after changing the theme name.
    #[test]
    fn shipped_stylesheet_matches_the_classes() {
        let css = format!(
            "/* Generated from syntect's InspiredGitHub theme. */\n{}",
            stylesheet("InspiredGitHub").unwrap()
        );
        if std::env::var_os("PORTAIL_REGENERATE").is_some() {
            std::fs::write(SHIPPED, &css).unwrap();
        }
        assert_eq!(std::fs::read_to_string(SHIPPED).unwrap(), css);
    }

    #[test]
    fn highlights_json_into_prefixed_classes() {
        let html = code_block("{\"a\": 1}\n", "json");
        assert!(
            html.starts_with(
                "<pre class=\"code\" data-lang=\"json\"><code class=\"language-json\">"
            ),
            "{html}"
        );
        assert!(html.contains("class=\"hl-"), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let html = code_block("<b>\n", "nosuchlang");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("hl-"), "{html}");
    }
}
