//! The session state machine: waiting-for-face → aligning → action 1 … action n → capturing reference frames
//! → done | failed(reason). Driven by [`LivenessSession::push_frame`], concluded by [`LivenessSession::finish`].

use serde::{Deserialize, Serialize};

use crate::actions::{ActionDetector, ActionHint, ActionProgress, ActionSample, EyeBaseline, OpenEyeBaseline};
use crate::challenge::{Action, Challenge, ChallengeError};
use crate::config::LivenessConfig;
use crate::instruction::{Instruction, InstructionCode, InstructionParams};
use crate::matching::{self, MatchCalibration, ReferenceEmbedding};
use crate::observation::{Embedding, EmbeddingSum, FaceObservation, FrameObservation, InvalidField};
use crate::quality::{self, FaceSelection};
use crate::result::{
    ActionEvidence, Decision, FailureReason, FrameCounts, LivenessEvidence, SessionResult, SessionTimings,
};
use crate::timing::FrameClock;

/// Where the session is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SessionState {
    WaitingForFace,
    /// Collecting the open-eye baseline and the first continuity embedding.
    Aligning,
    /// Performing the challenge's action at `index` (0-based).
    Action { index: usize, action: Action },
    CapturingReference,
    /// All steps done: call [`LivenessSession::finish`].
    Done,
    Failed { reason: FailureReason },
}

impl SessionState {
    pub fn name(&self) -> &'static str {
        match self {
            SessionState::WaitingForFace => "waiting_for_face",
            SessionState::Aligning => "aligning",
            SessionState::Action { .. } => "action",
            SessionState::CapturingReference => "capturing_reference",
            SessionState::Done => "done",
            SessionState::Failed { .. } => "failed",
        }
    }
}

/// What the host shows after a frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameFeedback {
    pub state: SessionState,
    pub instruction: Instruction,
    /// Overall progress in [0, 1]; never decreases.
    pub progress: f32,
}

/// A frame the engine refused. Errors that indicate tampering or a broken capture also fail the session
/// (see each variant); the others only drop the frame.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrameError {
    /// A value is non-finite or out of range; the frame is dropped, the session continues.
    #[error(transparent)]
    InvalidObservation(#[from] InvalidField),
    /// Timestamp not after the previous one: the session fails.
    #[error("timestamp {current_ms} ms is not after the previous {previous_ms} ms")]
    TimestampNotIncreasing { previous_ms: f64, current_ms: f64 },
    /// The camera resolution changed mid-session (a different source): the session fails.
    #[error("frame size {got:?} differs from the session's {expected:?}")]
    FrameSizeChanged { expected: (u32, u32), got: (u32, u32) },
    /// The session is done or failed; call `finish`.
    #[error("the session is over ({0})")]
    SessionOver(&'static str),
}

struct TrackPoint {
    timestamp_ms: f64,
    centre: [f32; 2],
    width: f32,
}

/// One liveness session for one challenge.
pub struct LivenessSession {
    challenge: Challenge,
    config: LivenessConfig,
    calibration: MatchCalibration,
    started_unix_ms: i64,
    state: SessionState,
    clock: FrameClock,
    frame_size: Option<(u32, u32)>,
    counts: FrameCounts,
    baseline_collector: OpenEyeBaseline,
    eye_baseline: Option<EyeBaseline>,
    detector: Option<ActionDetector>,
    action_requested_ms: f64,
    completed_actions: Vec<ActionEvidence>,
    live_scores: Vec<f32>,
    continuity_reference: EmbeddingSum,
    continuity_samples: u32,
    max_continuity_distance: Option<f32>,
    last_track: Option<TrackPoint>,
    track_restarts: u32,
    /// Best reference frames so far: (ranking score, embedding), at most `capture.max_frames`.
    reference_frames: Vec<(f32, Embedding)>,
    capture_started_ms: f64,
    timings: SessionTimings,
    progress: f32,
    result: Option<SessionResult>,
}

impl std::fmt::Debug for LivenessSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Deliberately summary-only: no embeddings, no scores of individual frames.
        f.debug_struct("LivenessSession")
            .field("state", &self.state)
            .field("frames", &self.counts.total)
            .field("retained_embeddings", &self.retained_embedding_count())
            .finish_non_exhaustive()
    }
}

