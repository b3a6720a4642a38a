//! Test helpers (feature `testkit`): valid fixtures and a throw-away redis-server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::b64;
use crate::challenge::{ChallengeIssuer, ChallengeOptions, IssuedChallenge, reference_digest};
use crate::claims::*;
use crate::device::DeviceKey;
use crate::policy::Policy;

pub const AUDIENCE: &str = "https://rp.example";
pub const WASM_SHA: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
pub const DETECT_SHA: &str = "d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2";
pub const EMBED_SHA: &str = "e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3";
pub const LIVE_SHA: &str = "f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4";
pub const NOW: i64 = 1_790_000_000;

/// A server key, a device key and a matching policy.
pub struct Fixture {
    pub issuer: ChallengeIssuer,
    pub device: DeviceKey,
    pub policy: Policy,
}

impl Fixture {
    pub fn new() -> Fixture {
        let issuer = ChallengeIssuer::generate("faceproof").unwrap();
        let device = DeviceKey::generate().unwrap();
        Fixture {
            policy: policy_for(&issuer),
            issuer,
            device,
        }
    }

    /// A challenge with fixed actions (blink, turn_left, nod) issued at `now`.
    pub fn challenge(&self, now: i64) -> IssuedChallenge {
        let mut o = ChallengeOptions::new(AUDIENCE);
        o.actions = Some(vec![Action::Blink, Action::TurnLeft, Action::Nod]);
        self.issuer.issue(&o, now).unwrap()
    }

    /// A challenge with a reference template and a subject.
    pub fn challenge_with(&self, now: i64, sub: Option<&str>, template: bool) -> IssuedChallenge {
        let mut o = ChallengeOptions::new(AUDIENCE);
        o.subject = sub.map(str::to_string);
        if template {
            o.reference = Some((0..128).map(|i| (i as f32 - 64.0) / 100.0).collect());
        }
        self.issuer.issue(&o, now).unwrap()
    }
}

impl Default for Fixture {
    fn default() -> Self {
        Self::new()
    }
}

/// The policy the fixtures satisfy.
pub fn policy_for(issuer: &ChallengeIssuer) -> Policy {
    let mut p = Policy::new(AUDIENCE, vec![issuer.public_jwk().clone()]);
    p.max_threshold_l2_e6 = 600_000;
    p.min_passive_score_e6 = 500_000;
    p.allowed_models = vec![DETECT_SHA.into(), EMBED_SHA.into(), LIVE_SHA.into()];
    p.allowed_modules = vec![WASM_SHA.into()];
    p
}

/// Claims that pass [`policy_for`] for `challenge`, issued 10 s after it.
pub fn valid_claims(ch: &IssuedChallenge, device: &DeviceKey) -> ProofClaims {
    let iat = ch.claims.iat + 10;
    let mut t = 200u32;
    let actions = ch
        .claims
        .actions
        .iter()
        .map(|a| {
            let e = ActionEvidence {
                action: a.action,
                start_ms: t,
                end_ms: t + 900,
            };
            t += 1_300;
            e
        })
        .collect();
    let salt = [7u8; 16];
    let (kind, digest) = match &ch.claims.reference {
        Some(r) => (
            ReferenceKind::ServerTemplate,
            reference_digest(&salt, &b64::decode(&r.f32le).unwrap()),
        ),
        None => (
            ReferenceKind::IdPhoto,
            reference_digest(&salt, b"photo bytes"),
        ),
    };
    ProofClaims {
        aud: ch.claims.aud.clone(),
        iat,
        exp: iat + 120,
        nonce: ch.claims.nonce.clone(),
        chal: crate::challenge_hash(&ch.token),
        decision: Decision::Match,
        scores: Scores {
            l2_distance_e6: Some(431_234),
            similarity_e6: Some(999_972),
            threshold_l2_e6: 600_000,
        },
        liveness: LivenessSummary {
            actions,
            passive_score_e6: 930_000,
            frames_total: 240,
            frames_with_face: 236,
            backend: "webgpu".into(),
        },
        reference: ReferenceInfo {
            kind,
            salt: b64::encode(&salt),
            digest,
        },
        build: BuildInfo {
            module_version: "0.1.0".into(),
            wasm_sha256: WASM_SHA.into(),
            models: vec![
                ModelDigest {
                    name: "detector".into(),
                    sha256: DETECT_SHA.into(),
                },
                ModelDigest {
                    name: "embedder".into(),
                    sha256: EMBED_SHA.into(),
                },
                ModelDigest {
                    name: "liveness".into(),
                    sha256: LIVE_SHA.into(),
                },
            ],
        },
        cnf: device.confirmation(),
    }
}

/// Finds `name` on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Whether node tests must run (`FACEPROOF_REQUIRE_NODE=1`) rather than skip.
pub fn require(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1")
}

/// A redis-server child on a free loopback port, killed on drop.
pub struct RedisServer {
    child: Child,
    pub port: u16,
}

