//! # faceproof-wasm-verifier
//!
//! `faceproof_proof`'s verifier for JavaScript hosts (Node: `wasm-bindgen --target nodejs`):
//! the same strict token parsing, signature checks, binding and policy as the Rust service, in a
//! **stateless** call. Single use of the challenge nonce needs state, so it stays with the host:
//! whenever the proof is correctly signed and bound to a verified challenge, the result carries
//! `consume: {nonce, keepUntil}`, and the host must record that nonce (atomically, until
//! `keepUntil` unix seconds) and refuse the proof with `replay` if it was already recorded, **even
//! when `ok` is false** (one signed attempt per challenge, as `verify_and_consume` does).
//!
//! ```js
//! const { verify } = require('./pkg/faceproof_wasm_verifier.js');
//! const r = verify(proof, challenge, policyToml, Math.floor(Date.now() / 1000));
//! if (r.consume && !(await store.consumeOnce(r.consume.nonce, r.consume.keepUntil))) reject('replay');
//! else if (!r.ok) reject(r.rejection.code); else accept(r.claims);
//! ```
//!
//! The core functions here return JSON text and are tested natively; the `#[wasm_bindgen]`
//! wrappers only turn that text into JavaScript objects.

#![forbid(unsafe_code)]

use faceproof_proof::{Policy, Rejection, check_policy_at, nonce_keep_until, verify_bound_at};
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

/// Parses a policy: JSON when the text starts with `{`, TOML otherwise (the `faceproof verify --policy` format).
pub fn parse_policy(text: &str) -> Result<Policy, String> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| format!("policy JSON: {e}"))
    } else {
        Policy::from_toml(text).map_err(|e| format!("policy TOML: {e}"))
    }
}

fn rejection(r: &Rejection) -> Value {
    json!({ "code": r.code(), "message": r.to_string() })
}

/// Verifies `proof` against `challenge` and `policy` at `now` (unix seconds), without replay state.
///
/// * accepted: `{"ok": true, "claims", "challenge", "deviceKey", "deviceKeyThumbprint", "consume": {"nonce", "keepUntil"}, "sub"}`
/// * refused before the proof was bound to a verified challenge: `{"ok": false, "rejection": {"code", "message"}}`
/// * refused by the policy after binding: the same plus `"consume"` (the host must still consume the nonce).
pub fn verify_value(proof: &str, challenge: &str, policy: &Policy, now: i64) -> Value {
    let vp = match verify_bound_at(proof, challenge, policy, now) {
        Ok(vp) => vp,
        Err(r) => return json!({ "ok": false, "rejection": rejection(&r) }),
    };
    let consume = json!({ "nonce": vp.challenge.nonce, "keepUntil": nonce_keep_until(&vp, policy) });
    match check_policy_at(&vp, policy, now) {
        Ok(()) => json!({
            "ok": true,
            "claims": vp.claims,
            "challenge": vp.challenge,
            "deviceKey": vp.device_key,
            "deviceKeyThumbprint": vp.device_key_thumbprint,
            "sub": vp.challenge.sub,
            "consume": consume,
        }),
        Err(r) => json!({ "ok": false, "rejection": rejection(&r), "consume": consume }),
    }
}

/// [`verify_value`] with the policy as text; a bad policy or clock is a host error (`Err`), not a rejection.
pub fn verify_json(proof: &str, challenge: &str, policy: &str, now_unix_s: f64) -> Result<String, String> {
    if !now_unix_s.is_finite() || now_unix_s.fract() != 0.0 || now_unix_s.abs() > 9.0e15 {
        return Err("nowUnixSeconds must be an integer number of seconds".into());
    }
    let policy = parse_policy(policy)?;
    Ok(verify_value(proof, challenge, &policy, now_unix_s as i64).to_string())
}

fn to_js(text: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(text).map_err(|_| JsError::new("internal: result is not JSON"))
}

/// `verify(proof, challenge, policyTomlOrJson, nowUnixSeconds)`: see the crate docs for the result.
/// Throws on a malformed policy or a non-integer time (configuration errors, not rejections).
#[wasm_bindgen]
pub fn verify(proof: &str, challenge: &str, policy: &str, now_unix_seconds: f64) -> Result<JsValue, JsError> {
    let text = verify_json(proof, challenge, policy, now_unix_seconds).map_err(|e| JsError::new(&e))?;
    to_js(&text)
}

/// `policy(policyTomlOrJson)`: the parsed policy with every default filled in (e.g. to hand
/// `challenge_keys` to a JOSE library). Throws on a malformed policy.
#[wasm_bindgen]
pub fn policy(policy: &str) -> Result<JsValue, JsError> {
    let p = parse_policy(policy).map_err(|e| JsError::new(&e))?;
    let text = serde_json::to_string(&p).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&text)
}

