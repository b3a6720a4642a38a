//! The whole native path on real footage, on flex (`--features flex`, run with `--release`):
//! * `d13.mp4` (a frontal selfie that blinks at about 1.40–1.53 s, 2.63–2.73 s and 3.40–3.47 s), decoded by
//!   the system `ffmpeg` to 480-wide RGB at 15 fps, must complete `[look_straight, blink]` with the blink on
//!   one of the clip's real blinks, match the first frame's face and not match a deepface photo of someone
//!   else;
//! * `d9.mp4` (another subject with glasses, head moving) must pass the same challenge's blink on a real blink;
//! * a printed-photo replay (the `image_F1.jpg` spoof still, moved and rescaled over 4 s) must not pass the
//!   blink.
//!
//! The video test prints a skip message and passes when `ffmpeg` is not installed.
#![cfg(feature = "flex")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use burn::prelude::Device;
use faceproof_frame::Frame;
use faceproof_liveness::{
    Action, Challenge, Decision, LivenessConfig, ReferenceEmbedding, ReferenceKind, SessionResult,
    SessionState,
};
use faceproof_session::{FaceSession, Sampling, StageTimings, Stages};

const VIDEO: &str = "data/video/liveportrait-driving/d13.mp4";
const SPOOF_STILL: &str = "data/spoof-samples/image_F1.jpg";
const OTHER_PERSON: &str = "data/faces-deepface/images/img1.jpg";
const FPS: u32 = 15;
const WIDTH: u32 = 480;

fn shared(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(relative)
}

/// Challenge through the engine's JSON API (the proof crate's claims subset); expiry far in the future.
fn challenge() -> Challenge {
    Challenge::from_json(
        r#"{"nonce":"session-test-nonce","actions":[{"action":"look_straight","limit_ms":10000},{"action":"blink","limit_ms":10000}],"session_limit_ms":60000,"exp":4102444800}"#,
    )
    .unwrap()
}

/// d9.mp4's blinks (s), labelled frame by frame at 15 fps (crates/session/examples/common/mod.rs).
const D9: &str = "data/video/liveportrait-driving/d9.mp4";
const D9_BLINKS: [(f64, f64); 14] = [
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
];

const NOW_UNIX_MS: i64 = 1_764_000_000_000;

