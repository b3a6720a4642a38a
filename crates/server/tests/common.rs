//! Shared helpers for the server tests.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use faceproof_proof::testkit::{self, AUDIENCE};
use faceproof_proof::{ChallengeIssuer, DeviceKey, ReplayStore};
use faceproof_server::{AppState, Config};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

pub type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

pub fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

/// A config whose policy the testkit claims satisfy.
pub fn test_config(issuer: &ChallengeIssuer) -> Config {
    let mut policy = testkit::policy_for(issuer);
    policy.audience = AUDIENCE.into();
    Config {
        policy,
        www_dir: None,
        ..Config::default()
    }
}

pub fn state(
    issuer: ChallengeIssuer,
    store: Arc<dyn ReplayStore>,
    config: Config,
) -> Arc<AppState> {
    faceproof_server::state_with(issuer, store, config)
}

/// A running instance on a loopback port; dropped → graceful shutdown requested.
pub struct Instance {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    join: Option<tokio::task::JoinHandle<()>>,
}

impl Instance {
    pub async fn start(state: Arc<AppState>) -> Instance {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let join = tokio::spawn(async move {
            faceproof_server::serve_on(listener, state, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        Instance {
            addr,
            stop: Some(tx),
            join: Some(join),
        }
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(j) = self.join.take() {
            j.await.unwrap();
        }
    }
}

pub struct Reply {
    pub status: u16,
    pub retry_after: Option<String>,
    pub json: serde_json::Value,
}

pub async fn post(c: &HttpClient, addr: SocketAddr, path: &str, body: impl Into<Bytes>) -> Reply {
    let req = hyper::Request::post(format!("http://{addr}{path}"))
        .header("content-type", "application/json")
        .body(Full::new(body.into()))
        .unwrap();
    let resp = c.request(req).await.unwrap();
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    Reply {
        status,
        retry_after,
        json,
    }
}

/// Gets a challenge from the service, signs valid claims with `device`, returns the verification body.
pub async fn make_bundle(
    c: &HttpClient,
    addr: SocketAddr,
    device: &DeviceKey,
    subject: Option<&str>,
) -> String {
    let body = match subject {
        Some(s) => serde_json::json!({ "subject": s }).to_string(),
        None => String::new(),
    };
    let r = post(c, addr, "/v1/challenges", body).await;
    assert_eq!(r.status, 201, "{}", r.json);
    bundle_from(&r.json, device)
}

pub fn bundle_from(challenge_reply: &serde_json::Value, device: &DeviceKey) -> String {
    let token = challenge_reply["challenge"].as_str().unwrap().to_string();
    let claims: faceproof_proof::ChallengeClaims =
        serde_json::from_value(challenge_reply["claims"].clone()).unwrap();
    let ch = faceproof_proof::IssuedChallenge {
        token: token.clone(),
        claims,
    };
    let proof = device
        .sign_proof(&testkit::valid_claims(&ch, device))
        .unwrap();
    serde_json::json!({ "challenge": token, "proof": proof }).to_string()
}
