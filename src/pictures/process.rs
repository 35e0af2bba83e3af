//! Decoding, turning upright, resizing and encoding one picture.

use std::io::Cursor;

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageReader};

use super::{Format, Picture, Problem, Variant};
use crate::load::config::ImageSettings;

/// The picture in `bytes` at each width of `settings` (its own width too
/// when narrower than the widest asked), as WebP and as the fallback: the
/// manifest and each variant's bytes, named from `name`.
pub fn process(
    bytes: &[u8],
    settings: &ImageSettings,
    name: &str,
) -> Result<(Picture, Vec<Vec<u8>>), Problem> {
    let (image, exif) = decode(bytes)?;
    // Kept only when the settings say so, and then upright like the pixels.
    let exif = exif.filter(|_| settings.keep_metadata);
    let (width, height) = (image.width(), image.height());
    let alpha = image.color().has_alpha();
    let fallback = if alpha { Format::Png } else { Format::Jpeg };
    let (pixels, pixel_type, color) = match alpha {
        true => (
            image.into_rgba8().into_raw(),
            PixelType::U8x4,
            ExtendedColorType::Rgba8,
        ),
        false => (
            image.into_rgb8().into_raw(),
            PixelType::U8x3,
            ExtendedColorType::Rgb8,
        ),
    };
    let source = Image::from_vec_u8(width, height, pixels, pixel_type).map_err(unreadable)?;
    let mut variants = Vec::new();
    let mut files = Vec::new();
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    for w in widths(width, &settings.widths) {
        // Rounded, at least one pixel.
        let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
            .max(1) as u32;
        // Its own width is encoded as it is: no copy.
        let resized;
        let pixels = if w == width {
            source.buffer()
        } else {
            let mut image = Image::new(w, h, pixel_type);
            (resizer.resize(&source, &mut image, &options)).map_err(unreadable)?;
            resized = image;
            resized.buffer()
        };
        for format in [Format::Webp, fallback] {
            let encoded = encode(
                pixels,
                (w, h),
                format,
                color,
                settings.quality,
                exif.as_deref(),
            )?;
            variants.push(Variant {
                width: w,
                height: h,
                format,
                path: format!("{name}.{w}.{}", format.extension()),
            });
            files.push(encoded);
        }
    }
    let picture = Picture {
        width,
        height,
        variants,
        original: (0, width, height),
        folder: Default::default(),
        held: None,
    };
    Ok((picture, files))
}

/// The picture cropped about its centre to the proportions of a share
/// preview and brought to its size, as JPEG.
pub fn share(bytes: &[u8], quality: u8, name: &str) -> Result<(Picture, Vec<Vec<u8>>), Problem> {
    let (image, _) = decode(bytes)?;
    let (width, height) = (image.width(), image.height());
    let pixels = image.into_rgb8().into_raw();
    let source = Image::from_vec_u8(width, height, pixels, PixelType::U8x3).map_err(unreadable)?;
    let (w, h) = super::SHARE_SIZE;
    let mut card = Image::new(w, h, PixelType::U8x3);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .fit_into_destination(Some((0.5, 0.5)));
    (Resizer::new().resize(&source, &mut card, &options)).map_err(unreadable)?;
    let format = Format::Jpeg;
    let bytes = encode(
        card.buffer(),
        (w, h),
        format,
        ExtendedColorType::Rgb8,
        quality,
        None,
    )?;
    let variant = Variant {
        width: w,
        height: h,
        format,
        path: format!("{name}.share.{}", format.extension()),
    };
    let picture = Picture {
        width: w,
        height: h,
        variants: vec![variant],
        original: (0, width, height),
        folder: Default::default(),
        held: None,
    };
    Ok((picture, vec![bytes]))
}

/// The widths to make: those asked that are narrower than the picture,
/// and the picture's own when some asked are wider (never enlarged).
fn widths(own: u32, asked: &[u32]) -> Vec<u32> {
    let mut widths: Vec<u32> = asked.iter().copied().filter(|w| *w < own).collect();
    if asked.iter().any(|w| *w >= own) || widths.is_empty() {
        widths.push(own);
    }
    widths.sort_unstable();
    widths.dedup();
    widths
}

/// The picture upright, whatever its EXIF orientation, and its EXIF
/// block (its orientation made "upright" too), if it has one.
fn decode(bytes: &[u8]) -> Result<(DynamicImage, Option<Vec<u8>>), Problem> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(unreadable)?;
    if reader.format() == Some(image::ImageFormat::Jpeg) && !jpeg_ends(bytes) {
        // The decoder would show the part it has and grey below.
        return Err(Problem::Unreadable(
            "the file ends before the picture does".into(),
        ));
    }
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut exif = decoder.exif_metadata().ok().flatten();
    if let Some(exif) = exif.as_mut() {
        let _ = image::metadata::Orientation::remove_from_exif_chunk(exif);
    }
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);
    Ok((image, exif))
}

