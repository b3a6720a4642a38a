//! The deterministic fuzz fixture verifies; with `FACEPROOF_FUZZ_SEED_DIR` set, writes seed inputs there.

use faceproof_proof::testkit;

#[test]
fn fuzz_fixture_is_valid_and_seeds_are_written() {
    let f = testkit::fuzz_fixture();
    faceproof_proof::verify_at(&f.proof, &f.challenge.token, &f.policy, f.at)
        .expect("fixture verifies");
    // Deterministic: the same tokens every time.
    assert_eq!(testkit::fuzz_fixture().proof, f.proof);
    if let Ok(dir) = std::env::var("FACEPROOF_FUZZ_SEED_DIR") {
        let n = testkit::write_fuzz_seeds(std::path::Path::new(&dir)).unwrap();
        println!("wrote {n} fuzz seeds to {dir}");
    }
}
