//! The reference photo (ID document or profile picture): one face is embedded; no face or two faces of
//! comparable size are typed errors, never a guess.
#![cfg(feature = "flex")]

use burn::prelude::Device;
use faceproof_frame::Frame;
use faceproof_session::{SessionError, Stages};

fn shared(path: &str) -> Frame {
    let root = std::env::var("FACEPROOF_SHARED").unwrap_or_else(|_| "../../../shared".into());
    let bytes = std::fs::read(std::path::Path::new(&root).join(path)).expect("../shared data");
    Frame::decode(&bytes).expect("a decodable photo")
}

#[test]
fn reference_photos_are_one_face_or_a_typed_error() {
    let stages = Stages::load_native(&Device::flex()).expect("weights (run ./x models)");
    let embed = |path: &str| pollster::block_on(stages.embed_reference_photo(&shared(path)));

    assert!(embed("data/faces-deepface/images/img1.jpg").is_ok());
    assert!(matches!(
        embed("data/faces-deepface/images/couple.jpg"),
        Err(SessionError::SeveralFacesInReference { count: 2 })
    ));
    assert!(matches!(embed("data/faces-dlib-examples/dogs.jpg"), Err(SessionError::NoFaceInReference)));
}

/// The per-frame networks load without the embedding network (a browser fetches its 22 MB after the
/// first frames): whatever needs an embedding is a typed error until it arrives, never a panic or a
/// session that fails halfway; it can be added once.
#[test]
fn the_embedding_network_can_arrive_later() {
    use faceproof_liveness::{Challenge, LivenessConfig};
    use faceproof_models::{dlib_resnet, read_native_weights};
    use faceproof_session::{Clock, FaceSession, FaceTracker, Sampling};
    use std::sync::Arc;

    let device = Device::flex();
    let stages = Arc::new(Stages::load_liveness(&device, read_native_weights).expect("weights (run ./x models)"));
    assert!(!stages.has_embedding());
    let photo = shared("data/faces-deepface/images/img1.jpg");
    let challenge = || {
        Challenge::from_json(
            r#"{"nonce":"lazy-embedding-nonce","actions":[{"action":"look_straight","limit_ms":10000},{"action":"blink","limit_ms":10000}],"session_limit_ms":60000,"exp":4102444800}"#,
        )
        .unwrap()
    };
    let start = || FaceSession::new(Arc::clone(&stages), challenge(), LivenessConfig::default(), Sampling::default(), 1_700_000_000_000);

    // The loop itself runs: detector, FaceMesh + Iris, anti-spoof.
    let step = pollster::block_on(FaceTracker::new().step(&stages, &photo, true, true, Clock::default())).unwrap();
    assert_eq!(step.located.detections.len(), 1);
    assert!(step.live_probability.is_some());
    // What needs the embedding says so.
    assert!(matches!(pollster::block_on(stages.embed_reference_photo(&photo)), Err(SessionError::EmbeddingNotLoaded)));
    assert!(matches!(start(), Err(SessionError::EmbeddingNotLoaded)));
    assert!(matches!(pollster::block_on(stages.analyze(&photo, || 0.0)), Err(SessionError::EmbeddingNotLoaded)));

    // Wrong bytes are refused and leave the stages as they were.
    assert!(matches!(stages.load_embedding(&device, vec![0; 64]), Err(SessionError::Model(_))));
    assert!(!stages.has_embedding());

    stages.load_embedding(&device, read_native_weights(&dlib_resnet::WEIGHTS).unwrap()).unwrap();
    assert!(pollster::block_on(stages.embed_reference_photo(&photo)).is_ok());
    assert!(start().is_ok());
    let again = stages.load_embedding(&device, read_native_weights(&dlib_resnet::WEIGHTS).unwrap());
    assert!(matches!(again, Err(SessionError::EmbeddingAlreadyLoaded)));
}
