//! Precision and recall of the blink and head-turn (and nod) detectors on labelled **synthetic** sequences.
//!
//! `cargo run -p faceproof-liveness --example detection_report [-- SEQUENCES_PER_KIND]`
//!
//! Every sequence is synthesised by `faceproof_liveness::synthetic` (scripted head, Gaussian pose/eye/box
//! noise, jittered 15/24/30 fps, 0–15 % dropped frames); none is recorded from a camera, so these figures
//! check the detectors' logic and margins, not field accuracy. Each sequence: 1 s of open-eye frontal
//! baseline (as in aligning), then the event, then 0.7 s of rest; a detector "fires" if it completes.

use faceproof_liveness::actions::{ActionDetector, ActionProgress, ActionSample, OpenEyeBaseline};
use faceproof_liveness::config::LivenessConfig;
use faceproof_liveness::synthetic::{HeadState, Noise, SequenceBuilder, SplitMix64};
use faceproof_liveness::Action;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Truth {
    Blink,
    TurnLeft,
    TurnRight,
    Nod,
    Nothing,
}

fn sequence(kind: &str, seed: u64) -> (Truth, Vec<faceproof_liveness::FrameObservation>) {
    let mut rng = SplitMix64::new(seed);
    let mut between = |lo: f64, hi: f64| lo + (hi - lo) * rng.uniform();
    let fps = [15.0, 24.0, 30.0][(seed % 3) as usize];
    let noise = Noise {
        fps,
        interval_jitter_ms: between(1.0, 6.0),
        drop_probability: between(0.0, 0.15),
        pose_sigma_deg: between(0.5, 2.5) as f32,
        eye_sigma: between(0.005, 0.02) as f32,
        box_sigma_px: 1.5,
    };
    let open = between(0.24, 0.36) as f32;
    let mut b = SequenceBuilder::new(seed, noise);
    let closed_eyes = kind == "eyes_closed_throughout";
    let eye = if closed_eyes { 0.06 } else { open };
    b.set_head(HeadState { left_eye_openness: eye, right_eye_openness: eye * between(0.9, 1.1) as f32, ..HeadState::default() });
    b.hold(1000.0);
    b.hold(between(200.0, 600.0));
    let truth = match kind {
        "blink" => {
            b.blink(between(120.0, 500.0), between(0.0, 0.35) as f32);
            Truth::Blink
        }
        "turn_left" | "turn_right" => {
            let yaw = between(22.0, 40.0) as f32;
            let yaw = if kind == "turn_left" { yaw } else { -yaw };
            b.head_excursion(yaw, between(-4.0, 4.0) as f32, between(250.0, 700.0), between(0.0, 500.0), between(250.0, 700.0));
            if kind == "turn_left" { Truth::TurnLeft } else { Truth::TurnRight }
        }
        "nod" => {
            b.head_excursion(between(-4.0, 4.0) as f32, between(18.0, 30.0) as f32, between(250.0, 600.0), between(0.0, 400.0), between(250.0, 600.0));
            Truth::Nod
        }
        "half_blink" => {
            b.blink(between(150.0, 400.0), between(0.62, 0.85) as f32);
            Truth::Nothing
        }
        "wink" => {
            let depth = between(0.0, 0.3) as f32;
            if seed.is_multiple_of(2) { b.eyes(between(150.0, 400.0), depth, 1.0) } else { b.eyes(between(150.0, 400.0), 1.0, depth) };
            Truth::Nothing
        }
        "slow_closure" => {
            b.blink(between(1100.0, 2500.0), between(0.0, 0.3) as f32);
            Truth::Nothing
        }
        "eyes_closed_throughout" => {
            b.blink(between(150.0, 400.0), 0.5);
            Truth::Nothing
        }
        "small_turn" => {
            let yaw = between(8.0, 16.0) as f32 * if seed.is_multiple_of(2) { 1.0 } else { -1.0 };
            b.head_excursion(yaw, 0.0, 400.0, 300.0, 400.0);
            Truth::Nothing
        }
        "photo_motion" => {
            b.photo_in_plane_motion(between(1500.0, 3000.0), seed);
            Truth::Nothing
        }
        "photo_tilt" => {
            b.photo_tilt(between(250.0, 600.0), between(50.0, 75.0) as f32);
            Truth::Nothing
        }
        _ => {
            b.hold(between(800.0, 2000.0));
            Truth::Nothing
        }
    };
    b.hold(700.0);
    (truth, b.take_frames())
}

