//! Detectors for the challenged actions. Each is fed [`ActionSample`]s (one per frame with exactly one usable
//! face) and reports [`ActionProgress`]. They are public so that the report example and the integrator's
//! replay tooling can run them on their own.

use serde::{Deserialize, Serialize};

use crate::challenge::Action;
use crate::config::{BlinkConfig, PoseActionConfig};

/// The per-frame numbers an action detector looks at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActionSample {
    pub timestamp_ms: f64,
    pub yaw_deg: f32,
    pub pitch_deg: f32,
    pub roll_deg: f32,
    pub left_eye_openness: f32,
    pub right_eye_openness: f32,
    /// Face box height / width.
    pub bbox_aspect: f32,
}

impl ActionSample {
    pub fn from_face(timestamp_ms: f64, face: &crate::observation::FaceObservation) -> Self {
        ActionSample {
            timestamp_ms,
            yaw_deg: face.yaw_deg,
            pitch_deg: face.pitch_deg,
            roll_deg: face.roll_deg,
            left_eye_openness: face.left_eye_openness,
            right_eye_openness: face.right_eye_openness,
            bbox_aspect: face.bbox[3] / face.bbox[2],
        }
    }
}

/// Where an action stands after a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ActionProgress {
    /// Not done; `fraction` in [0, 1) for the progress bar, `instruction_hint` says what the UI should say.
    Pending { fraction: f32, hint: ActionHint },
    Completed(CompletedAction),
    /// The user did something that must not pass (e.g. turned the wrong way).
    Failed(ActionFailure),
}

/// What the user should do next for the current action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionHint {
    /// Perform the action itself.
    Perform,
    /// Come back to a frontal pose first (before starting, or after the peak).
    ReturnToCentre,
}

/// A completed action with its timing (ms on the observation clock) and how far it went.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CompletedAction {
    pub start_ms: f64,
    pub end_ms: f64,
    /// Turns/nod: peak angle in degrees (signed). Blink: lowest openness as a fraction of the baseline.
    /// Look-straight: largest |yaw|/|pitch| seen while holding.
    pub peak: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ActionFailure {
    #[error("turned the wrong way")]
    WrongDirection,
}

/// This user's open-eye openness, collected while aligning.
#[derive(Debug, Clone, Default)]
pub struct OpenEyeBaseline {
    left: Vec<f32>,
    right: Vec<f32>,
    first_ms: Option<f64>,
    last_ms: f64,
}

/// Per-eye baseline openness (median of the aligning frames).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EyeBaseline {
    pub left: f32,
    pub right: f32,
}

impl OpenEyeBaseline {
    /// Bounded: the baseline needs only the last second or so.
    const MAX_SAMPLES: usize = 60;

    pub fn add(&mut self, timestamp_ms: f64, left: f32, right: f32) {
        if self.left.len() == Self::MAX_SAMPLES {
            self.left.remove(0);
            self.right.remove(0);
            self.first_ms = Some(self.last_ms);
        }
        self.left.push(left);
        self.right.push(right);
        self.first_ms.get_or_insert(timestamp_ms);
        self.last_ms = timestamp_ms;
    }

    pub fn reset(&mut self) {
        *self = OpenEyeBaseline::default();
    }

    /// `Ok(baseline)` once enough open frames were seen; `Err(true)` if enough frames but the eyes look
    /// closed (the UI says "open_eyes"); `Err(false)` if more frames are needed.
    pub fn baseline(&self, config: &BlinkConfig) -> Result<EyeBaseline, bool> {
        let span = self.first_ms.map_or(0.0, |first| self.last_ms - first);
        if (self.left.len() as u32) < config.baseline_min_frames || span < config.baseline_min_span_ms {
            return Err(false);
        }
        let baseline = EyeBaseline { left: median(&self.left), right: median(&self.right) };
        if baseline.left < config.min_open_eye_openness || baseline.right < config.min_open_eye_openness {
            return Err(true);
        }
        Ok(baseline)
    }
}

pub(crate) fn median(values: &[f32]) -> f32 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f32::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Blink: both eyes fall below `baseline × closed_ratio`, then both recover above `baseline × reopened_ratio`,
/// with the head still meanwhile. Frames only bracket the true closure: it lasted at least from the first to
/// the last closed frame and at most from the last open to the first reopened frame. The blink counts when
/// that bracket meets `min_closure_ms..=max_closure_ms`, so a slow camera (or a slow device that judges a
/// few frames a second) does not turn a 150 ms blink into an 800 ms one.
#[derive(Debug, Clone)]
pub struct BlinkDetector {
    config: BlinkConfig,
    baseline: EyeBaseline,
    state: BlinkState,
    /// The most recent sample with both eyes above the reopened threshold.
    last_open: Option<ActionSample>,
}

