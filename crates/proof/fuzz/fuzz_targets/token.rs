//! Proof-token parsing and verification must never panic.
//!
//! First byte selects the mode:
//! 0: the rest is a whole compact token, verified against the fixture's challenge;
//! 1: the rest is a claims payload, correctly signed by the fixture device key
//!    (reaches JSON, schema, canonical-encoding and policy checks);
//! 2: the rest is a protected header, signed with the fixture payload.
#![no_main]

use std::sync::OnceLock;

use faceproof_proof::claims::{PROOF_TYP, ProofClaims};
use faceproof_proof::jws::{self, TrustedKeys};
use faceproof_proof::testkit::{FuzzFixture, fuzz_fixture};
use faceproof_proof::{b64, json, verify_at};
use libfuzzer_sys::fuzz_target;

fn fx() -> &'static FuzzFixture {
    static F: OnceLock<FuzzFixture> = OnceLock::new();
    F.get_or_init(fuzz_fixture)
}

fuzz_target!(|data: &[u8]| {
    let f = fx();
    let Some((&mode, rest)) = data.split_first() else { return };
    let token = match mode % 3 {
        0 => String::from_utf8_lossy(rest).into_owned(),
        1 => jws::sign_raw(
            &serde_json::to_vec(&serde_json::json!({"alg": "ES256", "typ": PROOF_TYP, "jwk": f.device.jwk()})).unwrap(),
            rest,
            f.device.signing_key(),
        ),
        _ => jws::sign_raw(rest, &serde_json::to_vec(&f.claims).unwrap(), f.device.signing_key()),
    };
    let _ = jws::peek_embedded_jwk(&token);
    let _ = jws::verify::<ProofClaims>(&token, PROOF_TYP, TrustedKeys::Embedded);
    let r = verify_at(&token, &f.challenge.token, &f.policy, f.at);
    if let Err(e) = &r {
        let _ = e.code();
        let _ = e.to_string();
    }
    let _ = json::check_no_duplicates(rest);
    if let Ok(s) = std::str::from_utf8(rest) {
        if let Some(bytes) = b64::decode(s) {
            assert_eq!(b64::encode(&bytes), s, "decode accepted a non-canonical form");
        }
    }
});