impl LivenessSession {
    /// Starts a session. `now_unix_ms` is the host's wall clock (for the challenge expiry).
    pub fn new(challenge: Challenge, config: LivenessConfig, now_unix_ms: i64) -> Result<Self, ChallengeError> {
        Self::with_calibration(challenge, config, MatchCalibration::default(), now_unix_ms)
    }

    pub fn with_calibration(
        challenge: Challenge,
        config: LivenessConfig,
        calibration: MatchCalibration,
        now_unix_ms: i64,
    ) -> Result<Self, ChallengeError> {
        challenge.check_not_expired(now_unix_ms)?;
        Ok(LivenessSession {
            challenge,
            config,
            calibration,
            started_unix_ms: now_unix_ms,
            state: SessionState::WaitingForFace,
            clock: FrameClock::default(),
            frame_size: None,
            counts: FrameCounts::default(),
            baseline_collector: OpenEyeBaseline::default(),
            eye_baseline: None,
            detector: None,
            action_requested_ms: 0.0,
            completed_actions: Vec::new(),
            live_scores: Vec::new(),
            continuity_reference: EmbeddingSum::default(),
            continuity_samples: 0,
            max_continuity_distance: None,
            last_track: None,
            track_restarts: 0,
            reference_frames: Vec::new(),
            capture_started_ms: 0.0,
            timings: SessionTimings::default(),
            progress: 0.0,
            result: None,
        })
    }

    pub fn state(&self) -> &SessionState {
        &self.state
    }

    pub fn challenge(&self) -> &Challenge {
        &self.challenge
    }

    /// How many live-face embeddings (or sums of them) the session holds. 0 after `finish`.
    pub fn retained_embedding_count(&self) -> usize {
        self.reference_frames.len() + usize::from(self.continuity_reference.count() > 0)
    }

    /// Feeds one frame. The observation (and any embedding in it) is consumed and zeroized here unless it
    /// is kept as a reference frame.
    pub fn push_frame(&mut self, mut frame: FrameObservation) -> Result<FrameFeedback, FrameError> {
        if matches!(self.state, SessionState::Done | SessionState::Failed { .. }) || self.result.is_some() {
            return Err(FrameError::SessionOver(self.state.name()));
        }
        if let Err(invalid) = frame.validate() {
            self.counts.invalid += 1;
            return Err(FrameError::InvalidObservation(invalid));
        }
        if let Some(previous_ms) = self.clock.last_ms()
            && frame.timestamp_ms <= previous_ms {
                self.fail(FailureReason::TimestampNotIncreasing);
                return Err(FrameError::TimestampNotIncreasing { previous_ms, current_ms: frame.timestamp_ms });
            }
        let size = (frame.frame_width, frame.frame_height);
        match self.frame_size {
            Some(expected) if expected != size => {
                self.fail(FailureReason::FrameSizeChanged);
                return Err(FrameError::FrameSizeChanged { expected, got: size });
            }
            _ => self.frame_size = Some(size),
        }
        self.clock.record(frame.timestamp_ms);
        self.counts.total += 1;
        let elapsed_ms = frame.timestamp_ms - self.clock.first_ms().unwrap_or(frame.timestamp_ms);
        self.timings.session_ms = elapsed_ms;

        if let Some(reason) = self.deadline_passed(elapsed_ms) {
            self.fail(reason);
            return Ok(self.feedback(Instruction::plain(InstructionCode::Failed)));
        }
        let instruction = self.process_frame(&mut frame, elapsed_ms);
        Ok(self.feedback(instruction))
    }

