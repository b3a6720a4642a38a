//! Shared helpers for the engine tests: synthetic challenges, scripted sessions, running them.
#![allow(dead_code)]

use faceproof_liveness::synthetic::{HeadState, Noise, SequenceBuilder, SplitMix64, SyntheticIdentity};
use faceproof_liveness::{
    Action, Challenge, ChallengeAction, FrameFeedback, FrameObservation, LivenessConfig, LivenessSession,
    ReferenceEmbedding, ReferenceKind, SessionResult,
};

pub const NOW_UNIX_MS: i64 = 1_700_000_000_000;
pub const NONCE: &str = "AAAAAAAAAAAAAAAAAAAAAA";

pub fn challenge(actions: &[Action]) -> Challenge {
    challenge_with_limits(actions, 10_000, 60_000)
}

pub fn challenge_with_limits(actions: &[Action], action_limit_ms: u32, session_limit_ms: u32) -> Challenge {
    let steps = actions.iter().map(|&action| ChallengeAction { action, limit_ms: action_limit_ms }).collect();
    Challenge::new(NONCE.to_owned(), steps, session_limit_ms, NOW_UNIX_MS / 1000 + 600).unwrap()
}

pub fn reference_of(identity: &SyntheticIdentity, seed: u64) -> ReferenceEmbedding {
    let mut rng = SplitMix64::new(seed ^ 0xBEEF);
    ReferenceEmbedding { kind: ReferenceKind::ServerTemplate, embedding: identity.sample(&mut rng) }
}

pub fn builder(seed: u64, noise: Noise) -> SequenceBuilder {
    SequenceBuilder::new(seed, noise).with_identity(SyntheticIdentity::new(1))
}

/// Scripts one action the way a cooperative user performs it.
pub fn perform(builder: &mut SequenceBuilder, action: Action) {
    builder.hold(500.0);
    match action {
        Action::Blink => {
            // A typical voluntary blink (~300 ms); the report example measures recall over durations.
            builder.blink(300.0, 0.1);
        }
        Action::TurnLeft => {
            builder.head_excursion(30.0, 0.0, 450.0, 300.0, 450.0);
        }
        Action::TurnRight => {
            builder.head_excursion(-30.0, 0.0, 450.0, 300.0, 450.0);
        }
        Action::Nod => {
            builder.head_excursion(0.0, 24.0, 400.0, 250.0, 400.0);
        }
        Action::LookStraight => {
            builder.hold(1200.0);
        }
    }
    builder.hold(500.0);
}

/// A cooperative live session: align, perform each action, stay for the capture.
pub fn live_frames(seed: u64, noise: Noise, actions: &[Action]) -> Vec<FrameObservation> {
    let mut b = builder(seed, noise);
    b.hold(1200.0);
    for &action in actions {
        perform(&mut b, action);
    }
    b.hold(2500.0);
    b.take_frames()
}

pub struct Run {
    pub session: LivenessSession,
    pub feedback: Vec<FrameFeedback>,
    pub errors: Vec<faceproof_liveness::FrameError>,
}

/// Feeds frames until the session is over; returns the session (not yet finished) and all feedback.
pub fn run(challenge: Challenge, frames: Vec<FrameObservation>) -> Run {
    let mut session = LivenessSession::new(challenge, LivenessConfig::default(), NOW_UNIX_MS).unwrap();
    let mut feedback = Vec::new();
    let mut errors = Vec::new();
    for frame in frames {
        match session.push_frame(frame) {
            Ok(f) => feedback.push(f),
            Err(faceproof_liveness::FrameError::SessionOver(_)) => break,
            Err(e) => errors.push(e),
        }
    }
    Run { session, feedback, errors }
}

pub fn run_and_finish(challenge: Challenge, frames: Vec<FrameObservation>) -> (Run, SessionResult) {
    let mut run = run(challenge, frames);
    let reference = reference_of(&SyntheticIdentity::new(1), 7);
    let result = run.session.finish(&reference);
    (run, result)
}

pub fn frontal() -> HeadState {
    HeadState::default()
}
