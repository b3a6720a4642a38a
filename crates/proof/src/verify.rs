//! Verification: challenge, proof signature, binding, policy, replay.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::b64;
use crate::challenge::{challenge_hash, decode_template, reference_digest, validate_challenge};
use crate::claims::{
    Action, CHALLENGE_TYP, ChallengeClaims, Decision, E6, PROOF_TYP, ProofClaims, ReferenceKind,
};
use crate::jws::{self, Jwk, TrustedKeys};
use crate::policy::Policy;
use crate::rejection::Rejection;
use crate::store::{Binding, ReplayStore};

/// A proof that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedProof {
    pub claims: ProofClaims,
    pub challenge: ChallengeClaims,
    /// The device key that signed the proof.
    pub device_key: Jwk,
    /// Its RFC 7638 thumbprint.
    pub device_key_thumbprint: String,
}

/// Current unix time in seconds.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Verifies the challenge token alone: signature by a trusted server key, issuer, audience, shape, times.
pub fn verify_challenge_at(
    token: &str,
    policy: &Policy,
    now: i64,
) -> Result<ChallengeClaims, Rejection> {
    let c = jws::verify::<ChallengeClaims>(
        token,
        CHALLENGE_TYP,
        TrustedKeys::ByKid(&policy.challenge_keys),
    )
    .map_err(Rejection::Challenge)?
    .claims;
    if c.iss != policy.challenge_issuer {
        return Err(Rejection::ChallengeWrongIssuer {
            expected: policy.challenge_issuer.clone(),
        });
    }
    if c.aud != policy.audience {
        return Err(Rejection::ChallengeWrongAudience);
    }
    validate_challenge(&c)?;
    if c.iat > now.saturating_add(policy.clock_skew_s) {
        return Err(Rejection::ChallengeNotYetValid);
    }
    if now > c.exp.saturating_add(policy.clock_skew_s) {
        return Err(Rejection::ChallengeExpired);
    }
    Ok(c)
}

/// Stage 1: both signatures, and the proof's binding to this challenge.
///
/// A stateless host that keeps its own nonce store (e.g. the Node verifier,
/// `crates/wasm-verifier`) calls this, consumes `challenge.nonce` until
/// [`nonce_keep_until`], then calls [`check_policy_at`]: the same order as
/// [`verify_and_consume_at`].
pub fn verify_bound_at(
    proof: &str,
    challenge: &str,
    policy: &Policy,
    now: i64,
) -> Result<VerifiedProof, Rejection> {
    let ch = verify_challenge_at(challenge, policy, now)?;
    let v = jws::verify::<ProofClaims>(proof, PROOF_TYP, TrustedKeys::Embedded)
        .map_err(Rejection::Proof)?;
    if v.claims.cnf.jwk != v.key {
        return Err(Rejection::KeyMismatch);
    }
    if v.claims.chal != challenge_hash(challenge) {
        return Err(Rejection::ChallengeMismatch);
    }
    if v.claims.nonce != ch.nonce {
        return Err(Rejection::NonceMismatch);
    }
    let thumb = v.key.thumbprint();
    Ok(VerifiedProof {
        claims: v.claims,
        challenge: ch,
        device_key: v.key,
        device_key_thumbprint: thumb,
    })
}

/// How long a consumed nonce must be remembered (unix seconds): the challenge's
/// `exp` + clock skew + 60 s. After that the challenge itself is refused.
pub fn nonce_keep_until(vp: &VerifiedProof, policy: &Policy) -> i64 {
    vp.challenge
        .exp
        .saturating_add(policy.clock_skew_s)
        .saturating_add(60)
}

