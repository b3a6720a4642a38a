//! Typed reasons a proof is refused.

use serde::Serialize;

use crate::claims::{Action, Decision};
use crate::jws::TokenError;

/// Why a verification was refused. [`Rejection::code`] is stable and machine-readable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("challenge token refused: {0}")]
    Challenge(TokenError),
    #[error("proof token refused: {0}")]
    Proof(TokenError),

    #[error("challenge was not issued by {expected:?}")]
    ChallengeWrongIssuer { expected: String },
    #[error("challenge audience is not this relying party")]
    ChallengeWrongAudience,
    #[error("challenge has expired")]
    ChallengeExpired,
    #[error("challenge is not valid yet")]
    ChallengeNotYetValid,
    #[error("challenge is malformed: {0}")]
    ChallengeInvalid(&'static str),

    #[error("proof cnf.jwk differs from the header jwk that signed it")]
    KeyMismatch,
    #[error("proof is bound to a different challenge token")]
    ChallengeMismatch,
    #[error("proof nonce is not the challenge nonce")]
    NonceMismatch,
    #[error("proof audience is not this relying party")]
    WrongAudience,
    #[error("proof has expired")]
    Expired,
    #[error("proof is issued in the future")]
    NotYetValid,
    #[error("proof is older than the policy's max age")]
    TooOld,
    #[error("proof lifetime (exp - iat) is not positive or exceeds the policy")]
    BadLifetime,
    #[error("proof was issued outside its challenge's validity window")]
    IssuedOutsideChallenge,

    #[error("wasm module digest is not allowed")]
    ModuleNotAllowed,
    #[error("model {name:?} digest is not allowed")]
    ModelNotAllowed { name: String },
    #[error("no model digests listed")]
    NoModels,
    #[error("backend {0:?} is not allowed")]
    BackendNotAllowed(String),

    #[error("actions performed are not those challenged (expected {expected:?})")]
    ActionsMismatch { expected: Vec<Action> },
    #[error("timing violation: {0}")]
    TimingViolation(&'static str),
    #[error("evidence is inconsistent: {0}")]
    EvidenceInconsistent(&'static str),

    #[error("reference kind does not fit the challenge")]
    ReferenceKindMismatch,
    #[error("reference digest does not match the challenged template")]
    ReferenceMismatch,
    #[error("reference salt or digest is malformed")]
    ReferenceMalformed,

    #[error("score out of range")]
    ScoreOutOfRange,
    #[error("decision contradicts the scores")]
    DecisionInconsistent,
    #[error("engine L2 threshold is looser than the policy allows")]
    ThresholdTooLoose,
    #[error("match is weaker than the policy requires (distance above its maximum or similarity below its minimum)")]
    MatchTooWeak,
    #[error("passive liveness score is below the policy minimum")]
    LivenessTooLow,
    #[error("decision is {0:?}, not match")]
    NotMatched(Decision),

    #[error("device key is not the one expected for this account")]
    DeviceKeyMismatch,
    #[error("nonce already used")]
    Replay,
    #[error("replay store unavailable: {0}")]
    StoreUnavailable(String),
}

impl Rejection {
    /// Stable code, e.g. `proof.bad_signature`, `replay`.
    pub fn code(&self) -> String {
        match self {
            Rejection::Challenge(t) => format!("challenge.{}", t.code()),
            Rejection::Proof(t) => format!("proof.{}", t.code()),
            other => other.simple_code().to_string(),
        }
    }

    fn simple_code(&self) -> &'static str {
        match self {
            Rejection::Challenge(_) | Rejection::Proof(_) => "token",
            Rejection::ChallengeWrongIssuer { .. } => "challenge_wrong_issuer",
            Rejection::ChallengeWrongAudience => "challenge_wrong_audience",
            Rejection::ChallengeExpired => "challenge_expired",
            Rejection::ChallengeNotYetValid => "challenge_not_yet_valid",
            Rejection::ChallengeInvalid(_) => "challenge_invalid",
            Rejection::KeyMismatch => "key_mismatch",
            Rejection::ChallengeMismatch => "challenge_mismatch",
            Rejection::NonceMismatch => "nonce_mismatch",
            Rejection::WrongAudience => "wrong_audience",
            Rejection::Expired => "expired",
            Rejection::NotYetValid => "not_yet_valid",
            Rejection::TooOld => "too_old",
            Rejection::BadLifetime => "bad_lifetime",
            Rejection::IssuedOutsideChallenge => "issued_outside_challenge",
            Rejection::ModuleNotAllowed => "module_not_allowed",
            Rejection::ModelNotAllowed { .. } => "model_not_allowed",
            Rejection::NoModels => "no_models",
            Rejection::BackendNotAllowed(_) => "backend_not_allowed",
            Rejection::ActionsMismatch { .. } => "actions_mismatch",
            Rejection::TimingViolation(_) => "timing_violation",
            Rejection::EvidenceInconsistent(_) => "evidence_inconsistent",
            Rejection::ReferenceKindMismatch => "reference_kind_mismatch",
            Rejection::ReferenceMismatch => "reference_mismatch",
            Rejection::ReferenceMalformed => "reference_malformed",
            Rejection::ScoreOutOfRange => "score_out_of_range",
            Rejection::DecisionInconsistent => "decision_inconsistent",
            Rejection::ThresholdTooLoose => "threshold_too_loose",
            Rejection::MatchTooWeak => "match_too_weak",
            Rejection::LivenessTooLow => "liveness_too_low",
            Rejection::NotMatched(_) => "not_matched",
            Rejection::DeviceKeyMismatch => "device_key_mismatch",
            Rejection::Replay => "replay",
            Rejection::StoreUnavailable(_) => "store_unavailable",
        }
    }

    /// Whether this is the service's fault rather than the caller's.
    pub fn is_internal(&self) -> bool {
        matches!(self, Rejection::StoreUnavailable(_))
    }
}

/// JSON shape of a rejection (`{"code": ..., "message": ...}`).
#[derive(Debug, Clone, Serialize)]
pub struct RejectionBody {
    pub code: String,
    pub message: String,
}

impl From<&Rejection> for RejectionBody {
    fn from(r: &Rejection) -> Self {
        RejectionBody {
            code: r.code(),
            message: r.to_string(),
        }
    }
}