/// Every rejection code `verify` can return, e.g. for a host's own error table.
#[wasm_bindgen(js_name = rejectionCodes)]
pub fn rejection_codes() -> Vec<String> {
    all_codes()
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

const TOKEN_CODES: [&str; 15] = [
    "too_large",
    "malformed",
    "base64",
    "duplicate_key",
    "invalid_header",
    "alg_none",
    "unsupported_alg",
    "wrong_typ",
    "missing_key",
    "unknown_key",
    "bad_key",
    "bad_signature_encoding",
    "bad_signature",
    "invalid_payload",
    "non_canonical_payload",
];

/// Codes other than `challenge.<token code>` / `proof.<token code>` (replay and store codes are the host's).
pub const REJECTION_CODES: &[&str] = &[
    "challenge_wrong_issuer",
    "challenge_wrong_audience",
    "challenge_expired",
    "challenge_not_yet_valid",
    "challenge_invalid",
    "key_mismatch",
    "challenge_mismatch",
    "nonce_mismatch",
    "wrong_audience",
    "expired",
    "not_yet_valid",
    "too_old",
    "bad_lifetime",
    "issued_outside_challenge",
    "module_not_allowed",
    "model_not_allowed",
    "no_models",
    "backend_not_allowed",
    "actions_mismatch",
    "timing_violation",
    "evidence_inconsistent",
    "reference_kind_mismatch",
    "reference_mismatch",
    "reference_malformed",
    "score_out_of_range",
    "decision_inconsistent",
    "threshold_too_loose",
    "match_too_weak",
    "liveness_too_low",
    "not_matched",
    "device_key_mismatch",
];

/// All codes, token codes expanded for both tokens.
pub fn all_codes() -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for prefix in ["challenge", "proof"] {
        v.extend(TOKEN_CODES.iter().map(|c| format!("{prefix}.{c}")));
    }
    v.extend(REJECTION_CODES.iter().map(|c| c.to_string()));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use faceproof_proof::testkit::{self, AUDIENCE, Fixture, NOW};

    const AT: i64 = NOW + 15;

    #[test]
    fn accepts_the_fixture_and_exposes_the_nonce() {
        let f = Fixture::new();
        let ch = f.challenge(NOW);
        let proof = f.device.sign_proof(&testkit::valid_claims(&ch, &f.device)).unwrap();
        let r = verify_value(&proof, &ch.token, &f.policy, AT);
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(r["consume"]["nonce"], ch.claims.nonce);
        assert_eq!(r["consume"]["keepUntil"], ch.claims.exp + 30 + 60);
        assert_eq!(r["claims"]["decision"], "match");
        assert_eq!(r["claims"]["scores"]["threshold_l2_e6"], 600_000);
        assert_eq!(r["deviceKeyThumbprint"], f.device.thumbprint());
    }

    #[test]
    fn typed_rejections_and_nonce_only_after_binding() {
        let f = Fixture::new();
        let ch = f.challenge(NOW);
        let claims = testkit::valid_claims(&ch, &f.device);
        let proof = f.device.sign_proof(&claims).unwrap();
        // Tampered payload: refused at the signature, no nonce to consume.
        let mut parts: Vec<String> = proof.split('.').map(str::to_string).collect();
        let mut payload = faceproof_proof::b64::decode(&parts[1]).unwrap();
        payload[10] ^= 1;
        parts[1] = faceproof_proof::b64::encode(&payload);
        let r = verify_value(&parts.join("."), &ch.token, &f.policy, AT);
        assert_eq!(r["rejection"]["code"], "proof.bad_signature");
        assert!(r.get("consume").is_none());
        // Wrong audience in the policy: the challenge itself is refused first.
        let mut p = f.policy.clone();
        p.audience = "https://other.example".into();
        let r = verify_value(&proof, &ch.token, &p, AT);
        assert_eq!(r["rejection"]["code"], "challenge_wrong_audience");
        // A correctly signed, bound proof that fails the policy: the nonce must still be consumed.
        let mut c = claims.clone();
        c.aud = "https://other.example".into();
        let bad = f.device.sign_proof(&c).unwrap();
        let r = verify_value(&bad, &ch.token, &f.policy, AT);
        assert_eq!(r["ok"], false);
        assert_eq!(r["rejection"]["code"], "wrong_audience");
        assert_eq!(r["consume"]["nonce"], ch.claims.nonce);
        // Every code the verifier can produce is listed.
        let codes = all_codes();
        for code in [r["rejection"]["code"].as_str().unwrap(), "proof.bad_signature", "match_too_weak"] {
            assert!(codes.iter().any(|c| c == code), "{code}");
        }
    }

    #[test]
    fn policy_as_toml_or_json_and_host_errors() {
        let f = Fixture::new();
        let ch = f.challenge(NOW);
        let proof = f.device.sign_proof(&testkit::valid_claims(&ch, &f.device)).unwrap();
        let toml_text = toml::to_string(&f.policy).unwrap();
        let json_text = serde_json::to_string(&f.policy).unwrap();
        assert_eq!(parse_policy(&toml_text).unwrap(), f.policy);
        assert_eq!(parse_policy(&json_text).unwrap(), f.policy);
        for text in [&toml_text, &json_text] {
            let out: Value = serde_json::from_str(&verify_json(&proof, &ch.token, text, AT as f64).unwrap()).unwrap();
            assert_eq!(out["ok"], true);
        }
        assert!(verify_json(&proof, &ch.token, "audience = 1", AT as f64).is_err());
        assert!(verify_json(&proof, &ch.token, &toml_text, f64::NAN).is_err());
        assert!(verify_json(&proof, &ch.token, &toml_text, 1.5).is_err());
        // Minimal policy: defaults fill the rest.
        let minimal = format!(
            "audience = \"{AUDIENCE}\"\nallowed_models = [\"*\"]\nallowed_modules = [\"*\"]\nchallenge_keys = [{}]\n",
            serde_json::to_string(f.issuer.public_jwk()).unwrap().replace("\":", "\"=")
        );
        let out: Value = serde_json::from_str(&verify_json(&proof, &ch.token, &minimal, AT as f64).unwrap()).unwrap();
        assert_eq!(out["ok"], true, "{out}");
    }
}
