//! Prints what the session measures on each frame of a video (EAR, pose, live score) without a challenge:
//! `cargo run --release -p faceproof-session --features flex --example ear_trace -- VIDEO [FPS] [WIDTH] [SECONDS]`
//! Needs the system ffmpeg. Used to check whether the landmark stage's eye openness follows real blinks.
use std::process::Command;

use burn::prelude::Device;
use faceproof_frame::Frame;
use faceproof_session::{Stages, face_brightness};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let video = args
        .get(1)
        .ok_or("usage: ear_trace VIDEO [FPS] [WIDTH] [SECONDS]")?;
    let fps: u32 = args.get(2).map_or(Ok(30), |s| s.parse())?;
    let width: u32 = args.get(3).map_or(Ok(480), |s| s.parse())?;
    let seconds: f64 = args.get(4).map_or(Ok(5.0), |s| s.parse())?;
    let output = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-t",
            &seconds.to_string(),
            "-i",
            video,
            "-vf",
            &format!("scale={width}:-2,fps={fps}"),
        ])
        .args(["-f", "image2pipe", "-vcodec", "ppm", "-"])
        .output()?;
    let stages = Stages::load_native(&Device::flex())?;
    let mut rest: &[u8] = &output.stdout;
    let mut index = 0u32;
    while rest.len() > 16 {
        let header: Vec<&[u8]> = rest.splitn(5, |b| b.is_ascii_whitespace()).collect();
        let (w, h): (u32, u32) = (
            std::str::from_utf8(header[1])?.parse()?,
            std::str::from_utf8(header[2])?.parse()?,
        );
        let at = header[0].len() + header[1].len() + header[2].len() + header[3].len() + 4;
        let len = (w * h * 3) as usize;
        let frame = Frame::from_rgb(w, h, rest[at..at + len].to_vec())?;
        rest = &rest[at + len..];
        let detections = pollster::block_on(stages.detector.detect(&frame))?;
        let t = f64::from(index) * 1000.0 / f64::from(fps);
        index += 1;
        let Some(d) = detections
            .iter()
            .max_by(|a, b| a.bbox[2].total_cmp(&b.bbox[2]))
        else {
            println!("t={t:>6.0} no face");
            continue;
        };
        let [right_eye, left_eye, ..] = d.landmarks;
        // FACEPROOF_ROI_SCALE overrides the landmark ROI's side (default ROI_SCALE = 1.2 x the box's long side).
        let mut roi = faceproof_landmarks::Roi::from_detection(d.bbox, right_eye, left_eye)?;
        if let Some(scale) = std::env::var("FACEPROOF_ROI_SCALE")
            .ok()
            .and_then(|s| s.parse::<f32>().ok())
        {
            roi.side *= scale / faceproof_landmarks::ROI_SCALE;
        }
        // FACEPROOF_INPUT_RANGE=pm1 feeds the crop in [-1, 1] instead of the stage's [0, 1] (diagnostic).
        let lm = if std::env::var("FACEPROOF_INPUT_RANGE").is_ok_and(|v| v == "pm1") {
            let crop: Vec<f32> = faceproof_landmarks::crop_rgb(&frame, &roi)?
                .into_iter()
                .map(|v| v * 2.0 - 1.0)
                .collect();
            let raw = pollster::block_on(stages.landmarks.raw_outputs(crop))?;
            faceproof_landmarks::landmarks_from_raw(&raw, roi)?
        } else {
            pollster::block_on(stages.landmarks.run_roi(&frame, roi))?
        };
        println!(
            "t={t:>6.0} EAR L {:.3} R {:.3} yaw {:+5.1} pitch(landmarks) {:+5.1} roll {:+5.1} presence {:.2} w {:.0} bright {:.0}",
            lm.eyes.left,
            lm.eyes.right,
            lm.pose.yaw,
            lm.pose.pitch,
            lm.pose.roll,
            lm.presence,
            d.bbox[2],
            face_brightness(&frame, d.bbox)
        );
    }
    Ok(())
}