    fn deadline_passed(&self, elapsed_ms: f64) -> Option<FailureReason> {
        let limit_ms = self.challenge.session_limit_ms();
        if elapsed_ms > f64::from(limit_ms) {
            return Some(FailureReason::SessionTimedOut { limit_ms });
        }
        let wall_clock_ms = self.started_unix_ms.saturating_add(elapsed_ms as i64);
        if self.challenge.check_not_expired(wall_clock_ms).is_err() {
            return Some(FailureReason::ChallengeExpired);
        }
        if let SessionState::Action { index, action } = self.state {
            let limit_ms = self.challenge.actions().get(index).map_or(0, |step| step.limit_ms);
            if elapsed_ms - self.action_requested_ms > f64::from(limit_ms) {
                return Some(FailureReason::ActionTimedOut { action, limit_ms });
            }
        }
        if self.state == SessionState::CapturingReference
            && elapsed_ms - self.capture_started_ms > self.config.capture.limit_ms
        {
            return Some(FailureReason::CaptureTimedOut { limit_ms: self.config.capture.limit_ms });
        }
        None
    }

    fn process_frame(&mut self, frame: &mut FrameObservation, elapsed_ms: f64) -> Instruction {
        let quality_config = self.config.quality.clone();
        let face_index = match quality::select_face(frame, &quality_config) {
            FaceSelection::None => {
                self.counts.without_face += 1;
                return Instruction::plain(InstructionCode::PositionFace);
            }
            FaceSelection::Several(count) => {
                // Paused: nothing is measured while another face competes; timers keep running.
                self.counts.with_several_faces += 1;
                return Instruction {
                    code: InstructionCode::MultipleFaces,
                    params: InstructionParams { face_count: Some(count), ..InstructionParams::default() },
                };
            }
            FaceSelection::One(face) => {
                frame.faces.iter().position(|candidate| std::ptr::eq(candidate, face)).unwrap_or(0)
            }
        };
        self.counts.with_one_face += 1;
        // The embedding leaves the observation here: it is either checked and dropped (zeroized) at the end
        // of this call, or moved into the reference frames.
        let embedding = frame.faces.get_mut(face_index).and_then(|face| face.embedding.take());
        let frame: &FrameObservation = frame;
        let Some(face) = frame.faces.get(face_index) else {
            return Instruction::plain(InstructionCode::PositionFace);
        };
        if let Err(reason) = self.check_track(face, frame.timestamp_ms) {
            self.fail(reason);
            return Instruction::plain(InstructionCode::Failed);
        }
        let verdict = quality::assess(frame, face, &quality_config);
        let usable = verdict.geometry_ok && verdict.image_ok;
        if !usable {
            self.counts.failed_quality += 1;
        }
        if let (Some(score), true) = (face.live_score, usable) {
            self.live_scores.push(score);
        }
        let mut capture_candidate = None;
        if let (Some(embedding), true) = (embedding, usable) {
            if let Err(reason) = self.check_identity(face, &embedding, verdict.frontal) {
                self.fail(reason);
                return Instruction::plain(InstructionCode::Failed);
            }
            if self.state == SessionState::CapturingReference && verdict.frontal {
                capture_candidate = Some((quality::reference_frame_score(frame, face), embedding));
            }
        }

        if self.state == SessionState::WaitingForFace {
            if !usable {
                return verdict.problem.map_or(Instruction::plain(InstructionCode::PositionFace), Instruction::plain);
            }
            self.timings.face_found_ms = Some(elapsed_ms);
            self.state = SessionState::Aligning;
        }
        match self.state {
            SessionState::Aligning => {
                if let Some(problem) = verdict.problem {
                    return Instruction::plain(problem);
                }
                if !verdict.frontal {
                    return Instruction::plain(InstructionCode::LookStraight);
                }
                self.baseline_collector.add(frame.timestamp_ms, face.left_eye_openness, face.right_eye_openness);
                match self.baseline_collector.baseline(&self.config.blink) {
                    Ok(baseline) if self.continuity_reference.count() > 0 => {
                        self.eye_baseline = Some(baseline);
                        self.timings.aligned_ms = Some(elapsed_ms);
                        self.start_action(0, elapsed_ms)
                    }
                    Err(true) => Instruction::plain(InstructionCode::OpenEyes),
                    _ => {
                        self.bump_progress(0.5 / self.step_count());
                        Instruction::plain(InstructionCode::KeepStill)
                    }
                }
            }
            SessionState::Action { index, action } => {
                if !verdict.geometry_ok {
                    return verdict.problem.map_or(Instruction::plain(InstructionCode::CenterFace), Instruction::plain);
                }
                let sample = ActionSample::from_face(frame.timestamp_ms, face);
                let Some(detector) = self.detector.as_mut() else {
                    return self.start_action(index, elapsed_ms);
                };
                match detector.observe(&sample) {
                    ActionProgress::Completed(done) => {
                        let origin_ms = self.clock.first_ms().unwrap_or(0.0);
                        self.completed_actions.push(ActionEvidence {
                            action,
                            requested_ms: self.action_requested_ms,
                            start_ms: (done.start_ms - origin_ms).max(self.action_requested_ms),
                            end_ms: done.end_ms - origin_ms,
                            peak: done.peak,
                        });
                        self.start_action(index + 1, elapsed_ms)
                    }
                    ActionProgress::Failed(_) => {
                        self.fail(FailureReason::WrongDirection { action });
                        Instruction::plain(InstructionCode::Failed)
                    }
                    ActionProgress::Pending { fraction, hint } => {
                        self.bump_progress((1.0 + index as f32 + fraction) / self.step_count());
                        match hint {
                            ActionHint::Perform => self.action_instruction(index, action, elapsed_ms),
                            ActionHint::ReturnToCentre => Instruction::plain(InstructionCode::ReturnToCenter),
                        }
                    }
                }
            }
            SessionState::CapturingReference => {
                if let Some(candidate) = capture_candidate {
                    self.keep_reference_frame(candidate);
                }
                let have = self.reference_frames.len();
                let capture = &self.config.capture;
                let settled = elapsed_ms - self.capture_started_ms >= capture.settle_ms;
                if have >= capture.max_frames || (have >= capture.min_frames && settled) {
                    self.timings.capture_done_ms = Some(elapsed_ms);
                    self.state = SessionState::Done;
                    self.progress = 1.0;
                    return Instruction::plain(InstructionCode::Done);
                }
                let steps = self.step_count();
                let fraction = (have as f32 / capture.min_frames.max(1) as f32).min(0.99);
                self.bump_progress((steps - 1.0 + fraction) / steps);
                if let Some(problem) = verdict.problem {
                    Instruction::plain(problem)
                } else if !verdict.frontal {
                    Instruction::plain(InstructionCode::LookStraight)
                } else {
                    Instruction::plain(InstructionCode::Capturing)
                }
            }
            SessionState::WaitingForFace | SessionState::Done | SessionState::Failed { .. } => {
                Instruction::plain(InstructionCode::PositionFace)
            }
        }
    }