/// Decodes `path` with the system ffmpeg into PPM frames (the PPM header carries the scaled size).
/// `None` when ffmpeg is not installed.
fn decode_video(path: &Path, width: u32, fps: u32) -> Option<Vec<(u32, u32, Vec<u8>)>> {
    let output = match Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args([
            "-vf",
            &format!("scale={width}:-2,fps={fps}"),
            "-f",
            "image2pipe",
            "-vcodec",
            "ppm",
            "-",
        ])
        .output()
    {
        Ok(output) => output,
        Err(error) => {
            eprintln!(
                "SKIPPED: ffmpeg is not available ({error}); install Debian's ffmpeg to run the real-video test"
            );
            return None;
        }
    };
    assert!(
        output.status.success(),
        "ffmpeg failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut frames = Vec::new();
    let mut rest: &[u8] = &output.stdout;
    while !rest.is_empty() {
        // "P6\n<w> <h>\n255\n" then w*h*3 bytes.
        let mut fields = Vec::new();
        let mut at = 0;
        while fields.len() < 4 {
            while rest[at].is_ascii_whitespace() {
                at += 1;
            }
            let start = at;
            while !rest[at].is_ascii_whitespace() {
                at += 1;
            }
            fields.push(std::str::from_utf8(&rest[start..at]).unwrap().to_owned());
        }
        at += 1; // the single whitespace after maxval
        assert_eq!(fields[0], "P6");
        let (w, h): (u32, u32) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
        let len = (w * h * 3) as usize;
        frames.push((w, h, rest[at..at + len].to_vec()));
        rest = &rest[at + len..];
    }
    Some(frames)
}

fn stages() -> Arc<Stages> {
    Arc::new(Stages::load_native(&Device::flex()).unwrap())
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied()
}

fn print_latency(timings: &[StageTimings]) {
    let stage = |name: &str, pick: fn(&StageTimings) -> Option<f64>| {
        let values: Vec<f64> = timings.iter().filter_map(pick).collect();
        let n = values.len();
        let max = values.iter().copied().fold(0.0, f64::max);
        println!(
            "  {name:<12} n={n:>3} median {:>7.1} ms  max {max:>7.1} ms",
            median(values).unwrap_or(f64::NAN)
        );
    };
    println!("per-frame latency on flex (release):");
    stage("detect", |t| t.detect_ms);
    stage("landmarks", |t| t.landmarks_ms);
    stage("antispoof", |t| t.antispoof_ms);
    stage("embed", |t| t.embed_ms);
    stage("image_stats", |t| t.image_stats_ms);
    stage("total", |t| t.total_ms);
}

/// Result, per-frame timings, final state, and (time, left EAR, right EAR) of the largest face per frame.
type Run = (
    SessionResult,
    Vec<StageTimings>,
    SessionState,
    Vec<(f64, f32, f32)>,
);

/// Feeds the frames (timestamp = index / fps) until the session is done or failed; returns the result
/// against `reference` and the per-frame timings.
fn run(
    stages: &Arc<Stages>,
    frames: &[(u32, u32, Vec<u8>)],
    fps: u32,
    reference: ReferenceEmbedding,
    verbose: bool,
) -> Run {
    let mut session = FaceSession::new(
        stages.clone(),
        challenge(),
        LivenessConfig::default(),
        Sampling::default(),
        NOW_UNIX_MS,
    )
    .unwrap();
    let mut timings = Vec::new();
    let mut ears = Vec::new();
    let mut last_state = String::new();
    for (index, (w, h, rgb)) in frames.iter().enumerate() {
        let timestamp_ms = index as f64 * 1000.0 / f64::from(fps);
        let frame = Frame::from_rgb(*w, *h, rgb.clone()).unwrap();
        let report = pollster::block_on(session.process_frame(frame, timestamp_ms)).unwrap();
        timings.push(report.measurement.timings);
        if let Some(p) = report.measurement.primary {
            ears.push((timestamp_ms, p.left_eye_openness, p.right_eye_openness));
        }
        if verbose {
            let m = &report.measurement;
            let state = format!("{:?}", report.feedback.state);
            let face = m.primary.map_or("no face".to_owned(), |p| {
                format!(
                    "yaw {:+5.1} pitch {:+5.1} roll {:+5.1} open L {:.3} R {:.3} w {:.0}",
                    p.yaw_deg,
                    p.pitch_deg,
                    p.roll_deg,
                    p.left_eye_openness,
                    p.right_eye_openness,
                    p.bbox[2]
                )
            });
            println!(
                "t={:>6.0} ms {face} bright {:>5.1} sharp {:>6.1} live {} emb {} -> {} {:?}{}",
                timestamp_ms,
                m.brightness,
                m.sharpness,
                m.live_score
                    .map_or("  -  ".to_owned(), |s| format!("{s:.3}")),
                u8::from(m.embedded),
                report.feedback.instruction.code_name(),
                report.feedback.progress,
                if state != last_state {
                    format!("  [{state}]")
                } else {
                    String::new()
                },
            );
            last_state = state;
        }
        if matches!(
            report.feedback.state,
            SessionState::Done | SessionState::Failed { .. }
        ) {
            break;
        }
    }
    let state = session.state().clone();
    let result = session.finish(&reference);
    assert_eq!(session.retained_embedding_count(), 0);
    (result, timings, state, ears)
}

trait CodeName {
    fn code_name(&self) -> String;
}

impl CodeName for faceproof_liveness::Instruction {
    fn code_name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("code").cloned())
            .map_or("?".to_owned(), |c| c.to_string())
    }
}

