//! The first stage of the pipeline: turn untrusted bytes (an uploaded photo) or raw camera pixels into a
//! [`Frame`], an 8-bit RGB (or RGBA) buffer whose size is bounded, so that every later stage can trust its
//! input.
//!
//! Frames own face pixels, so their buffer is zeroized when dropped (minimal retention).

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use std::io::Cursor;
use zeroize::{Zeroize, Zeroizing};

/// Largest side accepted, in pixels. Bigger inputs are refused before any pixel is decoded.
pub const MAX_SIDE: u32 = 8192;
/// Largest area accepted (25 MP: a 6000×4000 phone photo). 25 MP × 3 bytes = 75 MB of RGB.
pub const MAX_PIXELS: u64 = 25_000_000;
/// Upper bound on what the decoder may allocate for one image (RGBA, 16-bit intermediates).
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FrameError {
    #[error("the image is empty (0 bytes)")]
    Empty,
    #[error("the image format is not recognised or not supported (JPEG, PNG and WebP are)")]
    UnknownFormat,
    #[error("the image is {width}×{height}; it must be at least 1×1")]
    ZeroSized { width: u32, height: u32 },
    #[error(
        "the image is {width}×{height}; the maximum is {MAX_SIDE} px per side and {MAX_PIXELS} pixels"
    )]
    TooLarge { width: u32, height: u32 },
    #[error("the image could not be decoded: {0}")]
    Corrupt(String),
    #[error("decoding the image would exceed the memory limit ({MAX_DECODE_ALLOC} bytes): {0}")]
    DecodeLimit(String),
    #[error("the pixel buffer holds {actual} bytes; {width}×{height} {layout} needs {expected}")]
    BufferSize { width: u32, height: u32, layout: &'static str, expected: usize, actual: usize },
}

/// An upright 8-bit image, row-major, no padding: RGB (decoded photos) or RGBA (camera pixels, kept as
/// the page delivered them: converting a 2.6 MP frame to RGB cost a copy and a wipe of every byte per
/// frame). Stages read R, G, B at offsets 0..3 of each [`Frame::bytes_per_pixel`] step; alpha is ignored.
pub struct Frame {
    width: u32,
    height: u32,
    bytes_per_pixel: usize,
    pixels: Vec<u8>,
}

impl std::fmt::Debug for Frame {
    // Never print pixels.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Frame({}×{})", self.width, self.height)
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        self.pixels.zeroize();
    }
}

fn check_dimensions(width: u32, height: u32) -> Result<(), FrameError> {
    if width == 0 || height == 0 {
        return Err(FrameError::ZeroSized { width, height });
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(FrameError::TooLarge { width, height });
    }
    Ok(())
}

impl Frame {
    /// Decodes a JPEG, PNG or WebP (the format is sniffed from the bytes, never from a file name),
    /// applies its EXIF orientation and converts it to RGB. The header is checked against the size limits
    /// before decoding, so a decompression bomb costs nothing.
    pub fn decode(bytes: &[u8]) -> Result<Frame, FrameError> {
        if bytes.is_empty() {
            return Err(FrameError::Empty);
        }
        let reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| FrameError::Corrupt(e.to_string()))?;
        match reader.format() {
            None => return Err(FrameError::UnknownFormat),
            // The JPEG decoder fills a truncated scan with grey and reports success; a half-grey reference
            // photo would silently change the match, so a JPEG must be complete.
            Some(image::ImageFormat::Jpeg) if !jpeg_is_complete(bytes) => {
                return Err(FrameError::Corrupt("the JPEG is truncated (no end-of-image marker after its scan)".into()));
            }
            Some(_) => {}
        }
        let mut decoder = reader.into_decoder().map_err(map_image_error)?;
        let (width, height) = decoder.dimensions();
        check_dimensions(width, height)?;
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
        limits.max_alloc = Some(MAX_DECODE_ALLOC);
        decoder.set_limits(limits).map_err(map_image_error)?;
        // A missing or unreadable EXIF block means "upright", as browsers treat it.
        let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
        let mut image = DynamicImage::from_decoder(decoder).map_err(map_image_error)?;
        image.apply_orientation(orientation);
        let rgb = image.into_rgb8();
        let (width, height) = rgb.dimensions();
        Ok(Frame { width, height, bytes_per_pixel: 3, pixels: rgb.into_raw() })
    }

    /// Takes packed RGBA pixels (what a canvas `getImageData` or a `VideoFrame.copyTo` in RGBA yields) as
    /// they are. A buffer of the wrong size is zeroized and refused.
    pub fn from_rgba(width: u32, height: u32, rgba: Vec<u8>) -> Result<Frame, FrameError> {
        Self::from_packed(width, height, rgba, 4, "RGBA")
    }

    /// Takes packed RGB pixels. A buffer of the wrong size is zeroized and refused.
    pub fn from_rgb(width: u32, height: u32, rgb: Vec<u8>) -> Result<Frame, FrameError> {
        Self::from_packed(width, height, rgb, 3, "RGB")
    }

    fn from_packed(
        width: u32,
        height: u32,
        mut pixels: Vec<u8>,
        bytes_per_pixel: usize,
        layout: &'static str,
    ) -> Result<Frame, FrameError> {
        let refuse = |pixels: &mut Vec<u8>, error: FrameError| {
            pixels.zeroize();
            Err(error)
        };
        if let Err(error) = check_dimensions(width, height) {
            return refuse(&mut pixels, error);
        }
        let expected = width as usize * height as usize * bytes_per_pixel;
        if pixels.len() != expected {
            let actual = pixels.len();
            return refuse(&mut pixels, FrameError::BufferSize { width, height, layout, expected, actual });
        }
        Ok(Frame { width, height, bytes_per_pixel, pixels })
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    /// Row-major pixels, [`Frame::bytes_per_pixel`] bytes each, R, G, B first.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// 3 (RGB) or 4 (RGBA).
    pub fn bytes_per_pixel(&self) -> usize {
        self.bytes_per_pixel
    }

    /// A packed RGB copy, wiped when dropped (for tools that write the decoded pixels out).
    pub fn to_rgb(&self) -> Zeroizing<Vec<u8>> {
        let mut rgb = Zeroizing::new(Vec::with_capacity(self.width as usize * self.height as usize * 3));
        for pixel in self.pixels.chunks_exact(self.bytes_per_pixel) {
            rgb.extend_from_slice(&pixel[..3]);
        }
        rgb
    }

    /// The pixel at (x, y), clamped to the edge, as RGB.
    #[inline]
    pub fn pixel_clamped(&self, x: i64, y: i64) -> [u8; 3] {
        let x = x.clamp(0, i64::from(self.width) - 1) as usize;
        let y = y.clamp(0, i64::from(self.height) - 1) as usize;
        let i = (y * self.width as usize + x) * self.bytes_per_pixel;
        [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]
    }
}

/// Walks the JPEG marker segments to the first start-of-scan (skipping APPn blocks, which may hold a
/// complete thumbnail), then requires an end-of-image marker after it.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2; // after SOI
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if marker == 0xDA {
            let scan = at + 2 + length;
            return scan < bytes.len() && bytes[scan..].windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        at += 2 + length;
    }
    false
}

fn map_image_error(error: image::ImageError) -> FrameError {
    match error {
        image::ImageError::Limits(e) => FrameError::DecodeLimit(e.to_string()),
        image::ImageError::Unsupported(_) => FrameError::UnknownFormat,
        other => FrameError::Corrupt(other.to_string()),
    }
}

#[cfg(test)]
mod tests;
