//! Bounded loopback load test: verifications/s, p50, p99, errors, false accepts.
//!
//! `FACEPROOF_LOAD_N` (default 2000) requests, `FACEPROOF_LOAD_CONCURRENCY` (default 16)
//! in flight, against one in-process instance on 127.0.0.1 (client and server share the
//! 2 cores). 1 in 4 proofs is forged (bad signature) or names a disallowed module, and
//! replays of accepted bundles are appended; each of those must be refused. Bounded by
//! count and by a 120 s cap.
//! Run: `cargo test -p faceproof-server --test load -- --nocapture`.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use faceproof_proof::testkit::{self, AUDIENCE, RedisServer};
use faceproof_proof::{ChallengeOptions, DeviceKey, ReplayStore, now_unix};
use faceproof_server::StoreConfig;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The load tests run one at a time so their figures do not share the CPU.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn run_load(label: &str, store: Arc<dyn ReplayStore>) {
    let _serial = SERIAL.lock().await;
    let n = env_usize("FACEPROOF_LOAD_N", 2000);
    let conc = env_usize("FACEPROOF_LOAD_CONCURRENCY", 16);
    let dir = tempfile::tempdir().unwrap();
    let issuer =
        faceproof_server::load_or_create_key(&dir.path().join("k.pem"), "faceproof").unwrap();
    let mut cfg = test_config(&issuer);
    // One client IP sends every request, including the deliberate forgeries.
    cfg.rate_limit.max_failures = u32::MAX;
    let st = state(issuer, store, cfg);
    let inst = Instance::start(st.clone()).await;

    // Pre-build requests (signing is the client's cost, not the server's).
    let dev = DeviceKey::generate().unwrap();
    let mut reqs: Vec<(String, bool)> = Vec::with_capacity(n);
    let mut replays: Vec<String> = Vec::new();
    for i in 0..n {
        let ch = st
            .issuer
            .issue(&ChallengeOptions::new(AUDIENCE), now_unix())
            .unwrap();
        let mut claims = testkit::valid_claims(&ch, &dev);
        let (proof, valid) = match i % 8 {
            3 => {
                claims.build.wasm_sha256 = "00".repeat(32); // disallowed module
                (dev.sign_proof(&claims).unwrap(), false)
            }
            7 => {
                let mut p = dev.sign_proof(&claims).unwrap();
                p.replace_range(p.len() - 4.., "AAAA"); // forged signature
                (p, false)
            }
            _ => (dev.sign_proof(&claims).unwrap(), true),
        };
        let body = serde_json::json!({"challenge": ch.token, "proof": proof}).to_string();
        if valid && i % 8 == 4 && i < n / 2 {
            replays.push(body.clone());
        }
        reqs.push((body, valid));
    }
    // Replays of bundles from the first half go last: their originals were answered long before.
    reqs.extend(replays.into_iter().map(|b| (b, false)));
    let total = reqs.len();
    let queue = Arc::new(tokio::sync::Mutex::new(reqs.into_iter().enumerate()));
    let c = client();
    let deadline = Instant::now() + Duration::from_secs(120);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conc {
        let q = queue.clone();
        let c = c.clone();
        let addr = inst.addr;
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let (mut errors, mut false_accepts, mut ok, mut refused) =
                (0usize, 0usize, 0usize, 0usize);
            loop {
                if Instant::now() > deadline {
                    break;
                }
                let Some((_, (body, valid))) = q.lock().await.next() else {
                    break;
                };
                let t = Instant::now();
                let r = post(&c, addr, "/v1/verifications", body).await;
                lat.push(t.elapsed());
                match (valid, r.status) {
                    (true, 200) => ok += 1,
                    (false, 200) => false_accepts += 1,
                    (false, 409 | 422) => refused += 1,
                    _ => errors += 1,
                }
            }
            (lat, errors, false_accepts, ok, refused)
        }));
    }
    let mut lat = Vec::new();
    let (mut errors, mut false_accepts, mut ok, mut refused) = (0, 0, 0, 0);
    for t in tasks {
        let (l, e, f, o, r) = t.await.unwrap();
        lat.extend(l);
        errors += e;
        false_accepts += f;
        ok += o;
        refused += r;
    }
    let elapsed = started.elapsed();
    inst.stop().await;
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3;
    let rate = lat.len() as f64 / elapsed.as_secs_f64();
    println!(
        "load: store={label} requests={} accepted={ok} refused={refused} concurrency={conc} elapsed={:.2}s \
         verifications/s={rate:.0} p50={:.2}ms p99={:.2}ms errors={errors} false_accepts={false_accepts}",
        lat.len(),
        elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
    );
    assert_eq!(errors, 0, "errors");
    assert_eq!(false_accepts, 0, "false accepts");
    assert_eq!(lat.len(), total, "all requests sent within the time cap");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_loopback_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        faceproof_server::open_store(&StoreConfig::Sqlite(dir.path().join("load.db")), "").unwrap();
    run_load("sqlite", store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_loopback_redis() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let store = faceproof_server::open_store(&StoreConfig::Redis(redis.url()), "load:").unwrap();
    run_load("redis", store).await;
}
