//! One test suite, run against every replay store: memory, SQLite (incl. restart), Redis (incl. two instances).

use std::sync::Arc;

use faceproof_proof::store::{RedisStore, SqliteStore};
use faceproof_proof::testkit::{self, Fixture, RedisServer};
use faceproof_proof::{Binding, MemoryStore, Rejection, ReplayStore, verify_and_consume_at};

/// Real time: Redis expires keys by its own clock.
#[allow(non_snake_case)]
fn NOW() -> i64 {
    static T0: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *T0.get_or_init(faceproof_proof::now_unix)
}
#[allow(non_snake_case)]
fn AT() -> i64 {
    NOW() + 15
}

/// The shared suite. `reopen` gives a second handle on the same storage
/// (a restart for SQLite, a second instance for Redis).
fn suite(
    name: &str,
    open: &dyn Fn() -> Box<dyn ReplayStore>,
    reopen: Option<&dyn Fn() -> Box<dyn ReplayStore>>,
) {
    let a = open();
    // Raw nonce semantics.
    let n = format!("{name}-nonce-1");
    assert!(
        a.consume_nonce(&n, NOW() + 100, NOW()).unwrap(),
        "{name}: first use"
    );
    assert!(
        !a.consume_nonce(&n, NOW() + 100, NOW()).unwrap(),
        "{name}: second use"
    );
    assert!(
        !a.consume_nonce(&n, NOW() + 100, NOW() + 50).unwrap(),
        "{name}: still kept"
    );
    // Bindings (TOFU).
    let sub = format!("{name}-alice");
    assert_eq!(a.bind_device(&sub, "k1").unwrap(), Binding::New);
    assert_eq!(a.bind_device(&sub, "k1").unwrap(), Binding::Same);
    assert_eq!(a.bind_device(&sub, "k2").unwrap(), Binding::Different);

    // Full verification: accepted once, then replay.
    let f = Fixture::new();
    let ch = f.challenge(NOW());
    let proof = f
        .device
        .sign_proof(&testkit::valid_claims(&ch, &f.device))
        .unwrap();
    verify_and_consume_at(&proof, &ch.token, &f.policy, a.as_ref(), AT())
        .expect("first verification");
    assert_eq!(
        verify_and_consume_at(&proof, &ch.token, &f.policy, a.as_ref(), AT()).unwrap_err(),
        Rejection::Replay,
        "{name}: replay"
    );
    // A second proof for the same challenge (re-signed, different bytes) is a replay too.
    let mut c2 = testkit::valid_claims(&ch, &f.device);
    c2.iat += 1;
    c2.exp += 1;
    let proof2 = f.device.sign_proof(&c2).unwrap();
    assert_eq!(
        verify_and_consume_at(&proof2, &ch.token, &f.policy, a.as_ref(), AT()).unwrap_err(),
        Rejection::Replay
    );

    // One signed attempt per challenge: a policy failure burns the nonce.
    let ch3 = f.challenge(NOW());
    let mut bad = testkit::valid_claims(&ch3, &f.device);
    bad.aud = "https://evil.example".into();
    assert_eq!(
        verify_and_consume_at(
            &f.device.sign_proof(&bad).unwrap(),
            &ch3.token,
            &f.policy,
            a.as_ref(),
            AT()
        )
        .unwrap_err(),
        Rejection::WrongAudience
    );
    let ok3 = f
        .device
        .sign_proof(&testkit::valid_claims(&ch3, &f.device))
        .unwrap();
    assert_eq!(
        verify_and_consume_at(&ok3, &ch3.token, &f.policy, a.as_ref(), AT()).unwrap_err(),
        Rejection::Replay
    );
    // A forged (bad-signature) proof does not burn it.
    let ch4 = f.challenge(NOW());
    let ok4 = f
        .device
        .sign_proof(&testkit::valid_claims(&ch4, &f.device))
        .unwrap();
    let mut forged = ok4.clone().into_bytes();
    let last = forged.len() - 2;
    forged[last] = if forged[last] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    assert!(matches!(
        verify_and_consume_at(&forged, &ch4.token, &f.policy, a.as_ref(), AT()),
        Err(Rejection::Proof(_))
    ));
    verify_and_consume_at(&ok4, &ch4.token, &f.policy, a.as_ref(), AT()).expect("unburnt");

    // Device binding through verification: another device for the same account is refused.
    let sub = format!("{name}-bob-{}", f.device.thumbprint());
    let chb = f.challenge_with(NOW(), Some(&sub), false);
    let pb = f
        .device
        .sign_proof(&testkit::valid_claims(&chb, &f.device))
        .unwrap();
    verify_and_consume_at(&pb, &chb.token, &f.policy, a.as_ref(), AT())
        .expect("first device binds");
    let other = faceproof_proof::DeviceKey::generate().unwrap();
    let chb2 = f.challenge_with(NOW(), Some(&sub), false);
    let pb2 = other
        .sign_proof(&testkit::valid_claims(&chb2, &other))
        .unwrap();
    assert_eq!(
        verify_and_consume_at(&pb2, &chb2.token, &f.policy, a.as_ref(), AT()).unwrap_err(),
        Rejection::DeviceKeyMismatch
    );

    // Concurrency: 8 threads race on each of 50 nonces; exactly one wins each.
    let shared: Arc<dyn ReplayStore> = Arc::from(open());
    let wins = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..8 {
            let st = shared.clone();
            let wins = &wins;
            s.spawn(move || {
                for i in 0..50 {
                    if st
                        .consume_nonce(&format!("{name}-race-{i}"), NOW() + 100, NOW())
                        .unwrap()
                    {
                        wins.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                }
            });
        }
    });
    assert_eq!(
        wins.into_inner(),
        50,
        "{name}: exactly one winner per nonce"
    );

    // Restart / second instance: what `a` consumed, `b` refuses.
    if let Some(reopen) = reopen {
        drop(a);
        let b = reopen();
        assert!(
            !b.consume_nonce(&n, NOW() + 100, NOW()).unwrap(),
            "{name}: nonce survives restart / is shared"
        );
        assert_eq!(
            verify_and_consume_at(&proof, &ch.token, &f.policy, b.as_ref(), AT()).unwrap_err(),
            Rejection::Replay,
            "{name}: replay across restart / instances"
        );
        assert_eq!(
            b.bind_device(&format!("{name}-alice"), "k2").unwrap(),
            Binding::Different
        );
        // Fresh nonces still work on the new handle.
        let ch5 = f.challenge(NOW());
        let p5 = f
            .device
            .sign_proof(&testkit::valid_claims(&ch5, &f.device))
            .unwrap();
        verify_and_consume_at(&p5, &ch5.token, &f.policy, b.as_ref(), AT())
            .expect("fresh nonce on b");
    }
}

