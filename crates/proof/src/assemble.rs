//! From the engine's [`SessionResult`] to a signed proof, without the signer's key.
//!
//! The browser path: the wasm module calls [`ProofClaims::from_session`], then
//! [`proof_signing_input`] (the exact bytes to sign); WebCrypto signs them with
//! the non-extractable device key and returns the raw 64-byte `r || s`; the
//! module calls [`assemble_proof`] to get the compact JWS. No cryptography here
//! beyond what [`crate::jws`] already does (RustCrypto verifies the result).
//!
//! ```text
//! SessionResult ─from_session→ ProofClaims ─proof_signing_input→ "h.p" ─WebCrypto→ r||s ─assemble_proof→ "h.p.s"
//! ```
//!
//! # Fixed-point mapping
//! * `l2_distance_e6`, `similarity_e6`, `threshold_l2_e6`, `passive_score_e6`:
//!   `round(x · 10^6)`, clamped to the `u32` range (similarity and passive score to [0, 10^6]).
//! * The engine decides `match` when `distance < threshold` in `f32`. Rounding both to
//!   micro-units could make a distance within 0.5·10⁻⁶ of the threshold land on the
//!   other side; the distance is then moved by at most 10⁻⁶ so the claim states the
//!   engine's decision consistently (`match` ⇒ `l2_distance_e6 < threshold_l2_e6`,
//!   `no_match` ⇒ `≥`).
//! * Action times: ms since the session's first frame, rounded; `end_ms ≥ start_ms`.
//! * `passive_score_e6` is 0 when the engine collected no passive score (`not_live`).
//! * `frames_with_face` counts frames with exactly one face (`FrameCounts::with_one_face`).

use faceproof_liveness::{Decision, SessionResult};
use serde::Serialize;

use crate::b64;
use crate::challenge::{
    IssuedChallenge, MAX_TTL_S, challenge_hash, decode_template, reference_digest,
    validate_challenge,
};
use crate::claims::{
    ActionEvidence, BuildInfo, CHALLENGE_TYP, ChallengeClaims, Confirmation, E6, LivenessSummary,
    PROOF_TYP, ProofClaims, ReferenceInfo, ReferenceKind, ReferenceTemplate, Scores,
};
use crate::jws::{self, Jwk, KeyRef, TokenError, TrustedKeys};

/// Why claims could not be built from a session result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimsError {
    #[error("the session result's nonce is not the challenge's")]
    NonceMismatch,
    #[error("the session compared with a {engine:?} reference, the reference info says {claimed:?}")]
    ReferenceKindMismatch {
        engine: ReferenceKind,
        claimed: ReferenceKind,
    },
    #[error("a server_template reference needs a challenge with a reference template, and only then")]
    ReferenceNotInChallenge,
    #[error("reference salt must be 16 to 64 bytes")]
    BadSalt,
    #[error("the challenge's reference template is malformed")]
    BadTemplate,
    #[error("the session result says {0:?} but carries no distance or similarity")]
    MissingScores(Decision),
    #[error("proof lifetime must be 1 to {MAX_TTL_S} s")]
    BadTtl,
    #[error("backend name must be 1 to 64 bytes")]
    BadBackend,
    #[error("challenge token: {0}")]
    Challenge(TokenError),
    #[error("challenge claims: {0}")]
    ChallengeInvalid(String),
}

fn e6(x: f32) -> u32 {
    // `as` saturates and maps NaN to 0.
    (f64::from(x) * E6 as f64).round() as u32
}

fn unit_e6(x: f32) -> u32 {
    e6(x).min(E6 as u32)
}

fn ms(x: f64) -> u32 {
    x.round() as u32
}

impl ReferenceInfo {
    /// `{kind, salt, digest = base64url(SHA-256(salt ‖ reference_bytes))}`; the salt must be 16–64 random bytes.
    pub fn new(
        kind: ReferenceKind,
        salt: &[u8],
        reference_bytes: &[u8],
    ) -> Result<ReferenceInfo, ClaimsError> {
        if !(16..=64).contains(&salt.len()) {
            return Err(ClaimsError::BadSalt);
        }
        Ok(ReferenceInfo {
            kind,
            salt: b64::encode(salt),
            digest: reference_digest(salt, reference_bytes),
        })
    }

