//! Replay store: single-use nonces and device-key bindings.
//!
//! Implementations: [`MemoryStore`] (tests, single process), `SqliteStore`
//! (embedded, file-backed, survives restarts; feature `sqlite`), `RedisStore`
//! (shared between service instances; feature `redis`). All pass the same
//! test suite (`tests/stores.rs`).

use std::collections::HashMap;
use std::sync::Mutex;

#[cfg(feature = "redis")]
mod redis_store;
#[cfg(feature = "sqlite")]
mod sqlite;

#[cfg(feature = "redis")]
pub use redis_store::RedisStore;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

/// A store that could not answer.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

/// Outcome of binding an account to a device key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// First use: the key is now bound.
    New,
    /// The account was already bound to this key.
    Same,
    /// The account is bound to another key.
    Different,
}

/// Single-use nonces and trust-on-first-use device binding.
pub trait ReplayStore: Send + Sync {
    /// Atomically marks `nonce` used, remembering it at least until
    /// `keep_until` (unix seconds). `Ok(true)`: first use; `Ok(false)`: replay.
    fn consume_nonce(&self, nonce: &str, keep_until: i64, now: i64) -> Result<bool, StoreError>;

    /// Binds `subject` to the device key `thumbprint` unless already bound.
    fn bind_device(&self, subject: &str, thumbprint: &str) -> Result<Binding, StoreError>;
}

/// In-process store (lost on restart).
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<MemoryInner>,
}

#[derive(Debug, Default)]
struct MemoryInner {
    nonces: HashMap<String, i64>,
    bindings: HashMap<String, String>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl ReplayStore for MemoryStore {
    fn consume_nonce(&self, nonce: &str, keep_until: i64, now: i64) -> Result<bool, StoreError> {
        let mut g = self
            .inner
            .lock()
            .map_err(|_| StoreError("memory store lock poisoned".into()))?;
        if g.nonces.len() > 100_000 {
            g.nonces.retain(|_, until| *until >= now);
        }
        if g.nonces.get(nonce).is_some_and(|until| *until >= now) {
            return Ok(false);
        }
        g.nonces.insert(nonce.to_string(), keep_until);
        Ok(true)
    }

    fn bind_device(&self, subject: &str, thumbprint: &str) -> Result<Binding, StoreError> {
        let mut g = self
            .inner
            .lock()
            .map_err(|_| StoreError("memory store lock poisoned".into()))?;
        Ok(match g.bindings.get(subject) {
            None => {
                g.bindings
                    .insert(subject.to_string(), thumbprint.to_string());
                Binding::New
            }
            Some(t) if t == thumbprint => Binding::Same,
            Some(_) => Binding::Different,
        })
    }
}
