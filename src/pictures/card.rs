//! Share cards: the picture a page without one of its own shows when it is
//! shared — its title, the site's name and logo, in the accent colour.
//! Drawn as SVG with a font built into portail (the same card on every
//! machine), rendered by `resvg` and encoded as PNG (sharp text, small
//! files for flat colours).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use resvg::{tiny_skia, usvg};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use super::{Problem, SHARE_SIZE};
use crate::escape::html as escape;

/// DejaVu Sans Bold (see `fonts/README.md`).
const FONT: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");
const FAMILY: &str = "DejaVu Sans";

/// The default theme's ink and band colours (see `config::brand::theme`).
const INK: &str = crate::load::config::brand::theme::INK;
const BAND: &str = crate::load::config::brand::theme::BAND;

/// Left margin, and the width the title may take.
const MARGIN: f32 = 80.0;
const TITLE_WIDTH: f32 = SHARE_SIZE.0 as f32 - 2.0 * MARGIN;
/// The title's area: from the top margin to the band with the site's name.
const TITLE_TOP: f32 = 72.0;
const BAND_TOP: f32 = 496.0;
/// Title sizes tried, largest first, and the most lines a title takes.
const TITLE_SIZES: [f32; 5] = [76.0, 68.0, 60.0, 52.0, 46.0];
const LINE_HEIGHT: f32 = 1.2;
const SITE_SIZES: [f32; 4] = [36.0, 32.0, 28.0, 25.0];
const LOGO_SIZE: f32 = 80.0;

/// What a card shows.
#[derive(Debug, Clone, Hash)]
pub struct Card<'a> {
    /// The page's title, typeset in its language.
    pub title: &'a str,
    pub site: &'a str,
    pub lang: &'a str,
    /// Written right to left: the card is laid out as a mirror.
    pub rtl: bool,
}

/// The look every card of a site shares: its accent colour and logo.
#[derive(Debug, Clone, Hash, Default)]
pub struct Brand {
    pub accent: String,
    /// The logo's bytes and its MIME type.
    pub logo: Option<(Vec<u8>, &'static str)>,
}

/// Draws cards: the font parsed once, the brand's logo ready to embed.
pub struct Painter {
    options: usvg::Options<'static>,
    metrics: FontMetrics,
    accent: String,
    /// The logo as a `data:` address.
    logo: Option<String>,
    /// The part of the cards drawn once, by the site's name and direction.
    bases: Mutex<HashMap<(String, bool), Arc<tiny_skia::Pixmap>>>,
}

impl Painter {
    pub fn new(brand: &Brand) -> Result<Self, Problem> {
        let mut options = usvg::Options {
            font_family: FAMILY.to_string(),
            ..usvg::Options::default()
        };
        // Only the built-in font: no system font may change a card.
        options.fontdb_mut().load_font_data(FONT.to_vec());
        let logo = brand.logo.as_ref().map(|(bytes, mime)| {
            let data = base64::engine::general_purpose::STANDARD.encode(bytes);
            format!("data:{mime};base64,{data}")
        });
        Ok(Painter {
            options,
            metrics: FontMetrics::new()?,
            accent: brand.accent.clone(),
            logo,
            bases: Mutex::default(),
        })
    }

