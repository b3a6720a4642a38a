//! Every stage on still images, as JSON: the native reference for the browser's parity tests and a
//! per-model latency figure. Usage: analyze_json [flex|wgpu] IMAGE...
//! Output: {"backend", "images": [{"file", "analysis"}]} where `analysis` is a `FaceAnalysis` from the
//! second run on each image (the first compiles kernels and is discarded).

use std::time::Instant;

use burn::prelude::Device;
use faceproof_frame::Frame;
use faceproof_session::Stages;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let backend = args.next().ok_or("usage: analyze_json [flex|wgpu] IMAGE...")?;
    let device = match backend.as_str() {
        "flex" => Device::flex(),
        #[cfg(feature = "wgpu")]
        "wgpu" => Device::wgpu_options().init()?,
        other => return Err(format!("backend {other} is not compiled in").into()),
    };
    let stages = Stages::load_native(&device)?;
    let epoch = Instant::now();
    let clock = || epoch.elapsed().as_secs_f64() * 1e3;
    let mut images = Vec::new();
    for path in args {
        let frame = Frame::decode(&std::fs::read(&path)?)?;
        pollster::block_on(stages.analyze(&frame, clock))?;
        let analysis = pollster::block_on(stages.analyze(&frame, clock))?;
        images.push(serde_json::json!({ "file": path, "analysis": analysis }));
    }
    println!("{}", serde_json::json!({ "backend": backend, "images": images }));
    Ok(())
}
