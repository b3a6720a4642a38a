//! Prints what the landmark stage measures on each frame of a video, without a challenge: per-eye openness
//! from the Iris lid contour (the engine's input) next to FaceMesh's own eye aspect ratio, pose, and the
//! per-frame time of FaceMesh and of Iris (both eyes, one batched pass) on flex:
//! `cargo run --release -p faceproof-session --features flex --example ear_trace -- VIDEO [FPS] [WIDTH] [SECONDS]`
//! Needs the system ffmpeg.
use burn::prelude::Device;
use faceproof_session::Stages;

mod common;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let video = args
        .get(1)
        .ok_or("usage: ear_trace VIDEO [FPS] [WIDTH] [SECONDS]")?;
    let fps: u32 = args.get(2).map_or(Ok(15), |s| s.parse())?;
    let width: u32 = args.get(3).map_or(Ok(480), |s| s.parse())?;
    let seconds: f64 = args.get(4).map_or(Ok(30.0), |s| s.parse())?;
    let frames = common::decode(video, fps, width, seconds)?;
    let stages = Stages::load_native(&Device::flex())?;
    let (mut mesh_ms, mut iris_ms) = (Vec::new(), Vec::new());
    println!(
        "# t ms | iris openness L R | mesh EAR L R | yaw pitch(engine) roll | ms: detect mesh iris"
    );
    for (index, frame) in frames.iter().enumerate() {
        let t = index as f64 * 1000.0 / f64::from(fps);
        match common::measure(&stages, frame, t) {
            Ok(Some(m)) => {
                let s = m.sample;
                println!(
                    "t={t:>6.0} open L {:.3} R {:.3} | EAR L {:.3} R {:.3} | yaw {:+5.1} pitch {:+5.1} roll {:+5.1} | ms {:5.1} {:5.1} {:5.1}",
                    s.left_eye_openness,
                    s.right_eye_openness,
                    m.mesh_ear[0],
                    m.mesh_ear[1],
                    s.yaw_deg,
                    s.pitch_deg,
                    s.roll_deg,
                    m.detect_ms,
                    m.mesh_ms,
                    m.iris_ms
                );
                mesh_ms.push(m.mesh_ms);
                iris_ms.push(m.iris_ms);
            }
            Ok(None) => println!("t={t:>6.0} no face"),
            Err(e) => println!("t={t:>6.0} error: {e}"),
        }
    }
    let total: Vec<f64> = mesh_ms.iter().zip(&iris_ms).map(|(a, b)| a + b).collect();
    println!(
        "latency on flex (release), {} frames: FaceMesh median {:.1} ms, Iris (2 eyes) median {:.1} ms (p95 {:.1}), landmarks + iris median {:.1} ms (p95 {:.1})",
        total.len(),
        common::median(&mesh_ms),
        common::median(&iris_ms),
        common::percentile(&iris_ms, 0.95),
        common::median(&total),
        common::percentile(&total, 0.95)
    );
    Ok(())
}