    /// Aligning + each action + capture.
    fn step_count(&self) -> f32 {
        (self.challenge.actions().len() + 2) as f32
    }

    fn bump_progress(&mut self, progress: f32) {
        self.progress = self.progress.max(progress.clamp(0.0, 1.0));
    }

    fn start_action(&mut self, index: usize, elapsed_ms: f64) -> Instruction {
        self.action_requested_ms = elapsed_ms;
        self.bump_progress((1.0 + index as f32) / self.step_count());
        let Some(step) = self.challenge.actions().get(index).copied() else {
            self.detector = None;
            self.timings.actions_done_ms = Some(elapsed_ms);
            self.capture_started_ms = elapsed_ms;
            self.state = SessionState::CapturingReference;
            return Instruction::plain(InstructionCode::Capturing);
        };
        let baseline = self.eye_baseline.unwrap_or(EyeBaseline { left: 0.3, right: 0.3 });
        self.detector = Some(ActionDetector::new(step.action, baseline, &self.config.blink, &self.config.pose));
        self.state = SessionState::Action { index, action: step.action };
        self.action_instruction(index, step.action, elapsed_ms)
    }

    fn action_instruction(&self, index: usize, action: Action, elapsed_ms: f64) -> Instruction {
        let limit_ms = self.challenge.actions().get(index).map_or(0, |step| step.limit_ms);
        let remaining_ms = (f64::from(limit_ms) - (elapsed_ms - self.action_requested_ms)).max(0.0) as u32;
        let degrees = match action {
            Action::TurnLeft | Action::TurnRight => Some(self.config.pose.turn_threshold_deg),
            Action::Nod => Some(self.config.pose.nod_threshold_deg),
            Action::Blink | Action::LookStraight => None,
        };
        Instruction {
            code: InstructionCode::for_action(action),
            params: InstructionParams {
                degrees,
                action_index: Some(index as u32 + 1),
                action_count: Some(self.challenge.actions().len() as u32),
                remaining_ms: Some(remaining_ms),
                ..InstructionParams::default()
            },
        }
    }

