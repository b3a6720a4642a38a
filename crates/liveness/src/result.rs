//! The typed outcome of a session. It holds no pixels and no embeddings, only scores, timings and counts.

use serde::{Deserialize, Serialize};

use crate::challenge::Action;
use crate::matching::ReferenceKind;

/// The engine's verdict; `faceproof-proof` uses this type in its claims (`match`, `no_match`, `not_live`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Live and the same person as the reference.
    Match,
    /// Live but not the reference person.
    NoMatch,
    /// Liveness failed or the capture was unusable (`SessionResult::failure` says why).
    NotLive,
}

/// Why a session failed. Serialised as `{"code": "...", ...fields}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FailureReason {
    #[error("no frames were processed")]
    NoFrames,
    #[error("session ended before completion (in state {state})")]
    Incomplete { state: String },
    #[error("action {action:?} not completed within {limit_ms} ms")]
    ActionTimedOut { action: Action, limit_ms: u32 },
    #[error("turned the wrong way during {action:?}")]
    WrongDirection { action: Action },
    #[error("session limit of {limit_ms} ms exceeded")]
    SessionTimedOut { limit_ms: u32 },
    #[error("the challenge expired during the session")]
    ChallengeExpired,
    #[error("a different person appeared (embedding distance {distance:.3})")]
    IdentityChanged { distance: f32 },
    #[error("the face track jumped (moved {displacement_widths:.2} face widths in {elapsed_ms:.0} ms)")]
    TrackJump { displacement_widths: f32, scale_change: f32, elapsed_ms: f64 },
    #[error("frame timestamps went backwards or repeated")]
    TimestampNotIncreasing,
    #[error("frame size changed mid-session")]
    FrameSizeChanged,
    #[error("too few live-score samples ({samples})")]
    TooFewPassiveSamples { samples: u32 },
    #[error("passive liveness score {score:.3} below {threshold:.3}")]
    PassiveLivenessLow { score: f32, threshold: f32 },
    #[error("could not capture enough frontal reference frames within {limit_ms:.0} ms")]
    CaptureTimedOut { limit_ms: f64 },
    #[error("fusing the reference frames failed")]
    ProbeUnavailable,
}

impl FailureReason {
    /// The stable code (the serde tag).
    pub fn code(&self) -> &'static str {
        match self {
            FailureReason::NoFrames => "no_frames",
            FailureReason::Incomplete { .. } => "incomplete",
            FailureReason::ActionTimedOut { .. } => "action_timed_out",
            FailureReason::WrongDirection { .. } => "wrong_direction",
            FailureReason::SessionTimedOut { .. } => "session_timed_out",
            FailureReason::ChallengeExpired => "challenge_expired",
            FailureReason::IdentityChanged { .. } => "identity_changed",
            FailureReason::TrackJump { .. } => "track_jump",
            FailureReason::TimestampNotIncreasing => "timestamp_not_increasing",
            FailureReason::FrameSizeChanged => "frame_size_changed",
            FailureReason::TooFewPassiveSamples { .. } => "too_few_passive_samples",
            FailureReason::PassiveLivenessLow { .. } => "passive_liveness_low",
            FailureReason::CaptureTimedOut { .. } => "capture_timed_out",
            FailureReason::ProbeUnavailable => "probe_unavailable",
        }
    }
}

/// One completed action; times in ms since the session's first frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionEvidence {
    pub action: Action,
    /// When the action was asked for.
    pub requested_ms: f64,
    /// When the movement began (last neutral frame) and ended (first frame back to neutral).
    pub start_ms: f64,
    pub end_ms: f64,
    /// Turn/nod: peak angle (degrees, signed). Blink: lowest openness / baseline. Look-straight: worst deviation.
    pub peak: f32,
}

/// Timing anomalies. Flags are evidence for the server's policy; only non-monotonic timestamps fail a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimingFlag {
    TooFewFrames,
    /// Median interval above the maximum (frame rate too low).
    FrameRateTooLow,
    /// Median interval below the minimum (faster than any webcam).
    FrameRateTooHigh,
    /// Intervals nearly identical: looks generated, not captured.
    TooEvenSpacing,
    /// At least one gap longer than the configured maximum.
    LongGap,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimingEvidence {
    pub median_interval_ms: Option<f64>,
    pub interval_std_ms: Option<f64>,
    pub longest_gap_ms: Option<f64>,
    pub mean_fps: Option<f64>,
    pub flags: Vec<TimingFlag>,
}

/// Frame counts by what the gates made of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameCounts {
    /// Frames accepted by `push_frame` (valid observations).
    pub total: u32,
    pub with_one_face: u32,
    pub without_face: u32,
    pub with_several_faces: u32,
    /// One face, but a size/framing/light/blur gate failed.
    pub failed_quality: u32,
    /// Rejected by `push_frame` as malformed (not in `total`).
    pub invalid: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LivenessEvidence {
    pub actions: Vec<ActionEvidence>,
    /// Trimmed mean of the sampled live scores.
    pub passive_score: Option<f32>,
    pub passive_samples: u32,
    pub frames: FrameCounts,
    /// Embeddings compared for continuity and the largest distance to the running reference.
    pub continuity_samples: u32,
    pub max_continuity_distance: Option<f32>,
    /// Times the face track was lost for longer than the track gap and restarted.
    pub track_restarts: u32,
    /// Open-eye baseline (EAR) of this user, per eye.
    pub eye_baseline: Option<crate::actions::EyeBaseline>,
    pub timing: TimingEvidence,
}

/// Phase durations, ms on the observation clock.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionTimings {
    pub session_ms: f64,
    /// First frame → first usable face.
    pub face_found_ms: Option<f64>,
    /// Aligning phase end (baseline collected).
    pub aligned_ms: Option<f64>,
    /// All actions done.
    pub actions_done_ms: Option<f64>,
    /// Reference capture done.
    pub capture_done_ms: Option<f64>,
}

/// The decision and its evidence. Serialisable; holds no pixels and no embeddings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionResult {
    /// The challenge's nonce, echoed.
    pub nonce: String,
    pub decision: Decision,
    /// Set exactly when `decision` is `not_live`.
    pub failure: Option<FailureReason>,
    pub reference_kind: ReferenceKind,
    /// L2 distance between the fused probe and the reference (absent if liveness failed first).
    pub distance: Option<f32>,
    /// Calibrated same-person probability in [0, 1] (logistic in the distance).
    pub similarity: Option<f32>,
    /// Distance threshold applied: match when `distance < threshold`.
    pub threshold: f32,
    /// How many reference frames were fused into the probe.
    pub probe_frames: u32,
    pub liveness: LivenessEvidence,
    pub timings: SessionTimings,
}
