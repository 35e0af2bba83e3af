//! Pictures: each local JPEG, PNG or WebP image a page shows is decoded
//! once, turned upright (EXIF orientation), resized to the configured
//! widths (never enlarged) and encoded to WebP and to a fallback in its
//! own kind (JPEG, or PNG for pictures with transparency). Re-encoding
//! leaves every metadata block behind: no published picture keeps the
//! camera's EXIF or GPS position.
//!
//! Results are kept in a cache folder (`<cache>/images/<key>/`), keyed by
//! a hash of the source's bytes and the settings, so that `build`, `serve`
//! and CI process each picture once. Files are published under `pictures/`
//! with the key in their name: a changed picture gets new addresses, and
//! the files can be cached by browsers for ever.

mod card;
mod process;

pub use card::{Brand, Card};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use crate::load::config::ImageSettings;
use crate::memo::Key;
use crate::output::{Content, Origin, OutputFile};

/// Where processed pictures are published, below the site root.
pub const OUTPUT_DIR: &str = "pictures";

/// Bumped when processing changes, so that older cached results are not
/// taken for this version's.
const PROCESSING_VERSION: u32 = 2;

/// A picture once processed: its size upright, and its variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    /// From the narrowest; WebP and the fallback at each width.
    pub variants: Vec<Variant>,
    /// The original: its weight in bytes, its size upright.
    pub original: (u64, u32, u32),
    /// The folder of the cache that holds the variants' files.
    #[serde(skip)]
    pub folder: PathBuf,
    /// The variants' bytes, when the cache could not take them.
    #[serde(skip)]
    pub held: Option<Arc<Vec<Arc<Vec<u8>>>>>,
}

/// One published file of a picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Its path below the site root (`pictures/photo.3fa2b9c01d.800.webp`),
    /// and its file's name in the cache folder.
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Webp,
    Jpeg,
    Png,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
        }
    }
}

impl Picture {
    /// Whether the original is heavier or larger than `settings` find
    /// reasonable (a phone photo is 3 to 6 MB, 4,000 pixels wide).
    pub fn oversized(&self, settings: &ImageSettings) -> bool {
        let (bytes, width, height) = self.original;
        bytes as f64 > settings.warn_size_mb * 1_000_000.0
            || width.max(height) > settings.warn_pixels
    }

    /// What a wide screen loads of it: its widest WebP file's size.
    pub fn weight(&self) -> u64 {
        let widest = (self.variants.iter().enumerate()).rfind(|(_, v)| v.format == Format::Webp);
        widest.map_or(0, |(i, v)| {
            match self.held.as_ref().and_then(|h| h.get(i)) {
                Some(bytes) => bytes.len() as u64,
                None => {
                    std::fs::metadata(self.folder.join(file_name(&v.path))).map_or(0, |m| m.len())
                }
            }
        })
    }

    /// The variants of one format, narrowest first.
    pub fn of_format(&self, format: Format) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(move |v| v.format == format)
    }

    /// The fallback's format (every variant but WebP's).
    pub fn fallback(&self) -> Format {
        (self.variants.iter())
            .map(|v| v.format)
            .find(|f| *f != Format::Webp)
            .unwrap_or(Format::Jpeg)
    }

    /// The published files, read from the cache.
    pub fn files(&self, source: &str) -> impl Iterator<Item = OutputFile> + '_ {
        let origin = Origin::Asset(source.to_string());
        (self.variants.iter().enumerate()).map(move |(i, v)| OutputFile {
            path: v.path.clone(),
            content: match self.held.as_ref().and_then(|held| held.get(i)) {
                Some(bytes) => Content::Bytes(Arc::clone(bytes)),
                None => Content::Cached(self.folder.join(file_name(&v.path))),
            },
            origin: origin.clone(),
        })
    }
}

/// Why a picture could not be processed.
#[derive(Debug, Clone)]
pub enum Problem {
    /// No such file (the path as written resolved to it).
    Missing(PathBuf),
    /// It could not be read or decoded.
    Unreadable(String),
    /// A width asked makes it longer than a WebP picture can be (width,
    /// height at that width).
    TooLarge(u32, u32),
}

impl Problem {
    /// The error to show for picture `file` (as the author knows it),
    /// made by `error` at the place it was asked for.
    pub fn diagnostic(
        self,
        file: &str,
        error: impl Fn(crate::messages::Message) -> crate::diagnostics::Diagnostic,
    ) -> crate::diagnostics::Diagnostic {
        match self {
            Problem::Missing(_) => error(msg!("markdown.image_missing", file))
                .with_help(msg!("markdown.image_missing_help")),
            Problem::Unreadable(why) => error(msg!("markdown.image_unreadable", file, error = why))
                .with_help(msg!("markdown.image_unreadable_help")),
            Problem::TooLarge(width, height) => {
                error(msg!("markdown.image_too_large", file, width, height))
                    .with_help(msg!("markdown.image_too_large_help"))
            }
        }
    }
}

/// What is made of a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Every width, WebP and the fallback: for pages.
    Widths,
    /// One JPEG of 1,200×630, cropped about its centre: for share previews.
    Share,
}

