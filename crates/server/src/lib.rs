//! # faceproof-server
//!
//! The verification service (`POST /v1/challenges`, `POST /v1/verifications`,
//! `GET /openapi.json`, static `www/`) and what the `faceproof` CLI needs.

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod app;
pub mod config;
pub mod ratelimit;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use faceproof_proof::store::{RedisStore, SqliteStore};
use faceproof_proof::{ChallengeIssuer, MemoryStore, ReplayStore};

pub use app::{AppState, router};
pub use config::{Config, StoreConfig};

/// Startup failures.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("key file {path}: {msg}")]
    Key { path: String, msg: String },
    #[error("store: {0}")]
    Store(String),
    #[error("listen on {addr}: {err}")]
    Listen {
        addr: SocketAddr,
        err: std::io::Error,
    },
    #[error("server: {0}")]
    Serve(std::io::Error),
}

/// Loads the PKCS#8 PEM key at `path`, or creates one there (mode 0600).
pub fn load_or_create_key(path: &Path, issuer: &str) -> Result<ChallengeIssuer, StartError> {
    let kerr = |msg: String| StartError::Key {
        path: path.display().to_string(),
        msg,
    };
    match std::fs::read_to_string(path) {
        Ok(pem) => ChallengeIssuer::from_pkcs8_pem(&pem, issuer).map_err(|e| kerr(e.to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let issuer = ChallengeIssuer::generate(issuer).map_err(|e| kerr(e.to_string()))?;
            let pem = issuer.to_pkcs8_pem().map_err(|e| kerr(e.to_string()))?;
            write_private(path, pem.as_bytes()).map_err(|e| kerr(e.to_string()))?;
            Ok(issuer)
        }
        Err(e) => Err(kerr(e.to_string())),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Opens the configured replay store.
pub fn open_store(
    cfg: &StoreConfig,
    redis_prefix: &str,
) -> Result<Arc<dyn ReplayStore>, StartError> {
    Ok(match cfg {
        StoreConfig::Memory => Arc::new(MemoryStore::new()),
        StoreConfig::Sqlite(p) => {
            Arc::new(SqliteStore::open(p).map_err(|e| StartError::Store(e.to_string()))?)
        }
        StoreConfig::Redis(u) => Arc::new(
            RedisStore::open(u, redis_prefix).map_err(|e| StartError::Store(e.to_string()))?,
        ),
    })
}

/// Builds the state for `config` (key loaded or created, store opened).
pub fn build_state(config: Config) -> Result<Arc<AppState>, StartError> {
    let issuer = load_or_create_key(&config.key_file, &config.policy.challenge_issuer)?;
    let store_cfg = StoreConfig::parse(&config.store).map_err(StartError::Store)?;
    let store = open_store(&store_cfg, &config.redis_prefix)?;
    Ok(state_with(issuer, store, config))
}

/// Builds the state from parts (tests).
pub fn state_with(
    issuer: ChallengeIssuer,
    store: Arc<dyn ReplayStore>,
    config: Config,
) -> Arc<AppState> {
    let mut policy = config.policy.clone();
    if !policy.challenge_keys.contains(issuer.public_jwk()) {
        policy.challenge_keys.push(issuer.public_jwk().clone());
    }
    policy.challenge_issuer = issuer.issuer().to_string();
    Arc::new(AppState {
        limiter: ratelimit::RateLimiter::new(config.rate_limit.clone()),
        issuer,
        policy,
        store,
        config,
    })
}

/// Serves on an already bound listener until `shutdown` resolves, then drains in-flight requests.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(StartError::Serve)
}

/// Resolves on SIGTERM or ctrl-c.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