    /// The card as PNG.
    pub fn paint(&self, card: &Card) -> Result<Vec<u8>, Problem> {
        let mut pixmap = (*self.base(card.site, card.rtl)?).clone();
        let title = self.tree(&self.title_svg(card))?;
        resvg::render(
            &title,
            tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
        let (width, height) = SHARE_SIZE;
        // A card has a few flat colours and the shades of its text's edges:
        // some hundred colours, which a palette holds exactly in a third of
        // the bytes (a picture as logo may need more).
        let encoded = match palette(pixmap.data()) {
            Some((palette, indices)) => png_of(&indices, Some(&palette), (width, height)),
            None => {
                let rgb: Vec<u8> = (pixmap.data().chunks_exact(4))
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect();
                png_of(&rgb, None, (width, height))
            }
        };
        encoded.map_err(|err| Problem::Unreadable(err.to_string()))
    }

    fn tree(&self, svg: &str) -> Result<usvg::Tree, Problem> {
        usvg::Tree::from_str(svg, &self.options).map_err(|err| Problem::Unreadable(err.to_string()))
    }

    /// What every card of a site's language shares, drawn once: most of
    /// a card's drawing.
    fn base(&self, site: &str, rtl: bool) -> Result<Arc<tiny_skia::Pixmap>, Problem> {
        let key = (site.to_string(), rtl);
        if let Some(base) = self.bases.lock().ok().and_then(|b| b.get(&key).cloned()) {
            return Ok(base);
        }
        let (width, height) = SHARE_SIZE;
        let mut pixmap = tiny_skia::Pixmap::new(width, height)
            .ok_or_else(|| Problem::Unreadable("empty card".into()))?;
        let tree = self.tree(&self.base_svg(site, rtl))?;
        resvg::render(
            &tree,
            tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
        let base = Arc::new(pixmap);
        if let Ok(mut bases) = self.bases.lock() {
            bases.insert(key, base.clone());
        }
        Ok(base)
    }

    /// A white page with an accent edge, and a band with the logo and the
    /// site's name (mirrored for a language written right to left).
    fn base_svg(&self, site: &str, rtl: bool) -> String {
        let (width, height) = SHARE_SIZE;
        let side = Side { rtl };
        let site_x = match self.logo {
            Some(_) => MARGIN + LOGO_SIZE + 28.0,
            None => MARGIN,
        };
        let logo = self.logo.as_ref().map_or(String::new(), |href| {
            format!(
                "<image x=\"{x}\" y=\"{y}\" width=\"{LOGO_SIZE}\" height=\"{LOGO_SIZE}\" \
                 href=\"{href}\" preserveAspectRatio=\"xMidYMid meet\"/>",
                x = side.x(MARGIN, LOGO_SIZE),
                y = BAND_TOP + (height as f32 - BAND_TOP - LOGO_SIZE) / 2.0 + 3.0,
            )
        });
        // A long name takes a smaller size before it is cut.
        let room = width as f32 - site_x - MARGIN;
        let site_size = (SITE_SIZES.into_iter())
            .find(|size| self.metrics.advance(site, *size) <= room)
            .unwrap_or(SITE_SIZES[SITE_SIZES.len() - 1]);
        let site = (self.metrics).fit_line(site, site_size, room);
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\">\
             <rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\
             <rect x=\"{edge_x}\" width=\"24\" height=\"{height}\" fill=\"{accent}\"/>\
             <rect x=\"{band_x}\" y=\"{BAND_TOP}\" width=\"{band_width}\" height=\"{band}\" fill=\"{BAND}\"/>\
             <rect x=\"{band_x}\" y=\"{BAND_TOP}\" width=\"{band_width}\" height=\"6\" fill=\"{accent}\"/>\
             {site}{logo}</svg>",
            accent = escape(&self.accent),
            edge_x = side.x(0.0, 24.0),
            band_x = side.x(24.0, width as f32 - 24.0),
            band_width = width as f32 - 24.0,
            band = height as f32 - BAND_TOP,
            site = side.text(
                site_x,
                BAND_TOP + (height as f32 - BAND_TOP) / 2.0 + site_size / 2.8 + 3.0,
                &format!(
                    "font-family=\"{FAMILY}\" font-weight=\"bold\" fill=\"{INK}\" \
                     font-size=\"{site_size}\""
                ),
                &site
            ),
        )
    }

    /// The title, as large as fits, on a transparent page.
    fn title_svg(&self, card: &Card) -> String {
        let (width, height) = SHARE_SIZE;
        let (size, lines) = self.metrics.fit(card.title);
        let side = Side { rtl: card.rtl };
        let mut title = String::new();
        for (i, line) in lines.iter().enumerate() {
            let y = TITLE_TOP + size + i as f32 * size * LINE_HEIGHT;
            title.push_str(&side.text(MARGIN, y, &format!("font-size=\"{size}\""), line));
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
             xml:lang=\"{lang}\"><g font-family=\"{FAMILY}\" font-weight=\"bold\" \
             fill=\"{INK}\">{title}</g></svg>",
            lang = escape(card.lang),
        )
    }
}

/// Where things go on a card: as laid out for left-to-right text, or
/// mirrored.
#[derive(Clone, Copy)]
struct Side {
    rtl: bool,
}

impl Side {
    /// The left edge of something `width` wide whose left-to-right place
    /// starts at `x`.
    fn x(self, x: f32, width: f32) -> f32 {
        if self.rtl {
            SHARE_SIZE.0 as f32 - x - width
        } else {
            x
        }
    }

