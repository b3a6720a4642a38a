//! End-to-end engine tests on synthesised observation sequences (noise, jitter, dropped frames).
//! All sequences are synthetic (see `faceproof_liveness::synthetic`).

mod common;

use common::*;
use faceproof_liveness::synthetic::{HeadState, Noise, SyntheticIdentity};
use faceproof_liveness::{Action, Decision, FailureReason, InstructionCode, SessionState};

fn noisy() -> Noise {
    Noise { drop_probability: 0.1, pose_sigma_deg: 2.0, eye_sigma: 0.015, ..Noise::default() }
}

fn actions_done(result: &faceproof_liveness::SessionResult) -> Vec<Action> {
    result.liveness.actions.iter().map(|a| a.action).collect()
}

#[test]
fn cooperative_sessions_pass_every_action_pair_with_noise_and_drops() {
    let pairs = [
        [Action::Blink, Action::TurnLeft],
        [Action::TurnRight, Action::Nod],
        [Action::Nod, Action::Blink],
        [Action::LookStraight, Action::TurnLeft],
        [Action::TurnLeft, Action::TurnRight],
    ];
    for (seed, actions) in pairs.iter().enumerate() {
        for fps in [15.0, 30.0] {
            let noise = Noise { fps, ..noisy() };
            let (run, result) = run_and_finish(challenge(actions), live_frames(seed as u64 + 10, noise, actions));
            assert_eq!(result.decision, Decision::Match, "{actions:?} at {fps} fps: {:?}", result.failure);
            assert_eq!(actions_done(&result), actions.to_vec());
            assert!(result.distance.unwrap() < 0.6 && result.similarity.unwrap() > 0.5);
            assert!((3..=5).contains(&result.probe_frames));
            assert!(result.liveness.continuity_samples > 5);
            assert!(run.errors.is_empty());
            // Progress is monotonic, in [0, 1], and reaches 1 at done.
            let progress: Vec<f32> = run.feedback.iter().map(|f| f.progress).collect();
            assert!(progress.windows(2).all(|w| w[0] <= w[1]) && progress.iter().all(|p| (0.0..=1.0).contains(p)));
            assert_eq!(run.feedback.last().map(|f| f.progress), Some(1.0));
            assert_eq!(run.feedback.last().map(|f| f.instruction.code), Some(InstructionCode::Done));
        }
    }
}

#[test]
fn state_machine_goes_through_every_phase_in_order() {
    let actions = [Action::Blink, Action::Nod, Action::TurnRight];
    let run = run(challenge(&actions), live_frames(3, noisy(), &actions));
    let mut phases: Vec<String> = Vec::new();
    for f in &run.feedback {
        let name = match &f.state {
            SessionState::Action { index, action } => format!("action{index}:{}", action.code()),
            other => other.name().to_owned(),
        };
        if phases.last() != Some(&name) {
            phases.push(name);
        }
    }
    assert_eq!(
        phases,
        ["aligning", "action0:blink", "action1:nod", "action2:turn_right", "capturing_reference", "done"]
    );
    // The instruction names the action while it is asked for.
    assert!(run.feedback.iter().any(|f| f.instruction.code == InstructionCode::Nod
        && f.instruction.params.degrees == Some(15.0)
        && f.instruction.params.action_index == Some(2)));
}

#[test]
fn half_blinks_do_not_count() {
    let actions = [Action::Blink, Action::TurnLeft];
    let mut b = builder(21, noisy());
    b.hold(1200.0);
    for _ in 0..20 {
        b.hold(300.0);
        b.blink(250.0, 0.7);
    }
    let (_, result) = run_and_finish(challenge(&actions), b.take_frames());
    assert_eq!(result.decision, Decision::NotLive);
    assert!(matches!(result.failure, Some(FailureReason::ActionTimedOut { action: Action::Blink, .. })), "{:?}", result.failure);
}