#[test]
fn blinking_selfie_passes_look_straight_then_blink_and_matches_itself() {
    let Some(frames) = decode_video(&shared(VIDEO), WIDTH, FPS) else {
        return;
    };
    assert!(frames.len() > 100, "{} frames", frames.len());
    println!(
        "d13.mp4: {} frames of {}×{} at {FPS} fps",
        frames.len(),
        frames[0].0,
        frames[0].1
    );
    let stages = stages();

    let (w, h, rgb) = &frames[0];
    let first = Frame::from_rgb(*w, *h, rgb.clone()).unwrap();
    let own = pollster::block_on(stages.embed_reference_photo(&first)).unwrap();
    drop(first);
    let (result, timings, state, _) = run(
        &stages,
        &frames,
        FPS,
        ReferenceEmbedding {
            kind: ReferenceKind::IdPhoto,
            embedding: own,
        },
        true,
    );
    print_latency(&timings);
    println!("result: {}", serde_json::to_string_pretty(&result).unwrap());

    assert_eq!(
        state,
        SessionState::Done,
        "the session must complete: {:?}",
        result.failure
    );
    let blink = result
        .liveness
        .actions
        .iter()
        .find(|a| a.action == Action::Blink)
        .expect("blink evidence");
    println!(
        "blink detected: {:.0}–{:.0} ms (requested at {:.0} ms), lowest openness/baseline {:.2}",
        blink.start_ms, blink.end_ms, blink.requested_ms, blink.peak
    );
    // The clip's blinks: 1.40–1.53 s, 2.63–2.73 s, 3.40–3.47 s (± one frame at 15 fps).
    let known = [(1400.0, 1530.0), (2630.0, 2730.0), (3400.0, 3470.0)];
    let slack = 1000.0 / f64::from(FPS) + 1.0;
    assert!(
        known
            .iter()
            .any(|(s, e)| blink.start_ms <= e + slack && blink.end_ms >= s - slack),
        "blink at {:.0}–{:.0} ms overlaps none of the clip's blinks",
        blink.start_ms,
        blink.end_ms
    );
    let distance = result.distance.expect("a distance when live");
    println!(
        "own first frame as reference: decision {:?}, distance {distance:.3}",
        result.decision
    );
    assert!(distance < 0.6, "same person: distance {distance}");
    match result.decision {
        Decision::Match => {}
        // The decision needs the passive score too; report it rather than hide a calibration problem.
        other => panic!(
            "expected match, got {other:?} (failure {:?}, passive {:?})",
            result.failure, result.liveness.passive_score
        ),
    }

    // Somebody else's photo as the reference: same live session, no match.
    let other = Frame::decode(&std::fs::read(shared(OTHER_PERSON)).unwrap()).unwrap();
    let other = pollster::block_on(stages.embed_reference_photo(&other)).unwrap();
    let (result, _, _, _) = run(
        &stages,
        &frames,
        FPS,
        ReferenceEmbedding {
            kind: ReferenceKind::IdPhoto,
            embedding: other,
        },
        false,
    );
    println!(
        "deepface img1 as reference: decision {:?}, distance {:?}",
        result.decision, result.distance
    );
    assert_eq!(result.decision, Decision::NoMatch, "{:?}", result.failure);
}

