//! Redis replay store: several service instances share nonces and bindings.
//!
//! Nonce use is one atomic `SET key 1 NX EXAT keep_until` (Redis ≥ 6.2), so
//! two instances racing on one nonce cannot both win.

use std::sync::Mutex;
use std::time::Duration;

use super::{Binding, ReplayStore, StoreError};

/// Redis-backed store with one lazily (re)connected synchronous connection.
pub struct RedisStore {
    client: redis::Client,
    prefix: String,
    conn: Mutex<Option<redis::Connection>>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(format!("redis: {e}"))
}

const TIMEOUT: Duration = Duration::from_secs(2);

impl RedisStore {
    /// Connects to `url` (e.g. `redis://127.0.0.1:6379/0`); keys start with `prefix`.
    pub fn open(url: &str, prefix: impl Into<String>) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(err)?;
        let store = RedisStore {
            client,
            prefix: prefix.into(),
            conn: Mutex::new(None),
        };
        // Fail early if the server is unreachable.
        store.with_conn(|c| redis::cmd("PING").query::<String>(c))?;
        Ok(store)
    }

    fn connect(&self) -> Result<redis::Connection, StoreError> {
        let c = self
            .client
            .get_connection_with_timeout(TIMEOUT)
            .map_err(err)?;
        c.set_read_timeout(Some(TIMEOUT)).map_err(err)?;
        c.set_write_timeout(Some(TIMEOUT)).map_err(err)?;
        Ok(c)
    }

    fn with_conn<T>(
        &self,
        f: impl Fn(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Result<T, StoreError> {
        let mut guard = self
            .conn
            .lock()
            .map_err(|_| StoreError("redis store lock poisoned".into()))?;
        // One retry on a fresh connection (the old one may have been dropped by the server).
        for attempt in 0..2 {
            if guard.is_none() {
                *guard = Some(self.connect()?);
            }
            let Some(conn) = guard.as_mut() else {
                continue;
            };
            match f(conn) {
                Ok(v) => return Ok(v),
                Err(e) if attempt == 0 && (e.is_io_error() || e.is_connection_dropped()) => {
                    *guard = None;
                }
                Err(e) => {
                    *guard = None;
                    return Err(err(e));
                }
            }
        }
        Err(StoreError("redis: unreachable".into()))
    }
}

impl ReplayStore for RedisStore {
    fn consume_nonce(&self, nonce: &str, keep_until: i64, now: i64) -> Result<bool, StoreError> {
        let key = format!("{}nonce:{}", self.prefix, nonce);
        let until = keep_until.max(now + 1);
        let r: Option<String> = self.with_conn(|c| {
            redis::cmd("SET")
                .arg(&key)
                .arg(1)
                .arg("NX")
                .arg("EXAT")
                .arg(until)
                .query(c)
        })?;
        Ok(r.is_some())
    }

    fn bind_device(&self, subject: &str, thumbprint: &str) -> Result<Binding, StoreError> {
        let key = format!("{}device:{}", self.prefix, subject);
        let set: Option<String> = self.with_conn(|c| {
            redis::cmd("SET")
                .arg(&key)
                .arg(thumbprint)
                .arg("NX")
                .query(c)
        })?;
        if set.is_some() {
            return Ok(Binding::New);
        }
        let bound: Option<String> = self.with_conn(|c| redis::cmd("GET").arg(&key).query(c))?;
        Ok(if bound.as_deref() == Some(thumbprint) {
            Binding::Same
        } else {
            Binding::Different
        })
    }
}