#[test]
fn eyes_closed_throughout_never_passes() {
    let actions = [Action::Blink, Action::TurnLeft];
    let mut b = builder(22, noisy());
    b.set_head(HeadState { left_eye_openness: 0.08, right_eye_openness: 0.08, ..frontal() });
    b.hold(16_000.0);
    let (run, result) = run_and_finish(challenge_with_limits(&actions, 10_000, 15_000), b.take_frames());
    assert_eq!(result.decision, Decision::NotLive);
    assert!(matches!(result.failure, Some(FailureReason::SessionTimedOut { .. })), "{:?}", result.failure);
    assert!(run.feedback.iter().any(|f| f.instruction.code == InstructionCode::OpenEyes));
    assert!(result.liveness.actions.is_empty());
}

#[test]
fn eyes_closing_for_good_after_aligning_is_not_a_blink() {
    let actions = [Action::Blink, Action::TurnLeft];
    let mut b = builder(23, noisy());
    b.hold(1200.0);
    let open = b.head();
    b.move_to(150.0, HeadState { left_eye_openness: 0.05, right_eye_openness: 0.05, ..open });
    b.hold(11_000.0);
    let (_, result) = run_and_finish(challenge(&actions), b.take_frames());
    assert!(matches!(result.failure, Some(FailureReason::ActionTimedOut { action: Action::Blink, .. })), "{:?}", result.failure);
}

#[test]
fn winks_and_slow_closures_are_not_blinks() {
    let actions = [Action::Blink, Action::Nod];
    let mut b = builder(24, noisy());
    b.hold(1200.0);
    for _ in 0..5 {
        b.hold(400.0);
        b.eyes(250.0, 0.1, 1.0); // left wink
        b.hold(400.0);
        b.eyes(250.0, 1.0, 0.1); // right wink
        b.hold(400.0);
        b.blink(1500.0, 0.05); // far longer than 800 ms
    }
    let (_, result) = run_and_finish(challenge(&actions), b.take_frames());
    assert!(matches!(result.failure, Some(FailureReason::ActionTimedOut { action: Action::Blink, .. })), "{:?}", result.failure);
}

#[test]
fn turning_the_wrong_way_fails() {
    for (seed, (asked, done_yaw)) in [(Action::TurnLeft, -30.0), (Action::TurnRight, 30.0)].into_iter().enumerate() {
        let actions = [asked, Action::Blink];
        let mut b = builder(30 + seed as u64, noisy());
        b.hold(1200.0);
        b.hold(500.0);
        b.head_excursion(done_yaw, 0.0, 450.0, 300.0, 450.0);
        b.hold(3000.0);
        let (_, result) = run_and_finish(challenge(&actions), b.take_frames());
        assert_eq!(result.decision, Decision::NotLive);
        assert_eq!(result.failure, Some(FailureReason::WrongDirection { action: asked }));
    }
}

#[test]
fn small_turns_and_chin_up_do_not_count() {
    let actions = [Action::TurnLeft, Action::Nod];
    let mut b = builder(33, noisy());
    b.hold(1200.0);
    for _ in 0..10 {
        b.hold(300.0);
        b.head_excursion(14.0, 0.0, 300.0, 300.0, 300.0);
    }
    let (_, result) = run_and_finish(challenge(&actions), b.take_frames());
    assert!(matches!(result.failure, Some(FailureReason::ActionTimedOut { action: Action::TurnLeft, .. })), "{:?}", result.failure);

    let actions = [Action::Nod, Action::TurnLeft];
    let mut b = builder(34, noisy());
    b.hold(1200.0);
    for _ in 0..10 {
        b.hold(300.0);
        b.head_excursion(0.0, -25.0, 300.0, 300.0, 300.0);
    }
    let (_, result) = run_and_finish(challenge(&actions), b.take_frames());
    assert!(matches!(result.failure, Some(FailureReason::ActionTimedOut { action: Action::Nod, .. })));
}