/// The size of a share preview's picture (what the networks show best).
pub const SHARE_SIZE: (u32, u32) = (1200, 630);

/// The pictures of one build: processed on first request (pages render in
/// parallel), each once.
pub struct Pictures {
    settings: ImageSettings,
    cache: PathBuf,
    done: Mutex<HashMap<(PathBuf, Kind), Made>>,
    brand: Brand,
    /// The brand's hash, part of every card's key.
    brand_key: Key,
    /// What draws share cards, made on the first card.
    painter: OnceLock<Result<card::Painter, Problem>>,
}

/// A picture as processed, or why it could not be.
type Made = Result<Arc<Picture>, Problem>;

impl Pictures {
    /// Pictures processed with `settings`, cached in `cache` (the cache
    /// folder: results go to its `images/`).
    pub fn new(settings: &ImageSettings, cache: &Path, brand: Brand) -> Self {
        Pictures {
            settings: settings.clone(),
            cache: cache.join("images"),
            done: Mutex::new(HashMap::new()),
            brand_key: {
                let mut h = crate::memo::hasher();
                std::hash::Hash::hash(&brand, &mut h);
                h.key()
            },
            brand,
            painter: OnceLock::new(),
        }
    }

    /// What decides a share card: its texts, the brand, this code.
    pub fn card_key(&self, card: &Card) -> Key {
        let mut h = crate::memo::hasher();
        std::hash::Hash::hash(&(card, CARD_VERSION, self.brand_key), &mut h);
        h.key()
    }

    /// Share card `card` (whose key is `key`), drawn or taken from the
    /// cache: the cached file, or its bytes when the cache cannot take it
    /// (the build goes on; the cache's own warning says why).
    pub fn card(&self, card: &Card, key: Key) -> Result<Content, Problem> {
        let file = self.cache.join(format!("{key:032x}")).join(CARD_FILE);
        if file.is_file() {
            return Ok(Content::Cached(file));
        }
        let painter = (self.painter.get_or_init(|| card::Painter::new(&self.brand)))
            .as_ref()
            .map_err(Clone::clone)?;
        let png = painter.paint(card)?;
        Ok(match store_file(&file, &png) {
            Ok(()) => Content::Cached(file),
            Err(_) => Content::Bytes(Arc::new(png)),
        })
    }

    pub fn settings(&self) -> &ImageSettings {
        &self.settings
    }

    /// The picture in file `source`, processed or taken from the cache.
    pub fn get(&self, source: &Path, kind: Kind) -> Result<Arc<Picture>, Problem> {
        let id = (source.to_path_buf(), kind);
        if let Some(done) = self.done.lock().ok().and_then(|d| d.get(&id).cloned()) {
            return done;
        }
        let result = self.make(source, kind).map(Arc::new);
        if let Ok(mut done) = self.done.lock() {
            done.insert(id, result.clone());
        }
        result
    }

    fn make(&self, source: &Path, kind: Kind) -> Result<Picture, Problem> {
        let bytes = std::fs::read(source).map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => Problem::Missing(source.to_path_buf()),
            _ => Problem::Unreadable(err.to_string()),
        })?;
        let key = self.key(&bytes, kind);
        let folder = self.cache.join(format!("{key:032x}"));
        if let Some(picture) = cached(&folder) {
            return Ok(picture);
        }
        let stem = crate::load::slug::slugify(
            source
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("image"),
        );
        let stem = if stem.is_empty() {
            "image".to_string()
        } else {
            stem
        };
        let name = format!("{OUTPUT_DIR}/{stem}.{:010x}", key >> 88);
        let (mut picture, files) = match kind {
            Kind::Widths => process::process(&bytes, &self.settings, &name)?,
            Kind::Share => process::share(&bytes, self.settings.quality, &name)?,
        };
        picture.original.0 = bytes.len() as u64;
        let files: Vec<Arc<Vec<u8>>> = files.into_iter().map(Arc::new).collect();
        Ok(match store(&folder, &picture, &files) {
            Ok(()) => Picture { folder, ..picture },
            // The build goes on with the bytes at hand; the next one
            // processes the picture again.
            Err(_) => Picture {
                held: Some(Arc::new(files)),
                ..picture
            },
        })
    }

    /// What decides the result: the bytes, the settings, this code.
    fn key(&self, bytes: &[u8], kind: Kind) -> Key {
        let settings = (
            &self.settings.widths,
            self.settings.quality,
            self.settings.keep_metadata,
            PROCESSING_VERSION,
            kind,
        );
        let mut h = crate::memo::hasher();
        std::hash::Hash::hash(&settings, &mut h);
        std::hash::Hasher::write(&mut h, bytes);
        h.key()
    }
}

/// Bumped when cards are drawn differently.
const CARD_VERSION: u32 = 3;
const CARD_FILE: &str = "card.png";

