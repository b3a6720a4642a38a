//! Writes the module's own decoding of an image as raw RGB8 (`WIDTH HEIGHT\n` then pixels), so parity
//! goldens are computed on exactly the pixels the module sees (JPEG decoders differ by ±1-2 levels).
//! Usage: dump_rgb IMAGE OUT

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, output] = args.as_slice() else {
        return Err("usage: dump_rgb IMAGE OUT".into());
    };
    let frame = faceproof_frame::Frame::decode(&std::fs::read(input)?)?;
    let mut bytes = format!("{} {}\n", frame.width(), frame.height()).into_bytes();
    bytes.extend_from_slice(&frame.to_rgb());
    std::fs::write(output, bytes)?;
    Ok(())
}