    /// The face must not teleport: centre speed and scale change are bounded per elapsed time.
    fn check_track(&mut self, face: &FaceObservation, timestamp_ms: f64) -> Result<(), FailureReason> {
        let current = TrackPoint { timestamp_ms, centre: face.centre(), width: face.bbox[2] };
        let config = &self.config.continuity;
        if let Some(previous) = &self.last_track {
            let elapsed_ms = timestamp_ms - previous.timestamp_ms;
            if elapsed_ms > config.max_track_gap_ms {
                self.track_restarts += 1;
            } else {
                let elapsed_s = (elapsed_ms / 1000.0) as f32;
                let dx = current.centre[0] - previous.centre[0];
                let dy = current.centre[1] - previous.centre[1];
                let displacement_widths = (dx * dx + dy * dy).sqrt() / previous.width;
                let scale_change = (current.width / previous.width).ln().abs();
                let moved_too_far =
                    displacement_widths > config.max_centre_speed_widths_per_s * elapsed_s + config.centre_jump_slack_widths;
                let scaled_too_much = scale_change > config.max_log_scale_rate_per_s * elapsed_s + config.scale_jump_slack;
                if moved_too_far || scaled_too_much {
                    return Err(FailureReason::TrackJump { displacement_widths, scale_change, elapsed_ms });
                }
            }
        }
        self.last_track = Some(current);
        Ok(())
    }

    /// Every sampled embedding near frontal must be within the threshold of the running reference; frontal
    /// ones then join the reference.
    fn check_identity(&mut self, face: &FaceObservation, embedding: &Embedding, frontal: bool) -> Result<(), FailureReason> {
        let config = &self.config.continuity;
        if face.yaw_deg.abs() > config.embedding_max_yaw_deg || face.pitch_deg.abs() > config.embedding_max_pitch_deg {
            return Ok(());
        }
        if let Some(distance) = self.continuity_reference.distance_to_mean(embedding) {
            self.continuity_samples += 1;
            self.max_continuity_distance = Some(self.max_continuity_distance.map_or(distance, |max| max.max(distance)));
            if distance >= config.max_embedding_distance {
                return Err(FailureReason::IdentityChanged { distance });
            }
        }
        if frontal {
            self.continuity_reference.add(embedding);
        }
        Ok(())
    }

    fn keep_reference_frame(&mut self, candidate: (f32, Embedding)) {
        self.reference_frames.push(candidate);
        self.reference_frames.sort_by(|a, b| b.0.total_cmp(&a.0));
        // Dropping the worst zeroizes it.
        self.reference_frames.truncate(self.config.capture.max_frames);
    }