/// A second subject (d9: glasses, head moving, frequent blinks): the first frame as the reference, the same
/// `[look_straight, blink]` challenge; the blink must complete on one of the labelled blinks.
#[test]
fn second_clip_passes_the_blink_on_a_real_blink() {
    let Some(frames) = decode_video(&shared(D9), WIDTH, FPS) else {
        return;
    };
    let stages = stages();
    let (w, h, rgb) = &frames[0];
    let first = Frame::from_rgb(*w, *h, rgb.clone()).unwrap();
    let own = pollster::block_on(stages.embed_reference_photo(&first)).unwrap();
    drop(first);
    let (result, _, state, _) = run(
        &stages,
        &frames,
        FPS,
        ReferenceEmbedding {
            kind: ReferenceKind::IdPhoto,
            embedding: own,
        },
        true,
    );
    let blink = result
        .liveness
        .actions
        .iter()
        .find(|a| a.action == Action::Blink)
        .unwrap_or_else(|| panic!("no blink on d9: {state:?} {:?}", result.failure));
    println!(
        "d9 blink detected: {:.0}–{:.0} ms (requested at {:.0} ms), lowest openness/baseline {:.2}; state {state:?}, decision {:?}",
        blink.start_ms, blink.end_ms, blink.requested_ms, blink.peak, result.decision
    );
    assert_eq!(state, SessionState::Done, "{:?}", result.failure);
    let slack = 1000.0 / f64::from(FPS) + 1.0;
    assert!(
        D9_BLINKS
            .iter()
            .any(|(s, e)| blink.start_ms <= e * 1e3 + slack && blink.end_ms >= s * 1e3 - slack),
        "blink at {:.0}–{:.0} ms overlaps none of d9's blinks",
        blink.start_ms,
        blink.end_ms
    );
}

/// Blinks the engine's detector finds in an openness trace (time ms, left, right) when it runs over the
/// whole trace with the trace's median as the baseline and *without* the head/box guards (pose 0, aspect 1):
/// a rigid photo must not make one from openness alone.
fn blinks_in_openness(trace: &[(f64, f32, f32)]) -> Vec<(f64, f64, f32)> {
    use faceproof_liveness::actions::{ActionProgress, ActionSample, BlinkDetector, EyeBaseline};
    let median = |pick: fn(&(f64, f32, f32)) -> f32| {
        let mut v: Vec<f32> = trace.iter().map(pick).collect();
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    };
    let baseline = EyeBaseline {
        left: median(|e| e.1),
        right: median(|e| e.2),
    };
    let lowest = trace
        .iter()
        .map(|e| (e.1 / baseline.left).max(e.2 / baseline.right))
        .fold(f32::MAX, f32::min);
    println!(
        "openness trace of {} frames: baseline L {:.3} R {:.3}, lowest 'both eyes below' {lowest:.2} x baseline",
        trace.len(),
        baseline.left,
        baseline.right
    );
    let mut detector = BlinkDetector::new(baseline, LivenessConfig::default().blink);
    trace
        .iter()
        .filter_map(|&(timestamp_ms, left, right)| {
            let sample = ActionSample {
                timestamp_ms,
                yaw_deg: 0.0,
                pitch_deg: 0.0,
                roll_deg: 0.0,
                left_eye_openness: left,
                right_eye_openness: right,
                bbox_aspect: 1.0,
            };
            match detector.observe(&sample) {
                ActionProgress::Completed(done) => Some((done.start_ms, done.end_ms, done.peak)),
                _ => None,
            }
        })
        .collect()
}

