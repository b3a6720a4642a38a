//! Blink detection on the labelled real clips (labels in `common/mod.rs`): per-eye openness from the Iris
//! lid contour through the liveness engine's own `BlinkDetector`, run over each whole clip (it re-arms after
//! every blink), scored against the labels. Prints, per clip, each labelled blink's lowest openness /
//! baseline, the frame-to-frame noise outside blinks, the detections, and precision / recall overall, for
//! the default `BlinkConfig` and a sweep of `closed_ratio`; then the landmark + iris latency.
//! `cargo run --release -p faceproof-session --features flex --example blink_report -- [FPS] [WIDTH] [DETECT_EVERY]`
//! (faces tracked between detector frames as in a session; `DETECT_EVERY` 1 = the detector on every frame).
//! Needs the system ffmpeg and ../shared.
use burn::prelude::Device;
use faceproof_liveness::actions::{
    ActionProgress, ActionSample, BlinkDetector, EyeBaseline, OpenEyeBaseline,
};
use faceproof_liveness::config::BlinkConfig;
use faceproof_session::{FaceTracker, Sampling, Stages};

mod common;
use common::{CLIPS, LabelledClip};

/// The baseline is the engine's (median of open frontal frames) over the clip's first 2 s.
const BASELINE_MS: f64 = 2000.0;
/// Frames within this of a labelled blink (or in an ignored span) are not "outside blinks" for the noise.
const NOISE_MARGIN_S: f64 = 0.4;

fn baseline(samples: &[ActionSample], config: &BlinkConfig) -> Option<EyeBaseline> {
    let mut collector = OpenEyeBaseline::default();
    for s in samples.iter().filter(|s| s.timestamp_ms < BASELINE_MS) {
        if s.yaw_deg.abs() <= 12.0 && s.pitch_deg.abs() <= 12.0 {
            collector.add(s.timestamp_ms, s.left_eye_openness, s.right_eye_openness);
        }
    }
    collector.baseline(config).ok()
}