    /// A line of text starting `x` from the edge it runs from. The SVG
    /// renderer reads every line as a left-to-right paragraph: a right-to-
    /// left line is isolated (U+2067 … U+2069) so that its numbers and
    /// Latin words fall in their right places.
    fn text(self, x: f32, y: f32, attributes: &str, text: &str) -> String {
        if self.rtl {
            format!(
                "<text x=\"{}\" y=\"{y}\" text-anchor=\"end\" {attributes}>\u{2067}{}\u{2069}</text>",
                SHARE_SIZE.0 as f32 - x,
                escape(text)
            )
        } else {
            format!(
                "<text x=\"{x}\" y=\"{y}\" {attributes}>{}</text>",
                escape(text)
            )
        }
    }
}

/// The colours of opaque RGBA `pixels` (RGB, at most 256) and each
/// pixel's index among them; `None` with more colours.
fn palette(pixels: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut index: rustc_hash::FxHashMap<[u8; 3], u8> = Default::default();
    let mut palette = Vec::new();
    let mut indices = Vec::with_capacity(pixels.len() / 4);
    // Neighbours are mostly alike: the last colour is looked up first.
    let mut last: Option<([u8; 3], u8)> = None;
    for pixel in pixels.chunks_exact(4) {
        let colour = [pixel[0], pixel[1], pixel[2]];
        let i = match last {
            Some((c, i)) if c == colour => i,
            _ => {
                let next = index.len();
                let i = *index.entry(colour).or_insert_with(|| {
                    palette.extend_from_slice(&colour);
                    next.min(255) as u8
                });
                if index.len() > 256 {
                    return None;
                }
                last = Some((colour, i));
                i
            }
        };
        indices.push(i);
    }
    Some((palette, indices))
}

/// `data` of `size` as PNG: indices into `palette`, or RGB without one.
fn png_of(
    data: &[u8],
    palette: Option<&[u8]>,
    (width, height): (u32, u32),
) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_depth(png::BitDepth::Eight);
    match palette {
        Some(palette) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(palette.to_vec());
        }
        None => encoder.set_color(png::ColorType::Rgb),
    }
    encoder.set_compression(png::Compression::Fast);
    encoder.write_header()?.write_image_data(data)?;
    Ok(out)
}

/// The built-in font's measures, read once.
struct FontMetrics {
    charmap: skrifa::charmap::Charmap<'static>,
    glyphs: skrifa::metrics::GlyphMetrics<'static>,
    units_per_em: f32,
}

