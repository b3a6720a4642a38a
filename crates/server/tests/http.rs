//! The HTTP service: routes, JSON errors, limits, rate limiting, replay across restart and instances.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use common::*;
use faceproof_proof::testkit::{AUDIENCE, RedisServer};
use faceproof_proof::{ChallengeIssuer, DeviceKey, MemoryStore, Rejection, TokenError, b64};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Resp {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    json: serde_json::Value,
    text: String,
}

async fn call(
    app: &axum::Router,
    method: &str,
    path: &str,
    ip: [u8; 4],
    body: impl Into<Body>,
) -> Resp {
    let app = app
        .clone()
        .layer(MockConnectInfo(SocketAddr::from((ip, 40000))));
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap();
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).to_string();
    Resp {
        status,
        headers,
        json: serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
        text,
    }
}

fn app_with(
    config_edit: impl FnOnce(&mut faceproof_server::Config),
) -> (axum::Router, Arc<faceproof_server::AppState>) {
    let issuer = ChallengeIssuer::generate("faceproof").unwrap();
    let mut cfg = test_config(&issuer);
    config_edit(&mut cfg);
    let st = state(issuer, Arc::new(MemoryStore::new()), cfg);
    (faceproof_server::router(st.clone()), st)
}

async fn bundle(app: &axum::Router, ip: [u8; 4], device: &DeviceKey, sub: Option<&str>) -> String {
    let body = sub
        .map(|s| serde_json::json!({ "subject": s }).to_string())
        .unwrap_or_default();
    let r = call(app, "POST", "/v1/challenges", ip, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    bundle_from(&r.json, device)
}

const IP: [u8; 4] = [10, 0, 0, 1];

#[tokio::test]
async fn challenge_contents() {
    let (app, st) = app_with(|_| {});
    let mut seen = std::collections::HashSet::new();
    for _ in 0..30 {
        let r = call(&app, "POST", "/v1/challenges", IP, "").await;
        assert_eq!(r.status, StatusCode::CREATED);
        let token = r.json["challenge"].as_str().unwrap();
        let c =
            faceproof_proof::verify_challenge_at(token, &st.policy, faceproof_proof::now_unix())
                .unwrap();
        assert_eq!(c.exp - c.iat, 180);
        assert_eq!(c.session_limit_ms, 60_000);
        assert_eq!(c.aud, AUDIENCE);
        assert!((2..=4).contains(&c.actions.len()));
        assert_eq!(b64::decode(&c.nonce).unwrap().len(), 16);
        assert!(seen.insert(c.nonce.clone()), "nonces are unique");
        assert_eq!(serde_json::to_value(&c).unwrap(), r.json["claims"]);
    }
    // With subject and a 128-D reference.
    let reference: Vec<f32> = (0..128).map(|i| i as f32 / 128.0).collect();
    let r = call(
        &app,
        "POST",
        "/v1/challenges",
        IP,
        serde_json::json!({"subject": "alice", "reference": reference}).to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["claims"]["sub"], "alice");
    assert_eq!(r.json["claims"]["reference"]["dim"], 128);
    let r = call(
        &app,
        "POST",
        "/v1/challenges",
        IP,
        r#"{"reference":[1.0,2.0]}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json["error"]["code"], "bad_request");
}

#[tokio::test]
async fn verify_then_replay_and_typed_json_errors() {
    let (app, _) = app_with(|_| {});
    let dev = DeviceKey::generate().unwrap();
    let b = bundle(&app, IP, &dev, None).await;
    let r = call(&app, "POST", "/v1/verifications", IP, b.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["verified"], true);
    assert_eq!(r.json["device_key_thumbprint"], dev.thumbprint());
    let r = call(&app, "POST", "/v1/verifications", IP, b).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json["error"]["code"], "replay");

    // Tampered proof: 422 with the typed code.
    let b = bundle(&app, [10, 0, 0, 2], &dev, None).await;
    let mut v: serde_json::Value = serde_json::from_str(&b).unwrap();
    let proof = v["proof"].as_str().unwrap().to_string();
    let (head, sig) = proof.rsplit_once('.').unwrap();
    let flipped = match sig.strip_prefix('A') {
        Some(rest) => format!("B{rest}"),
        None => format!("A{}", &sig[1..]),
    };
    v["proof"] = format!("{head}.{flipped}").into();
    let r = call(
        &app,
        "POST",
        "/v1/verifications",
        [10, 0, 0, 2],
        v.to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json["error"]["code"],
        Rejection::Proof(TokenError::BadSignature).code()
    );

    // Malformed bodies.
    for (body, code) in [
        ("not json", "bad_request"),
        (r#"{"challenge":"a","proof":"b","extra":1}"#, "bad_request"),
        (
            r#"{"challenge":"a","challenge":"a","proof":"b"}"#,
            "bad_request",
        ),
        (r#"{"proof":"b"}"#, "bad_request"),
    ] {
        let r = call(&app, "POST", "/v1/verifications", [10, 0, 0, 3], body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(r.json["error"]["code"], code);
    }
    // Oversized body (> 64 KiB) and an oversized token (> 16 KB) inside a small body.
    let big = format!(r#"{{"challenge":"{}","proof":"x"}}"#, "A".repeat(70_000));
    let r = call(&app, "POST", "/v1/verifications", [10, 0, 0, 4], big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert_eq!(r.json["error"]["code"], "body_too_large");
    let b = bundle(&app, [10, 0, 0, 4], &dev, None).await;
    let mut v: serde_json::Value = serde_json::from_str(&b).unwrap();
    v["proof"] = format!("{}{}", v["proof"].as_str().unwrap(), "A".repeat(17_000)).into();
    let r = call(
        &app,
        "POST",
        "/v1/verifications",
        [10, 0, 0, 4],
        v.to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["error"]["code"], "proof.too_large");
    // Unknown route and wrong method are JSON too.
    let r = call(&app, "POST", "/v1/nothing", [10, 0, 0, 5], "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json["error"]["code"], "not_found");
    let r = call(&app, "GET", "/v1/challenges", [10, 0, 0, 5], "").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.json["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn per_ip_failure_limit_then_cooldown() {
    let (app, _) = app_with(|_| {});
    let ip = [192, 0, 2, 7];
    for i in 0..5 {
        let r = call(
            &app,
            "POST",
            "/v1/verifications",
            ip,
            r#"{"challenge":"x","proof":"y"}"#,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "failure {i}");
    }
    let r = call(
        &app,
        "POST",
        "/v1/verifications",
        ip,
        r#"{"challenge":"x","proof":"y"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json["error"]["code"], "rate_limited");
    let secs: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((170..=180).contains(&secs), "{secs}");
    // Even a valid proof, and new challenges, wait for the cool-down from this IP.
    let r = call(&app, "POST", "/v1/challenges", ip, "").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Another IP is unaffected.
    let dev = DeviceKey::generate().unwrap();
    let b = bundle(&app, [192, 0, 2, 8], &dev, None).await;
    assert_eq!(
        call(&app, "POST", "/v1/verifications", [192, 0, 2, 8], b)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn per_device_failure_limit_across_ips_and_no_lockout_by_forgery() {
    let (app, _) = app_with(|_| {});
    let dev = DeviceKey::generate().unwrap();
    // A forger naming the victim's key (bad signatures) from many IPs does not lock the device.
    for i in 0..10u8 {
        let b = bundle(&app, [198, 51, 100, i], &dev, None).await;
        let mut v: serde_json::Value = serde_json::from_str(&b).unwrap();
        let p = v["proof"].as_str().unwrap().to_string();
        let (head, _) = p.rsplit_once('.').unwrap();
        v["proof"] = format!("{head}.{}", b64::encode(&[1u8; 64])).into();
        let r = call(
            &app,
            "POST",
            "/v1/verifications",
            [198, 51, 100, i],
            v.to_string(),
        )
        .await;
        assert_eq!(r.json["error"]["code"], "proof.bad_signature");
    }
    let b = bundle(&app, [198, 51, 100, 200], &dev, None).await;
    assert_eq!(
        call(&app, "POST", "/v1/verifications", [198, 51, 100, 200], b)
            .await
            .status,
        StatusCode::OK
    );
    // The device itself failing (validly signed, wrong audience) 5 times from 5 IPs: cooled down everywhere.
    for i in 0..5u8 {
        let r = call(&app, "POST", "/v1/challenges", [203, 0, 113, i], "").await;
        let token = r.json["challenge"].as_str().unwrap().to_string();
        let claims: faceproof_proof::ChallengeClaims =
            serde_json::from_value(r.json["claims"].clone()).unwrap();
        let ch = faceproof_proof::IssuedChallenge {
            token: token.clone(),
            claims,
        };
        let mut c = faceproof_proof::testkit::valid_claims(&ch, &dev);
        c.aud = "https://evil.example".into();
        let body = serde_json::json!({"challenge": token, "proof": dev.sign_proof(&c).unwrap()})
            .to_string();
        let r = call(&app, "POST", "/v1/verifications", [203, 0, 113, i], body).await;
        assert_eq!(r.json["error"]["code"], "wrong_audience");
    }
    let b = bundle(&app, [203, 0, 113, 99], &dev, None).await;
    let r = call(&app, "POST", "/v1/verifications", [203, 0, 113, 99], b).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    assert!(r.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn device_binding_trust_on_first_use() {
    let (app, _) = app_with(|_| {});
    let d1 = DeviceKey::generate().unwrap();
    let d2 = DeviceKey::generate().unwrap();
    let b = bundle(&app, [10, 1, 0, 1], &d1, Some("carol")).await;
    assert_eq!(
        call(&app, "POST", "/v1/verifications", [10, 1, 0, 1], b)
            .await
            .status,
        StatusCode::OK
    );
    let b = bundle(&app, [10, 1, 0, 2], &d2, Some("carol")).await;
    let r = call(&app, "POST", "/v1/verifications", [10, 1, 0, 2], b).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json["error"]["code"], "device_key_mismatch");
    let b = bundle(&app, [10, 1, 0, 3], &d1, Some("carol")).await;
    assert_eq!(
        call(&app, "POST", "/v1/verifications", [10, 1, 0, 3], b)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn openapi_document_matches_the_service() {
    let (app, _) = app_with(|_| {});
    let r = call(&app, "GET", "/openapi.json", IP, "").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json;
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/v1/challenges"]["post"].is_object());
    assert!(doc["paths"]["/v1/verifications"]["post"].is_object());
    let schemas = &doc["components"]["schemas"];
    // Every code the service can emit is in ErrorCode.
    let codes: Vec<String> = schemas["ErrorCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    for r in all_rejections() {
        assert!(codes.contains(&r.code()), "ErrorCode lacks {}", r.code());
    }
    for c in [
        "bad_request",
        "body_too_large",
        "rate_limited",
        "not_found",
        "method_not_allowed",
        "internal",
    ] {
        assert!(codes.contains(&c.to_string()), "{c}");
    }
    // Schemas list exactly the fields the Rust types serialise, in order.
    let dev = DeviceKey::generate().unwrap();
    let b = bundle(&app, IP, &dev, None).await;
    let ok = call(&app, "POST", "/v1/verifications", IP, b).await;
    check_against(schemas, "VerificationResponse", &ok.json);
    let ch = call(&app, "POST", "/v1/challenges", IP, "").await;
    check_against(schemas, "ChallengeResponse", &ch.json);
    let err = call(&app, "POST", "/v1/verifications", IP, "x").await;
    check_against(schemas, "Error", &err.json);
}

/// Structural check: same property names in the same order, required ones present, recursing through $ref.
fn check_against(schemas: &serde_json::Value, name: &str, v: &serde_json::Value) {
    let s = &schemas[name];
    let props = s["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{name} has no properties"));
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{name}: not an object: {v}"));
    let names: Vec<&String> = props.keys().collect();
    let got: Vec<&String> = obj.keys().collect();
    let mut sorted_names = names.clone();
    sorted_names.sort();
    let mut sorted_got = got.clone();
    sorted_got.sort();
    assert_eq!(sorted_names, sorted_got, "{name}: property set");
    for (k, p) in props {
        let r = p
            .get("$ref")
            .or_else(|| p.get("items").and_then(|i| i.get("$ref")))
            .or_else(|| p["oneOf"].get(0).and_then(|o| o.get("$ref")));
        if let Some(r) = r.and_then(|r| r.as_str()) {
            let sub = r.rsplit('/').next().unwrap();
            if schemas[sub]["properties"].is_object() {
                match &obj[k] {
                    serde_json::Value::Array(a) => {
                        a.iter().for_each(|x| check_against(schemas, sub, x))
                    }
                    serde_json::Value::Null => {}
                    x => check_against(schemas, sub, x),
                }
            }
        }
    }
}

fn all_rejections() -> Vec<Rejection> {
    use faceproof_proof::jws::Segment;
    let toks = vec![
        TokenError::TooLarge { len: 0 },
        TokenError::Malformed,
        TokenError::Base64(Segment::Header),
        TokenError::DuplicateKey(Segment::Header),
        TokenError::InvalidHeader(String::new()),
        TokenError::AlgNone,
        TokenError::UnsupportedAlg(String::new()),
        TokenError::WrongTyp {
            expected: "",
            found: None,
        },
        TokenError::MissingKey,
        TokenError::UnknownKey,
        TokenError::BadKey,
        TokenError::BadSignatureEncoding,
        TokenError::BadSignature,
        TokenError::InvalidPayload(String::new()),
        TokenError::NonCanonicalPayload,
    ];
    let mut v: Vec<Rejection> = toks.iter().cloned().map(Rejection::Challenge).collect();
    v.extend(toks.into_iter().map(Rejection::Proof));
    v.extend([
        Rejection::ChallengeWrongIssuer {
            expected: String::new(),
        },
        Rejection::ChallengeWrongAudience,
        Rejection::ChallengeExpired,
        Rejection::ChallengeNotYetValid,
        Rejection::ChallengeInvalid(""),
        Rejection::KeyMismatch,
        Rejection::ChallengeMismatch,
        Rejection::NonceMismatch,
        Rejection::WrongAudience,
        Rejection::Expired,
        Rejection::NotYetValid,
        Rejection::TooOld,
        Rejection::BadLifetime,
        Rejection::IssuedOutsideChallenge,
        Rejection::ModuleNotAllowed,
        Rejection::ModelNotAllowed {
            name: String::new(),
        },
        Rejection::NoModels,
        Rejection::BackendNotAllowed(String::new()),
        Rejection::ActionsMismatch { expected: vec![] },
        Rejection::TimingViolation(""),
        Rejection::EvidenceInconsistent(""),
        Rejection::ReferenceKindMismatch,
        Rejection::ReferenceMismatch,
        Rejection::ReferenceMalformed,
        Rejection::ScoreOutOfRange,
        Rejection::DecisionInconsistent,
        Rejection::ThresholdTooLoose,
        Rejection::MatchTooWeak,
        Rejection::LivenessTooLow,
        Rejection::NotMatched(faceproof_proof::Decision::NoMatch),
        Rejection::DeviceKeyMismatch,
        Rejection::Replay,
        Rejection::StoreUnavailable(String::new()),
    ]);
    v
}

#[tokio::test]
async fn serves_www_statically_with_isolation_headers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<h1>faceproof</h1>").unwrap();
    std::fs::write(dir.path().join("m.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let d = dir.path().to_path_buf();
    let (app, _) = app_with(move |c| c.www_dir = Some(d));
    let r = call(&app, "GET", "/", IP, "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("faceproof"));
    assert_eq!(r.headers["cross-origin-opener-policy"], "same-origin");
    assert_eq!(r.headers["cross-origin-embedder-policy"], "require-corp");
    let r = call(&app, "GET", "/m.wasm", IP, "").await;
    assert_eq!(r.headers["content-type"], "application/wasm");
    let r = call(&app, "GET", "/../Cargo.toml", IP, "").await;
    assert_ne!(r.status, StatusCode::OK);
    // The API still wins over static files.
    assert_eq!(
        call(&app, "POST", "/v1/challenges", IP, "").await.status,
        StatusCode::CREATED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_replay_survives_restart() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    let db = dir.path().join("replay.sqlite3");
    let c = client();
    let dev = DeviceKey::generate().unwrap();
    let start = || {
        let issuer = faceproof_server::load_or_create_key(&key, "faceproof").unwrap();
        let store =
            faceproof_server::open_store(&faceproof_server::StoreConfig::Sqlite(db.clone()), "x")
                .unwrap();
        let cfg = test_config(&issuer);
        state(issuer, store, cfg)
    };
    let a = Instance::start(start()).await;
    let b1 = make_bundle(&c, a.addr, &dev, None).await;
    assert_eq!(
        post(&c, a.addr, "/v1/verifications", b1.clone())
            .await
            .status,
        200
    );
    a.stop().await;
    // Restarted process: same key file, same database.
    let a2 = Instance::start(start()).await;
    let r = post(&c, a2.addr, "/v1/verifications", b1).await;
    assert_eq!(r.status, 409, "{}", r.json);
    assert_eq!(r.json["error"]["code"], "replay");
    let b2 = make_bundle(&c, a2.addr, &dev, None).await;
    assert_eq!(post(&c, a2.addr, "/v1/verifications", b2).await.status, 200);
    a2.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_nonce_used_on_instance_a_is_rejected_on_instance_b() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    let start = || {
        let issuer = faceproof_server::load_or_create_key(&key, "faceproof").unwrap();
        let store =
            faceproof_server::open_store(&faceproof_server::StoreConfig::Redis(redis.url()), "fp:")
                .unwrap();
        let mut cfg = test_config(&issuer);
        // All requests come from 127.0.0.1; the 20 expected replays must not trip the limiter.
        cfg.rate_limit.max_failures = 1_000;
        state(issuer, store, cfg)
    };
    let a = Instance::start(start()).await;
    let b = Instance::start(start()).await;
    let c = client();
    let dev = DeviceKey::generate().unwrap();
    // Challenge from A, verified on A, replayed on B.
    let x = make_bundle(&c, a.addr, &dev, None).await;
    assert_eq!(
        post(&c, a.addr, "/v1/verifications", x.clone())
            .await
            .status,
        200
    );
    let r = post(&c, b.addr, "/v1/verifications", x).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (409, Some("replay"))
    );
    // Challenge from B, verified on A first, then B refuses.
    let y = make_bundle(&c, b.addr, &dev, None).await;
    assert_eq!(
        post(&c, a.addr, "/v1/verifications", y.clone())
            .await
            .status,
        200
    );
    assert_eq!(post(&c, b.addr, "/v1/verifications", y).await.status, 409);
    // Race: the same bundle sent to both at once, 20 times; exactly one wins each time.
    for _ in 0..20 {
        let z = make_bundle(&c, a.addr, &dev, None).await;
        let (ra, rb) = tokio::join!(
            post(&c, a.addr, "/v1/verifications", z.clone()),
            post(&c, b.addr, "/v1/verifications", z.clone())
        );
        let mut s = [ra.status, rb.status];
        s.sort();
        assert_eq!(s, [200, 409]);
    }
    // Device binding is shared too.
    let d2 = DeviceKey::generate().unwrap();
    let p = make_bundle(&c, a.addr, &dev, Some("dave")).await;
    assert_eq!(post(&c, a.addr, "/v1/verifications", p).await.status, 200);
    let q = make_bundle(&c, b.addr, &d2, Some("dave")).await;
    assert_eq!(post(&c, b.addr, "/v1/verifications", q).await.status, 403);
    a.stop().await;
    b.stop().await;
}
