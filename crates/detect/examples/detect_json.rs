//! Prints native detections as JSON, for comparing backends (the browser tests use it) and for a quick
//! per-image latency figure. Usage: detect_json [flex|wgpu] IMAGE...
//! Output: {"backend", "images": [{"file", "width", "height", "ms", "faces"}]}

use burn::prelude::Device;
use faceproof_detect::{DetectorConfig, FaceDetector};
use faceproof_frame::Frame;
use faceproof_models::{read_native_weights, yunet};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let backend = args.next().ok_or("usage: detect_json [flex|wgpu] IMAGE...")?;
    let device = match backend.as_str() {
        "flex" => Device::flex(),
        #[cfg(feature = "wgpu")]
        "wgpu" => Device::wgpu_options().init()?,
        other => return Err(format!("backend {other} is not compiled in").into()),
    };
    let model = yunet::YuNet::load(read_native_weights(&yunet::WEIGHTS)?, &device)?;
    let detector = FaceDetector::new(model, DetectorConfig::default());
    let mut images = Vec::new();
    for path in args {
        let frame = Frame::decode(&std::fs::read(&path)?)?;
        pollster::block_on(detector.detect(&frame))?; // warm-up: kernels compile on first use
        let started = Instant::now();
        let faces = pollster::block_on(detector.detect(&frame))?;
        let ms = started.elapsed().as_secs_f64() * 1e3;
        images.push(serde_json::json!({
            "file": path, "width": frame.width(), "height": frame.height(), "ms": ms, "faces": faces,
        }));
    }
    println!("{}", serde_json::json!({ "backend": backend, "images": images }));
    Ok(())
}
