//! `faceproof` — the verification service and the offline verifier.
//!
//! ```text
//! faceproof serve  [--config FILE] [--listen ADDR] [--www DIR] [--store STORE] [--key FILE] [--audience ORIGIN]
//! faceproof verify FILE --policy POLICY.toml [--store STORE] [--now UNIX_SECONDS]
//! faceproof pubkey --key FILE
//! ```
//! `verify` reads `{"challenge": "...", "proof": "..."}` (the body of
//! `POST /v1/verifications`; `-` for stdin) and prints the verified claims
//! (exit 0) or the typed rejection (exit 1). Usage and I/O errors exit 2.

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use faceproof_proof::{Policy, RejectionBody, now_unix, verify_and_consume_at, verify_at};
use faceproof_server::app::VerificationRequest;
use faceproof_server::{Config, StoreConfig};

const USAGE: &str = "usage:
  faceproof serve  [--config FILE] [--listen ADDR] [--www DIR|none] [--store memory|sqlite:PATH|redis://URL] [--key FILE] [--audience ORIGIN]
  faceproof verify FILE --policy POLICY.toml [--store STORE] [--now UNIX_SECONDS]
  faceproof pubkey --key FILE";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("verify") => verify(&args[1..]),
        Some("pubkey") => pubkey(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("faceproof: {msg}");
            ExitCode::from(2)
        }
    }
}

/// `--flag value` pairs plus positionals.
struct Args {
    positional: Vec<String>,
    flags: Vec<(String, String)>,
}

fn parse(args: &[String], known: &[&str]) -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut flags = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(name) = a.strip_prefix("--") {
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => (
                    name.to_string(),
                    it.next()
                        .cloned()
                        .ok_or(format!("--{name} needs a value"))?,
                ),
            };
            if !known.contains(&name.as_str()) {
                return Err(format!("unknown option --{name}\n{USAGE}"));
            }
            flags.push((name, value));
        } else {
            positional.push(a.clone());
        }
    }
    Ok(Args { positional, flags })
}

impl Args {
    fn get(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn read_text(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .take(1 << 20)
            .read_to_string(&mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
    }
}

fn serve(args: &[String]) -> Result<ExitCode, String> {
    let a = parse(
        args,
        &["config", "listen", "www", "store", "key", "audience"],
    )?;
    let mut config = match a.get("config") {
        Some(p) => Config::from_toml(&read_text(p)?).map_err(|e| format!("{p}: {e}"))?,
        None => Config::default(),
    };
    if let Some(l) = a.get("listen") {
        config.listen = l.parse().map_err(|e| format!("--listen {l}: {e}"))?;
    }
    if let Some(w) = a.get("www") {
        config.www_dir = if w == "none" {
            None
        } else {
            Some(PathBuf::from(w))
        };
    }
    if let Some(s) = a.get("store") {
        config.store = s.to_string();
    }
    if let Some(k) = a.get("key") {
        config.key_file = PathBuf::from(k);
    }
    if let Some(aud) = a.get("audience") {
        config.policy.audience = aud.to_string();
    }
    config
        .challenge_actions
        .validate()
        .map_err(|_| "challenge_actions: distinct actions, 2 <= min <= max <= min(4, number of actions), required actions in the pool and no more than min".to_string())?;
    for (name, list) in [
        ("allowed_models", &config.policy.allowed_models),
        ("allowed_modules", &config.policy.allowed_modules),
    ] {
        if list.iter().any(|d| d == faceproof_proof::policy::ANY) {
            eprintln!(
                "faceproof: WARNING policy.{name} contains \"*\": any digest is accepted (development only)"
            );
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let listen = config.listen;
        let state = faceproof_server::build_state(config).map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("listen on {listen}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let jwk = serde_json::to_string(state.issuer.public_jwk()).map_err(|e| e.to_string())?;
        println!("faceproof: listening on http://{addr}");
        println!("faceproof: challenge key {jwk}");
        faceproof_server::serve_on(listener, state, faceproof_server::shutdown_signal())
            .await
            .map_err(|e| e.to_string())?;
        println!("faceproof: shut down");
        Ok::<_, String>(ExitCode::SUCCESS)
    })
}

fn verify(args: &[String]) -> Result<ExitCode, String> {
    let a = parse(args, &["policy", "store", "now"])?;
    let [file] = a.positional.as_slice() else {
        return Err(format!("verify needs exactly one FILE\n{USAGE}"));
    };
    let policy_path = a
        .get("policy")
        .ok_or(format!("--policy is required\n{USAGE}"))?;
    let policy =
        Policy::from_toml(&read_text(policy_path)?).map_err(|e| format!("{policy_path}: {e}"))?;
    let text = read_text(file)?;
    let req: VerificationRequest = faceproof_proof::json::parse_strict(text.as_bytes())
        .map_err(|e| format!("{file}: expected {{\"challenge\": ..., \"proof\": ...}}: {e:?}"))?;
    let now = match a.get("now") {
        Some(n) => n.parse::<i64>().map_err(|e| format!("--now {n}: {e}"))?,
        None => now_unix(),
    };
    let result = match a.get("store") {
        Some(s) => {
            let cfg = StoreConfig::parse(s)?;
            let store =
                faceproof_server::open_store(&cfg, "faceproof:").map_err(|e| e.to_string())?;
            verify_and_consume_at(&req.proof, &req.challenge, &policy, store.as_ref(), now)
        }
        None => verify_at(&req.proof, &req.challenge, &policy, now),
    };
    match result {
        Ok(vp) => {
            let out = serde_json::json!({
                "verified": true,
                "device_key_thumbprint": vp.device_key_thumbprint,
                "claims": vp.claims,
                "challenge": vp.challenge,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(r) => {
            let out = serde_json::json!({ "verified": false, "error": RejectionBody::from(&r) });
            println!(
                "{}",
                serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
            );
            Ok(ExitCode::from(1))
        }
    }
}

fn pubkey(args: &[String]) -> Result<ExitCode, String> {
    let a = parse(args, &["key"])?;
    let key = a.get("key").ok_or(format!("--key is required\n{USAGE}"))?;
    let issuer = faceproof_server::load_or_create_key(std::path::Path::new(key), "faceproof")
        .map_err(|e| e.to_string())?;
    println!(
        "{}",
        serde_json::to_string(issuer.public_jwk()).map_err(|e| e.to_string())?
    );
    Ok(ExitCode::SUCCESS)
}