/// Stage 2: the policy, on a proof that passed [`verify_bound_at`].
pub fn check_policy_at(vp: &VerifiedProof, policy: &Policy, now: i64) -> Result<(), Rejection> {
    let p = &vp.claims;
    let ch = &vp.challenge;
    let skew = policy.clock_skew_s;

    // Audience and times.
    if p.aud != policy.audience || p.aud != ch.aud {
        return Err(Rejection::WrongAudience);
    }
    if p.iat > now.saturating_add(skew) {
        return Err(Rejection::NotYetValid);
    }
    if now > p.exp.saturating_add(skew) {
        return Err(Rejection::Expired);
    }
    if p.exp <= p.iat || p.exp.saturating_sub(p.iat) > policy.max_lifetime_s {
        return Err(Rejection::BadLifetime);
    }
    if now.saturating_sub(p.iat) > policy.max_age_s {
        return Err(Rejection::TooOld);
    }
    if p.iat < ch.iat.saturating_sub(skew) || p.iat > ch.exp.saturating_add(skew) {
        return Err(Rejection::IssuedOutsideChallenge);
    }

    // What ran.
    if !policy.module_allowed(&p.build.wasm_sha256) {
        return Err(Rejection::ModuleNotAllowed);
    }
    if p.build.models.is_empty() {
        return Err(Rejection::NoModels);
    }
    for m in &p.build.models {
        if !policy.model_allowed(&m.sha256) {
            return Err(Rejection::ModelNotAllowed {
                name: m.name.chars().take(64).collect(),
            });
        }
    }
    let l = &p.liveness;
    if l.backend.is_empty() || l.backend.len() > 64 {
        return Err(Rejection::EvidenceInconsistent("backend name"));
    }
    if !policy.allowed_backends.is_empty() && !policy.allowed_backends.contains(&l.backend) {
        return Err(Rejection::BackendNotAllowed(l.backend.clone()));
    }

    // Liveness evidence.
    if l.frames_total == 0 {
        return Err(Rejection::EvidenceInconsistent("no frames"));
    }
    if l.frames_with_face > l.frames_total {
        return Err(Rejection::EvidenceInconsistent(
            "more frames with a face than frames",
        ));
    }
    if i64::from(l.passive_score_e6) > E6 {
        return Err(Rejection::ScoreOutOfRange);
    }
    let expected: Vec<Action> = ch.actions.iter().map(|a| a.action).collect();
    let done: Vec<Action> = l.actions.iter().map(|a| a.action).collect();
    // A session that failed liveness proves the actions it completed before it failed: a prefix of the
    // challenge's, so that the service learns `not_live` rather than a malformed proof. Any other
    // decision needs every action, in order.
    let actions_consistent = if p.decision == Decision::NotLive {
        expected.starts_with(&done)
    } else {
        done == expected
    };
    if !actions_consistent {
        return Err(Rejection::ActionsMismatch { expected });
    }
    let mut prev_end: u32 = 0;
    for (ev, lim) in l.actions.iter().zip(&ch.actions) {
        if ev.end_ms < ev.start_ms {
            return Err(Rejection::TimingViolation("action ends before it starts"));
        }
        if ev.start_ms < prev_end {
            return Err(Rejection::TimingViolation(
                "actions overlap or are out of order",
            ));
        }
        let d = ev.end_ms - ev.start_ms;
        if d < policy.min_action_ms {
            return Err(Rejection::TimingViolation("action implausibly fast"));
        }
        if d > lim.limit_ms {
            return Err(Rejection::TimingViolation("action over its time limit"));
        }
        prev_end = ev.end_ms;
    }
    if prev_end > ch.session_limit_ms {
        return Err(Rejection::TimingViolation("session over its time limit"));
    }
    // The evidence cannot span more time than passed between challenge and proof.
    let elapsed_ms = (p.iat.saturating_sub(ch.iat).saturating_add(skew)).saturating_mul(1000);
    if i64::from(prev_end) > elapsed_ms {
        return Err(Rejection::TimingViolation(
            "evidence longer than the time since the challenge",
        ));
    }

    // Reference.
    let r = &p.reference;
    let salt = b64::decode(&r.salt).ok_or(Rejection::ReferenceMalformed)?;
    if salt.len() < 16 || salt.len() > 64 || b64::decode_array::<32>(&r.digest).is_none() {
        return Err(Rejection::ReferenceMalformed);
    }
    match (&ch.reference, r.kind) {
        (Some(t), ReferenceKind::ServerTemplate) => {
            let (bytes, _) =
                decode_template(t).ok_or(Rejection::ChallengeInvalid("reference template"))?;
            if reference_digest(&salt, &bytes) != r.digest {
                return Err(Rejection::ReferenceMismatch);
            }
        }
        (Some(_), _) | (None, ReferenceKind::ServerTemplate) => {
            return Err(Rejection::ReferenceKindMismatch);
        }
        (None, _) => {}
    }

    // Scores and decision, as the engine computes them (crates/liveness/src/matching.rs):
    // L2 distance, match ⇔ distance < threshold; similarity is a calibrated probability.
    let s = &p.scores;
    if s.threshold_l2_e6 == 0 || s.similarity_e6.is_some_and(|v| i64::from(v) > E6) {
        return Err(Rejection::ScoreOutOfRange);
    }
    match (p.decision, s.l2_distance_e6, s.similarity_e6) {
        (Decision::Match, Some(d), Some(_)) if d < s.threshold_l2_e6 => {}
        (Decision::NoMatch, Some(d), Some(_)) if d >= s.threshold_l2_e6 => {}
        // Liveness failed: matching may or may not have run.
        (Decision::NotLive, d, sim) if d.is_some() == sim.is_some() => {}
        _ => return Err(Rejection::DecisionInconsistent),
    }
    if s.threshold_l2_e6 > policy.max_threshold_l2_e6 {
        return Err(Rejection::ThresholdTooLoose);
    }
    if l.passive_score_e6 < policy.min_passive_score_e6 {
        return Err(Rejection::LivenessTooLow);
    }
    if p.decision != Decision::Match {
        return Err(Rejection::NotMatched(p.decision));
    }
    let too_far = matches!((policy.max_l2_distance_e6, s.l2_distance_e6), (Some(max), Some(d)) if d > max);
    if too_far || s.similarity_e6.unwrap_or(0) < policy.min_similarity_e6 {
        return Err(Rejection::MatchTooWeak);
    }

    if let Some(expected) = &policy.expected_device_key
        && *expected != vp.device_key_thumbprint
    {
        return Err(Rejection::DeviceKeyMismatch);
    }
    Ok(())
}