impl FontMetrics {
    fn new() -> Result<Self, Problem> {
        let font =
            skrifa::FontRef::new(FONT).map_err(|err| Problem::Unreadable(err.to_string()))?;
        Ok(FontMetrics {
            charmap: font.charmap(),
            glyphs: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em: f32::from(
                font.metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em,
            ),
        })
    }
    /// The largest size the title fits at in the title's area, and its lines;
    /// at the smallest size, what does not fit ends with an ellipsis.
    fn fit(&self, title: &str) -> (f32, Vec<String>) {
        let room = BAND_TOP - TITLE_TOP - 24.0;
        for size in TITLE_SIZES {
            let max_lines = (room / (size * LINE_HEIGHT)).floor() as usize;
            let lines = self.wrap(title, size, TITLE_WIDTH);
            if lines.len() <= max_lines {
                return (size, lines);
            }
        }
        let size = TITLE_SIZES[TITLE_SIZES.len() - 1];
        let max_lines = (room / (size * LINE_HEIGHT)).floor() as usize;
        let mut lines = self.wrap(title, size, TITLE_WIDTH);
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = self.fit_line(&format!("{last} …"), size, TITLE_WIDTH);
            if !last.ends_with('…') {
                last.push_str(" …");
                *last = self.fit_line(last, size, TITLE_WIDTH);
            }
        }
        (size, lines)
    }

    /// `text` cut into lines no wider than `width` at `size`, at spaces (never
    /// at a no-break space: « » and the space before ; : ! ? stay with their
    /// word); a word wider than a line is cut where it must be.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let candidate = match line.is_empty() {
                true => word.to_string(),
                false => format!("{line} {word}"),
            };
            if self.advance(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word alone wider than a line.
            let mut rest = word.to_string();
            while self.advance(&rest, size) > width {
                let cut = self.longest_fitting(&rest, size, width).max(1);
                let tail = rest.split_off(char_boundary(&rest, cut));
                lines.push(rest);
                rest = tail;
            }
            line = rest;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// `text` on one line of `width`, cut with an ellipsis if it is wider.
    fn fit_line(&self, text: &str, size: f32, width: f32) -> String {
        if self.advance(text, size) <= width {
            return text.to_string();
        }
        let ellipsis = self.advance("…", size);
        let keep = self.longest_fitting(text, size, width - ellipsis);
        let kept = &text[..char_boundary(text, keep)];
        format!("{}…", kept.trim_end())
    }

    /// How many characters of `text` fit in `width`.
    fn longest_fitting(&self, text: &str, size: f32, width: f32) -> usize {
        let mut used = 0.0;
        for (n, c) in text.chars().enumerate() {
            used += self.char_advance(c, size);
            if used > width {
                return n;
            }
        }
        text.chars().count()
    }

    /// The width of `text` at `size` (kerning left out: a line is a little
    /// narrower drawn than measured, never wider).
    fn advance(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.char_advance(c, size)).sum()
    }

    fn char_advance(&self, c: char, size: f32) -> f32 {
        let metrics = self;
        let glyph = metrics.charmap.map(c).unwrap_or_default();
        let units = metrics.glyphs.advance_width(glyph).unwrap_or(0.0);
        units * size / metrics.units_per_em
    }
}

