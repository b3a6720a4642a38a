//! SQLite replay store (rusqlite, bundled SQLite): one file, survives restarts,
//! safe for several processes on one host (WAL, busy timeout).

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use super::{Binding, ReplayStore, StoreError};

/// File-backed store.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    inserts: AtomicU32,
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(format!("sqlite: {e}"))
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS nonces (
                 nonce TEXT PRIMARY KEY,
                 keep_until INTEGER NOT NULL
             ) WITHOUT ROWID;
             CREATE INDEX IF NOT EXISTS nonces_keep_until ON nonces(keep_until);
             CREATE TABLE IF NOT EXISTS device_bindings (
                 subject TEXT PRIMARY KEY,
                 thumbprint TEXT NOT NULL
             ) WITHOUT ROWID;",
        )
        .map_err(err)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            inserts: AtomicU32::new(0),
        })
    }

    fn conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>, StoreError> {
        self.conn
            .lock()
            .map_err(|_| StoreError("sqlite store lock poisoned".into()))
    }
}

impl ReplayStore for SqliteStore {
    fn consume_nonce(&self, nonce: &str, keep_until: i64, now: i64) -> Result<bool, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(err)?;
        // Expired rows may be reused (their challenge can no longer verify anyway).
        tx.execute(
            "DELETE FROM nonces WHERE nonce = ?1 AND keep_until < ?2",
            params![nonce, now],
        )
        .map_err(err)?;
        let inserted = tx
            .execute(
                "INSERT OR IGNORE INTO nonces (nonce, keep_until) VALUES (?1, ?2)",
                params![nonce, keep_until],
            )
            .map_err(err)?;
        // Occasional garbage collection, bounded.
        if self
            .inserts
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(128)
        {
            tx.execute(
                "DELETE FROM nonces WHERE nonce IN
                   (SELECT nonce FROM nonces WHERE keep_until < ?1 LIMIT 256)",
                params![now],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(inserted == 1)
    }

    fn bind_device(&self, subject: &str, thumbprint: &str) -> Result<Binding, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(err)?;
        let inserted = tx
            .execute(
                "INSERT OR IGNORE INTO device_bindings (subject, thumbprint) VALUES (?1, ?2)",
                params![subject, thumbprint],
            )
            .map_err(err)?;
        let outcome = if inserted == 1 {
            Binding::New
        } else {
            let bound: Option<String> = tx
                .query_row(
                    "SELECT thumbprint FROM device_bindings WHERE subject = ?1",
                    params![subject],
                    |r| r.get(0),
                )
                .optional()
                .map_err(err)?;
            if bound.as_deref() == Some(thumbprint) {
                Binding::Same
            } else {
                Binding::Different
            }
        };
        tx.commit().map_err(err)?;
        Ok(outcome)
    }
}
