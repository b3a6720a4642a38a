//! Issuing challenges (server side) and checking their shape.

use p256::ecdsa::SigningKey;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rand_core::RngCore;
use sha2::{Digest, Sha256};

use crate::b64;
use crate::claims::{Action, CHALLENGE_TYP, ChallengeAction, ChallengeClaims, ReferenceTemplate};
use crate::jws::{self, Jwk, KeyRef};
use crate::rejection::Rejection;

/// Template dimension carried in a challenge.
pub const TEMPLATE_DIM: usize = 128;
/// Default challenge lifetime, seconds.
pub const DEFAULT_TTL_S: i64 = 180;
/// Default session limit, ms.
pub const DEFAULT_SESSION_LIMIT_MS: u32 = 60_000;
/// Default per-action limit, ms.
pub const DEFAULT_ACTION_LIMIT_MS: u32 = 10_000;
/// Longest challenge lifetime a verifier accepts, seconds.
pub const MAX_TTL_S: i64 = 3_600;
/// Longest session limit a verifier accepts, ms.
pub const MAX_SESSION_LIMIT_MS: u32 = 600_000;

/// Errors while issuing a challenge or handling the server key.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("operating-system RNG failed: {0}")]
    Rng(String),
    #[error("reference template must be {TEMPLATE_DIM} finite values")]
    BadTemplate,
    #[error("invalid challenge options: {0}")]
    BadOptions(&'static str),
    #[error("serialisation failed: {0}")]
    Json(#[from] serde_json::Error),
    #[error("server key: {0}")]
    Key(String),
}

/// What to put in a challenge.
#[derive(Debug, Clone)]
pub struct ChallengeOptions {
    pub audience: String,
    pub subject: Option<String>,
    pub ttl_s: i64,
    pub session_limit_ms: u32,
    pub action_limit_ms: u32,
    /// Fixed actions (tests); `None` draws from `action_pool`.
    pub actions: Option<Vec<Action>>,
    /// The actions a challenge may ask for, and how many it asks (distinct, random order).
    pub action_pool: ActionPool,
    pub reference: Option<Vec<f32>>,
}

impl ChallengeOptions {
    pub fn new(audience: impl Into<String>) -> Self {
        ChallengeOptions {
            audience: audience.into(),
            subject: None,
            ttl_s: DEFAULT_TTL_S,
            session_limit_ms: DEFAULT_SESSION_LIMIT_MS,
            action_limit_ms: DEFAULT_ACTION_LIMIT_MS,
            actions: None,
            action_pool: ActionPool::default(),
            reference: None,
        }
    }
}

/// Which actions challenges draw from and how many: a relying party may require, say, only blinks and
/// head turns (China's real-name video check), or exclude a nod its users find hard.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionPool {
    pub actions: Vec<Action>,
    pub min: usize,
    pub max: usize,
    /// Actions every challenge includes (at a random position), e.g. `blink`: a printed photo can be
    /// tilted to fake a nod or a turn, but it cannot blink. Must be in `actions`.
    #[serde(default)]
    pub required: Vec<Action>,
}

impl Default for ActionPool {
    /// Every action, 2 to 4 per challenge.
    fn default() -> Self {
        ActionPool { actions: Action::ALL.to_vec(), min: 2, max: 4, required: Vec::new() }
    }
}

impl ActionPool {
    /// Distinct actions, 2 ≤ min ≤ max ≤ min(4, pool size) (the engine's and verifier's bounds), and the
    /// required actions, distinct, drawn from the pool, no more than `min`.
    pub fn validate(&self) -> Result<(), IssueError> {
        let distinct = |list: &[Action]| list.iter().enumerate().all(|(i, a)| !list[..i].contains(a));
        let required_ok = distinct(&self.required)
            && self.required.len() <= self.min
            && self.required.iter().all(|a| self.actions.contains(a));
        if !distinct(&self.actions)
            || !required_ok
            || self.min < 2
            || self.min > self.max
            || self.max > self.actions.len().min(4)
        {
            return Err(IssueError::BadOptions("action_pool"));
        }
        Ok(())
    }

    /// `min..=max` distinct actions from the pool, the required ones always among them, in random order.
    pub fn draw(&self) -> Result<Vec<Action>, IssueError> {
        self.validate()?;
        let shuffle = |list: &mut Vec<Action>| -> Result<(), IssueError> {
            // Fisher–Yates.
            for i in (1..list.len()).rev() {
                let j = random_below((i + 1) as u8)? as usize;
                list.swap(i, j);
            }
            Ok(())
        };
        let mut optional: Vec<Action> =
            self.actions.iter().copied().filter(|a| !self.required.contains(a)).collect();
        shuffle(&mut optional)?;
        let count = self.min + random_below((self.max - self.min + 1) as u8)? as usize;
        let mut drawn = self.required.clone();
        drawn.extend(optional.into_iter().take(count - self.required.len()));
        shuffle(&mut drawn)?;
        Ok(drawn)
    }
}