    fn fail(&mut self, reason: FailureReason) {
        if !matches!(self.state, SessionState::Failed { .. }) {
            self.state = SessionState::Failed { reason };
        }
        self.detector = None;
    }

    fn feedback(&self, instruction: Instruction) -> FrameFeedback {
        let instruction = match &self.state {
            SessionState::Failed { reason } => Instruction {
                code: InstructionCode::Failed,
                params: InstructionParams { reason: Some(reason.code().to_owned()), ..InstructionParams::default() },
            },
            _ => instruction,
        };
        FrameFeedback { state: self.state.clone(), instruction, progress: self.progress }
    }

    /// Trimmed mean of the sampled live scores.
    fn passive_score(&self) -> Option<f32> {
        if self.live_scores.is_empty() {
            return None;
        }
        let mut sorted = self.live_scores.clone();
        sorted.sort_by(f32::total_cmp);
        let trim = (sorted.len() as f32 * self.config.passive.trim_fraction).floor() as usize;
        let kept = &sorted[trim..sorted.len() - trim];
        let kept = if kept.is_empty() { &sorted[..] } else { kept };
        Some(kept.iter().sum::<f32>() / kept.len() as f32)
    }

    /// Decides, then zeroizes every live embedding the session held. Calling it again returns the same result.
    pub fn finish(&mut self, reference: &ReferenceEmbedding) -> SessionResult {
        if let Some(result) = &self.result {
            return result.clone();
        }
        let passive_score = self.passive_score();
        let mut failure = match &self.state {
            _ if self.counts.total == 0 => Some(FailureReason::NoFrames),
            SessionState::Failed { reason } => Some(reason.clone()),
            SessionState::Done => None,
            other => Some(FailureReason::Incomplete { state: other.name().to_owned() }),
        };
        let samples = self.live_scores.len() as u32;
        if failure.is_none() {
            let threshold = self.config.passive.min_live_score;
            failure = match passive_score {
                _ if samples < self.config.passive.min_samples => Some(FailureReason::TooFewPassiveSamples { samples }),
                Some(score) if score < threshold => Some(FailureReason::PassiveLivenessLow { score, threshold }),
                _ => None,
            };
        }
        let mut score = None;
        if failure.is_none() {
            let probe_parts: Vec<&Embedding> = self.reference_frames.iter().map(|(_, embedding)| embedding).collect();
            match Embedding::mean(&probe_parts) {
                Some(probe) => score = Some(matching::compare(&probe, &reference.embedding, &self.calibration)),
                None => failure = Some(FailureReason::ProbeUnavailable),
            }
        }
        let decision = match (&failure, score) {
            (None, Some(score)) if score.is_match => Decision::Match,
            (None, Some(_)) => Decision::NoMatch,
            _ => Decision::NotLive,
        };
        let probe_frames = self.reference_frames.len() as u32;
        // Minimal retention: the decision is made, the live embeddings go (zeroized on drop / clear).
        self.reference_frames.clear();
        self.continuity_reference.clear();
        if let Some(reason) = &failure {
            self.fail(reason.clone());
        }
        let result = SessionResult {
            nonce: self.challenge.nonce().to_owned(),
            decision,
            failure,
            reference_kind: reference.kind,
            distance: score.map(|s| s.distance),
            similarity: score.map(|s| s.similarity),
            threshold: self.calibration.threshold,
            probe_frames,
            liveness: LivenessEvidence {
                actions: self.completed_actions.clone(),
                passive_score,
                passive_samples: samples,
                frames: self.counts.clone(),
                continuity_samples: self.continuity_samples,
                max_continuity_distance: self.max_continuity_distance,
                track_restarts: self.track_restarts,
                eye_baseline: self.eye_baseline,
                timing: self.clock.evidence(self.counts.total, &self.config.timing),
            },
            timings: self.timings.clone(),
        };
        self.result = Some(result.clone());
        result
    }
}
