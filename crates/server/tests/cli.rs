//! The `faceproof` binary: `verify` (exit codes, JSON output, replay with a store) and `serve` (graceful SIGTERM).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use faceproof_proof::testkit::{self, AUDIENCE};
use faceproof_proof::{ChallengeOptions, DeviceKey, now_unix};

const BIN: &str = env!("CARGO_BIN_EXE_faceproof");

#[test]
fn verify_prints_claims_or_typed_rejection() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    // `pubkey` creates the key file and prints the JWK for the policy.
    let out = Command::new(BIN)
        .args(["pubkey", "--key"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success());
    let jwk: faceproof_proof::Jwk = serde_json::from_slice(&out.stdout).unwrap();
    let issuer = faceproof_server::load_or_create_key(&key, "faceproof").unwrap();
    assert_eq!(&jwk, issuer.public_jwk());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    let policy = testkit::policy_for(&issuer);
    let pol = dir.path().join("policy.toml");
    std::fs::write(&pol, toml::to_string(&policy).unwrap()).unwrap();
    let dev = DeviceKey::generate().unwrap();
    let ch = issuer
        .issue(&ChallengeOptions::new(AUDIENCE), now_unix())
        .unwrap();
    let proof = dev.sign_proof(&testkit::valid_claims(&ch, &dev)).unwrap();
    let bundle = dir.path().join("bundle.json");
    std::fs::write(
        &bundle,
        serde_json::json!({"challenge": ch.token, "proof": proof}).to_string(),
    )
    .unwrap();

    let verify = |extra: &[&str]| {
        let mut c = Command::new(BIN);
        c.arg("verify")
            .arg(&bundle)
            .arg("--policy")
            .arg(&pol)
            .args(extra);
        c.output().unwrap()
    };
    let out = verify(&[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], true);
    assert_eq!(v["claims"]["decision"], "match");
    assert_eq!(v["device_key_thumbprint"], dev.thumbprint());

    // Too late: expired challenge.
    let out = verify(&["--now", &(ch.claims.exp + 31).to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "challenge_expired");

    // With a store: single use, also across invocations (processes).
    let store = format!("sqlite:{}", dir.path().join("r.db").display());
    assert_eq!(verify(&["--store", &store]).status.code(), Some(0));
    let out = verify(&["--store", &store]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "replay");

    // Usage errors exit 2.
    assert_eq!(
        Command::new(BIN)
            .args(["verify"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        Command::new(BIN)
            .arg("verify")
            .arg(&bundle)
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "{\"challenge\":1}").unwrap();
    assert_eq!(
        Command::new(BIN)
            .arg("verify")
            .arg(&junk)
            .arg("--policy")
            .arg(&pol)
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[cfg(unix)]
#[test]
fn serve_shuts_down_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--www",
            "none",
            "--store",
        ])
        .arg(format!("sqlite:{}", dir.path().join("r.db").display()))
        .arg("--key")
        .arg(dir.path().join("k.pem"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first.rsplit("http://").next().unwrap().to_string();
    // A real request over TCP.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        let c = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build_http();
        let req = hyper::Request::post(format!("http://{addr}/v1/challenges"))
            .body(http_body_util::Full::new(hyper::body::Bytes::new()))
            .unwrap();
        c.request(req).await.unwrap().status().as_u16()
    });
    assert_eq!(status, 201);
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let exit = child.wait().unwrap();
    assert!(exit.success(), "exit {exit:?}");
    assert!(rest.iter().any(|l| l.contains("shut down")), "{rest:?}");
}
