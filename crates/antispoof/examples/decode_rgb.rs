//! Writes an image decoded by `faceproof_frame::Frame::decode` (EXIF-upright RGB8) to stdout as a binary
//! PPM (P6), so the golden scripts in tests/parity feed the reference runtimes the very pixels the Rust
//! pipeline sees: JPEG decoders differ by a level or two (zune-jpeg vs libjpeg-turbo), which is noise for a
//! parity figure that should measure the networks alone.
//!
//! Usage: cargo run --release -p faceproof-antispoof --example decode_rgb -- IMAGE > out.ppm

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: decode_rgb IMAGE")?;
    let frame = faceproof_frame::Frame::decode(&std::fs::read(&path)?)?;
    let mut out = std::io::stdout().lock();
    write!(out, "P6\n{} {}\n255\n", frame.width(), frame.height())?;
    out.write_all(&frame.to_rgb())?;
    Ok(())
}
