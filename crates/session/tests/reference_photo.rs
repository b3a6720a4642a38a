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
