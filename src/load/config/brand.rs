//! `[organisation]` and `[colors]`: who publishes the site and the colours
//! of its theme, set in config.toml so that no template needs editing.
//! Colours are checked against the theme's own for WCAG AA contrast.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, Diagnostics};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOrganisation {
    name: Option<Spanned<toml::Value>>,
    address: Option<Spanned<toml::Value>>,
    email: Option<Spanned<String>>,
    phone: Option<Spanned<String>>,
    logo: Option<Spanned<String>>,
}

/// The organisation the footer presents, and its logo.
#[derive(Debug, Clone, Default)]
pub struct Organisation {
    /// Language → name; empty when not set (the footer shows the site title).
    pub name: BTreeMap<String, String>,
    /// Language → postal address, one line per line.
    pub address: BTreeMap<String, Vec<String>>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// A file of `static/`, shown in the header beside the title.
    pub logo: Option<String>,
    logo_span: Range<usize>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawColors {
    accent: Option<Spanned<String>>,
    band: Option<Spanned<String>>,
    dark_accent: Option<Spanned<String>>,
}

/// Colours replacing the default theme's (`#rrggbb`).
#[derive(Debug, Clone, Default)]
pub struct Colors {
    /// Links and buttons on a light background.
    pub accent: Option<String>,
    /// The header and footer bands.
    pub band: Option<String>,
    /// Links and buttons when the reader's system asks for a dark scheme.
    pub dark_accent: Option<String>,
}

/// The default theme's colours the configured ones are drawn beside (the
/// same as in its `style.css`).
pub mod theme {
    pub const INK: &str = "#1d2530";
    pub const MUTED: &str = "#4d5866";
    pub const DARK_MUTED: &str = "#b4bdc8";
    pub const PAPER: &str = "#ffffff";
    pub const BAND: &str = "#f2f5f8";
    pub const ACCENT: &str = "#0b5c8a";
    pub const DARK_INK: &str = "#e6eaef";
    pub const DARK_PAPER: &str = "#14181d";
    pub const DARK_BAND: &str = "#1d232b";
    pub const DARK_ACCENT: &str = "#7cc4f0";
}

/// WCAG 2.1 AA: normal text needs 4.5:1.
const TEXT_CONTRAST: f64 = 4.5;

fn error(text: &str, span: Range<usize>, message: crate::messages::Message) -> Diagnostic {
    Diagnostic::error(message).at_span(CONFIG_FILE, text, span)
}

/// A text given once for every language, or as `{ fr = "…", en = "…" }`.
fn per_language(
    value: Option<Spanned<toml::Value>>,
    key: &str,
    languages: &[String],
    text: &str,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let Some(value) = value else {
        return BTreeMap::new();
    };
    let span = value.span();
    match value.into_inner() {
        toml::Value::String(one) => languages.iter().map(|l| (l.clone(), one.clone())).collect(),
        toml::Value::Table(table) => {
            let mut texts = BTreeMap::new();
            for (lang, value) in table {
                match value {
                    toml::Value::String(s) if languages.contains(&lang) => {
                        texts.insert(lang, s);
                    }
                    toml::Value::String(_) => diagnostics.push(
                        error(
                            text,
                            span.clone(),
                            msg!("config.text_unknown_language", key, lang),
                        )
                        .with_help(msg!(
                            "config.text_languages_help",
                            languages = languages.join(", ")
                        )),
                    ),
                    _ => diagnostics.push(
                        error(text, span.clone(), msg!("config.text_not_text", key))
                            .with_help(msg!("config.text_help", key)),
                    ),
                }
            }
            let missing: Vec<&str> = languages
                .iter()
                .filter(|l| !texts.contains_key(*l))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                diagnostics.push(
                    error(
                        text,
                        span,
                        msg!("config.text_missing", key, languages = missing.join(", ")),
                    )
                    .with_help(msg!("config.text_help", key)),
                );
            }
            texts
        }
        _ => {
            diagnostics.push(
                error(text, span, msg!("config.text_not_text", key))
                    .with_help(msg!("config.text_help", key)),
            );
            BTreeMap::new()
        }
    }
}

impl Organisation {
    pub(super) fn resolve(
        raw: RawOrganisation,
        languages: &[String],
        text: &str,
        diagnostics: &mut Diagnostics,
    ) -> Organisation {
        let name = per_language(raw.name, "name", languages, text, diagnostics);
        let address = per_language(raw.address, "address", languages, text, diagnostics)
            .into_iter()
            .map(|(lang, address)| {
                let lines = address
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect();
                (lang, lines)
            })
            .collect();
        let logo_span = raw.logo.as_ref().map_or(0..0, Spanned::span);
        let logo = raw.logo.map(Spanned::into_inner).and_then(|logo| {
            let path = logo.trim_start_matches('/').to_string();
            if crate::output::is_safe_relative(&path) {
                Some(path)
            } else {
                diagnostics.push(
                    error(
                        text,
                        logo_span.clone(),
                        msg!("config.logo_path", path = &logo),
                    )
                    .with_help(msg!("config.logo_help")),
                );
                None
            }
        });
        Organisation {
            name,
            address,
            email: raw.email.map(Spanned::into_inner),
            phone: raw.phone.map(Spanned::into_inner),
            logo,
            logo_span,
        }
    }