    /// The reference info for the challenge's own template (`server_template`): the
    /// digest covers the decoded `f32le` bytes, which the verifier recomputes.
    pub fn for_server_template(
        salt: &[u8],
        template: &ReferenceTemplate,
    ) -> Result<ReferenceInfo, ClaimsError> {
        let (bytes, _) = decode_template(template).ok_or(ClaimsError::BadTemplate)?;
        ReferenceInfo::new(ReferenceKind::ServerTemplate, salt, &bytes)
    }
}

impl IssuedChallenge {
    /// The challenge's claims from its compact token, parsed strictly (ES256
    /// header, challenge `typ`, canonical payload, shape) **without verifying
    /// the server's signature**: the browser cannot judge the server key, the
    /// verifier does. Use this rather than trusting a separate claims object.
    pub fn decode(token: &str) -> Result<IssuedChallenge, ClaimsError> {
        let claims: ChallengeClaims =
            jws::decode_unverified(token, CHALLENGE_TYP).map_err(ClaimsError::Challenge)?;
        validate_challenge(&claims).map_err(|e| ClaimsError::ChallengeInvalid(e.to_string()))?;
        Ok(IssuedChallenge {
            token: token.to_owned(),
            claims,
        })
    }
}

impl ProofClaims {
    /// Maps the engine's result for `challenge` into proof claims: decision,
    /// scores (fixed point, see the module docs), completed actions with their
    /// timings, passive score, frame counts. `iat = now_unix_s`,
    /// `exp = now_unix_s + ttl_s` (the default verifier policy accepts up to 600 s).
    /// `jwk` is the device's public key (`cnf`), the key that will sign.
    #[allow(clippy::too_many_arguments)]
    pub fn from_session(
        result: &SessionResult,
        challenge: &IssuedChallenge,
        reference: ReferenceInfo,
        build: BuildInfo,
        backend: &str,
        jwk: Jwk,
        now_unix_s: i64,
        ttl_s: i64,
    ) -> Result<ProofClaims, ClaimsError> {
        let ch = &challenge.claims;
        if result.nonce != ch.nonce {
            return Err(ClaimsError::NonceMismatch);
        }
        if result.reference_kind != reference.kind {
            return Err(ClaimsError::ReferenceKindMismatch {
                engine: result.reference_kind,
                claimed: reference.kind,
            });
        }
        if (reference.kind == ReferenceKind::ServerTemplate) != ch.reference.is_some() {
            return Err(ClaimsError::ReferenceNotInChallenge);
        }
        if ttl_s <= 0 || ttl_s > MAX_TTL_S {
            return Err(ClaimsError::BadTtl);
        }
        if backend.is_empty() || backend.len() > 64 {
            return Err(ClaimsError::BadBackend);
        }

        let threshold = e6(result.threshold);
        let mut distance = result.distance.map(e6);
        let similarity = result.similarity.map(unit_e6);
        match (result.decision, distance) {
            (Decision::Match | Decision::NoMatch, None) => {
                return Err(ClaimsError::MissingScores(result.decision));
            }
            (Decision::Match | Decision::NoMatch, Some(_)) if similarity.is_none() => {
                return Err(ClaimsError::MissingScores(result.decision));
            }
            (Decision::Match, Some(d)) if d >= threshold => {
                distance = Some(threshold.saturating_sub(1));
            }
            (Decision::NoMatch, Some(d)) if d < threshold => distance = Some(threshold),
            _ => {}
        }

        let actions = result
            .liveness
            .actions
            .iter()
            .map(|a| {
                let start_ms = ms(a.start_ms);
                ActionEvidence {
                    action: a.action,
                    start_ms,
                    end_ms: ms(a.end_ms).max(start_ms),
                }
            })
            .collect();

        Ok(ProofClaims {
            aud: ch.aud.clone(),
            iat: now_unix_s,
            exp: now_unix_s.saturating_add(ttl_s),
            nonce: ch.nonce.clone(),
            chal: challenge_hash(&challenge.token),
            decision: result.decision,
            scores: Scores {
                l2_distance_e6: distance,
                similarity_e6: similarity,
                threshold_l2_e6: threshold,
            },
            liveness: LivenessSummary {
                actions,
                passive_score_e6: result.liveness.passive_score.map_or(0, unit_e6),
                frames_total: result.liveness.frames.total,
                frames_with_face: result.liveness.frames.with_one_face,
                backend: backend.to_owned(),
            },
            reference,
            build,
            cnf: Confirmation { jwk },
        })
    }
}