#[derive(Debug, Clone, Copy)]
enum BlinkState {
    /// Waiting for both eyes open (arms the detector).
    NeedOpen,
    Open,
    /// Both eyes went below the closed threshold; `open_before` is the last open frame, `first_closed_ms` the
    /// first closed one.
    Closed { open_before: ActionSample, first_closed_ms: f64, lowest_fraction: f32, disturbed: bool },
}

impl BlinkDetector {
    pub fn new(baseline: EyeBaseline, config: BlinkConfig) -> Self {
        BlinkDetector { config, baseline, state: BlinkState::NeedOpen, last_open: None }
    }

    fn fractions(&self, sample: &ActionSample) -> (f32, f32) {
        (sample.left_eye_openness / self.baseline.left, sample.right_eye_openness / self.baseline.right)
    }

    fn disturbed(&self, open: &ActionSample, sample: &ActionSample) -> bool {
        let pose_moved = (sample.yaw_deg - open.yaw_deg).abs() > self.config.max_pose_change_deg
            || (sample.pitch_deg - open.pitch_deg).abs() > self.config.max_pose_change_deg;
        let aspect_changed =
            (sample.bbox_aspect / open.bbox_aspect - 1.0).abs() > self.config.max_aspect_change;
        pose_moved || aspect_changed
    }

    pub fn observe(&mut self, sample: &ActionSample) -> ActionProgress {
        let (left, right) = self.fractions(sample);
        let both_open = left >= self.config.reopened_ratio && right >= self.config.reopened_ratio;
        let both_closed = left < self.config.closed_ratio && right < self.config.closed_ratio;
        let pending = |fraction| ActionProgress::Pending { fraction, hint: ActionHint::Perform };
        match self.state {
            BlinkState::NeedOpen | BlinkState::Open => {
                if both_open {
                    self.state = BlinkState::Open;
                    self.last_open = Some(*sample);
                    return pending(0.0);
                }
                match (self.state, both_closed, self.last_open) {
                    (BlinkState::Open, true, Some(open_before)) => {
                        let disturbed = self.disturbed(&open_before, sample);
                        self.state = BlinkState::Closed {
                            open_before,
                            first_closed_ms: sample.timestamp_ms,
                            lowest_fraction: left.max(right),
                            disturbed,
                        };
                        pending(0.5)
                    }
                    _ => pending(0.0),
                }
            }
            BlinkState::Closed { open_before, first_closed_ms, lowest_fraction, disturbed } => {
                let disturbed = disturbed || self.disturbed(&open_before, sample);
                let lowest_fraction = lowest_fraction.min(left.max(right));
                // Not yet reopened: every frame since `first_closed_ms` was closed (or half-open).
                let surely_closed_ms = sample.timestamp_ms - first_closed_ms;
                if !both_open && surely_closed_ms > self.config.max_closure_ms {
                    // Too long for a blink (eyes shut, or a photo tilted away): start over.
                    self.state = BlinkState::NeedOpen;
                    self.last_open = None;
                    return pending(0.0);
                }
                if !both_open {
                    self.state = BlinkState::Closed { open_before, first_closed_ms, lowest_fraction, disturbed };
                    return pending(0.5);
                }
                let longest_closure_ms = sample.timestamp_ms - open_before.timestamp_ms;
                self.state = BlinkState::Open;
                self.last_open = Some(*sample);
                if disturbed || longest_closure_ms < self.config.min_closure_ms {
                    return pending(0.0);
                }
                ActionProgress::Completed(CompletedAction {
                    start_ms: open_before.timestamp_ms,
                    end_ms: sample.timestamp_ms,
                    peak: lowest_fraction,
                })
            }
        }
    }
}

/// Which axis and direction a head-movement action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PoseGoal {
    /// yaw > +threshold (subject's own left).
    YawPositive,
    /// yaw < -threshold (subject's own right).
    YawNegative,
    /// pitch > +threshold (chin down).
    PitchPositive,
}

/// Turn left / turn right / nod: from near-frontal, past the threshold in the asked direction, back to frontal.
/// Angles are smoothed with a median of the last 3 samples so a single noisy frame neither triggers nor fails.
#[derive(Debug, Clone)]
pub struct HeadMovementDetector {
    config: PoseActionConfig,
    goal: PoseGoal,
    state: MovementState,
    recent: Vec<ActionSample>,
}

#[derive(Debug, Clone, Copy)]
enum MovementState {
    NeedFrontal,
    /// Frontal; `last_frontal_ms` is when the excursion may have started.
    Frontal { last_frontal_ms: f64 },
    Beyond { start_ms: f64, peak: f32 },
}