/// Runs one detector over a sequence: baseline from the first second, then detection on the rest.
fn fires(action: Action, frames: &[faceproof_liveness::FrameObservation], config: &LivenessConfig) -> bool {
    let Some(first) = frames.first() else { return false };
    let mut baseline = OpenEyeBaseline::default();
    let mut rest = Vec::new();
    for frame in frames {
        let Some(face) = frame.faces.first() else { continue };
        if frame.timestamp_ms - first.timestamp_ms < 1000.0 {
            baseline.add(frame.timestamp_ms, face.left_eye_openness, face.right_eye_openness);
        } else {
            rest.push(ActionSample::from_face(frame.timestamp_ms, face));
        }
    }
    // Eyes closed during aligning: the session never starts the action.
    let Ok(eye_baseline) = baseline.baseline(&config.blink) else { return false };
    let mut detector = ActionDetector::new(action, eye_baseline, &config.blink, &config.pose);
    for sample in &rest {
        match detector.observe(sample) {
            ActionProgress::Completed(_) => return true,
            ActionProgress::Failed(_) => return false,
            ActionProgress::Pending { .. } => {}
        }
    }
    false
}

#[derive(Default)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
    tn: u32,
}

impl Counts {
    fn line(&self, name: &str) -> String {
        let precision = f64::from(self.tp) / f64::from((self.tp + self.fp).max(1));
        let recall = f64::from(self.tp) / f64::from((self.tp + self.fn_).max(1));
        format!(
            "{name:<11} precision {:.4} ({}/{})  recall {:.4} ({}/{})  false positives {}/{} negatives",
            precision, self.tp, self.tp + self.fp, recall, self.tp, self.tp + self.fn_, self.fp, self.fp + self.tn
        )
    }
}

fn main() {
    let per_kind: u64 = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(300);
    let config = LivenessConfig::default();
    let kinds = [
        "blink", "turn_left", "turn_right", "nod", "half_blink", "wink", "slow_closure", "eyes_closed_throughout",
        "small_turn", "photo_motion", "photo_tilt", "still",
    ];
    let detectors = [(Action::Blink, Truth::Blink), (Action::TurnLeft, Truth::TurnLeft), (Action::TurnRight, Truth::TurnRight), (Action::Nod, Truth::Nod)];
    let mut counts: Vec<Counts> = detectors.iter().map(|_| Counts::default()).collect();
    let mut fired_by_kind: Vec<(String, [u32; 4], u64)> = Vec::new();
    let mut blink_by_fps = [(0u32, 0u32); 3];
    for (kind_index, kind) in kinds.iter().enumerate() {
        let mut fired_here = [0u32; 4];
        for i in 0..per_kind {
            let seed = 1_000_003 * kind_index as u64 + i;
            let (truth, frames) = sequence(kind, seed);
            for (d, (action, positive)) in detectors.iter().enumerate() {
                let fired = fires(*action, &frames, &config);
                fired_here[d] += u32::from(fired);
                let c = &mut counts[d];
                match (truth == *positive, fired) {
                    (true, true) => c.tp += 1,
                    (true, false) => c.fn_ += 1,
                    (false, true) => c.fp += 1,
                    (false, false) => c.tn += 1,
                }
                if *kind == "blink" && d == 0 {
                    let slot = &mut blink_by_fps[(seed % 3) as usize];
                    slot.0 += u32::from(fired);
                    slot.1 += 1;
                }
            }
        }
        fired_by_kind.push((kind.to_string(), fired_here, per_kind));
    }
    println!("faceproof-liveness detection report — SYNTHETIC sequences only ({per_kind} per kind, {} total)", per_kind * kinds.len() as u64);
    println!("noise: pose σ 0.5–2.5°, eye σ 0.005–0.02, 15/24/30 fps with 1–6 ms jitter, 0–15 % dropped frames\n");
    for ((action, _), c) in detectors.iter().zip(&counts) {
        println!("{}", c.line(action.code()));
    }
    println!("\nturns (left + right): {}", {
        let c = Counts {
            tp: counts[1].tp + counts[2].tp,
            fp: counts[1].fp + counts[2].fp,
            fn_: counts[1].fn_ + counts[2].fn_,
            tn: counts[1].tn + counts[2].tn,
        };
        c.line("turn")
    });
    println!("\nblink recall by frame rate (blink 120–500 ms):");
    for (slot, fps) in blink_by_fps.iter().zip([15, 24, 30]) {
        println!("  {fps} fps: {}/{} = {:.4}", slot.0, slot.1, f64::from(slot.0) / f64::from(slot.1.max(1)));
    }
    println!("\nfired per sequence kind   blink  turn_left  turn_right  nod   (of n)");
    for (kind, fired, n) in &fired_by_kind {
        println!("  {kind:<24} {:>5}  {:>9}  {:>10}  {:>4}   ({n})", fired[0], fired[1], fired[2], fired[3]);
    }
}
