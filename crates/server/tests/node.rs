//! Interop with independent implementations: WebCrypto (via Node's crypto.subtle) and npm `jose`.

use faceproof_proof::testkit::{self, AUDIENCE, require, run_node, tests_proof_dir};
use faceproof_proof::{
    ChallengeIssuer, ChallengeOptions, DeviceKey, Rejection, now_unix, verify_at,
};

fn fixture() -> (ChallengeIssuer, faceproof_proof::Policy) {
    let issuer = ChallengeIssuer::generate("faceproof").unwrap();
    let policy = testkit::policy_for(&issuer);
    (issuer, policy)
}

fn jose_installed() -> bool {
    let ok = tests_proof_dir()
        .join("node/node_modules/jose/package.json")
        .is_file();
    if !ok {
        if require("FACEPROOF_REQUIRE_NODE") {
            panic!(
                "tests/proof/node/node_modules missing (run npm ci there) and FACEPROOF_REQUIRE_NODE=1"
            );
        }
        eprintln!("SKIP: npm jose not installed (cd tests/proof/node && npm ci)");
    }
    ok
}

#[test]
fn webcrypto_signed_proofs_verify_natively() {
    let (issuer, policy) = fixture();
    let script = tests_proof_dir().join("node/webcrypto-driver.mjs");
    // Several keys/signatures, so high-S and low-S signatures both occur.
    for i in 0..12 {
        let ch = issuer
            .issue(&ChallengeOptions::new(AUDIENCE), now_unix())
            .unwrap();
        let Some((code, out, err)) = run_node(&script, &[], &testkit::webcrypto_input_json(&ch))
        else {
            return;
        };
        assert_eq!(code, 0, "driver failed: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v["extractable"], false,
            "device key must be non-extractable"
        );
        let proof = v["proof"].as_str().unwrap();
        let vp = testkit::verify_webcrypto_proof(proof, &ch.token, &policy)
            .unwrap_or_else(|e| panic!("webcrypto proof {i} rejected: {e:?}"));
        assert_eq!(serde_json::to_value(&vp.device_key).unwrap(), v["jwk"]);
        // Same bytes: the WebCrypto payload is exactly serde_json's encoding of the claims.
        let payload = faceproof_proof::b64::decode(proof.split('.').nth(1).unwrap()).unwrap();
        assert_eq!(payload, serde_json::to_vec(&vp.claims).unwrap());
        // Tampering is still caught.
        let mut bad = proof.to_string();
        bad.push('A');
        assert!(verify_at(&bad, &ch.token, &policy, now_unix()).is_err());
    }
}

#[test]
fn jose_signed_proof_verifies_in_rust() {
    if !jose_installed() {
        return;
    }
    let (issuer, policy) = fixture();
    let script = tests_proof_dir().join("node/sign-with-jose.mjs");
    for _ in 0..5 {
        let ch = issuer
            .issue(&ChallengeOptions::new(AUDIENCE), now_unix())
            .unwrap();
        let Some((code, out, err)) = run_node(&script, &[], &testkit::webcrypto_input_json(&ch))
        else {
            return;
        };
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        verify_at(v["proof"].as_str().unwrap(), &ch.token, &policy, now_unix())
            .expect("jose-signed proof verifies");
    }
}

/// The Node verifier's wasm build (`tests/proof/build-wasm-verifier.sh`), or a skip.
fn wasm_verifier_built() -> bool {
    let ok = tests_proof_dir()
        .join("node/pkg/faceproof_wasm_verifier_bg.wasm")
        .is_file();
    if !ok {
        if require("FACEPROOF_REQUIRE_WASM_VERIFIER") {
            panic!(
                "tests/proof/node/pkg missing (tests/proof/build-wasm-verifier.sh) and FACEPROOF_REQUIRE_WASM_VERIFIER=1"
            );
        }
        eprintln!("SKIP: wasm verifier not built (tests/proof/build-wasm-verifier.sh)");
    }
    ok
}

#[test]
fn jose_verifies_rust_proof_then_wasm_verifier_policy() {
    if !jose_installed() || !wasm_verifier_built() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (issuer, policy) = fixture();
    let dev = DeviceKey::generate().unwrap();
    let ch = issuer
        .issue(&ChallengeOptions::new(AUDIENCE), now_unix())
        .unwrap();
    let claims = testkit::valid_claims(&ch, &dev);
    let write_bundle = |name: &str, proof: &str, challenge: &str| {
        let p = dir.path().join(name);
        std::fs::write(
            &p,
            serde_json::json!({"challenge": challenge, "proof": proof}).to_string(),
        )
        .unwrap();
        p.display().to_string()
    };
    let good = write_bundle("good.json", &dev.sign_proof(&claims).unwrap(), &ch.token);
    let pol = dir.path().join("policy.toml");
    std::fs::write(&pol, toml::to_string(&policy).unwrap()).unwrap();
    let script = tests_proof_dir().join("node/verify.mjs");
    let pol_s = pol.display().to_string();
    let nonces = dir.path().join("nonces.json").display().to_string();
    let run = |bundle: &str| {
        run_node(&script, &[bundle, &pol_s, "--nonces", &nonces], "").unwrap()
    };

    let (code, out, err) = run(&good);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(r#""verified":true"#), "{out}");
    // Nonce single use is the host's: the second run is a replay.
    let (code, out, _) = run(&good);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(r#""code":"replay""#), "{out}");

    // jose catches a broken signature on its own.
    let ch = issuer
        .issue(&ChallengeOptions::new(AUDIENCE), now_unix())
        .unwrap();
    let claims = testkit::valid_claims(&ch, &dev);
    let mut broken = dev.sign_proof(&claims).unwrap();
    broken.replace_range(broken.len() - 3.., "AAA");
    let (code, out, _) = run(&write_bundle("broken.json", &broken, &ch.token));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(r#""by":"jose""#), "{out}");

    // jose passes a validly signed proof with a model digest the policy does not allow; the wasm
    // verifier refuses it with the same rejection as the Rust service.
    let mut c2 = testkit::valid_claims(&ch, &dev);
    c2.build.models[0].sha256 = "00".repeat(32);
    let (code, out, _) = run(&write_bundle(
        "model.json",
        &dev.sign_proof(&c2).unwrap(),
        &ch.token,
    ));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(r#""by":"faceproof-wasm""#) && out.contains(r#""code":"model_not_allowed""#),
        "{out}"
    );
    assert_eq!(
        verify_at(
            &dev.sign_proof(&c2).unwrap(),
            &ch.token,
            &policy,
            now_unix()
        )
        .unwrap_err(),
        Rejection::ModelNotAllowed {
            name: "detector".into()
        }
    );
}
