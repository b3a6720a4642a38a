//! # faceproof-proof
//!
//! The server-signed **challenge** and the browser-signed **match proof** of
//! faceproof, both compact JWS (RFC 7515) with ES256 (RFC 7518), and their
//! strict verification against a [`Policy`], with typed [`Rejection`]s and a
//! [`ReplayStore`] for single-use nonces.
//!
//! ```text
//! server ── challenge JWS (kid = server key) ──▶ browser
//! browser ── {challenge, proof JWS (jwk = device key)} ──▶ server: verify_and_consume
//! ```
//!
//! In the browser, [`ProofClaims::from_session`] maps the liveness engine's
//! [`SessionResult`](faceproof_liveness::SessionResult) into claims,
//! [`proof_signing_input`] gives the bytes WebCrypto signs and
//! [`assemble_proof`] turns its raw `r || s` into the compact JWS.
//!
//! See `docs/proof.md` for the format, the policy, and what a proof does and
//! does not prove.

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod assemble;
pub mod b64;
pub mod challenge;
pub mod claims;
pub mod device;
pub mod json;
pub mod jws;
pub mod policy;
pub mod rejection;
pub mod store;
pub mod verify;

#[cfg(any(test, feature = "testkit"))]
pub mod testkit;

pub use assemble::{
    ClaimsError, assemble_proof, payload_json, proof_header_json, proof_signing_input,
};
pub use challenge::{ChallengeIssuer, ChallengeOptions, IssuedChallenge, challenge_hash};
pub use claims::*;
pub use device::DeviceKey;
pub use jws::{Jwk, MAX_TOKEN_LEN, TokenError};
pub use policy::Policy;
pub use rejection::{Rejection, RejectionBody};
pub use store::{Binding, MemoryStore, ReplayStore, StoreError};
pub use verify::{
    VerifiedProof, check_policy_at, nonce_keep_until, now_unix, verify, verify_and_consume,
    verify_and_consume_at, verify_at, verify_bound_at, verify_challenge_at,
};

/// The engine crate whose types the claims use (`SessionResult`, `Action`, …).
pub use faceproof_liveness as liveness;
