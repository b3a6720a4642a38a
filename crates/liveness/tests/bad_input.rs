//! Malformed challenges and frames: a typed error or a failed result with a reason, never a panic.

mod common;

use common::*;
use faceproof_liveness::synthetic::Noise;
use faceproof_liveness::{
    Action, Challenge, ChallengeAction, ChallengeError, Decision, FailureReason, FrameError, FrameObservation,
    LivenessConfig, LivenessSession, SessionState,
};

#[test]
fn no_frames_finishes_as_failed_with_a_reason() {
    let mut session = LivenessSession::new(challenge(&[Action::Blink, Action::Nod]), LivenessConfig::default(), NOW_UNIX_MS).unwrap();
    let result = session.finish(&reference_of(&faceproof_liveness::synthetic::SyntheticIdentity::new(1), 1));
    assert_eq!(result.decision, Decision::NotLive);
    assert_eq!(result.failure, Some(FailureReason::NoFrames));
    assert_eq!(result.liveness.frames.total, 0);
    assert!(result.distance.is_none() && result.similarity.is_none());
}

#[test]
fn stopping_midway_is_incomplete() {
    let actions = [Action::Blink, Action::Nod];
    let mut frames = live_frames(1, Noise::default(), &actions);
    frames.truncate(8);
    let (_, result) = run_and_finish(challenge(&actions), frames);
    assert_eq!(result.failure, Some(FailureReason::Incomplete { state: "aligning".into() }));
}

#[test]
fn a_frame_of_another_size_mid_session_fails_it() {
    let actions = [Action::Blink, Action::Nod];
    let mut frames = live_frames(2, Noise::default(), &actions);
    frames[40].frame_width = 1280;
    frames[40].frame_height = 720;
    let (run, result) = run_and_finish(challenge(&actions), frames);
    assert_eq!(run.errors, vec![FrameError::FrameSizeChanged { expected: (640, 480), got: (1280, 720) }]);
    assert_eq!(result.failure, Some(FailureReason::FrameSizeChanged));
    assert_eq!(result.decision, Decision::NotLive);
}

#[test]
fn out_of_order_or_repeated_timestamps_fail_the_session() {
    for repeat in [false, true] {
        let actions = [Action::Blink, Action::Nod];
        let mut frames = live_frames(3, Noise::default(), &actions);
        let earlier = frames[29].timestamp_ms;
        frames[30].timestamp_ms = if repeat { earlier } else { earlier - 50.0 };
        let (run, result) = run_and_finish(challenge(&actions), frames);
        assert!(matches!(run.errors[..], [FrameError::TimestampNotIncreasing { .. }]), "{:?}", run.errors);
        assert_eq!(result.failure, Some(FailureReason::TimestampNotIncreasing));
    }
}

#[test]
fn non_finite_or_out_of_range_values_drop_the_frame_only() {
    let actions = [Action::Blink, Action::TurnLeft];
    let mut frames = live_frames(4, Noise::default(), &actions);
    frames[10].faces[0].yaw_deg = f32::NAN;
    frames[11].timestamp_ms = f64::INFINITY;
    frames[12].brightness = 400.0;
    frames[13].faces[0].bbox[2] = -5.0;
    frames[14].faces[0].live_score = Some(1.5);
    frames[15].frame_width = 0;
    let (run, result) = run_and_finish(challenge(&actions), frames);
    assert_eq!(run.errors.len(), 6, "{:?}", run.errors);
    assert!(run.errors.iter().all(|e| matches!(e, FrameError::InvalidObservation(_))));
    assert_eq!(result.liveness.frames.invalid, 6);
    assert_eq!(result.decision, Decision::Match, "{:?}", result.failure);
}

#[test]
fn frames_after_the_end_are_refused() {
    let actions = [Action::Blink, Action::Nod];
    let mut frames = live_frames(5, Noise::default(), &actions);
    let last_ms = frames.last().unwrap().timestamp_ms;
    let mut session = LivenessSession::new(challenge(&actions), LivenessConfig::default(), NOW_UNIX_MS).unwrap();
    let extra = frames.pop().unwrap();
    for frame in frames {
        let _ = session.push_frame(frame);
        if *session.state() == SessionState::Done {
            break;
        }
    }
    assert_eq!(*session.state(), SessionState::Done);
    assert!(matches!(session.push_frame(extra), Err(FrameError::SessionOver("done"))));
    let empty = FrameObservation { timestamp_ms: last_ms + 100.0, frame_width: 640, frame_height: 480, brightness: 100.0, sharpness: 100.0, faces: vec![] };
    assert!(session.push_frame(empty).is_err());
}

