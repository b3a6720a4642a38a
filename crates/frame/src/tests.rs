use super::*;
use image::{ImageBuffer, ImageFormat, Luma, Rgba};

fn shared(path: &str) -> Vec<u8> {
    let p = format!("{}/../../../shared/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e} (is ../shared beside the clone?)"))
}

fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A PNG whose header claims `width`×`height` and whose data is a few bytes: a decompression bomb.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        png.extend_from_slice(&body);
        png.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(b"IEND", &[]);
    png
}

#[test]
fn empty_bytes_are_refused() {
    assert_eq!(Frame::decode(&[]).unwrap_err(), FrameError::Empty);
}

#[test]
fn unknown_bytes_are_refused() {
    assert_eq!(Frame::decode(b"definitely not an image").unwrap_err(), FrameError::UnknownFormat);
}

#[test]
fn truncated_jpeg_is_a_typed_error() {
    let jpeg = shared("data/faces-deepface/images/img1.jpg");
    for cut in [4, 100, 600, jpeg.len() / 3] {
        let err = Frame::decode(&jpeg[..cut]).unwrap_err();
        assert!(matches!(err, FrameError::Corrupt(_) | FrameError::UnknownFormat), "cut {cut}: {err:?}");
    }
}

#[test]
fn flipped_bytes_never_panic() {
    let jpeg = shared("data/spoof-samples/image_T1.jpg");
    for i in (0..jpeg.len()).step_by(jpeg.len() / 64) {
        let mut bad = jpeg.clone();
        bad[i] ^= 0xA5;
        // Either decodes (JPEG is forgiving) or returns an error; reaching here means no panic.
        if let Ok(frame) = Frame::decode(&bad) {
            assert!(frame.width() > 0 && frame.height() > 0);
        }
    }
}

#[test]
fn decompression_bomb_is_refused_from_the_header() {
    let bomb = png_header_only(20_000, 20_000);
    assert_eq!(Frame::decode(&bomb).unwrap_err(), FrameError::TooLarge { width: 20_000, height: 20_000 });
}

#[test]
fn zero_sized_image_is_refused() {
    let png = png_header_only(0, 10);
    assert!(matches!(Frame::decode(&png).unwrap_err(), FrameError::ZeroSized { .. } | FrameError::Corrupt(_)));
    assert_eq!(Frame::from_rgba(0, 0, vec![]).unwrap_err(), FrameError::ZeroSized { width: 0, height: 0 });
}

#[test]
fn grayscale_and_rgba_become_rgb() {
    let gray = ImageBuffer::from_fn(7, 5, |x, y| Luma([(x * 30 + y) as u8]));
    let frame = Frame::decode(&encode(DynamicImage::ImageLuma8(gray), ImageFormat::Png)).unwrap();
    assert_eq!((frame.width(), frame.height()), (7, 5));
    assert_eq!(frame.pixel_clamped(2, 1), [61, 61, 61]);

    let rgba = ImageBuffer::from_fn(3, 2, |x, _| Rgba([x as u8 * 80, 10, 20, 0]));
    let frame = Frame::decode(&encode(DynamicImage::ImageRgba8(rgba), ImageFormat::Png)).unwrap();
    assert_eq!(frame.pixel_clamped(2, 0), [160, 10, 20]);
}

#[test]
fn webp_named_jpg_is_sniffed() {
    let frame = Frame::decode(&shared("data/faces-deepface/images/img47.jpg")).unwrap();
    assert_eq!((frame.width(), frame.height()), (1350, 1800));
}

#[test]
fn exif_orientation_is_applied() {
    // image_F1.jpg is stored 640×480 with EXIF orientation 6 (rotate 90° clockwise to view).
    let frame = Frame::decode(&shared("data/spoof-samples/image_F1.jpg")).unwrap();
    assert_eq!((frame.width(), frame.height()), (480, 640));
}

#[test]
fn raw_buffers_must_match_their_size() {
    let err = Frame::from_rgba(4, 4, vec![0; 60]).unwrap_err();
    assert!(matches!(err, FrameError::BufferSize { expected: 64, actual: 60, .. }));
    assert!(Frame::from_rgb(2, 2, vec![0; 12]).is_ok());
    assert!(Frame::from_rgba(9000, 10, vec![]).is_err());
}

#[test]
fn rgba_frames_read_like_rgb_frames() {
    // The same 3×2 image as RGBA (alpha varies: it must be ignored) and as RGB.
    let rgb: Vec<u8> = (0..18).map(|i| (i * 13) as u8).collect();
    let rgba: Vec<u8> = rgb.chunks_exact(3).enumerate().flat_map(|(i, p)| [p[0], p[1], p[2], (i * 40) as u8]).collect();
    let (a, b) = (Frame::from_rgb(3, 2, rgb.clone()).unwrap(), Frame::from_rgba(3, 2, rgba).unwrap());
    assert_eq!((a.bytes_per_pixel(), b.bytes_per_pixel()), (3, 4));
    for (x, y) in [(0, 0), (2, 0), (1, 1), (5, -3)] {
        assert_eq!(a.pixel_clamped(x, y), b.pixel_clamped(x, y));
    }
    assert_eq!(*b.to_rgb(), rgb);
    assert_eq!(*a.to_rgb(), rgb);
}

#[test]
fn debug_never_prints_pixels() {
    let frame = Frame::from_rgb(1, 1, vec![1, 2, 3]).unwrap();
    assert_eq!(format!("{frame:?}"), "Frame(1×1)");
}
