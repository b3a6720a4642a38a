//! The claims that are signed: the server's challenge and the browser's proof.
//!
//! # Deterministic encoding
//! Payloads are serialised by `serde_json` in struct-declaration order with no
//! whitespace, and verification *requires* that exact encoding (re-serialising
//! the parsed claims must give back the signed bytes). Every optional member is
//! always present (`null` when absent). There are **no floating-point
//! numbers**: scores are fixed-point integers scaled by 10^6 (`*_e6`, e.g. an
//! L2 distance of 0.412345 → `412345`), times are integer seconds (`iat`,
//! `exp`) or milliseconds (`*_ms`). Integers and strings print identically in
//! `serde_json` and JavaScript's `JSON.stringify`, so a browser that builds the
//! object with keys in this order produces the same bytes
//! (`www/sdk/webcrypto-sign.mjs` does).
//!
//! Nothing here is a pixel, an embedding or personal data: the reference is
//! represented only by its kind and a salted SHA-256 digest.
//!
//! The enums [`Action`], [`ChallengeAction`], [`Decision`] and
//! [`ReferenceKind`] are the liveness engine's own types
//! (`faceproof-liveness`), so the claims carry exactly what the engine
//! produces; [`ProofClaims::from_session`](crate::assemble) maps a
//! [`faceproof_liveness::SessionResult`] into claims.

use serde::{Deserialize, Serialize};

use crate::jws::Jwk;

/// The engine's types, used as-is in the claims (serde names are snake_case:
/// `blink`, `turn_left`, …; `match`, `no_match`, `not_live`; `id_photo`,
/// `server_template`).
pub use faceproof_liveness::{Action, ChallengeAction, Decision, ReferenceKind};

/// `typ` of a proof token: format and version.
pub const PROOF_TYP: &str = "faceproof-proof-v1+jwt";
/// `typ` of a challenge token: format and version.
pub const CHALLENGE_TYP: &str = "faceproof-challenge-v1+jwt";

/// Fixed-point scale of every `*_e6` value.
pub const E6: i64 = 1_000_000;

/// A reference template carried in the challenge (server-side enrolment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceTemplate {
    /// Number of dimensions: always 128.
    pub dim: u32,
    /// base64url of `dim` little-endian IEEE-754 f32 values.
    pub f32le: String,
}

/// The server-signed challenge (header `kid` = RFC 7638 thumbprint of the server key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeClaims {
    /// The issuing service.
    pub iss: String,
    /// The relying party's origin.
    pub aud: String,
    /// Optional account identifier (enables device-key binding on first use).
    pub sub: Option<String>,
    pub iat: i64,
    pub exp: i64,
    /// 128 random bits, base64url (22 characters).
    pub nonce: String,
    /// 2–4 distinct actions, to be performed in this order.
    pub actions: Vec<ChallengeAction>,
    /// The whole capture must fit in this many ms.
    pub session_limit_ms: u32,
    pub reference: Option<ReferenceTemplate>,
}

/// The match scores exactly as the engine computed them (`faceproof_liveness::matching`),
/// fixed-point ×10^6.
///
/// The engine compares 128-D dlib embeddings by **L2 distance** and decides
/// `match` when `distance < threshold`; `similarity` is its calibrated
/// same-person probability in [0, 1] (a logistic curve in the distance), a
/// readable score, not the decision. `l2_distance_e6` and `similarity_e6` are
/// `null` when liveness failed before matching (`decision = not_live`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    /// L2 distance between the fused live probe and the reference, ×10^6.
    pub l2_distance_e6: Option<u32>,
    /// Calibrated similarity in [0, 10^6].
    pub similarity_e6: Option<u32>,
    /// The engine's L2 threshold, ×10^6 (dlib's 0.6 → `600000`): `match` ⇔ distance < threshold.
    pub threshold_l2_e6: u32,
}

/// One completed action, in ms since the capture session started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionEvidence {
    pub action: Action,
    pub start_ms: u32,
    pub end_ms: u32,
}

/// What the liveness engine observed, summarised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LivenessSummary {
    /// Actions completed, in order.
    pub actions: Vec<ActionEvidence>,
    /// Passive (anti-spoof) liveness score ×10^6 in [0, 10^6].
    pub passive_score_e6: u32,
    pub frames_total: u32,
    pub frames_with_face: u32,
    /// Which backend ran the models, e.g. `webgpu`, `wasm-simd`, `native`.
    pub backend: String,
}

/// The reference, identified only by kind and a salted digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceInfo {
    pub kind: ReferenceKind,
    /// ≥ 16 random bytes, base64url.
    pub salt: String,
    /// base64url(SHA-256(salt bytes || reference bytes)); for a
    /// `server_template` the reference bytes are the decoded `f32le` bytes of
    /// the challenge's `reference`.
    pub digest: String,
}

/// A model file that ran, by SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelDigest {
    pub name: String,
    /// Lowercase hex SHA-256 of the model file.
    pub sha256: String,
}

/// What code and models produced the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildInfo {
    pub module_version: String,
    /// Lowercase hex SHA-256 of the wasm module.
    pub wasm_sha256: String,
    pub models: Vec<ModelDigest>,
}

/// Proof-of-possession confirmation (RFC 7800): the device key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    pub jwk: Jwk,
}

/// The signed match proof (device key in header `jwk`, repeated in `cnf`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofClaims {
    /// Must equal the challenge's `aud`.
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    /// The challenge's nonce.
    pub nonce: String,
    /// base64url(SHA-256(ASCII of the compact challenge token)).
    pub chal: String,
    pub decision: Decision,
    pub scores: Scores,
    pub liveness: LivenessSummary,
    pub reference: ReferenceInfo,
    pub build: BuildInfo,
    pub cnf: Confirmation,
}