/// Verifies a proof against its challenge and the policy at time `now`, without replay protection.
pub fn verify_at(
    proof: &str,
    challenge: &str,
    policy: &Policy,
    now: i64,
) -> Result<VerifiedProof, Rejection> {
    let vp = verify_bound_at(proof, challenge, policy, now)?;
    check_policy_at(&vp, policy, now)?;
    Ok(vp)
}

/// [`verify_at`] with the current time.
pub fn verify(proof: &str, challenge: &str, policy: &Policy) -> Result<VerifiedProof, Rejection> {
    verify_at(proof, challenge, policy, now_unix())
}

/// Full verification with single-use nonces and device-key binding (TOFU per `sub`).
///
/// A challenge is good for **one signed attempt**: once the challenge verifies
/// and a correctly signed proof is bound to it, its nonce is consumed even if
/// a later policy check fails, so an attacker cannot retry variants against
/// the same challenge.
pub fn verify_and_consume_at(
    proof: &str,
    challenge: &str,
    policy: &Policy,
    store: &dyn ReplayStore,
    now: i64,
) -> Result<VerifiedProof, Rejection> {
    let vp = verify_bound_at(proof, challenge, policy, now)?;
    let keep_until = nonce_keep_until(&vp, policy);
    let first = store
        .consume_nonce(&vp.challenge.nonce, keep_until, now)
        .map_err(|e| Rejection::StoreUnavailable(e.to_string()))?;
    if !first {
        return Err(Rejection::Replay);
    }
    check_policy_at(&vp, policy, now)?;
    if let Some(sub) = &vp.challenge.sub {
        match store
            .bind_device(sub, &vp.device_key_thumbprint)
            .map_err(|e| Rejection::StoreUnavailable(e.to_string()))?
        {
            Binding::New | Binding::Same => {}
            Binding::Different => return Err(Rejection::DeviceKeyMismatch),
        }
    }
    Ok(vp)
}

/// [`verify_and_consume_at`] with the current time.
pub fn verify_and_consume(
    proof: &str,
    challenge: &str,
    policy: &Policy,
    store: &dyn ReplayStore,
) -> Result<VerifiedProof, Rejection> {
    verify_and_consume_at(proof, challenge, policy, store, now_unix())
}