#[test]
fn nod_is_detected_with_its_peak_and_timing() {
    let actions = [Action::Nod, Action::LookStraight];
    let (_, result) = run_and_finish(challenge(&actions), live_frames(35, noisy(), &actions));
    assert_eq!(result.decision, Decision::Match, "{:?}", result.failure);
    let nod = &result.liveness.actions[0];
    assert_eq!(nod.action, Action::Nod);
    assert!(nod.peak >= 15.0 && nod.peak < 32.0, "{}", nod.peak);
    assert!(nod.requested_ms <= nod.start_ms && nod.start_ms < nod.end_ms);
    assert!(nod.end_ms - nod.start_ms > 500.0 && nod.end_ms - nod.start_ms < 2000.0);
}

#[test]
fn a_photo_moved_scaled_and_rotated_never_passes_a_blink_challenge() {
    // Printed-photo attack: constant eye openness, pose changes only in the image plane (roll), box moves
    // and scales. 60 random motions, with noise and drops.
    for seed in 0..60u64 {
        let actions = [Action::Blink, Action::LookStraight];
        let mut b = builder(100 + seed, noisy());
        b.hold(1200.0);
        b.photo_in_plane_motion(11_000.0, seed);
        let (_, result) = run_and_finish(challenge(&actions), b.take_frames());
        assert_eq!(result.decision, Decision::NotLive, "seed {seed}");
        assert!(!actions_done(&result).contains(&Action::Blink), "seed {seed}: blink passed");
    }
}

#[test]
fn a_photo_tilted_away_does_not_fake_a_blink() {
    // Tilting a print about its horizontal axis shrinks the eyes' height (cos 65° ≈ 0.42 < the 0.60 closed
    // ratio) and the box's height together; the blink detector must see the head/box change and refuse.
    for seed in 0..20u64 {
        let actions = [Action::Blink, Action::LookStraight];
        let mut b = builder(200 + seed, noisy());
        b.hold(1200.0);
        for _ in 0..10 {
            b.hold(300.0);
            b.photo_tilt(300.0 + seed as f64 * 10.0, 65.0);
        }
        let (_, result) = run_and_finish(challenge(&actions), b.take_frames());
        assert!(!actions_done(&result).contains(&Action::Blink), "seed {seed}: tilt passed as blink");
    }
}

#[test]
fn switching_identity_mid_session_fails_continuity() {
    let actions = [Action::Blink, Action::TurnLeft];
    let mut b = builder(40, noisy());
    b.hold(1200.0);
    perform(&mut b, Action::Blink);
    b.set_identity(SyntheticIdentity::new(2));
    perform(&mut b, Action::TurnLeft);
    b.hold(2500.0);
    let (run, result) = run_and_finish(challenge(&actions), b.take_frames());
    assert_eq!(result.decision, Decision::NotLive);
    let Some(FailureReason::IdentityChanged { distance }) = result.failure else {
        panic!("expected identity_changed, got {:?}", result.failure)
    };
    assert!(distance > 0.6);
    assert_eq!(run.session.retained_embedding_count(), 0);
}

#[test]
fn a_face_that_jumps_across_the_frame_fails_the_track() {
    let actions = [Action::Blink, Action::TurnLeft];
    let mut b = builder(41, Noise { drop_probability: 0.0, ..noisy() });
    b.hold(1200.0);
    let here = b.head();
    b.set_head(HeadState { centre: [here.centre[0] + 200.0, here.centre[1]], width: here.width * 0.7, ..here });
    b.hold(3000.0);
    let (_, result) = run_and_finish(challenge(&actions), b.take_frames());
    assert!(matches!(result.failure, Some(FailureReason::TrackJump { .. })), "{:?}", result.failure);
}

