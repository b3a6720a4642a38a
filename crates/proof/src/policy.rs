//! What a relying party accepts. Loadable from TOML (`faceproof verify --policy`).

use serde::{Deserialize, Serialize};

use crate::jws::Jwk;

/// Allow-list wildcard: accepts any digest. For development only.
pub const ANY: &str = "*";

/// Verification policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Expected `aud` of challenge and proof (the relying party's origin).
    pub audience: String,
    /// Expected `iss` of challenges.
    #[serde(default = "default_issuer")]
    pub challenge_issuer: String,
    /// Public keys that may sign challenges (looked up by RFC 7638 thumbprint = `kid`).
    /// The service adds its own key; empty means no challenge verifies.
    #[serde(default)]
    pub challenge_keys: Vec<Jwk>,
    /// Tolerated clock difference, seconds.
    #[serde(default = "default_skew")]
    pub clock_skew_s: i64,
    /// Oldest acceptable proof `iat`, seconds before now.
    #[serde(default = "default_max_age")]
    pub max_age_s: i64,
    /// Longest acceptable proof lifetime `exp - iat`, seconds.
    #[serde(default = "default_max_lifetime")]
    pub max_lifetime_s: i64,
    /// Loosest acceptable engine L2 threshold (×10^6): the proof's
    /// `threshold_l2_e6` must not exceed it (default 600000, dlib's 0.6).
    #[serde(default = "default_max_threshold_l2")]
    pub max_threshold_l2_e6: u32,
    /// If set, the proof's L2 distance (×10^6) must be at most this (stricter than the engine's threshold).
    #[serde(default)]
    pub max_l2_distance_e6: Option<u32>,
    /// Lowest acceptable calibrated similarity (×10^6); 0 accepts any.
    #[serde(default)]
    pub min_similarity_e6: u32,
    /// Lowest acceptable passive liveness score (×10^6).
    #[serde(default)]
    pub min_passive_score_e6: u32,
    /// Shortest plausible duration of one action, ms.
    #[serde(default = "default_min_action")]
    pub min_action_ms: u32,
    /// Lowercase hex SHA-256 of every acceptable model file (`"*"`: any, development only).
    pub allowed_models: Vec<String>,
    /// Lowercase hex SHA-256 of every acceptable wasm module (`"*"`: any, development only).
    pub allowed_modules: Vec<String>,
    /// Acceptable `backend` values; empty accepts any.
    #[serde(default)]
    pub allowed_backends: Vec<String>,
    /// If set, the proof must be signed by this device key (RFC 7638 thumbprint).
    #[serde(default)]
    pub expected_device_key: Option<String>,
}

fn default_issuer() -> String {
    "faceproof".into()
}
fn default_skew() -> i64 {
    30
}
fn default_max_age() -> i64 {
    300
}
fn default_max_lifetime() -> i64 {
    600
}
fn default_max_threshold_l2() -> u32 {
    600_000
}
fn default_min_action() -> u32 {
    100
}

impl Policy {
    /// A policy with defaults for everything but what must be chosen.
    pub fn new(audience: impl Into<String>, challenge_keys: Vec<Jwk>) -> Policy {
        Policy {
            audience: audience.into(),
            challenge_issuer: default_issuer(),
            challenge_keys,
            clock_skew_s: default_skew(),
            max_age_s: default_max_age(),
            max_lifetime_s: default_max_lifetime(),
            max_threshold_l2_e6: default_max_threshold_l2(),
            max_l2_distance_e6: None,
            min_similarity_e6: 0,
            min_passive_score_e6: 0,
            min_action_ms: default_min_action(),
            allowed_models: Vec::new(),
            allowed_modules: Vec::new(),
            allowed_backends: Vec::new(),
            expected_device_key: None,
        }
    }

    /// Parses a TOML policy.
    #[cfg(feature = "policy-toml")]
    pub fn from_toml(text: &str) -> Result<Policy, toml::de::Error> {
        toml::from_str(text)
    }

    pub(crate) fn model_allowed(&self, sha256: &str) -> bool {
        allowed(&self.allowed_models, sha256)
    }

    pub(crate) fn module_allowed(&self, sha256: &str) -> bool {
        allowed(&self.allowed_modules, sha256)
    }
}

fn allowed(list: &[String], sha256: &str) -> bool {
    list.iter()
        .any(|a| a == ANY || (is_hex_sha256(sha256) && a == sha256))
}

/// Lowercase hex, 64 characters.
pub fn is_hex_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}