fn detect(
    samples: &[ActionSample],
    baseline: EyeBaseline,
    config: &BlinkConfig,
) -> Vec<(f64, f64, f32)> {
    let mut detector = BlinkDetector::new(baseline, config.clone());
    samples
        .iter()
        .filter_map(|s| match detector.observe(s) {
            ActionProgress::Completed(done) => {
                Some((done.start_ms / 1e3, done.end_ms / 1e3, done.peak))
            }
            _ => None,
        })
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Score {
    hits: usize,
    false_alarms: usize,
    ignored: usize,
    found: usize,
    labelled: usize,
}

fn score(detections: &[(f64, f64, f32)], clip: &LabelledClip, fps: u32) -> Score {
    let slack = 1.0 / f64::from(fps) + 0.01;
    let overlaps =
        |d: &(f64, f64, f32), span: &(f64, f64)| d.0 <= span.1 + slack && d.1 >= span.0 - slack;
    let mut score = Score {
        labelled: clip.blinks.len(),
        ..Score::default()
    };
    for d in detections {
        if clip.blinks.iter().any(|b| overlaps(d, b)) {
            score.hits += 1;
        } else if clip.ignore.iter().any(|b| overlaps(d, b)) {
            score.ignored += 1;
        } else {
            score.false_alarms += 1;
        }
    }
    score.found = clip
        .blinks
        .iter()
        .filter(|b| detections.iter().any(|d| overlaps(d, b)))
        .count();
    score
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let fps: u32 = args.get(1).map_or(Ok(15), |s| s.parse())?;
    let width: u32 = args.get(2).map_or(Ok(480), |s| s.parse())?;
    // As in a session: the face is tracked between detector frames (1 = detect every frame).
    let detect_every: u32 = args.get(3).map_or(Ok(Sampling::default().detect_every), |s| s.parse())?;
    let stages = Stages::load_native(&Device::flex())?;
    let config = BlinkConfig::default();
    let sweep = [0.50f32, 0.55, 0.60, 0.65, 0.70, 0.75];
    let mut measured = Vec::new();
    let (mut detect_ms, mut landmarks_ms) = (Vec::new(), Vec::new());
    for clip in CLIPS {
        let frames = common::decode(&common::shared(clip.path), fps, width, 60.0)?;
        let mut samples = Vec::new();
        let mut tracker = FaceTracker::new();
        for (index, frame) in frames.iter().enumerate() {
            let t = index as f64 * 1000.0 / f64::from(fps);
            match common::measure(&stages, &mut tracker, detect_every, index, frame, t) {
                Ok(Some(m)) => {
                    detect_ms.extend(m.detect_ms);
                    landmarks_ms.push(m.landmarks_ms);
                    samples.push(m.sample);
                }
                Ok(None) => {}
                Err(e) => println!("{} t={t:.0} ms: {e}", clip.name),
            }
        }
        let Some(base) = baseline(&samples, &config) else {
            println!("{}: no open-eye baseline in the first 2 s", clip.name);
            continue;
        };
        println!(
            "\n{}: {} frames at {fps} fps, {} with a face; baseline openness L {:.3} R {:.3}",
            clip.name,
            frames.len(),
            samples.len(),
            base.left,
            base.right
        );
        let ratio = |s: &ActionSample| {
            (
                s.left_eye_openness / base.left,
                s.right_eye_openness / base.right,
            )
        };
        for &(start, end) in clip.blinks {
            let inside: Vec<(f32, f32)> = samples
                .iter()
                .filter(|s| {
                    s.timestamp_ms / 1e3 >= start - 0.07 && s.timestamp_ms / 1e3 <= end + 0.07
                })
                .map(ratio)
                .collect();
            let (l, r, both) = inside
                .iter()
                .fold((f32::MAX, f32::MAX, f32::MAX), |(l, r, b), &(x, y)| {
                    (l.min(x), r.min(y), b.min(x.max(y)))
                });
            println!(
                "  blink {start:5.2}–{end:5.2} s: lowest openness/baseline L {l:.2} R {r:.2}, both eyes below {both:.2}"
            );
        }
        let near = |t: f64| {
            clip.blinks
                .iter()
                .chain(clip.ignore)
                .any(|&(s, e)| t >= s - NOISE_MARGIN_S && t <= e + NOISE_MARGIN_S)
        };
        let mut steps = Vec::new();
        let mut lowest_outside = f32::MAX;
        for pair in samples.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if near(a.timestamp_ms / 1e3) || near(b.timestamp_ms / 1e3) {
                continue;
            }
            let ((al, ar), (bl, br)) = (ratio(a), ratio(b));
            steps.push(f64::from((bl - al).abs()));
            steps.push(f64::from((br - ar).abs()));
            lowest_outside = lowest_outside.min(bl.max(br)).min(al.max(ar));
        }
        println!(
            "  outside blinks (±{NOISE_MARGIN_S} s): frame-to-frame |Δ openness|/baseline median {:.3}, p95 {:.3}; lowest 'both eyes below' {:.2}",
            common::median(&steps),
            common::percentile(&steps, 0.95),
            lowest_outside
        );
        let detections = detect(&samples, base, &config);
        let s = score(&detections, clip, fps);
        println!(
            "  default BlinkConfig (closed {:.2}, reopened {:.2}): {} detections {:?}; hits {}, false alarms {}, in ignored spans {}; labelled blinks found {}/{}",
            config.closed_ratio,
            config.reopened_ratio,
            detections.len(),
            detections
                .iter()
                .map(|d| format!("{:.2}–{:.2}", d.0, d.1))
                .collect::<Vec<_>>(),
            s.hits,
            s.false_alarms,
            s.ignored,
            s.found,
            s.labelled
        );
        measured.push((clip, samples, base));
    }
    println!(
        "\nprecision / recall over {} clips ({fps} fps, {width} px wide):",
        measured.len()
    );
    for closed in std::iter::once(config.closed_ratio).chain(sweep) {
        let config = BlinkConfig {
            closed_ratio: closed,
            ..config.clone()
        };
        let mut total = Score::default();
        let mut per_clip = Vec::new();
        for (clip, samples, base) in &measured {
            let s = score(&detect(samples, *base, &config), clip, fps);
            per_clip.push(format!(
                "{} {}/{} fa {}",
                clip.name, s.found, s.labelled, s.false_alarms
            ));
            total.hits += s.hits;
            total.false_alarms += s.false_alarms;
            total.ignored += s.ignored;
            total.found += s.found;
            total.labelled += s.labelled;
        }
        let precision = total.hits as f64 / (total.hits + total.false_alarms).max(1) as f64;
        let recall = total.found as f64 / total.labelled.max(1) as f64;
        println!(
            "  closed_ratio {closed:.2}{}: precision {}/{} = {precision:.2}, recall {}/{} = {recall:.2} ({}; {} in ignored spans)",
            if closed == BlinkConfig::default().closed_ratio {
                " (default)"
            } else {
                ""
            },
            total.hits,
            total.hits + total.false_alarms,
            total.found,
            total.labelled,
            per_clip.join(", "),
            total.ignored
        );
    }
    println!(
        "\nlatency on flex (release), {} frames with a face, detect_every {detect_every}: detector on {} of them (median {:.1} ms), FaceMesh + Iris median {:.1} ms (p95 {:.1})",
        landmarks_ms.len(),
        detect_ms.len(),
        common::median(&detect_ms),
        common::median(&landmarks_ms),
        common::percentile(&landmarks_ms, 0.95)
    );
    Ok(())
}