/// An issued challenge: the compact token and its claims.
#[derive(Debug, Clone)]
pub struct IssuedChallenge {
    pub token: String,
    pub claims: ChallengeClaims,
}

/// The server's challenge-signing identity.
pub struct ChallengeIssuer {
    key: SigningKey,
    jwk: Jwk,
    kid: String,
    issuer: String,
}

impl std::fmt::Debug for ChallengeIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChallengeIssuer")
            .field("kid", &self.kid)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl ChallengeIssuer {
    /// Wraps an existing key.
    pub fn new(key: SigningKey, issuer: impl Into<String>) -> Self {
        let jwk = jws::public_jwk(&key);
        let kid = jwk.thumbprint();
        ChallengeIssuer {
            key,
            jwk,
            kid,
            issuer: issuer.into(),
        }
    }

    /// A fresh random key.
    pub fn generate(issuer: impl Into<String>) -> Result<Self, IssueError> {
        let key = jws::generate_key().map_err(|e| IssueError::Rng(e.to_string()))?;
        Ok(Self::new(key, issuer))
    }

    /// Loads a PKCS#8 PEM private key.
    pub fn from_pkcs8_pem(pem: &str, issuer: impl Into<String>) -> Result<Self, IssueError> {
        let key = SigningKey::from_pkcs8_pem(pem).map_err(|e| IssueError::Key(e.to_string()))?;
        Ok(Self::new(key, issuer))
    }

    /// The private key as PKCS#8 PEM (store with mode 0600).
    pub fn to_pkcs8_pem(&self) -> Result<String, IssueError> {
        self.key
            .to_pkcs8_pem(LineEnding::LF)
            .map(|z| z.to_string())
            .map_err(|e| IssueError::Key(e.to_string()))
    }

    /// The public key that verifiers put in `Policy::challenge_keys`.
    pub fn public_jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// The `kid` (RFC 7638 thumbprint).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The private key (tests build hostile challenges with it).
    #[cfg(any(test, feature = "testkit"))]
    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// Issues a signed challenge at time `now` (unix seconds).
    pub fn issue(&self, opts: &ChallengeOptions, now: i64) -> Result<IssuedChallenge, IssueError> {
        if opts.ttl_s <= 0 || opts.ttl_s > MAX_TTL_S {
            return Err(IssueError::BadOptions("ttl_s"));
        }
        if opts.session_limit_ms == 0 || opts.session_limit_ms > MAX_SESSION_LIMIT_MS {
            return Err(IssueError::BadOptions("session_limit_ms"));
        }
        if opts.action_limit_ms == 0 || opts.action_limit_ms > opts.session_limit_ms {
            return Err(IssueError::BadOptions("action_limit_ms"));
        }
        let mut nonce = [0u8; 16];
        rand_core::OsRng
            .try_fill_bytes(&mut nonce)
            .map_err(|e| IssueError::Rng(e.to_string()))?;
        let actions = match &opts.actions {
            Some(a) => a.clone(),
            None => opts.action_pool.draw()?,
        };
        let reference = match &opts.reference {
            None => None,
            Some(t) => Some(encode_template(t)?),
        };
        let claims = ChallengeClaims {
            iss: self.issuer.clone(),
            aud: opts.audience.clone(),
            sub: opts.subject.clone(),
            iat: now,
            exp: now + opts.ttl_s,
            nonce: b64::encode(&nonce),
            actions: actions
                .into_iter()
                .map(|action| ChallengeAction {
                    action,
                    limit_ms: opts.action_limit_ms,
                })
                .collect(),
            session_limit_ms: opts.session_limit_ms,
            reference,
        };
        validate_challenge(&claims).map_err(|_| IssueError::BadOptions("actions"))?;
        let token = jws::sign(&claims, CHALLENGE_TYP, KeyRef::Kid(&self.kid), &self.key)?;
        Ok(IssuedChallenge { token, claims })
    }
}

fn random_below(n: u8) -> Result<u8, IssueError> {
    // Rejection sampling: no modulo bias.
    let zone = u8::MAX - (u8::MAX % n);
    loop {
        let mut b = [0u8; 1];
        rand_core::OsRng
            .try_fill_bytes(&mut b)
            .map_err(|e| IssueError::Rng(e.to_string()))?;
        if b[0] < zone {
            return Ok(b[0] % n);
        }
    }
}

/// 2–4 distinct actions of all five, in random order.
pub fn random_actions() -> Result<Vec<Action>, IssueError> {
    ActionPool::default().draw()
}

/// Encodes a 128-D template as a challenge reference.
pub fn encode_template(t: &[f32]) -> Result<ReferenceTemplate, IssueError> {
    if t.len() != TEMPLATE_DIM || !t.iter().all(|v| v.is_finite()) {
        return Err(IssueError::BadTemplate);
    }
    let bytes: Vec<u8> = t.iter().flat_map(|v| v.to_le_bytes()).collect();
    Ok(ReferenceTemplate {
        dim: TEMPLATE_DIM as u32,
        f32le: b64::encode(&bytes),
    })
}

