//! Minimal retention: live embeddings are gone after the decision, never printed, never serialised.

mod common;

use common::*;
use faceproof_liveness::synthetic::{Noise, SplitMix64, SyntheticIdentity};
use faceproof_liveness::{Action, Decision, LivenessConfig, LivenessSession, SessionState};

#[test]
fn live_embeddings_are_dropped_after_the_decision() {
    let actions = [Action::Blink, Action::TurnRight];
    let mut session = LivenessSession::new(challenge(&actions), LivenessConfig::default(), NOW_UNIX_MS).unwrap();
    let mut peak = 0;
    for frame in live_frames(50, Noise::default(), &actions) {
        if session.push_frame(frame).is_err() {
            break;
        }
        peak = peak.max(session.retained_embedding_count());
    }
    assert_eq!(*session.state(), SessionState::Done);
    // While running: the continuity reference plus at most 5 reference frames.
    assert!((2..=6).contains(&peak), "{peak}");
    let result = session.finish(&reference_of(&SyntheticIdentity::new(1), 1));
    assert_eq!(result.decision, Decision::Match);
    assert_eq!(session.retained_embedding_count(), 0);
    // Finishing again gives the same result without any embedding.
    assert_eq!(session.finish(&reference_of(&SyntheticIdentity::new(1), 1)), result);
}

#[test]
fn failed_sessions_drop_embeddings_too() {
    let actions = [Action::Blink, Action::TurnRight];
    let mut frames = live_frames(51, Noise::default(), &actions);
    frames.truncate(frames.len() / 2);
    let (mut run, result) = run_and_finish(challenge(&actions), frames);
    assert_eq!(result.decision, Decision::NotLive);
    assert_eq!(run.session.retained_embedding_count(), 0);
    let _ = &mut run;
}

#[test]
fn debug_and_json_never_show_embedding_values() {
    let identity = SyntheticIdentity::new(1);
    let mut rng = SplitMix64::new(9);
    let embedding = identity.sample(&mut rng);
    let needles: Vec<String> = embedding.values()[..8].iter().map(|v| format!("{v}")).collect();
    let mut frames = live_frames(52, Noise::default(), &[Action::Blink, Action::Nod]);
    frames[0].faces[0].embedding = Some(embedding);
    let frame_debug = format!("{:?}", frames[0]);
    assert!(frame_debug.contains("redacted"));
    for needle in &needles {
        assert!(!frame_debug.contains(needle.as_str()), "Debug leaked {needle}");
    }

    let actions = [Action::Blink, Action::Nod];
    let (run, result) = run_and_finish(challenge(&actions), frames);
    let session_debug = format!("{:?}", run.session);
    let json = serde_json::to_string(&result).unwrap();
    let result_debug = format!("{result:?}");
    for text in [&session_debug, &json, &result_debug] {
        assert!(!text.contains("embedding\":["), "{text}");
        for needle in &needles {
            assert!(!text.contains(needle.as_str()), "leaked {needle}: {text}");
        }
    }
    // The result is small: no arrays of 128 numbers hide in it.
    assert!(json.len() < 3000, "{}", json.len());
    println!("result JSON: {json}");
}
