//! Continuity with *real* dlib embeddings of two deepface identities — a hook for the integrator.
//!
//! The embedding stage (crates/embed) had not landed when this was written, so by default the test runs on
//! synthetic identities and says so. To run it on real embeddings, write a JSON file
//! `{"identity_a": "id00", "identity_b": "id09", "a": [[128 floats], ...], "b": [[128 floats], ...]}` with the
//! dlib embeddings of `../shared/data/faces-deepface` images of two identities from
//! `identities_derived.csv` (largest face of each image; id00 and id09 have 8 images each), and point
//! `FACEPROOF_REAL_EMBEDDINGS` at it, or save it as `tests/fixtures/deepface_embeddings.json`.
//! Nothing else changes: the same sessions are fed, with the real vectors in place of the synthetic ones.

mod common;

use common::*;
use faceproof_liveness::synthetic::{Noise, SplitMix64, SyntheticIdentity};
use faceproof_liveness::{Action, Decision, Embedding, FailureReason, FrameObservation, ReferenceEmbedding, ReferenceKind};

struct TwoIdentities {
    source: String,
    a: Vec<Vec<f32>>,
    b: Vec<Vec<f32>>,
}

fn load_fixture() -> TwoIdentities {
    let path = std::env::var("FACEPROOF_REAL_EMBEDDINGS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/deepface_embeddings.json").to_owned());
    if let Ok(text) = std::fs::read_to_string(&path) {
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let vectors = |key: &str| -> Vec<Vec<f32>> { serde_json::from_value(json[key].clone()).unwrap() };
        let fixture = TwoIdentities {
            source: format!("real dlib embeddings from {path} ({} vs {})", json["identity_a"], json["identity_b"]),
            a: vectors("a"),
            b: vectors("b"),
        };
        assert!(fixture.a.len() >= 2 && fixture.b.len() >= 2, "need ≥ 2 embeddings per identity");
        return fixture;
    }
    let mut rng = SplitMix64::new(77);
    let synthetic = |id: u64, rng: &mut SplitMix64| -> Vec<Vec<f32>> {
        let identity = SyntheticIdentity::new(id);
        (0..8).map(|_| identity.sample(rng).values().to_vec()).collect()
    };
    TwoIdentities {
        source: "SYNTHETIC identities (no real-embedding fixture found; see this file's header)".into(),
        a: synthetic(1, &mut rng),
        b: synthetic(2, &mut rng),
    }
}

/// Replaces every sampled embedding in `frames[range]` by the next vector of `pool`, cycling.
fn substitute(frames: &mut [FrameObservation], from: usize, pool: &[Vec<f32>], offset: usize) {
    let mut next = offset;
    for frame in &mut frames[from..] {
        for face in &mut frame.faces {
            if face.embedding.is_some() {
                face.embedding = Some(Embedding::from_slice(&pool[next % pool.len()]).unwrap());
                next += 1;
            }
        }
    }
}

#[test]
fn frames_from_two_identities_fail_continuity() {
    let fixture = load_fixture();
    println!("continuity test on {}", fixture.source);
    let actions = [Action::Blink, Action::TurnLeft];
    let mut frames = live_frames(60, Noise::default(), &actions);
    // The first part is person A (one vector held back as the reference), from a third of the way on person B.
    substitute(&mut frames, 0, &fixture.a[1..], 0);
    let switch_at = frames.len() / 3;
    substitute(&mut frames, switch_at, &fixture.b, 0);
    let mut run = run(challenge(&actions), frames);
    let reference = ReferenceEmbedding { kind: ReferenceKind::IdPhoto, embedding: Embedding::from_slice(&fixture.a[0]).unwrap() };
    let result = run.session.finish(&reference);
    assert_eq!(result.decision, Decision::NotLive);
    assert!(matches!(result.failure, Some(FailureReason::IdentityChanged { .. })), "{:?}", result.failure);
}

#[test]
fn frames_from_one_identity_keep_continuity_and_match_a_held_out_reference() {
    let fixture = load_fixture();
    println!("continuity test on {}", fixture.source);
    let actions = [Action::Blink, Action::TurnLeft];
    let mut frames = live_frames(61, Noise::default(), &actions);
    substitute(&mut frames, 0, &fixture.a[1..], 0);
    let mut run = run(challenge(&actions), frames);
    let reference = ReferenceEmbedding { kind: ReferenceKind::IdPhoto, embedding: Embedding::from_slice(&fixture.a[0]).unwrap() };
    let result = run.session.finish(&reference);
    println!("max continuity distance {:?}, probe distance {:?}", result.liveness.max_continuity_distance, result.distance);
    assert_eq!(result.decision, Decision::Match, "{:?}", result.failure);
}