/// Decodes a challenge reference to its raw bytes and values.
pub fn decode_template(r: &ReferenceTemplate) -> Option<(Vec<u8>, Vec<f32>)> {
    if r.dim as usize != TEMPLATE_DIM {
        return None;
    }
    let bytes = b64::decode(&r.f32le)?;
    if bytes.len() != TEMPLATE_DIM * 4 {
        return None;
    }
    let values: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    if !values.iter().all(|v| v.is_finite()) {
        return None;
    }
    Some((bytes, values))
}

/// Shape checks on challenge claims (signature and times are checked elsewhere).
pub fn validate_challenge(c: &ChallengeClaims) -> Result<(), Rejection> {
    if b64::decode_array::<16>(&c.nonce).is_none() {
        return Err(Rejection::ChallengeInvalid(
            "nonce must be 16 bytes, base64url",
        ));
    }
    if !(2..=4).contains(&c.actions.len()) {
        return Err(Rejection::ChallengeInvalid("2 to 4 actions"));
    }
    for (i, a) in c.actions.iter().enumerate() {
        if c.actions.iter().skip(i + 1).any(|b| b.action == a.action) {
            return Err(Rejection::ChallengeInvalid("actions must be distinct"));
        }
        if a.limit_ms == 0 || a.limit_ms > c.session_limit_ms {
            return Err(Rejection::ChallengeInvalid("action limit"));
        }
    }
    if c.session_limit_ms == 0 || c.session_limit_ms > MAX_SESSION_LIMIT_MS {
        return Err(Rejection::ChallengeInvalid("session limit"));
    }
    if c.exp <= c.iat || c.exp - c.iat > MAX_TTL_S {
        return Err(Rejection::ChallengeInvalid("lifetime"));
    }
    if let Some(r) = &c.reference
        && decode_template(r).is_none()
    {
        return Err(Rejection::ChallengeInvalid("reference template"));
    }
    if let Some(s) = &c.sub
        && (s.is_empty() || s.len() > 256)
    {
        return Err(Rejection::ChallengeInvalid("sub"));
    }
    Ok(())
}

/// `chal` claim value: base64url(SHA-256(ASCII of the compact challenge token)).
pub fn challenge_hash(token: &str) -> String {
    b64::encode(&Sha256::digest(token.as_bytes()))
}

/// `reference.digest` value: base64url(SHA-256(salt || reference bytes)).
pub fn reference_digest(salt: &[u8], reference: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(reference);
    b64::encode(&h.finalize())
}

#[cfg(test)]
mod action_pool_tests {
    use super::*;

    #[test]
    fn draws_stay_in_the_pool_and_the_count_range() {
        let pool = ActionPool {
            actions: vec![Action::Blink, Action::TurnLeft, Action::TurnRight, Action::Nod],
            min: 2,
            max: 3,
            required: vec![Action::Blink],
        };
        let mut blink_first = 0;
        let mut counts = [0usize; 4];
        for _ in 0..300 {
            let drawn = pool.draw().unwrap();
            counts[drawn.len()] += 1;
            assert!(drawn.iter().all(|a| pool.actions.contains(a)));
            assert!(drawn.iter().enumerate().all(|(i, a)| !drawn[..i].contains(a)));
            assert!(drawn.contains(&Action::Blink), "blink is required: {drawn:?}");
            blink_first += usize::from(drawn[0] == Action::Blink);
        }
        assert!(counts[2] > 0 && counts[3] > 0, "{counts:?}");
        // The required action's position is random too (not always first).
        assert!(blink_first > 30 && blink_first < 270, "blink first in {blink_first}/300");
        let both = ActionPool { actions: vec![Action::Blink, Action::LookStraight], min: 2, max: 2, required: vec![] };
        let drawn = both.draw().unwrap();
        assert_eq!(drawn.len(), 2);
        assert!(drawn.contains(&Action::Blink) && drawn.contains(&Action::LookStraight));
    }

    #[test]
    fn impossible_pools_are_refused() {
        let pool = |actions: Vec<Action>, min, max, required| ActionPool { actions, min, max, required };
        for bad in [
            pool(vec![Action::Blink], 2, 2, vec![]),
            pool(vec![Action::Blink, Action::Blink], 2, 2, vec![]),
            pool(Action::ALL.to_vec(), 3, 2, vec![]),
            pool(Action::ALL.to_vec(), 2, 5, vec![]),
            pool(Action::ALL.to_vec(), 1, 2, vec![]),
            pool(vec![Action::TurnLeft, Action::Nod], 2, 2, vec![Action::Blink]),
            pool(Action::ALL.to_vec(), 2, 3, vec![Action::Blink, Action::Nod, Action::TurnLeft]),
        ] {
            assert!(matches!(bad.validate(), Err(IssueError::BadOptions("action_pool"))), "{bad:?}");
        }
    }
}