fn to_json<T: Serialize>(v: &T) -> String {
    // Serialising these plain structs (strings, integers, options, vectors) cannot fail.
    serde_json::to_string(v).unwrap_or_default()
}

/// The deterministic payload encoding the verifier requires (see [`crate::claims`]).
pub fn payload_json(claims: &ProofClaims) -> String {
    to_json(claims)
}

/// The proof's protected header: `{"alg":"ES256","typ":"faceproof-proof-v1+jwt","jwk":{…}}`.
pub fn proof_header_json(jwk: &Jwk) -> String {
    let bytes = jws::header_json(PROOF_TYP, KeyRef::Embedded(jwk)).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The JWS signing input of a proof (header with `jwk = claims.cnf.jwk`):
/// the ASCII bytes to pass to `crypto.subtle.sign({name: "ECDSA", hash: "SHA-256"}, …)`.
pub fn proof_signing_input(claims: &ProofClaims) -> String {
    jws::signing_input(
        proof_header_json(&claims.cnf.jwk).as_bytes(),
        payload_json(claims).as_bytes(),
    )
}

/// The compact proof JWS from the claims and a raw P-256 signature (`r || s`,
/// 64 bytes, as WebCrypto returns it) over [`proof_signing_input`]. The token is
/// verified (RustCrypto, the verifier's own parser) before it is returned, so a
/// wrong key, wrong bytes or a DER signature fail here rather than at the server.
pub fn assemble_proof(claims: &ProofClaims, signature_rs: &[u8]) -> Result<String, TokenError> {
    if signature_rs.len() != 64 {
        return Err(TokenError::BadSignatureEncoding);
    }
    let token = jws::attach_signature(&proof_signing_input(claims), signature_rs);
    jws::verify::<ProofClaims>(&token, PROOF_TYP, TrustedKeys::Embedded)?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenge::{ChallengeIssuer, ChallengeOptions};
    use crate::claims::ModelDigest;
    use crate::device::DeviceKey;
    use crate::policy::Policy;
    use crate::testkit::{AUDIENCE, DETECT_SHA, NOW, WASM_SHA};
    use crate::{Action, Rejection, verify_at};
    use faceproof_liveness::result::{
        ActionEvidence as EngineAction, FrameCounts, LivenessEvidence, SessionTimings,
        TimingEvidence,
    };
    use faceproof_liveness::{FailureReason, matching};
    use p256::ecdsa::Signature;
    use p256::ecdsa::signature::Signer;

    fn engine_result(ch: &IssuedChallenge, kind: ReferenceKind, distance: f32) -> SessionResult {
        let cal = matching::MatchCalibration::default();
        let mut t = 850.4;
        let actions = ch
            .claims
            .actions
            .iter()
            .map(|a| {
                let requested = t;
                let e = EngineAction {
                    action: a.action,
                    requested_ms: requested,
                    start_ms: requested + 120.6,
                    end_ms: requested + 980.2,
                    peak: 0.5,
                };
                t = e.end_ms;
                e
            })
            .collect();
        SessionResult {
            nonce: ch.claims.nonce.clone(),
            decision: if distance < cal.threshold {
                Decision::Match
            } else {
                Decision::NoMatch
            },
            failure: None,
            reference_kind: kind,
            distance: Some(distance),
            similarity: Some(cal.similarity(distance)),
            threshold: cal.threshold,
            probe_frames: 4,
            liveness: LivenessEvidence {
                actions,
                passive_score: Some(0.912_345_7),
                passive_samples: 9,
                frames: FrameCounts {
                    total: 212,
                    with_one_face: 205,
                    without_face: 5,
                    with_several_faces: 0,
                    failed_quality: 2,
                    invalid: 1,
                },
                continuity_samples: 9,
                max_continuity_distance: Some(0.21),
                track_restarts: 0,
                eye_baseline: None,
                timing: TimingEvidence {
                    median_interval_ms: Some(33.3),
                    interval_std_ms: Some(2.0),
                    longest_gap_ms: Some(70.0),
                    mean_fps: Some(30.0),
                    flags: vec![],
                },
            },
            timings: SessionTimings::default(),
        }
    }

    fn build() -> BuildInfo {
        BuildInfo {
            module_version: "0.1.0".into(),
            wasm_sha256: WASM_SHA.into(),
            models: vec![ModelDigest {
                name: "yunet".into(),
                sha256: DETECT_SHA.into(),
            }],
        }
    }

    struct Setup {
        issuer: ChallengeIssuer,
        device: DeviceKey,
        policy: Policy,
    }

    fn setup() -> Setup {
        let issuer = ChallengeIssuer::generate("faceproof").unwrap();
        let mut policy = Policy::new(AUDIENCE, vec![issuer.public_jwk().clone()]);
        policy.allowed_models = vec![DETECT_SHA.into()];
        policy.allowed_modules = vec![WASM_SHA.into()];
        Setup {
            issuer,
            device: DeviceKey::generate().unwrap(),
            policy,
        }
    }

    fn challenge(s: &Setup, template: bool) -> IssuedChallenge {
        let mut o = ChallengeOptions::new(AUDIENCE);
        o.actions = Some(vec![Action::TurnLeft, Action::Blink, Action::Nod]);
        if template {
            o.reference = Some((0..128).map(|i| i as f32 / 128.0).collect());
        }
        s.issuer.issue(&o, NOW).unwrap()
    }

    /// Signs like WebCrypto: raw r||s over the signing input.
    fn webcrypto_like_sign(device: &DeviceKey, claims: &ProofClaims) -> String {
        let input = proof_signing_input(claims);
        let sig: Signature = device.signing_key().sign(input.as_bytes());
        assemble_proof(claims, &sig.to_bytes()).unwrap()
    }

    #[test]
    fn maps_an_engine_match_and_verifies() {
        let s = setup();
        let ch = challenge(&s, false);
        let decoded = IssuedChallenge::decode(&ch.token).unwrap();
        assert_eq!(decoded.claims, ch.claims);
        let result = engine_result(&ch, ReferenceKind::IdPhoto, 0.412_345_6);
        let reference = ReferenceInfo::new(ReferenceKind::IdPhoto, &[9u8; 16], b"id photo").unwrap();
        let c = ProofClaims::from_session(
            &result,
            &decoded,
            reference,
            build(),
            "webgpu",
            s.device.jwk().clone(),
            NOW + 12,
            120,
        )
        .unwrap();
        assert_eq!(c.decision, Decision::Match);
        assert_eq!(c.scores.l2_distance_e6, Some(412_346));
        assert_eq!(c.scores.threshold_l2_e6, 600_000);
        let sim = c.scores.similarity_e6.unwrap();
        assert!(sim > 999_000 && sim <= 1_000_000, "{sim}");
        assert_eq!(c.liveness.passive_score_e6, 912_346);
        assert_eq!(c.liveness.frames_total, 212);
        assert_eq!(c.liveness.frames_with_face, 205);
        assert_eq!(c.liveness.backend, "webgpu");
        let acts: Vec<(Action, u32, u32)> = c
            .liveness
            .actions
            .iter()
            .map(|a| (a.action, a.start_ms, a.end_ms))
            .collect();
        assert_eq!(
            acts,
            vec![
                (Action::TurnLeft, 971, 1831),
                (Action::Blink, 1951, 2811),
                (Action::Nod, 2931, 3791)
            ]
        );
        assert_eq!((c.iat, c.exp), (NOW + 12, NOW + 132));
        assert_eq!(c.chal, challenge_hash(&ch.token));
        assert_eq!(c.nonce, ch.claims.nonce);
        // The signing input is header.payload with the canonical payload bytes.
        let input = proof_signing_input(&c);
        let (h, p) = input.split_once('.').unwrap();
        assert_eq!(b64::decode(p).unwrap(), payload_json(&c).into_bytes());
        assert_eq!(
            String::from_utf8(b64::decode(h).unwrap()).unwrap(),
            proof_header_json(s.device.jwk())
        );
        let token = webcrypto_like_sign(&s.device, &c);
        // The same bytes as the native signer's token, up to the signature.
        let native = s.device.sign_proof(&c).unwrap();
        assert_eq!(
            token.rsplit_once('.').unwrap().0,
            native.rsplit_once('.').unwrap().0
        );
        let v = verify_at(&token, &ch.token, &s.policy, NOW + 15).unwrap();
        assert_eq!(v.claims, c);
    }

    #[test]
    fn no_match_not_live_and_server_template() {
        let s = setup();
        let ch = challenge(&s, true);
        let template = ch.claims.reference.clone().unwrap();
        let reference = ReferenceInfo::for_server_template(&[3u8; 24], &template).unwrap();
        let claims_for = |result: &SessionResult| {
            let device_key = s.device.jwk().clone();
            ProofClaims::from_session(result, &ch, reference.clone(), build(), "wasm-simd", device_key, NOW + 12, 120)
                .unwrap()
        };
        // A different person: no_match, which the policy refuses as not_matched.
        let result = engine_result(&ch, ReferenceKind::ServerTemplate, 0.74);
        let c = claims_for(&result);
        assert_eq!(c.decision, Decision::NoMatch);
        assert_eq!(c.scores.l2_distance_e6, Some(740_000));
        let token = webcrypto_like_sign(&s.device, &c);
        assert_eq!(
            verify_at(&token, &ch.token, &s.policy, NOW + 15),
            Err(Rejection::NotMatched(Decision::NoMatch))
        );
        // Liveness failed before matching: null scores, passive score 0, and only the actions done before
        // the session failed (here the first; the second timed out).
        let mut failed = result.clone();
        failed.decision = Decision::NotLive;
        failed.failure = Some(FailureReason::NoFrames);
        failed.liveness.actions.truncate(1);
        failed.distance = None;
        failed.similarity = None;
        failed.liveness.passive_score = None;
        let c = claims_for(&failed);
        assert_eq!(
            (c.scores.l2_distance_e6, c.scores.similarity_e6),
            (None, None)
        );
        assert_eq!(c.liveness.passive_score_e6, 0);
        assert!(payload_json(&c).contains(
            r#""scores":{"l2_distance_e6":null,"similarity_e6":null,"threshold_l2_e6":600000}"#
        ));
        let token = webcrypto_like_sign(&s.device, &c);
        assert_eq!(
            verify_at(&token, &ch.token, &s.policy, NOW + 15),
            Err(Rejection::NotMatched(Decision::NotLive))
        );
        // The completed actions must still be the challenge's, in its order: a failed session that
        // claims an action the challenge did not ask for first is malformed.
        let mut wrong = failed.clone();
        wrong.liveness.actions = vec![result.liveness.actions[1].clone()];
        let c = claims_for(&wrong);
        let token = webcrypto_like_sign(&s.device, &c);
        assert!(matches!(
            verify_at(&token, &ch.token, &s.policy, NOW + 15),
            Err(Rejection::ActionsMismatch { .. })
        ));
        // The match case with the template verifies (digest recomputed by the verifier).
        let ok = engine_result(&ch, ReferenceKind::ServerTemplate, 0.3);
        let c = claims_for(&ok);
        let token = webcrypto_like_sign(&s.device, &c);
        verify_at(&token, &ch.token, &s.policy, NOW + 15).unwrap();
    }

    #[test]
    fn rounding_never_contradicts_the_engine_decision() {
        let s = setup();
        let ch = challenge(&s, false);
        let reference = ReferenceInfo::new(ReferenceKind::IdPhoto, &[1u8; 16], b"x").unwrap();
        // f32 distances right at and around the threshold.
        let t = matching::DEFAULT_MATCH_THRESHOLD;
        let mut d = t - 4e-6;
        while d < t + 4e-6 {
            let r = engine_result(&ch, ReferenceKind::IdPhoto, d);
            let c = ProofClaims::from_session(
                &r,
                &ch,
                reference.clone(),
                build(),
                "webgpu",
                s.device.jwk().clone(),
                NOW + 12,
                120,
            )
            .unwrap();
            let dist = c.scores.l2_distance_e6.unwrap();
            match r.decision {
                Decision::Match => assert!(dist < c.scores.threshold_l2_e6, "{d}"),
                _ => assert!(dist >= c.scores.threshold_l2_e6, "{d}"),
            }
            assert!(dist.abs_diff(e6(d)) <= 1);
            d = f32::from_bits(d.to_bits() + 1);
        }
    }

    #[test]
    fn inconsistent_inputs_are_refused() {
        let s = setup();
        let ch = challenge(&s, false);
        let photo = ReferenceInfo::new(ReferenceKind::IdPhoto, &[1u8; 16], b"x").unwrap();
        let r = engine_result(&ch, ReferenceKind::IdPhoto, 0.4);
        let jwk = s.device.jwk().clone();
        let go = |r: &SessionResult, reference: ReferenceInfo, backend: &str, ttl: i64| {
            ProofClaims::from_session(r, &ch, reference, build(), backend, jwk.clone(), NOW, ttl)
        };
        let mut other = r.clone();
        other.nonce = "AAAAAAAAAAAAAAAAAAAAAA".into();
        assert_eq!(
            go(&other, photo.clone(), "webgpu", 60),
            Err(ClaimsError::NonceMismatch)
        );
        let mut tmpl = photo.clone();
        tmpl.kind = ReferenceKind::ServerTemplate;
        assert!(matches!(
            go(&r, tmpl.clone(), "webgpu", 60),
            Err(ClaimsError::ReferenceKindMismatch { .. })
        ));
        let mut r_tmpl = r.clone();
        r_tmpl.reference_kind = ReferenceKind::ServerTemplate;
        assert_eq!(
            go(&r_tmpl, tmpl, "webgpu", 60),
            Err(ClaimsError::ReferenceNotInChallenge)
        );
        assert_eq!(go(&r, photo.clone(), "webgpu", 0), Err(ClaimsError::BadTtl));
        assert_eq!(go(&r, photo.clone(), "", 60), Err(ClaimsError::BadBackend));
        let mut no_scores = r.clone();
        no_scores.distance = None;
        assert_eq!(
            go(&no_scores, photo, "webgpu", 60),
            Err(ClaimsError::MissingScores(Decision::Match))
        );
        assert_eq!(
            ReferenceInfo::new(ReferenceKind::IdPhoto, &[0u8; 8], b"x"),
            Err(ClaimsError::BadSalt)
        );
        // A challenge claims object cannot be smuggled in: decode reads the token.
        assert!(matches!(
            IssuedChallenge::decode("e30.e30.AA"),
            Err(ClaimsError::Challenge(_))
        ));
    }

    #[test]
    fn assemble_refuses_wrong_signatures() {
        let s = setup();
        let ch = challenge(&s, false);
        let r = engine_result(&ch, ReferenceKind::IdPhoto, 0.4);
        let photo = ReferenceInfo::new(ReferenceKind::IdPhoto, &[1u8; 16], b"x").unwrap();
        let c = ProofClaims::from_session(
            &r,
            &ch,
            photo,
            build(),
            "webgpu",
            s.device.jwk().clone(),
            NOW,
            60,
        )
        .unwrap();
        let input = proof_signing_input(&c);
        let sig: Signature = s.device.signing_key().sign(input.as_bytes());
        // DER is not accepted: WebCrypto's raw r||s is.
        let der = sig.to_der();
        assert_eq!(
            assemble_proof(&c, der.as_bytes()),
            Err(TokenError::BadSignatureEncoding)
        );
        // Another key's signature does not verify against cnf.jwk.
        let other = DeviceKey::generate().unwrap();
        let bad: Signature = other.signing_key().sign(input.as_bytes());
        assert_eq!(
            assemble_proof(&c, &bad.to_bytes()),
            Err(TokenError::BadSignature)
        );
        // High-s (as WebCrypto emits half the time) is accepted.
        let low = sig.normalize_s().unwrap_or(sig);
        let (rr, ss) = low.split_scalars();
        let high = Signature::from_scalars(rr, -*ss).unwrap();
        assemble_proof(&c, &high.to_bytes()).unwrap();
    }
}