impl RedisServer {
    /// Starts `redis-server`, or returns `None` (printing why) when the binary
    /// is absent. With `FACEPROOF_REQUIRE_REDIS=1` absence is a failure.
    pub fn start() -> Option<RedisServer> {
        let Some(bin) = which("redis-server") else {
            if require("FACEPROOF_REQUIRE_REDIS") {
                panic!("redis-server not found on PATH and FACEPROOF_REQUIRE_REDIS=1");
            }
            eprintln!(
                "SKIP: redis-server not found on PATH; Redis store tests skipped \
                 (apt-get install -y redis-server)"
            );
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(bin)
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn redis-server");
        let server = RedisServer { child, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
                if s.write_all(b"PING\r\n").is_ok() {
                    let mut buf = [0u8; 7];
                    if s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n" {
                        return Some(server);
                    }
                }
            }
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Browser round trip, step 1: the JSON the WebCrypto signer takes
/// (`{"challenge": TOKEN, "claims": {...}}`, claims valid for `ch`; the
/// signer replaces `cnf` with its own key).
pub fn webcrypto_input_json(ch: &IssuedChallenge) -> String {
    let placeholder = DeviceKey::generate().unwrap();
    serde_json::json!({
        "challenge": ch.token,
        "claims": valid_claims(ch, &placeholder),
    })
    .to_string()
}

/// Browser round trip, step 2: verifies a proof produced by
/// `www/sdk/webcrypto-sign.mjs` (raw r||s from `crypto.subtle.sign`)
/// exactly as the service does, at the current time.
pub fn verify_webcrypto_proof(
    proof: &str,
    challenge: &str,
    policy: &Policy,
) -> Result<crate::VerifiedProof, crate::Rejection> {
    let sig = proof.rsplit('.').next().and_then(b64::decode);
    assert_eq!(
        sig.map(|s| s.len()),
        Some(64),
        "ES256 signature must be 64 raw bytes"
    );
    crate::verify_at(proof, challenge, policy, crate::now_unix())
}

/// `tests/proof` in the repository.
pub fn tests_proof_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/proof")
}

/// Runs `node SCRIPT` with `stdin`, returning stdout; `None` (printing why) when node is absent.
pub fn run_node(
    script: &std::path::Path,
    args: &[&str],
    stdin: &str,
) -> Option<(i32, String, String)> {
    let Some(node) = which("node") else {
        if require("FACEPROOF_REQUIRE_NODE") {
            panic!("node not found on PATH and FACEPROOF_REQUIRE_NODE=1");
        }
        eprintln!("SKIP: node not found on PATH");
        return None;
    };
    let mut child = Command::new(node)
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn node");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Some((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// A fully deterministic fixture (fixed keys, fixed nonce, RFC 6979 signatures) for fuzzing.
pub struct FuzzFixture {
    pub issuer: ChallengeIssuer,
    pub device: DeviceKey,
    pub policy: Policy,
    pub challenge: IssuedChallenge,
    pub claims: ProofClaims,
    pub proof: String,
    /// The time to verify at.
    pub at: i64,
}

/// The deterministic fixture.
pub fn fuzz_fixture() -> FuzzFixture {
    use crate::jws::{self, KeyRef};
    let issuer = ChallengeIssuer::new(
        p256::ecdsa::SigningKey::from_bytes(&[0x11u8; 32].into()).unwrap(),
        "faceproof",
    );
    let device = DeviceKey::new(p256::ecdsa::SigningKey::from_bytes(&[0x22u8; 32].into()).unwrap());
    let cc = ChallengeClaims {
        iss: "faceproof".into(),
        aud: AUDIENCE.into(),
        sub: Some("fuzz".into()),
        iat: NOW,
        exp: NOW + 180,
        nonce: b64::encode(&[0x33u8; 16]),
        actions: vec![
            ChallengeAction {
                action: Action::Blink,
                limit_ms: 10_000,
            },
            ChallengeAction {
                action: Action::TurnLeft,
                limit_ms: 10_000,
            },
            ChallengeAction {
                action: Action::Nod,
                limit_ms: 10_000,
            },
        ],
        session_limit_ms: 60_000,
        reference: None,
    };
    let token = jws::sign(
        &cc,
        CHALLENGE_TYP,
        KeyRef::Kid(issuer.kid()),
        issuer.signing_key(),
    )
    .unwrap();
    let challenge = IssuedChallenge { token, claims: cc };
    let claims = valid_claims(&challenge, &device);
    let proof = device.sign_proof(&claims).unwrap();
    FuzzFixture {
        policy: policy_for(&issuer),
        issuer,
        device,
        challenge,
        claims,
        proof,
        at: NOW + 15,
    }
}

/// Writes libFuzzer seed inputs for the `token` and `challenge` targets into `dir/{token,challenge}`.
pub fn write_fuzz_seeds(dir: &std::path::Path) -> std::io::Result<usize> {
    let f = fuzz_fixture();
    let tdir = dir.join("token");
    let cdir = dir.join("challenge");
    std::fs::create_dir_all(&tdir)?;
    std::fs::create_dir_all(&cdir)?;
    let payload = serde_json::to_vec(&f.claims).unwrap();
    let header = serde_json::to_vec(&serde_json::json!({
        "alg": "ES256", "typ": PROOF_TYP, "jwk": f.device.jwk()
    }))
    .unwrap();
    let cpayload = serde_json::to_vec(&f.challenge.claims).unwrap();
    let seeds: Vec<(std::path::PathBuf, Vec<u8>)> = vec![
        (
            tdir.join("whole"),
            [&[0u8][..], f.proof.as_bytes()].concat(),
        ),
        (tdir.join("payload"), [&[1u8][..], &payload].concat()),
        (tdir.join("header"), [&[2u8][..], &header].concat()),
        (
            cdir.join("whole"),
            [&[0u8][..], f.challenge.token.as_bytes()].concat(),
        ),
        (cdir.join("claims"), [&[1u8][..], &cpayload].concat()),
    ];
    for (p, b) in &seeds {
        std::fs::write(p, b)?;
    }
    Ok(seeds.len())
}
