//! Prints what the landmark stage measures on each frame of a video, without a challenge: per-eye openness
//! from the Iris lid contour (the engine's input) next to FaceMesh's own eye aspect ratio, pose, and the
//! per-frame time of the detector (when it ran: the face is tracked in between, as in a session) and of
//! FaceMesh + Iris on flex:
//! `cargo run --release -p faceproof-session --features flex --example ear_trace -- VIDEO [FPS] [WIDTH] [SECONDS] [DETECT_EVERY]`
//! Needs the system ffmpeg.
use burn::prelude::Device;
use faceproof_session::{FaceTracker, Sampling, Stages};

mod common;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let video = args
        .get(1)
        .ok_or("usage: ear_trace VIDEO [FPS] [WIDTH] [SECONDS] [DETECT_EVERY]")?;
    let fps: u32 = args.get(2).map_or(Ok(15), |s| s.parse())?;
    let width: u32 = args.get(3).map_or(Ok(480), |s| s.parse())?;
    let seconds: f64 = args.get(4).map_or(Ok(30.0), |s| s.parse())?;
    let detect_every: u32 = args.get(5).map_or(Ok(Sampling::default().detect_every), |s| s.parse())?;
    let frames = common::decode(video, fps, width, seconds)?;
    let stages = Stages::load_native(&Device::flex())?;
    let mut tracker = FaceTracker::new();
    let (mut detect_ms, mut landmarks_ms) = (Vec::new(), Vec::new());
    println!(
        "# t ms | iris openness L R | mesh EAR L R | yaw pitch(engine) roll | ms: detect (- = tracked) mesh+iris"
    );
    for (index, frame) in frames.iter().enumerate() {
        let t = index as f64 * 1000.0 / f64::from(fps);
        match common::measure(&stages, &mut tracker, detect_every, index, frame, t) {
            Ok(Some(m)) => {
                let s = m.sample;
                println!(
                    "t={t:>6.0} open L {:.3} R {:.3} | EAR L {:.3} R {:.3} | yaw {:+5.1} pitch {:+5.1} roll {:+5.1} | ms {:>5} {:5.1}",
                    s.left_eye_openness,
                    s.right_eye_openness,
                    m.mesh_ear[0],
                    m.mesh_ear[1],
                    s.yaw_deg,
                    s.pitch_deg,
                    s.roll_deg,
                    m.detect_ms.map_or("-".to_owned(), |ms| format!("{ms:.1}")),
                    m.landmarks_ms
                );
                detect_ms.extend(m.detect_ms);
                landmarks_ms.push(m.landmarks_ms);
            }
            Ok(None) => println!("t={t:>6.0} no face"),
            Err(e) => println!("t={t:>6.0} error: {e}"),
        }
    }
    println!(
        "latency on flex (release), {} frames with a face: detector on {} of them (median {:.1} ms), FaceMesh + Iris median {:.1} ms (p95 {:.1})",
        landmarks_ms.len(),
        detect_ms.len(),
        common::median(&detect_ms),
        common::median(&landmarks_ms),
        common::percentile(&landmarks_ms, 0.95)
    );
    Ok(())
}