impl HeadMovementDetector {
    /// `None` for actions that are not head movements.
    pub fn new(action: Action, config: PoseActionConfig) -> Option<Self> {
        let goal = match action {
            Action::TurnLeft => PoseGoal::YawPositive,
            Action::TurnRight => PoseGoal::YawNegative,
            Action::Nod => PoseGoal::PitchPositive,
            Action::Blink | Action::LookStraight => return None,
        };
        Some(HeadMovementDetector { config, goal, state: MovementState::NeedFrontal, recent: Vec::with_capacity(3) })
    }

    fn smoothed(&self) -> (f32, f32) {
        let yaws: Vec<f32> = self.recent.iter().map(|s| s.yaw_deg).collect();
        let pitches: Vec<f32> = self.recent.iter().map(|s| s.pitch_deg).collect();
        (median(&yaws), median(&pitches))
    }

    pub fn observe(&mut self, sample: &ActionSample) -> ActionProgress {
        if let Some(previous) = self.recent.last() {
            let dt_s = ((sample.timestamp_ms - previous.timestamp_ms) / 1000.0).max(1e-3) as f32;
            let jump = (sample.yaw_deg - previous.yaw_deg).abs().max((sample.pitch_deg - previous.pitch_deg).abs());
            if jump / dt_s > self.config.max_angular_speed_deg_per_s {
                // Implausibly fast: no head moves like that; two different pictures were swapped in.
                self.recent.clear();
                self.recent.push(*sample);
                self.state = MovementState::NeedFrontal;
                return ActionProgress::Pending { fraction: 0.0, hint: ActionHint::ReturnToCentre };
            }
        }
        if self.recent.len() == 3 {
            self.recent.remove(0);
        }
        self.recent.push(*sample);
        let (yaw, pitch) = self.smoothed();
        let band = self.config.frontal_band_deg;
        let frontal = yaw.abs() <= band && pitch.abs() <= band;
        let (value, threshold, opposite_is_wrong) = match self.goal {
            PoseGoal::YawPositive => (yaw, self.config.turn_threshold_deg, true),
            PoseGoal::YawNegative => (-yaw, self.config.turn_threshold_deg, true),
            // Chin up first is not an attack signal; it simply does not count.
            PoseGoal::PitchPositive => (pitch, self.config.nod_threshold_deg, false),
        };
        let signed_peak = |v: f32| if self.goal == PoseGoal::YawNegative { -v } else { v };
        match self.state {
            MovementState::NeedFrontal => {
                if frontal {
                    self.state = MovementState::Frontal { last_frontal_ms: sample.timestamp_ms };
                    ActionProgress::Pending { fraction: 0.0, hint: ActionHint::Perform }
                } else {
                    ActionProgress::Pending { fraction: 0.0, hint: ActionHint::ReturnToCentre }
                }
            }
            MovementState::Frontal { last_frontal_ms } => {
                if opposite_is_wrong && self.config.fail_on_wrong_direction && -value >= threshold {
                    return ActionProgress::Failed(ActionFailure::WrongDirection);
                }
                if value >= threshold {
                    self.state = MovementState::Beyond { start_ms: last_frontal_ms, peak: value };
                    return ActionProgress::Pending { fraction: 0.5, hint: ActionHint::ReturnToCentre };
                }
                if frontal {
                    self.state = MovementState::Frontal { last_frontal_ms: sample.timestamp_ms };
                }
                let fraction = (value.max(0.0) / threshold * 0.5).clamp(0.0, 0.49);
                ActionProgress::Pending { fraction, hint: ActionHint::Perform }
            }
            MovementState::Beyond { start_ms, peak } => {
                let peak = peak.max(value);
                if frontal {
                    self.state = MovementState::NeedFrontal;
                    return ActionProgress::Completed(CompletedAction {
                        start_ms,
                        end_ms: sample.timestamp_ms,
                        peak: signed_peak(peak),
                    });
                }
                self.state = MovementState::Beyond { start_ms, peak };
                let back = 1.0 - ((value - band).max(0.0) / (peak - band).max(1e-3)).clamp(0.0, 1.0);
                ActionProgress::Pending { fraction: 0.5 + 0.49 * back, hint: ActionHint::ReturnToCentre }
            }
        }
    }
}

/// Look straight: hold a frontal pose for `look_straight_hold_ms`.
#[derive(Debug, Clone)]
pub struct LookStraightDetector {
    config: PoseActionConfig,
    hold_start_ms: Option<f64>,
    worst_deg: f32,
}

impl LookStraightDetector {
    pub fn new(config: PoseActionConfig) -> Self {
        LookStraightDetector { config, hold_start_ms: None, worst_deg: 0.0 }
    }