#[test]
fn a_second_face_pauses_the_session_and_says_why() {
    let actions = [Action::Blink, Action::TurnLeft];
    let mut b = builder(42, noisy());
    b.hold(1200.0);
    b.second_face = true;
    b.hold(1500.0);
    b.second_face = false;
    for &action in &actions {
        perform(&mut b, action);
    }
    b.hold(2500.0);
    let (run, result) = run_and_finish(challenge(&actions), b.take_frames());
    let paused: Vec<_> =
        run.feedback.iter().filter(|f| f.instruction.code == InstructionCode::MultipleFaces).collect();
    assert!(!paused.is_empty());
    assert_eq!(paused[0].instruction.params.face_count, Some(2));
    assert!(result.liveness.frames.with_several_faces > 10);
    assert_eq!(result.decision, Decision::Match, "{:?}", result.failure);
}

#[test]
fn quality_gates_name_the_problem() {
    let actions = [Action::Blink, Action::TurnLeft];
    let mut b = builder(43, noisy());
    // Gradual changes (an instant one would be a track jump).
    b.set_head(HeadState { yaw_deg: 30.0, ..frontal() });
    b.hold(500.0);
    b.move_to(1000.0, HeadState { width: 60.0, ..frontal() });
    b.hold(500.0);
    b.move_to(1500.0, HeadState { width: 600.0, ..frontal() });
    b.hold(500.0);
    b.move_to(1500.0, HeadState { centre: [30.0, 240.0], ..frontal() });
    b.hold(500.0);
    let run = run(challenge(&actions), b.take_frames());
    let codes: Vec<InstructionCode> = run.feedback.iter().map(|f| f.instruction.code).collect();
    for expected in [InstructionCode::MoveCloser, InstructionCode::MoveBack, InstructionCode::CenterFace, InstructionCode::LookStraight] {
        assert!(codes.contains(&expected), "{expected:?} missing from {codes:?}");
    }
}

#[test]
fn a_low_passive_score_is_not_live() {
    let actions = [Action::Blink, Action::TurnLeft];
    let mut b = builder(44, noisy());
    b.live_score_mean = 0.15;
    b.hold(1200.0);
    for &action in &actions {
        perform(&mut b, action);
    }
    b.hold(2500.0);
    let (_, result) = run_and_finish(challenge(&actions), b.take_frames());
    assert_eq!(result.decision, Decision::NotLive);
    assert!(matches!(result.failure, Some(FailureReason::PassiveLivenessLow { .. })), "{:?}", result.failure);
    assert!(result.liveness.passive_score.unwrap() < 0.3);
}

#[test]
fn a_different_reference_person_is_no_match() {
    let actions = [Action::Blink, Action::TurnLeft];
    let mut run = run(challenge(&actions), live_frames(45, noisy(), &actions));
    let other = reference_of(&SyntheticIdentity::new(9), 3);
    let result = run.session.finish(&other);
    assert_eq!(result.decision, Decision::NoMatch);
    assert!(result.failure.is_none());
    assert!(result.distance.unwrap() > 0.6 && result.similarity.unwrap() < 0.1);
}

#[test]
fn perfectly_even_or_sparse_timestamps_are_flagged() {
    use faceproof_liveness::result::TimingFlag;
    let actions = [Action::Blink, Action::TurnLeft];
    let even = Noise { interval_jitter_ms: 0.0, drop_probability: 0.0, ..noisy() };
    let (_, result) = run_and_finish(challenge(&actions), live_frames(46, even, &actions));
    assert!(result.liveness.timing.flags.contains(&TimingFlag::TooEvenSpacing), "{:?}", result.liveness.timing);

    let (_, result) = run_and_finish(challenge(&actions), live_frames(47, noisy(), &actions));
    assert!(result.liveness.timing.flags.is_empty(), "{:?}", result.liveness.timing);
    let fps = result.liveness.timing.mean_fps.unwrap();
    assert!((20.0..35.0).contains(&fps), "{fps}");

    let slow = Noise { fps: 3.0, ..noisy() };
    let (_, result) = run_and_finish(challenge(&actions), live_frames(48, slow, &actions));
    assert!(result.liveness.timing.flags.contains(&TimingFlag::FrameRateTooLow));
}