#[test]
fn memory_store() {
    let m = Arc::new(MemoryStore::new());
    // Memory has no restart; `reopen` returns the same process-local store.
    let m2 = m.clone();
    suite(
        "memory",
        &|| Box::new(MemoryStoreRef(m.clone())),
        Some(&move || Box::new(MemoryStoreRef(m2.clone()))),
    );
}

struct MemoryStoreRef(Arc<MemoryStore>);
impl ReplayStore for MemoryStoreRef {
    fn consume_nonce(
        &self,
        n: &str,
        k: i64,
        now: i64,
    ) -> Result<bool, faceproof_proof::StoreError> {
        self.0.consume_nonce(n, k, now)
    }
    fn bind_device(&self, s: &str, t: &str) -> Result<Binding, faceproof_proof::StoreError> {
        self.0.bind_device(s, t)
    }
}

#[test]
fn sqlite_store_survives_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.sqlite3");
    let p2 = path.clone();
    suite(
        "sqlite",
        &|| Box::new(SqliteStore::open(&path).unwrap()),
        Some(&move || Box::new(SqliteStore::open(&p2).unwrap())),
    );
}

#[test]
fn sqlite_expired_nonces_are_collected() {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(dir.path().join("r.db")).unwrap();
    assert!(s.consume_nonce("old", NOW(), NOW() - 10).unwrap());
    // Past keep_until the row may be reused: its challenge has expired anyway.
    assert!(s.consume_nonce("old", NOW() + 100, NOW() + 1).unwrap());
    assert!(!s.consume_nonce("old", NOW() + 100, NOW() + 2).unwrap());
}

#[test]
fn redis_store_shared_by_two_instances() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let url = server.url();
    let u2 = url.clone();
    suite(
        "redis",
        &|| Box::new(RedisStore::open(&url, "fp-test:").unwrap()),
        Some(&move || Box::new(RedisStore::open(&u2, "fp-test:").unwrap())),
    );
}

#[test]
fn redis_store_reconnects_and_reports_outage() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let s = RedisStore::open(&server.url(), "fp-outage:").unwrap();
    assert!(s.consume_nonce("n1", NOW() + 100, NOW()).unwrap());
    drop(server);
    // Server gone: a typed error, not a panic, and never "first use".
    assert!(s.consume_nonce("n2", NOW() + 100, NOW()).is_err());
    assert!(RedisStore::open("redis://127.0.0.1:1/0", "x").is_err());
}