/// The byte offset of character `n` of `text`.
fn char_boundary(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> FontMetrics {
        FontMetrics::new().unwrap()
    }

    #[test]
    fn a_short_title_takes_the_largest_size_on_one_line() {
        let (size, lines) = metrics().fit("Bienvenue");
        assert_eq!(size, TITLE_SIZES[0]);
        assert_eq!(lines, ["Bienvenue"]);
    }

    #[test]
    fn a_long_title_wraps_at_spaces_and_never_before_a_colon() {
        let title = "Journée d’étude\u{a0}: la mobilité des jeunes chercheurs entre les deux rives de la Méditerranée";
        let m = metrics();
        let (size, lines) = m.fit(title);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| m.advance(l, size) <= TITLE_WIDTH));
        assert!(lines.iter().all(|l| !l.starts_with(':')), "{lines:?}");
        assert_eq!(lines.join(" "), title);
    }

    #[test]
    fn a_title_too_long_for_the_card_ends_with_an_ellipsis() {
        let title = "mot ".repeat(200);
        let m = metrics();
        let (size, lines) = m.fit(&title);
        assert_eq!(size, TITLE_SIZES[TITLE_SIZES.len() - 1]);
        let last = lines.last().unwrap();
        assert!(last.ends_with('…'), "{last}");
        assert!(m.advance(last, size) <= TITLE_WIDTH);
    }

    #[test]
    fn a_word_wider_than_a_line_is_cut() {
        let lines = metrics().wrap(&"x".repeat(80), 76.0, TITLE_WIDTH);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), "x".repeat(80));
    }

    #[test]
    fn the_card_is_a_png_of_the_share_size() {
        let painter = Painter::new(&Brand {
            accent: "#0b5c8a".into(),
            logo: None,
        })
        .unwrap();
        let card = Card {
            title: "Un titre",
            site: "Le site",
            lang: "fr",
            rtl: false,
        };
        let png = painter.paint(&card).unwrap();
        let image = image::load_from_memory(&png).unwrap();
        assert_eq!((image.width(), image.height()), SHARE_SIZE);
        assert_eq!(painter.paint(&card).unwrap(), png, "deterministic");
    }

    /// The columns where the title area (above the band) has ink.
    fn inked_columns(png: &[u8]) -> (u32, u32) {
        let image = image::load_from_memory(png).unwrap().into_rgb8();
        let columns: Vec<u32> = (30..SHARE_SIZE.0 - 30)
            .filter(|&x| (0..BAND_TOP as u32).any(|y| image.get_pixel(x, y).0[0] < 128))
            .collect();
        (columns[0], columns[columns.len() - 1])
    }

    #[test]
    fn a_right_to_left_card_is_a_mirror() {
        let painter = Painter::new(&Brand {
            accent: "#0b5c8a".into(),
            logo: None,
        })
        .unwrap();
        let card = |title, rtl| Card {
            title,
            site: "بوابة",
            lang: if rtl { "ar" } else { "fr" },
            rtl,
        };
        let png = painter.paint(&card("لجنة 2025", true)).unwrap();
        let (first, last) = inked_columns(&png);
        let right_edge = SHARE_SIZE.0 as f32 - MARGIN;
        assert!((last as f32 - right_edge).abs() < 12.0, "ends at {last}");
        assert!(
            first as f32 > SHARE_SIZE.0 as f32 / 2.0,
            "starts at {first}"
        );
        let image = image::load_from_memory(&png).unwrap().into_rgb8();
        let accent = [0x0b, 0x5c, 0x8a];
        assert_eq!(
            image.get_pixel(SHARE_SIZE.0 - 5, 20).0,
            accent,
            "edge on the right"
        );
        assert_ne!(image.get_pixel(5, 20).0, accent);
        let (first, _) = inked_columns(&painter.paint(&card("Un titre", false)).unwrap());
        assert!(
            (first as f32 - MARGIN).abs() < 12.0,
            "left to right starts at {first}"
        );
    }

    #[test]
    fn a_palette_holds_the_colours_exactly_or_gives_way() {
        let pixels: Vec<u8> = [[10, 20, 30, 255], [10, 20, 30, 255], [200, 0, 0, 255]].concat();
        let (colours, indices) = palette(&pixels).unwrap();
        assert_eq!(colours, [10, 20, 30, 200, 0, 0]);
        assert_eq!(indices, [0, 0, 1]);
        let png = png_of(&indices, Some(&colours), (3, 1)).unwrap();
        let back = image::load_from_memory(&png).unwrap().into_rgb8();
        assert_eq!(back.as_raw(), &[10, 20, 30, 10, 20, 30, 200, 0, 0]);
        // 257 colours: no palette.
        let many: Vec<u8> = (0..257u32)
            .flat_map(|i| [(i % 256) as u8, (i / 256) as u8, 0, 255])
            .collect();
        assert!(palette(&many).is_none());
        let exactly: Vec<u8> = (0..256u32).flat_map(|i| [i as u8, 0, 0, 255]).collect();
        assert_eq!(palette(&exactly).unwrap().1[255], 255);
    }
}