    pub fn observe(&mut self, sample: &ActionSample) -> ActionProgress {
        let deviation = sample.yaw_deg.abs().max(sample.pitch_deg.abs());
        if deviation > self.config.look_straight_band_deg {
            self.hold_start_ms = None;
            self.worst_deg = 0.0;
            return ActionProgress::Pending { fraction: 0.0, hint: ActionHint::Perform };
        }
        self.worst_deg = self.worst_deg.max(deviation);
        let start_ms = *self.hold_start_ms.get_or_insert(sample.timestamp_ms);
        let held_ms = sample.timestamp_ms - start_ms;
        if held_ms >= self.config.look_straight_hold_ms {
            return ActionProgress::Completed(CompletedAction { start_ms, end_ms: sample.timestamp_ms, peak: self.worst_deg });
        }
        let fraction = (held_ms / self.config.look_straight_hold_ms) as f32;
        ActionProgress::Pending { fraction: fraction.clamp(0.0, 0.99), hint: ActionHint::Perform }
    }
}

/// Any action's detector.
#[derive(Debug, Clone)]
pub enum ActionDetector {
    Blink(BlinkDetector),
    HeadMovement(HeadMovementDetector),
    LookStraight(LookStraightDetector),
}

impl ActionDetector {
    pub fn new(action: Action, baseline: EyeBaseline, blink: &BlinkConfig, pose: &PoseActionConfig) -> Self {
        match action {
            Action::Blink => ActionDetector::Blink(BlinkDetector::new(baseline, blink.clone())),
            Action::LookStraight => ActionDetector::LookStraight(LookStraightDetector::new(pose.clone())),
            Action::TurnLeft | Action::TurnRight | Action::Nod => match HeadMovementDetector::new(action, pose.clone()) {
                Some(detector) => ActionDetector::HeadMovement(detector),
                // Unreachable by the match above; keeps the code panic-free without an unwrap.
                None => ActionDetector::LookStraight(LookStraightDetector::new(pose.clone())),
            },
        }
    }

    pub fn observe(&mut self, sample: &ActionSample) -> ActionProgress {
        match self {
            ActionDetector::Blink(detector) => detector.observe(sample),
            ActionDetector::HeadMovement(detector) => detector.observe(sample),
            ActionDetector::LookStraight(detector) => detector.observe(sample),
        }
    }
}

#[cfg(test)]
mod blink_bracket_tests {
    use super::*;

    fn sample(timestamp_ms: f64, openness: f32) -> ActionSample {
        ActionSample {
            timestamp_ms,
            yaw_deg: 0.0,
            pitch_deg: 0.0,
            roll_deg: 0.0,
            left_eye_openness: openness,
            right_eye_openness: openness,
            bbox_aspect: 1.2,
        }
    }

    /// Feeds (ms, openness) pairs; returns the completed blink, if any.
    fn run(frames: &[(f64, f32)]) -> Option<CompletedAction> {
        let mut detector = BlinkDetector::new(EyeBaseline { left: 0.28, right: 0.28 }, BlinkConfig::default());
        frames.iter().find_map(|&(t, o)| match detector.observe(&sample(t, o)) {
            ActionProgress::Completed(done) => Some(done),
            _ => None,
        })
    }

    #[test]
    fn a_blink_seen_by_a_slow_device_still_counts() {
        // ~3.5 judged frames a second: one closed frame, then open 600 ms later. The closure lies somewhere
        // in 0..=900 ms; a 150 ms blink fits.
        let frames = [(0.0, 0.28), (300.0, 0.28), (600.0, 0.04), (900.0, 0.21), (1200.0, 0.27)];
        let done = run(&frames).expect("blink");
        assert_eq!((done.start_ms, done.end_ms), (300.0, 1200.0));
    }

    #[test]
    fn eyes_shut_for_over_800_ms_never_count_however_sparse_the_frames() {
        let frames = [(0.0, 0.28), (300.0, 0.28), (600.0, 0.04), (1000.0, 0.05), (1500.0, 0.03), (1800.0, 0.28)];
        assert!(run(&frames).is_none());
        // Dense frames: closed 0..=900 ms.
        let dense: Vec<(f64, f32)> = (0..40)
            .map(|i| (f64::from(i) * 33.0, if (5..=32).contains(&i) { 0.03 } else { 0.28 }))
            .collect();
        assert!(run(&dense).is_none());
    }

    #[test]
    fn a_half_closure_is_not_a_blink() {
        let frames = [(0.0, 0.28), (33.0, 0.28), (66.0, 0.2), (99.0, 0.19), (132.0, 0.28)];
        assert!(run(&frames).is_none());
    }
}