/// Writes `bytes` to `file` through a temporary file beside it: a build
/// that stops half-way leaves no half file.
fn store_file(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = file.parent().unwrap_or(file);
    std::fs::create_dir_all(folder)?;
    let mut temp = tempfile::NamedTempFile::new_in(folder)?;
    std::io::Write::write_all(&mut temp, bytes)?;
    temp.persist(file).map_err(|err| err.error)?;
    Ok(())
}

/// The name of a variant's file in its cache folder.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

const MANIFEST: &str = "picture.json";

/// A picture the cache holds whole (its manifest is written last).
fn cached(folder: &Path) -> Option<Picture> {
    let text = std::fs::read(folder.join(MANIFEST)).ok()?;
    let picture: Picture = serde_json::from_slice(&text).ok()?;
    let whole = (picture.variants.iter()).all(|v| folder.join(file_name(&v.path)).is_file());
    whole.then(|| Picture {
        folder: folder.to_path_buf(),
        ..picture
    })
}

/// Writes a picture's files into a folder of its own beside `folder`, then
/// moves it into place: a build that stops half-way leaves no half picture.
fn store(folder: &Path, picture: &Picture, files: &[Arc<Vec<u8>>]) -> std::io::Result<()> {
    let parent = folder.parent().unwrap_or(folder);
    std::fs::create_dir_all(parent)?;
    let temp = tempfile::Builder::new()
        .prefix(".new-")
        .tempdir_in(parent)?;
    for (variant, bytes) in picture.variants.iter().zip(files) {
        std::fs::write(temp.path().join(file_name(&variant.path)), bytes.as_slice())?;
    }
    let manifest = serde_json::to_vec(picture).map_err(std::io::Error::other)?;
    std::fs::write(temp.path().join(MANIFEST), manifest)?;
    let temp = temp.keep();
    if let Err(err) = std::fs::rename(&temp, folder) {
        let _ = std::fs::remove_dir_all(&temp);
        // Another thread or process got there first, with the same result.
        if cached(folder).is_none() {
            return Err(err);
        }
    }
    Ok(())
}

/// Whether a path names a picture portail processes (by its extension).
pub fn is_raster(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(ext.as_deref(), Some("jpg" | "jpeg" | "png" | "webp"))
}

/// The file a picture's address in the page of `doc_file` (site-relative
/// path, `abs_file` on disk) leads to, when it is a local picture portail
/// processes: beside the page (`photo.jpg`), in the content (`@/news/…`)
/// or in the site's `static/` (`/images/…`). `None` for anything else
/// (another site, SVG, GIF).
pub fn source_file(doc_file: &str, abs_file: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    if !is_raster(path) {
        return None;
    }
    local_file(doc_file, abs_file, url)
}

/// The file of the site a local address (as in `source_file`) leads to;
/// `None` for another site's.
pub fn local_file(doc_file: &str, abs_file: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    if path.is_empty() || path.contains("://") || path.starts_with("//") {
        return None;
    }
    if path.starts_with("data:") || path.split('/').any(|part| part == "..") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let root = site_root(doc_file, abs_file)?;
    Some(match decoded.strip_prefix("@/") {
        Some(content) => root.join(crate::load::source::CONTENT_DIR).join(content),
        None => match decoded.strip_prefix('/') {
            Some(rooted) => root.join("static").join(rooted),
            None => abs_file.parent()?.join(decoded.as_ref()),
        },
    })
}

/// The site's folder, from a file's site-relative path and its path on disk.
pub fn site_root<'p>(rel_file: &str, abs_file: &'p Path) -> Option<&'p Path> {
    abs_file.ancestors().nth(rel_file.split('/').count())
}

/// The HTML of a picture: WebP for the browsers that take it, the
/// fallback for the others, every width for the browser to choose from,
/// and its size so that the page does not move when it arrives. Lazy,
/// but for the first picture of a page, which is likely in view.
pub fn html(
    picture: &Picture,
    alt: &str,
    url_of: impl Fn(&str) -> String,
    sizes: &str,
    first: bool,
) -> String {
    use crate::escape::html as escape;
    let srcset = |format| {
        (picture.of_format(format))
            .map(|v| format!("{} {}w", url_of(&v.path), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fallback = picture.fallback();
    let largest = picture.of_format(fallback).last();
    let (src, width, height) = largest
        .map_or((String::new(), picture.width, picture.height), |v| {
            (url_of(&v.path), v.width, v.height)
        });
    let loading = if first { "" } else { " loading=\"lazy\"" };
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{sizes}\">\
         <img src=\"{src}\" srcset=\"{fallback_set}\" sizes=\"{sizes}\" width=\"{width}\" \
         height=\"{height}\" alt=\"{alt}\"{loading} decoding=\"async\"></picture>",
        webp = escape(&srcset(Format::Webp)),
        src = escape(&src),
        fallback_set = escape(&srcset(fallback)),
        alt = escape(alt),
    )
}

/// How wide a picture in a page shows: the text's measure (46rem in the
/// default theme) on wide screens, the screen's width below.
pub const SIZES: &str = "(min-width: 48rem) 46rem, 100vw";

/// How wide a card's picture shows.
pub const CARD_SIZES: &str = "(min-width: 48rem) 14rem, 40vw";
