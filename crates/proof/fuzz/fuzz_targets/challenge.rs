//! Challenge-token parsing and validation must never panic.
//!
//! First byte selects the mode:
//! 0: the rest is a whole compact challenge token (with the fixture's valid proof);
//! 1: the rest is challenge claims, correctly signed by the fixture server key
//!    (reaches JSON, schema, canonical encoding, shape and time checks).
#![no_main]

use std::sync::OnceLock;

use faceproof_proof::claims::CHALLENGE_TYP;
use faceproof_proof::jws::{self, KeyRef};
use faceproof_proof::testkit::{FuzzFixture, fuzz_fixture};
use faceproof_proof::{verify_at, verify_challenge_at};
use libfuzzer_sys::fuzz_target;

fn fx() -> &'static FuzzFixture {
    static F: OnceLock<FuzzFixture> = OnceLock::new();
    F.get_or_init(fuzz_fixture)
}

fuzz_target!(|data: &[u8]| {
    let f = fx();
    let Some((&mode, rest)) = data.split_first() else { return };
    let token = if mode % 2 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        let header = serde_json::to_vec(&serde_json::json!({
            "alg": "ES256", "typ": CHALLENGE_TYP, "kid": f.issuer.kid()
        }))
        .unwrap();
        let _ = KeyRef::Kid(f.issuer.kid());
        jws::sign_raw(&header, rest, f.issuer.signing_key())
    };
    if let Ok(c) = verify_challenge_at(&token, &f.policy, f.at) {
        let _ = faceproof_proof::challenge::validate_challenge(&c);
    }
    let _ = verify_at(&f.proof, &token, &f.policy, f.at);
});