/// A still moved and rescaled like a hand-held print, over a grey `canvas`-sized background.
fn printed_photo_replay(
    still: &Frame,
    canvas: (u32, u32),
    seconds: f64,
    fps: u32,
) -> Vec<(u32, u32, Vec<u8>)> {
    let (cw, ch) = canvas;
    let (sw, sh) = (still.width() as f64, still.height() as f64);
    let count = (seconds * f64::from(fps)) as usize;
    (0..count)
        .map(|i| {
            let t = i as f64 / f64::from(fps);
            let tau = std::f64::consts::TAU;
            let scale = 0.8 + 0.08 * (tau * t / 4.0).sin();
            let (dx, dy) = (30.0 * (tau * t / 2.5).sin(), 15.0 * (tau * t / 3.0).sin());
            let (ox, oy) = (
                f64::from(cw) / 2.0 + dx - sw * scale / 2.0,
                f64::from(ch) / 2.0 + dy - sh * scale / 2.0,
            );
            let mut rgb = Vec::with_capacity((cw * ch * 3) as usize);
            for y in 0..ch {
                for x in 0..cw {
                    // Bilinear sample of the still at the inverse-mapped point.
                    let (u, v) = ((f64::from(x) - ox) / scale, (f64::from(y) - oy) / scale);
                    if u < 0.0 || v < 0.0 || u > sw - 1.0 || v > sh - 1.0 {
                        rgb.extend([90, 90, 90]);
                        continue;
                    }
                    let (x0, y0) = (u.floor() as i64, v.floor() as i64);
                    let (fx, fy) = (u - x0 as f64, v - y0 as f64);
                    for c in 0..3 {
                        let p = |xx: i64, yy: i64| f64::from(still.pixel_clamped(xx, yy)[c]);
                        let top = p(x0, y0) * (1.0 - fx) + p(x0 + 1, y0) * fx;
                        let bottom = p(x0, y0 + 1) * (1.0 - fx) + p(x0 + 1, y0 + 1) * fx;
                        rgb.push((top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8);
                    }
                }
            }
            (cw, ch, rgb)
        })
        .collect()
}

#[test]
fn moving_printed_photo_does_not_pass_the_blink() {
    let still = Frame::decode(&std::fs::read(shared(SPOOF_STILL)).unwrap()).unwrap();
    let fps = 20;
    let frames = printed_photo_replay(&still, (640, 480), 4.0, fps);
    let stages = stages();
    let reference = pollster::block_on(stages.embed_reference_photo(&still)).unwrap();
    let (result, timings, state, openness) = run(
        &stages,
        &frames,
        fps,
        ReferenceEmbedding {
            kind: ReferenceKind::IdPhoto,
            embedding: reference,
        },
        true,
    );
    print_latency(&timings);
    println!(
        "printed-photo replay: state {state:?}, decision {:?}, failure {:?}, passive {:?}, actions {:?}",
        result.decision,
        result.failure,
        result.liveness.passive_score,
        result
            .liveness
            .actions
            .iter()
            .map(|a| a.action)
            .collect::<Vec<_>>()
    );
    assert!(
        result.liveness.frames.with_one_face > 0,
        "the print's face must be seen for the test to mean anything"
    );
    assert!(
        !result
            .liveness
            .actions
            .iter()
            .any(|a| a.action == Action::Blink),
        "a rigid print blinked"
    );
    assert_ne!(state, SessionState::Done);
    assert_eq!(result.decision, Decision::NotLive);
    // The session never leaves aligning for this (off-frontal) print, so also run the blink detector on its
    // openness trace directly.
    let blinks = blinks_in_openness(&openness);
    println!(
        "printed-photo openness over {} frames: blinks {blinks:?}",
        openness.len()
    );
    assert!(openness.len() >= 60, "{} frames measured", openness.len());
    assert!(blinks.is_empty(), "a rigid print blinked: {blinks:?}");
}

/// The session's other checks on the real clip: the face is tracked on every frame, look_straight completes,
/// the passive score and continuity hold, and the first-frame reference is the same person while a deepface
/// photo is not. Prints the iris openness dip inside the clip's known blinks.
#[test]
fn selfie_video_runs_through_the_session() {
    let Some(frames) = decode_video(&shared(VIDEO), WIDTH, FPS) else {
        return;
    };
    let stages = stages();
    let (w, h, rgb) = &frames[0];
    let first = Frame::from_rgb(*w, *h, rgb.clone()).unwrap();
    let own = pollster::block_on(stages.embed_reference_photo(&first)).unwrap();
    drop(first);
    let other = Frame::decode(&std::fs::read(shared(OTHER_PERSON)).unwrap()).unwrap();
    let other = pollster::block_on(stages.embed_reference_photo(&other)).unwrap();
    let reference_gap = own.l2_distance(&other);
    println!("first frame vs deepface img1: L2 {reference_gap:.3}");
    assert!(reference_gap > 0.6, "different people: {reference_gap}");

    let (result, timings, state, ears) = run(
        &stages,
        &frames,
        FPS,
        ReferenceEmbedding {
            kind: ReferenceKind::IdPhoto,
            embedding: own,
        },
        false,
    );
    print_latency(&timings);
    let baseline = result.liveness.eye_baseline.expect("an open-eye baseline");
    for (start, end) in [(1400.0, 1530.0), (2630.0, 2730.0), (3400.0, 3470.0)] {
        let (l, r) = ears
            .iter()
            .filter(|(t, _, _)| (start - 34.0..=end + 34.0).contains(t))
            .fold((f32::MAX, f32::MAX), |(l, r), (_, el, er)| {
                (l.min(*el), r.min(*er))
            });
        println!(
            "known blink {start:.0}-{end:.0} ms: lowest openness L {l:.3} ({:.2}x baseline) R {r:.3} ({:.2}x baseline)",
            l / baseline.left,
            r / baseline.right
        );
    }
    println!(
        "state {state:?}; failure {:?}; passive {:?} over {} samples; continuity max {:?} over {}; frames {:?}",
        result.failure,
        result.liveness.passive_score,
        result.liveness.passive_samples,
        result.liveness.max_continuity_distance,
        result.liveness.continuity_samples,
        result.liveness.frames
    );
    let frames_seen = result.liveness.frames.total;
    assert!(
        result.liveness.frames.with_one_face * 100 >= frames_seen * 95,
        "{:?}",
        result.liveness.frames
    );
    assert!(
        result
            .liveness
            .actions
            .iter()
            .any(|a| a.action == Action::LookStraight),
        "look_straight must complete"
    );
    assert!(
        result.liveness.passive_score.is_some_and(|s| s >= 0.5),
        "passive {:?}",
        result.liveness.passive_score
    );
    assert!(
        result
            .liveness
            .max_continuity_distance
            .is_some_and(|d| d < 0.6)
    );
    assert_eq!(state, SessionState::Done, "{:?}", result.failure);
}

/// The F1 print is turned ~30° away, so the session never leaves aligning. This replays a *frontal* still
/// (the selfie's own first frame, as a print of the enrolled person would be) the same way: it gets through
/// aligning and look_straight, and must then fail to blink.
#[test]
fn moving_frontal_still_gets_past_look_straight_but_not_the_blink() {
    let Some(frames) = decode_video(&shared(VIDEO), WIDTH, FPS) else {
        return;
    };
    let (w, h, rgb) = &frames[0];
    let still = Frame::from_rgb(*w, *h, rgb.clone()).unwrap();
    drop(frames);
    let fps = 20;
    let replay = printed_photo_replay(&still, (still.width(), still.height()), 4.0, fps);
    let stages = stages();
    let reference = pollster::block_on(stages.embed_reference_photo(&still)).unwrap();
    let (result, _, state, openness) = run(
        &stages,
        &replay,
        fps,
        ReferenceEmbedding {
            kind: ReferenceKind::IdPhoto,
            embedding: reference,
        },
        false,
    );
    println!(
        "frontal-still replay: state {state:?}, decision {:?}, failure {:?}, passive {:?}, actions {:?}",
        result.decision,
        result.failure,
        result.liveness.passive_score,
        result
            .liveness
            .actions
            .iter()
            .map(|a| a.action)
            .collect::<Vec<_>>()
    );
    assert!(
        result
            .liveness
            .actions
            .iter()
            .any(|a| a.action == Action::LookStraight),
        "the still must reach the blink"
    );
    assert!(
        !result
            .liveness
            .actions
            .iter()
            .any(|a| a.action == Action::Blink),
        "a still blinked"
    );
    assert_ne!(state, SessionState::Done);
    assert_eq!(result.decision, Decision::NotLive);
    let blinks = blinks_in_openness(&openness);
    println!(
        "frontal-still openness over {} frames: blinks {blinks:?}",
        openness.len()
    );
    assert!(blinks.is_empty(), "a rigid still blinked: {blinks:?}");
}
