//! Service configuration (TOML; every field has a default).

use std::net::SocketAddr;
use std::path::PathBuf;

use faceproof_proof::Policy;
use serde::Deserialize;

/// Where nonces and device bindings live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    /// In-process only (tests; lost on restart, not shared).
    Memory,
    /// SQLite file (default): survives restarts.
    Sqlite(PathBuf),
    /// Redis URL: shared by several instances.
    Redis(String),
}

impl StoreConfig {
    /// Parses `memory`, `sqlite:PATH` or `redis://…`.
    pub fn parse(s: &str) -> Result<StoreConfig, String> {
        if s == "memory" {
            Ok(StoreConfig::Memory)
        } else if let Some(p) = s.strip_prefix("sqlite:") {
            Ok(StoreConfig::Sqlite(PathBuf::from(p)))
        } else if s.starts_with("redis://")
            || s.starts_with("rediss://")
            || s.starts_with("redis+unix://")
        {
            Ok(StoreConfig::Redis(s.to_string()))
        } else {
            Err(format!(
                "store must be memory, sqlite:PATH or redis://…, not {s:?}"
            ))
        }
    }
}

/// Failure rate limit (AWS guidance: at most 5 failures in 3 minutes, then a cool-down).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    pub max_failures: u32,
    pub window_s: u64,
    pub cooldown_s: u64,
    /// Bound on tracked keys (oldest state is dropped beyond it).
    pub max_tracked: usize,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            max_failures: 5,
            window_s: 180,
            cooldown_s: 180,
            max_tracked: 100_000,
        }
    }
}

/// The service configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub listen: SocketAddr,
    /// Static files for the demo (`www/`); `None` disables.
    pub www_dir: Option<PathBuf>,
    /// Send COOP/COEP headers so the page is cross-origin isolated (wasm threads).
    pub cross_origin_isolation: bool,
    /// PKCS#8 PEM challenge-signing key; generated (mode 0600) if absent.
    pub key_file: PathBuf,
    /// `memory`, `sqlite:PATH` or `redis://…`.
    pub store: String,
    /// Redis key prefix.
    pub redis_prefix: String,
    /// Largest accepted request body, bytes.
    pub body_limit_bytes: usize,
    pub challenge_ttl_s: i64,
    pub session_limit_ms: u32,
    pub action_limit_ms: u32,
    /// Actions challenges draw from and how many (default: all five, 2 to 4).
    pub challenge_actions: faceproof_proof::challenge::ActionPool,
    pub rate_limit: RateLimitConfig,
    /// Verification policy; `challenge_keys` gets the service key added.
    pub policy: Policy,
}

impl Default for Config {
    fn default() -> Self {
        let mut policy = Policy::new("http://127.0.0.1:8080", Vec::new());
        policy.allowed_models = vec![faceproof_proof::policy::ANY.into()];
        policy.allowed_modules = vec![faceproof_proof::policy::ANY.into()];
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            www_dir: Some(PathBuf::from("www")),
            cross_origin_isolation: true,
            key_file: PathBuf::from("faceproof-server-key.pem"),
            store: "sqlite:faceproof-replay.sqlite3".into(),
            redis_prefix: "faceproof:".into(),
            body_limit_bytes: 64 * 1024,
            challenge_ttl_s: faceproof_proof::challenge::DEFAULT_TTL_S,
            session_limit_ms: faceproof_proof::challenge::DEFAULT_SESSION_LIMIT_MS,
            action_limit_ms: faceproof_proof::challenge::DEFAULT_ACTION_LIMIT_MS,
            challenge_actions: Default::default(),
            rate_limit: RateLimitConfig::default(),
            policy,
        }
    }
}

impl Config {
    pub fn from_toml(text: &str) -> Result<Config, toml::de::Error> {
        toml::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example_parses() {
        let c = Config::from_toml(
            r#"
            listen = "127.0.0.1:8080"
            www_dir = "www"
            cross_origin_isolation = true
            key_file = "faceproof-server-key.pem"
            store = "sqlite:faceproof-replay.sqlite3"
            redis_prefix = "faceproof:"
            body_limit_bytes = 65536
            challenge_ttl_s = 180
            session_limit_ms = 60000
            action_limit_ms = 10000

            [challenge_actions]
            actions = ["blink", "turn_left", "turn_right"]
            min = 2
            max = 3
            required = ["blink"]

            [rate_limit]
            max_failures = 5
            window_s = 180
            cooldown_s = 180

            [policy]
            audience = "https://rp.example"
            max_threshold_l2_e6 = 600000
            allowed_models = ["aa"]
            allowed_modules = ["bb"]
            "#,
        )
        .unwrap();
        assert_eq!(c.rate_limit, RateLimitConfig::default());
        assert_eq!(c.challenge_actions.max, 3);
        assert!(c.challenge_actions.validate().is_ok());
        assert_eq!(c.policy.clock_skew_s, 30);
        assert!(c.policy.challenge_keys.is_empty());
        assert_eq!(
            StoreConfig::parse(&c.store).unwrap(),
            StoreConfig::Sqlite("faceproof-replay.sqlite3".into())
        );
        assert!(Config::from_toml("unknown = 1").is_err());
        assert!(StoreConfig::parse("postgres://x").is_err());
    }
}