    /// The logo must be a file of the site's `static/` folder.
    pub fn check_logo(&self, root: &Path, text: &str) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if let Some(logo) = &self.logo
            && !root.join("static").join(logo).is_file()
        {
            diagnostics.push(
                error(
                    text,
                    self.logo_span.clone(),
                    msg!("config.logo_missing", path = format!("static/{logo}")),
                )
                .with_help(msg!("config.logo_help")),
            );
        }
        diagnostics
    }
}

impl Colors {
    pub(super) fn resolve(raw: RawColors, text: &str, diagnostics: &mut Diagnostics) -> Colors {
        let mut color = |value: Option<Spanned<String>>, key: &str| {
            let value = value?;
            match parse_hex(value.get_ref()) {
                Some(_) => Some((value.get_ref().to_ascii_lowercase(), value.span())),
                None => {
                    diagnostics.push(
                        error(
                            text,
                            value.span(),
                            msg!("config.color_format", key, value = value.get_ref()),
                        )
                        .with_help(msg!("config.color_format_help")),
                    );
                    None
                }
            }
        };
        let accent = color(raw.accent, "accent");
        let band = color(raw.band, "band");
        let dark_accent = color(raw.dark_accent, "dark_accent");
        let band_or_theme = band.as_ref().map_or(theme::BAND, |(c, _)| c.as_str());
        // Each pair once, at the colour the site set (the band's when the
        // text colour is the theme's).
        let mut check = |key: &str, span: &Range<usize>, color: &str, background: &str| {
            let ratio = contrast(color, background);
            if ratio < TEXT_CONTRAST {
                let help = if key == "band" {
                    msg!("config.band_contrast_help")
                } else {
                    msg!("config.color_contrast_help")
                };
                diagnostics.push(
                    error(
                        text,
                        span.clone(),
                        msg!(
                            "config.color_contrast",
                            key,
                            color,
                            background,
                            ratio = format!("{ratio:.2}")
                        ),
                    )
                    .with_help(help),
                );
            }
        };
        if let Some((color, span)) = &accent {
            check("accent", span, color, theme::PAPER);
            check("accent", span, color, band_or_theme);
        }
        if let Some((band_color, span)) = &band {
            // The band carries the ink's text, muted dates and notes, and links.
            check("band", span, theme::INK, band_color);
            check("band", span, theme::MUTED, band_color);
            if accent.is_none() {
                check("band", span, theme::ACCENT, band_color);
            }
        }
        if let Some((color, span)) = &dark_accent {
            check("dark_accent", span, color, theme::DARK_PAPER);
            check("dark_accent", span, color, theme::DARK_BAND);
        }
        Colors {
            accent: accent.map(|(c, _)| c),
            band: band.map(|(c, _)| c),
            dark_accent: dark_accent.map(|(c, _)| c),
        }
    }
}

/// `#rgb` or `#rrggbb` as red, green and blue.
fn parse_hex(color: &str) -> Option<[u8; 3]> {
    let hex = color.strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |s: &str| u8::from_str_radix(s, 16).ok();
    match hex.len() {
        3 => {
            let mut rgb = [0; 3];
            for (i, c) in hex.chars().enumerate() {
                rgb[i] = channel(&c.to_string())? * 17;
            }
            Some(rgb)
        }
        6 => Some([
            channel(&hex[0..2])?,
            channel(&hex[2..4])?,
            channel(&hex[4..6])?,
        ]),
        _ => None,
    }
}

/// WCAG relative luminance of a colour already known to parse.
fn luminance(color: &str) -> f64 {
    let rgb = parse_hex(color).unwrap_or_default();
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

/// The WCAG contrast ratio of two colours, from 1 to 21.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast("#fff", "#ffffff") - 1.0).abs() < 1e-9);
        // A known pair: #767676 on white is the lightest grey at 4.5:1.
        let grey = contrast("#767676", "#ffffff");
        assert!((4.5..4.6).contains(&grey), "{grey}");
        assert_eq!(parse_hex("#0b5c8a"), Some([0x0b, 0x5c, 0x8a]));
        assert_eq!(parse_hex("0b5c8a"), None);
        assert_eq!(parse_hex("#0b5c8"), None);
        assert_eq!(parse_hex("#ggg"), None);
    }

    /// The theme's own palette meets what configured colours must meet.
    #[test]
    fn the_theme_palette_is_readable() {
        use theme::*;
        let pairs = [
            (INK, PAPER),
            (INK, BAND),
            (MUTED, PAPER),
            (MUTED, BAND),
            (DARK_MUTED, DARK_PAPER),
            (DARK_MUTED, DARK_BAND),
            (ACCENT, PAPER),
            (ACCENT, BAND),
            (DARK_INK, DARK_PAPER),
            (DARK_INK, DARK_BAND),
            (DARK_ACCENT, DARK_PAPER),
            (DARK_ACCENT, DARK_BAND),
        ];
        for (text, background) in pairs {
            let ratio = contrast(text, background);
            assert!(ratio >= TEXT_CONTRAST, "{text} on {background}: {ratio:.2}");
        }
    }

    /// The palette here is the one `style.css` uses.
    #[test]
    fn the_stylesheet_uses_the_same_palette() {
        let css = include_str!("../../../themes/default/static/style.css");
        for color in [
            theme::INK,
            theme::MUTED,
            theme::DARK_MUTED,
            theme::BAND,
            theme::ACCENT,
            theme::DARK_INK,
            theme::DARK_PAPER,
            theme::DARK_BAND,
            theme::DARK_ACCENT,
        ] {
            assert!(css.contains(color), "style.css lacks {color}");
        }
    }
}
