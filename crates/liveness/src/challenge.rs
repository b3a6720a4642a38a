//! The server-chosen challenge. The engine only runs challenges it is given and refuses malformed ones.
//!
//! The JSON shape is a subset of the signed challenge claims of `faceproof-proof` (`nonce`, `actions`,
//! `session_limit_ms`, `exp`), so the host can pass the verified claims object straight in; other top-level
//! members (`iss`, `aud`, `reference`, ...) are ignored here, but each action object is strict.

use serde::{Deserialize, Serialize};

/// Default overall session limit.
pub const DEFAULT_SESSION_LIMIT_MS: u32 = 60_000;
/// Longest session limit accepted (matches the proof crate's verifier).
pub const MAX_SESSION_LIMIT_MS: u32 = 600_000;
/// Allowed number of actions in one challenge.
pub const MIN_ACTIONS: usize = 2;
pub const MAX_ACTIONS: usize = 4;

/// A liveness action the user is asked to perform. Unknown names fail deserialisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Blink,
    /// Turn the head to the subject's own left (yaw > 0).
    TurnLeft,
    /// Turn the head to the subject's own right (yaw < 0).
    TurnRight,
    /// Chin down (pitch > 0) then back.
    Nod,
    /// Hold a frontal pose.
    LookStraight,
}

impl Action {
    /// Stable lowercase code (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            Action::Blink => "blink",
            Action::TurnLeft => "turn_left",
            Action::TurnRight => "turn_right",
            Action::Nod => "nod",
            Action::LookStraight => "look_straight",
        }
    }

    pub const ALL: [Action; 5] = [Action::Blink, Action::TurnLeft, Action::TurnRight, Action::Nod, Action::LookStraight];

    /// The action with this code, if any.
    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.code() == code)
    }
}

/// One challenged action and how long the user has for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeAction {
    pub action: Action,
    /// Longest allowed duration of this action, ms, counted from the moment it is asked for.
    pub limit_ms: u32,
}

/// Why a challenge is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChallengeError {
    #[error("challenge JSON is malformed: {0}")]
    Malformed(String),
    #[error("unknown action {0:?}")]
    UnknownAction(String),
    #[error("challenge must have {MIN_ACTIONS} to {MAX_ACTIONS} actions, got {0}")]
    ActionCount(usize),
    #[error("challenge repeats action {0:?}")]
    RepeatedAction(Action),
    #[error("action {action:?} has limit {limit_ms} ms; must be in 1..=session limit")]
    ActionLimit { action: Action, limit_ms: u32 },
    #[error("session limit {0} ms out of 1..={MAX_SESSION_LIMIT_MS}")]
    SessionLimit(u32),
    #[error("nonce must be non-empty base64url of at most 128 characters")]
    Nonce,
    #[error("challenge expired at {expires_at_unix_s} s, now is {now_unix_ms} ms")]
    Expired { expires_at_unix_s: i64, now_unix_ms: i64 },
}

/// A validated challenge. Construct with [`Challenge::new`], [`Challenge::from_json`] or serde (which validates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ChallengeWire", into = "ChallengeWire")]
pub struct Challenge {
    nonce: String,
    actions: Vec<ChallengeAction>,
    session_limit_ms: u32,
    expires_at_unix_s: i64,
}

#[derive(Serialize, Deserialize)]
struct ChallengeWire {
    nonce: String,
    actions: Vec<ChallengeActionWire>,
    #[serde(default = "default_session_limit_ms")]
    session_limit_ms: u32,
    /// Expiry, unix seconds (the `exp` claim).
    exp: i64,
}

/// Actions arrive as strings so that an unknown name becomes [`ChallengeError::UnknownAction`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChallengeActionWire {
    action: String,
    limit_ms: u32,
}

fn default_session_limit_ms() -> u32 {
    DEFAULT_SESSION_LIMIT_MS
}

impl TryFrom<ChallengeWire> for Challenge {
    type Error = ChallengeError;
    fn try_from(wire: ChallengeWire) -> Result<Self, Self::Error> {
        let actions = wire
            .actions
            .into_iter()
            .map(|step| {
                let action = Action::from_code(&step.action).ok_or(ChallengeError::UnknownAction(step.action))?;
                Ok(ChallengeAction { action, limit_ms: step.limit_ms })
            })
            .collect::<Result<Vec<_>, ChallengeError>>()?;
        Challenge::new(wire.nonce, actions, wire.session_limit_ms, wire.exp)
    }
}

impl From<Challenge> for ChallengeWire {
    fn from(challenge: Challenge) -> Self {
        ChallengeWire {
            nonce: challenge.nonce,
            actions: challenge
                .actions
                .into_iter()
                .map(|step| ChallengeActionWire { action: step.action.code().to_owned(), limit_ms: step.limit_ms })
                .collect(),
            session_limit_ms: challenge.session_limit_ms,
            exp: challenge.expires_at_unix_s,
        }
    }
}

impl Challenge {
    /// Checks the shape (not the expiry, which needs the clock: see [`Challenge::check_not_expired`]).
    pub fn new(
        nonce: String,
        actions: Vec<ChallengeAction>,
        session_limit_ms: u32,
        expires_at_unix_s: i64,
    ) -> Result<Self, ChallengeError> {
        let nonce_ok = !nonce.is_empty()
            && nonce.len() <= 128
            && nonce.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !nonce_ok {
            return Err(ChallengeError::Nonce);
        }
        if !(MIN_ACTIONS..=MAX_ACTIONS).contains(&actions.len()) {
            return Err(ChallengeError::ActionCount(actions.len()));
        }
        if session_limit_ms == 0 || session_limit_ms > MAX_SESSION_LIMIT_MS {
            return Err(ChallengeError::SessionLimit(session_limit_ms));
        }
        for (index, step) in actions.iter().enumerate() {
            // Distinct actions, as the proof crate's verifier requires.
            if actions[..index].iter().any(|earlier| earlier.action == step.action) {
                return Err(ChallengeError::RepeatedAction(step.action));
            }
            if step.limit_ms == 0 || step.limit_ms > session_limit_ms {
                return Err(ChallengeError::ActionLimit { action: step.action, limit_ms: step.limit_ms });
            }
        }
        Ok(Challenge { nonce, actions, session_limit_ms, expires_at_unix_s })
    }

    /// Parses and validates the challenge claims JSON.
    pub fn from_json(json: &str) -> Result<Self, ChallengeError> {
        let wire: ChallengeWire =
            serde_json::from_str(json).map_err(|error| ChallengeError::Malformed(error.to_string()))?;
        Challenge::try_from(wire)
    }

    pub fn check_not_expired(&self, now_unix_ms: i64) -> Result<(), ChallengeError> {
        if now_unix_ms >= self.expires_at_unix_s.saturating_mul(1000) {
            return Err(ChallengeError::Expired { expires_at_unix_s: self.expires_at_unix_s, now_unix_ms });
        }
        Ok(())
    }

    pub fn nonce(&self) -> &str {
        &self.nonce
    }
    pub fn actions(&self) -> &[ChallengeAction] {
        &self.actions
    }
    pub fn session_limit_ms(&self) -> u32 {
        self.session_limit_ms
    }
    pub fn expires_at_unix_s(&self) -> i64 {
        self.expires_at_unix_s
    }
}