#[test]
fn challenge_json_is_validated() {
    let ok = r#"{"iss":"https://id.example","aud":"https://rp.example","sub":null,"iat":1,"exp":1700000600,
        "nonce":"AAAAAAAAAAAAAAAAAAAAAA","actions":[{"action":"blink","limit_ms":8000},{"action":"turn_left","limit_ms":8000}],
        "session_limit_ms":60000,"reference":null}"#;
    let challenge = Challenge::from_json(ok).unwrap();
    assert_eq!(challenge.actions().len(), 2);
    assert_eq!(challenge.actions()[1].action, Action::TurnLeft);
    // serde_json round trip goes through the same validation.
    let back: Challenge = serde_json::from_str(&serde_json::to_string(&challenge).unwrap()).unwrap();
    assert_eq!(back, challenge);

    let unknown = ok.replace("turn_left", "smile");
    assert_eq!(Challenge::from_json(&unknown), Err(ChallengeError::UnknownAction("smile".into())));
    assert!(serde_json::from_str::<Challenge>(&unknown).unwrap_err().to_string().contains("unknown action"));

    let one = r#"{"nonce":"AAAAAAAAAAAAAAAAAAAAAA","exp":1700000600,"actions":[{"action":"blink","limit_ms":8000}]}"#;
    assert_eq!(Challenge::from_json(one), Err(ChallengeError::ActionCount(1)));
    let five_actions = Action::ALL.iter().map(|a| format!(r#"{{"action":"{}","limit_ms":5000}}"#, a.code())).collect::<Vec<_>>().join(",");
    let five = format!(r#"{{"nonce":"AAAAAAAAAAAAAAAAAAAAAA","exp":1700000600,"actions":[{five_actions}]}}"#);
    assert_eq!(Challenge::from_json(&five), Err(ChallengeError::ActionCount(5)));
    // Default session limit when absent.
    let two = r#"{"nonce":"n0nce","exp":1700000600,"actions":[{"action":"nod","limit_ms":5000},{"action":"blink","limit_ms":5000}]}"#;
    assert_eq!(Challenge::from_json(two).unwrap().session_limit_ms(), 60_000);

    let step = |action, limit_ms| ChallengeAction { action, limit_ms };
    let exp = NOW_UNIX_MS / 1000 + 60;
    assert_eq!(Challenge::new("n".into(), vec![step(Action::Nod, 1), step(Action::Nod, 1)], 60_000, exp), Err(ChallengeError::RepeatedAction(Action::Nod)));
    assert!(matches!(Challenge::new("n".into(), vec![step(Action::Nod, 0), step(Action::Blink, 1)], 60_000, exp), Err(ChallengeError::ActionLimit { .. })));
    assert!(matches!(Challenge::new("n".into(), vec![step(Action::Nod, 70_000), step(Action::Blink, 1)], 60_000, exp), Err(ChallengeError::ActionLimit { .. })));
    assert_eq!(Challenge::new("n".into(), vec![step(Action::Nod, 1), step(Action::Blink, 1)], 0, exp), Err(ChallengeError::SessionLimit(0)));
    assert_eq!(Challenge::new("".into(), vec![step(Action::Nod, 1), step(Action::Blink, 1)], 1000, exp), Err(ChallengeError::Nonce));
    assert_eq!(Challenge::new("a b".into(), vec![step(Action::Nod, 1), step(Action::Blink, 1)], 1000, exp), Err(ChallengeError::Nonce));
    assert!(matches!(Challenge::from_json("{not json"), Err(ChallengeError::Malformed(_))));
    assert!(matches!(Challenge::from_json(r#"{"nonce":"n","exp":1,"actions":[{"action":"nod","limit_ms":5,"x":1},{"action":"blink","limit_ms":5}]}"#), Err(ChallengeError::Malformed(_))));
}

#[test]
fn an_expired_challenge_is_refused_and_expiry_mid_session_fails() {
    let actions = [Action::Blink, Action::Nod];
    let expired = challenge(&actions);
    let at_expiry = expired.expires_at_unix_s() * 1000;
    assert!(matches!(
        LivenessSession::new(expired.clone(), LivenessConfig::default(), at_expiry),
        Err(ChallengeError::Expired { .. })
    ));
    // Started 2 s before expiry: the frames' clock runs past it.
    let mut session = LivenessSession::new(expired, LivenessConfig::default(), at_expiry - 2_000).unwrap();
    for frame in live_frames(6, Noise::default(), &actions) {
        if session.push_frame(frame).is_err() {
            break;
        }
    }
    let result = session.finish(&reference_of(&faceproof_liveness::synthetic::SyntheticIdentity::new(1), 1));
    assert_eq!(result.failure, Some(FailureReason::ChallengeExpired));
}

#[test]
fn action_and_session_time_limits_apply() {
    let actions = [Action::Blink, Action::Nod];
    let mut b = builder(7, Noise::default());
    b.hold(1200.0);
    b.hold(3000.0);
    let (_, result) = run_and_finish(challenge_with_limits(&actions, 2_000, 60_000), b.take_frames());
    assert_eq!(result.failure, Some(FailureReason::ActionTimedOut { action: Action::Blink, limit_ms: 2_000 }));
}

#[test]
fn embeddings_of_the_wrong_shape_are_refused() {
    use faceproof_liveness::{Embedding, EmbeddingError};
    assert_eq!(Embedding::from_slice(&[0.0; 127]).unwrap_err(), EmbeddingError::WrongDimension(127));
    let mut bad = [0.0f32; 128];
    bad[5] = f32::NAN;
    assert_eq!(Embedding::from_slice(&bad).unwrap_err(), EmbeddingError::NonFinite);
    let json = format!(r#"{{"timestamp_ms":1,"frame_width":640,"frame_height":480,"brightness":100,"sharpness":50,
        "faces":[{{"bbox":[1,2,3,4],"detector_score":0.9,"yaw_deg":0,"pitch_deg":0,"roll_deg":0,
        "left_eye_openness":0.3,"right_eye_openness":0.3,"embedding":[{}]}}]}}"#, ["0.1"; 12].join(","));
    assert!(serde_json::from_str::<FrameObservation>(&json).unwrap_err().to_string().contains("128"));
}