/// A simple lossy WebP file (`RIFF…WEBPVP8 …`) in the extended format,
/// with an `EXIF` chunk after its image: the layout the WebP container
/// specification gives for metadata.
fn webp_with_exif(simple: &[u8], exif: &[u8]) -> Vec<u8> {
    let image = &simple[12.min(simple.len())..];
    let (width, height) = webp_size(image).unwrap_or((1, 1));
    let chunk = |name: &[u8], data: &[u8]| {
        let mut c = name.to_vec();
        c.extend_from_slice(&(data.len() as u32).to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    };
    let mut vp8x = vec![0x08, 0, 0, 0]; // flags: EXIF present
    vp8x.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend(chunk(b"VP8X", &vp8x));
    body.extend_from_slice(image);
    body.extend(chunk(b"EXIF", exif));
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

/// The size of the picture of a `VP8 ` chunk (lossy WebP): 14 bits each,
/// after the frame tag and start code.
fn webp_size(chunks: &[u8]) -> Option<(u32, u32)> {
    if chunks.get(..4)? != b"VP8 " {
        return None;
    }
    let frame = chunks.get(8..18)?;
    let width = u32::from(u16::from_le_bytes([frame[6], frame[7]]) & 0x3FFF);
    let height = u32::from(u16::from_le_bytes([frame[8], frame[9]]) & 0x3FFF);
    Some((width, height))
}

/// Whether a JPEG's last scan is followed by its end marker: a file cut
/// short by a copy is not. (`FF D9` cannot occur inside a scan, where
/// every `FF` byte is followed by `00`.)
fn jpeg_ends(bytes: &[u8]) -> bool {
    let marker = |code: u8| move |w: &[u8]| w == [0xFF, code];
    let last_scan = bytes.windows(2).rposition(marker(0xDA));
    let end = bytes.windows(2).rposition(marker(0xD9));
    matches!((last_scan, end), (Some(scan), Some(end)) if end > scan)
}

/// `pixels` of `size` in `format`, carrying the EXIF block `exif` if any
/// (where each format keeps it).
fn encode(
    pixels: &[u8],
    (width, height): (u32, u32),
    format: Format,
    color: ExtendedColorType,
    quality: u8,
    exif: Option<&[u8]>,
) -> Result<Vec<u8>, Problem> {
    let mut out = Vec::new();
    match format {
        Format::Webp => {
            let layout = match color {
                ExtendedColorType::Rgba8 => webp::PixelLayout::Rgba,
                _ => webp::PixelLayout::Rgb,
            };
            if width.max(height) > WEBP_MAX_SIDE {
                return Err(Problem::TooLarge(width, height));
            }
            let encoder = webp::Encoder::new(pixels, layout, width, height);
            // (`encode` would panic where libwebp refuses.)
            let encoded = (encoder.encode_simple(false, f32::from(quality)))
                .map_err(|err| Problem::Unreadable(format!("WebP: {err:?}")))?;
            match exif {
                Some(exif) => out = webp_with_exif(&encoded, exif),
                None => out.extend_from_slice(&encoded),
            }
        }
        Format::Jpeg => written(
            JpegEncoder::new_with_quality(&mut out, quality),
            pixels,
            (width, height),
            color,
            exif,
        )?,
        Format::Png => written(
            PngEncoder::new(&mut out),
            pixels,
            (width, height),
            color,
            exif,
        )?,
    }
    Ok(out)
}

/// `pixels` written by `encoder`, with the EXIF block `exif` if any.
fn written(
    mut encoder: impl ImageEncoder,
    pixels: &[u8],
    (width, height): (u32, u32),
    color: ExtendedColorType,
    exif: Option<&[u8]>,
) -> Result<(), Problem> {
    if let Some(exif) = exif {
        (encoder.set_exif_metadata(exif.to_vec())).map_err(unreadable)?;
    }
    encoder
        .write_image(pixels, width, height, color)
        .map_err(unreadable)
}

/// The widest and tallest picture WebP holds.
const WEBP_MAX_SIDE: u32 = 16383;

fn unreadable(err: impl std::fmt::Display) -> Problem {
    Problem::Unreadable(err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jpeg_cut_short_is_told_apart() {
        let whole = [0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 0xFF, 0x00, 3, 0xFF, 0xD9];
        assert!(jpeg_ends(&whole));
        assert!(!jpeg_ends(&whole[..8]));
        assert!(!jpeg_ends(&[0xFF, 0xD8, 0xFF, 0xD9, 0xFF, 0xDA, 1, 2]));
    }

    #[test]
    fn widths_never_enlarge() {
        let asked = [480, 800, 1200, 1600];
        assert_eq!(widths(4032, &asked), [480, 800, 1200, 1600]);
        assert_eq!(widths(1000, &asked), [480, 800, 1000]);
        assert_eq!(widths(300, &asked), [300]);
        assert_eq!(widths(1600, &asked), [480, 800, 1200, 1600]);
    }
}
