//! Forgery and tampering: at least 10 000 mutated tokens, each rejected with the expected reason.
//!
//! Run with `cargo test -p faceproof-proof --test mutations -- --nocapture` to see the counts.

use faceproof_proof::jws::{self, Segment, TokenError as T};
use faceproof_proof::testkit::{self, AUDIENCE, DETECT_SHA, Fixture, NOW, WASM_SHA};
use faceproof_proof::{
    Action, ActionEvidence, ChallengeClaims, ChallengeIssuer, ChallengeOptions, DeviceKey,
    ProofClaims, Rejection as R, b64, challenge_hash, claims::CHALLENGE_TYP, claims::PROOF_TYP,
    verify_at,
};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const AT: i64 = NOW + 15;
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Tiny deterministic PRNG (xorshift) so the run is reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

#[derive(Default)]
struct Tally {
    cases: usize,
    per_group: Vec<(String, usize)>,
    failures: Vec<String>,
}

impl Tally {
    fn check(
        &mut self,
        group: &str,
        label: &str,
        got: Result<faceproof_proof::VerifiedProof, R>,
        ok: impl Fn(&R) -> bool,
        want: &str,
    ) {
        self.cases += 1;
        match self.per_group.iter_mut().find(|(g, _)| g == group) {
            Some((_, n)) => *n += 1,
            None => self.per_group.push((group.to_string(), 1)),
        }
        match got {
            Ok(_) => self
                .failures
                .push(format!("[{group}] {label}: ACCEPTED, wanted {want}")),
            Err(e) if !ok(&e) => self
                .failures
                .push(format!("[{group}] {label}: got {e:?}, wanted {want}")),
            Err(_) => {}
        }
    }

    fn exact(
        &mut self,
        group: &str,
        label: &str,
        got: Result<faceproof_proof::VerifiedProof, R>,
        want: R,
    ) {
        let w = format!("{want:?}");
        self.check(group, label, got, |e| *e == want, &w);
    }
}

/// Independent oracle: is `s` canonical unpadded base64url?
fn canonical_b64(s: &str) -> bool {
    let idx: Option<Vec<u8>> = s
        .bytes()
        .map(|c| B64.iter().position(|&a| a == c).map(|p| p as u8))
        .collect();
    let Some(idx) = idx else { return false };
    match s.len() % 4 {
        0 => true,
        1 => false,
        2 => idx.last().is_some_and(|v| v & 0x0f == 0),
        _ => idx.last().is_some_and(|v| v & 0x03 == 0),
    }
}

fn segment_of(token: &str, pos: usize) -> Segment {
    let dots: Vec<usize> = token.match_indices('.').map(|(i, _)| i).collect();
    if pos < dots[0] {
        Segment::Header
    } else if pos < dots[1] {
        Segment::Payload
    } else {
        Segment::Signature
    }
}

fn segment_str(token: &str, seg: Segment) -> &str {
    let mut it = token.split('.');
    let h = it.next().unwrap();
    let p = it.next().unwrap();
    let s = it.next().unwrap();
    match seg {
        Segment::Header => h,
        Segment::Payload => p,
        Segment::Signature => s,
    }
}

fn proof_header(jwk: &faceproof_proof::Jwk) -> String {
    format!(
        r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{}}}"#,
        serde_json::to_string(jwk).unwrap()
    )
}

#[test]
fn ten_thousand_mutations_all_rejected_for_the_right_reason() {
    let f = Fixture::new();
    let ch = f.challenge(NOW);
    let good = testkit::valid_claims(&ch, &f.device);
    let token = f.device.sign_proof(&good).unwrap();
    let p = &f.policy;
    verify_at(&token, &ch.token, p, AT).expect("baseline proof verifies");

    let mut t = Tally::default();
    let mut rng = Rng(0x5eed_f00d_dead_beef);
    let v = |tok: &str| verify_at(tok, &ch.token, p, AT);
    let resign = |c: &ProofClaims| f.device.sign_proof(c).unwrap();

    // 1. Every character of the proof token replaced.
    let bytes = token.as_bytes();
    for pos in 0..bytes.len() {
        if bytes[pos] == b'.' {
            continue;
        }
        let seg = segment_of(&token, pos);
        // (a) two other base64url characters.
        for k in 0..2 {
            let mut c = B64[rng.below(64) as usize];
            if c == bytes[pos] {
                c = B64[(B64.iter().position(|&a| a == c).unwrap() + 1 + k) % 64];
            }
            let mut m = bytes.to_vec();
            m[pos] = c;
            let m = String::from_utf8(m).unwrap();
            let canon = canonical_b64(segment_str(&m, seg));
            let got = v(&m);
            match (seg, canon) {
                (_, false) => t.exact(
                    "char->b64",
                    &format!("{pos}"),
                    got,
                    R::Proof(T::Base64(seg)),
                ),
                (Segment::Header, true) => t.check(
                    "char->b64",
                    &format!("{pos}"),
                    got,
                    |e| {
                        matches!(
                            e,
                            R::Proof(
                                T::InvalidHeader(_)
                                    | T::DuplicateKey(Segment::Header)
                                    | T::UnsupportedAlg(_)
                                    | T::AlgNone
                                    | T::WrongTyp { .. }
                                    | T::MissingKey
                                    | T::BadKey
                                    | T::BadSignature
                            )
                        )
                    },
                    "a header rejection",
                ),
                (Segment::Payload, true) => t.exact(
                    "char->b64",
                    &format!("{pos}"),
                    got,
                    R::Proof(T::BadSignature),
                ),
                (Segment::Signature, true) => t.check(
                    "char->b64",
                    &format!("{pos}"),
                    got,
                    |e| matches!(e, R::Proof(T::BadSignature | T::BadSignatureEncoding)),
                    "BadSignature",
                ),
            }
        }
        // (b) characters outside base64url.
        for c in ["+", "/", "=", " ", "!", "~", "%", "\n"] {
            let mut m = token.clone();
            m.replace_range(pos..pos + 1, c);
            t.exact(
                "char->non-b64",
                &format!("{pos}{c:?}"),
                v(&m),
                R::Proof(T::Base64(seg)),
            );
        }
        // (c) an extra separator, a non-ASCII character.
        let mut m = token.clone();
        m.replace_range(pos..pos + 1, ".");
        t.exact(
            "char->dot",
            &format!("{pos}"),
            v(&m),
            R::Proof(T::Malformed),
        );
        let mut m = token.clone();
        m.replace_range(pos..pos + 1, "é");
        t.exact(
            "char->non-ascii",
            &format!("{pos}"),
            v(&m),
            R::Proof(T::Malformed),
        );
    }

    // 2. Every bit of the decoded payload and signature flipped, not re-signed.
    let hdr = segment_str(&token, Segment::Header).to_string();
    let payload = b64::decode(segment_str(&token, Segment::Payload)).unwrap();
    let sig = b64::decode(segment_str(&token, Segment::Signature)).unwrap();
    for i in 0..payload.len() {
        let mut m = payload.clone();
        m[i] ^= 1 << (i % 8);
        let tok = format!("{hdr}.{}.{}", b64::encode(&m), b64::encode(&sig));
        t.exact(
            "payload-bitflip",
            &format!("{i}"),
            v(&tok),
            R::Proof(T::BadSignature),
        );
    }
    for i in 0..sig.len() * 8 {
        let mut m = sig.clone();
        m[i / 8] ^= 1 << (i % 8);
        let tok = format!(
            "{hdr}.{}.{}",
            segment_str(&token, Segment::Payload),
            b64::encode(&m)
        );
        t.check(
            "signature-bitflip",
            &format!("{i}"),
            v(&tok),
            |e| matches!(e, R::Proof(T::BadSignature | T::BadSignatureEncoding)),
            "BadSignature",
        );
    }

    // 3. Each claim altered without re-signing (every JSON leaf).
    let value: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    let mut leaves = Vec::new();
    collect_leaves(&value, String::new(), &mut leaves);
    for path in &leaves {
        for k in 0..4 {
            let mut m = value.clone();
            alter_leaf(&mut m, path, k);
            let tok = format!(
                "{hdr}.{}.{}",
                b64::encode(&serde_json::to_vec(&m).unwrap()),
                b64::encode(&sig)
            );
            t.exact(
                "claim-altered-unsigned",
                &format!("{path}#{k}"),
                v(&tok),
                R::Proof(T::BadSignature),
            );
        }
    }

    // 4. Truncated at every length.
    for len in 0..token.len() {
        let m = &token[..len];
        let dots = m.matches('.').count();
        let want = if dots < 2 {
            R::Proof(T::Malformed)
        } else {
            let s = m.rsplit('.').next().unwrap();
            if canonical_b64(s) {
                R::Proof(T::BadSignatureEncoding)
            } else {
                R::Proof(T::Base64(Segment::Signature))
            }
        };
        // A header truncated mid-way fails there first.
        let h = m.split('.').next().unwrap();
        let want = if dots >= 1 && !canonical_b64(h) {
            R::Proof(T::Base64(Segment::Header))
        } else if dots >= 1 && h.len() < hdr.len() {
            // Canonical but cut JSON.
            R::Proof(T::InvalidHeader(String::new()))
        } else {
            want
        };
        match want {
            R::Proof(T::InvalidHeader(_)) => t.check(
                "truncated",
                &format!("{len}"),
                v(m),
                |e| matches!(e, R::Proof(T::InvalidHeader(_))),
                "InvalidHeader",
            ),
            w => t.exact("truncated", &format!("{len}"), v(m), w),
        }
    }

    // 5. Oversized.
    for extra in [1usize, 2, 100, 16 * 1024, 100_000] {
        let m = format!("{token}{}", "A".repeat(16 * 1024 + extra - token.len()));
        t.exact(
            "oversized",
            &format!("{extra}"),
            v(&m),
            R::Proof(T::TooLarge { len: m.len() }),
        );
    }
    {
        let mut c = good.clone();
        c.liveness.backend = "x".repeat(13_000);
        let m = resign(&c);
        t.exact(
            "oversized",
            "re-signed 13 KB backend",
            v(&m),
            R::Proof(T::TooLarge { len: m.len() }),
        );
        let m2 = format!("{}.{}.{}", b64::encode(b"{}"), "A".repeat(16_400), "A");
        t.exact(
            "oversized",
            "challenge",
            verify_at(&token, &m2, p, AT),
            R::Challenge(T::TooLarge { len: m2.len() }),
        );
    }

    // 6. Garbage and non-base64url tokens.
    for i in 0..300 {
        let len = 1 + rng.below(200) as usize;
        let s: String = (0..len)
            .map(|_| (b' ' + rng.below(95) as u8) as char)
            .collect();
        let dots = s.matches('.').count();
        t.check(
            "garbage",
            &format!("{i}"),
            v(&s),
            |e| match e {
                R::Proof(T::Malformed) => dots != 2,
                R::Proof(T::Base64(_) | T::InvalidHeader(_)) => dots == 2,
                _ => false,
            },
            "Malformed or Base64",
        );
    }

    // 7. Header attacks.
    let pay_b64 = segment_str(&token, Segment::Payload).to_string();
    let input_with = |h: &str| format!("{}.{pay_b64}", b64::encode(h.as_bytes()));
    let jwk_json = serde_json::to_string(f.device.jwk()).unwrap();
    for (alg, sig) in [
        ("none", ""),
        ("none", "AAAA"),
        ("None", ""),
        ("NONE", ""),
        ("nOnE", ""),
    ] {
        let h = format!(r#"{{"alg":"{alg}","typ":"{PROOF_TYP}","jwk":{jwk_json}}}"#);
        let tok = format!("{}.{sig}", input_with(&h));
        t.exact("alg-none", alg, v(&tok), R::Proof(T::AlgNone));
        let h = format!(r#"{{"alg":"{alg}","typ":"{PROOF_TYP}"}}"#);
        let tok = format!("{}.{sig}", input_with(&h));
        t.exact("alg-none", alg, v(&tok), R::Proof(T::AlgNone));
    }
    // HS256 with the public key (in every common encoding) as the HMAC secret.
    let vk = faceproof_proof::Jwk::to_verifying_key(f.device.jwk()).unwrap();
    let sec1_u = vk.to_encoded_point(false).as_bytes().to_vec();
    let sec1_c = vk.to_encoded_point(true).as_bytes().to_vec();
    let secrets: Vec<Vec<u8>> = vec![
        sec1_u,
        sec1_c,
        jwk_json.clone().into_bytes(),
        f.device.jwk().x.clone().into_bytes(),
        b"".to_vec(),
    ];
    for alg in ["HS256", "HS384", "HS512"] {
        for (si, secret) in secrets.iter().enumerate() {
            for with_jwk in [true, false] {
                let h = if with_jwk {
                    format!(r#"{{"alg":"{alg}","typ":"{PROOF_TYP}","jwk":{jwk_json}}}"#)
                } else {
                    format!(r#"{{"alg":"{alg}","typ":"{PROOF_TYP}"}}"#)
                };
                let input = input_with(&h);
                let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
                mac.update(input.as_bytes());
                let tok = format!("{input}.{}", b64::encode(&mac.finalize().into_bytes()));
                t.exact(
                    "hmac-with-public-key",
                    &format!("{alg}/{si}/{with_jwk}"),
                    v(&tok),
                    R::Proof(T::UnsupportedAlg(alg.into())),
                );
            }
        }
    }
    for alg in [
        "RS256", "PS256", "ES384", "ES512", "EdDSA", "ES256K", "es256", "ES256 ", " ES256",
        "ES-256", "",
    ] {
        let h = format!(r#"{{"alg":"{alg}","typ":"{PROOF_TYP}","jwk":{jwk_json}}}"#);
        let tok = jws::sign_raw(h.as_bytes(), &payload, f.device.signing_key());
        t.exact(
            "unsupported-alg",
            alg,
            v(&tok),
            R::Proof(T::UnsupportedAlg(alg.into())),
        );
    }
    for typ in [
        None,
        Some("JWT"),
        Some("jwt"),
        Some(CHALLENGE_TYP),
        Some("faceproof-proof-v2+jwt"),
        Some(""),
        Some("faceproof-proof-v1+JWT"),
    ] {
        let h = match typ {
            None => format!(r#"{{"alg":"ES256","jwk":{jwk_json}}}"#),
            Some(ty) => format!(r#"{{"alg":"ES256","typ":"{ty}","jwk":{jwk_json}}}"#),
        };
        let tok = jws::sign_raw(h.as_bytes(), &payload, f.device.signing_key());
        t.exact(
            "wrong-typ",
            &format!("{typ:?}"),
            v(&tok),
            R::Proof(T::WrongTyp {
                expected: PROOF_TYP,
                found: typ.map(String::from),
            }),
        );
    }
    // Swapped jwk: another key in the header, signature still by the device key.
    for i in 0..40 {
        let other = DeviceKey::generate().unwrap();
        let h = proof_header(other.jwk());
        let tok = jws::sign_raw(h.as_bytes(), &payload, f.device.signing_key());
        t.exact(
            "jwk-swapped",
            &format!("{i}"),
            v(&tok),
            R::Proof(T::BadSignature),
        );
        // Re-signed by the other key, cnf still naming the device key.
        let tok = jws::sign_raw(h.as_bytes(), &payload, other.signing_key());
        t.exact(
            "jwk-swapped-resigned",
            &format!("{i}"),
            v(&tok),
            R::KeyMismatch,
        );
        // Consistent attacker claims but bound to another challenge's hash.
        let mut c = good.clone();
        c.cnf = other.confirmation();
        c.chal = b64::encode(&rng.bytes(32));
        t.exact(
            "attacker-key-other-chal",
            &format!("{i}"),
            v(&other.sign_proof(&c).unwrap()),
            R::ChallengeMismatch,
        );
    }
    let key_variants: Vec<(String, T)> = vec![
        (
            format!(r#"{{"alg":"ES256","typ":"{PROOF_TYP}"}}"#),
            T::MissingKey,
        ),
        (
            format!(
                r#"{{"alg":"ES256","typ":"{PROOF_TYP}","kid":"{}"}}"#,
                f.device.thumbprint()
            ),
            T::MissingKey,
        ),
        (
            format!(r#"{{"alg":"ES256","typ":"{PROOF_TYP}","kid":"x","jwk":{jwk_json}}}"#),
            T::MissingKey,
        ),
        (
            format!(
                r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{}}}"#,
                jwk_json.replace("P-256", "P-384")
            ),
            T::BadKey,
        ),
        (
            format!(
                r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{}}}"#,
                jwk_json.replace(r#""EC""#, r#""OKP""#)
            ),
            T::BadKey,
        ),
        (
            format!(
                r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{}}}"#,
                jwk_json.replace(&f.device.jwk().y, &f.device.jwk().x)
            ),
            T::BadKey,
        ),
        (
            format!(
                r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{}}}"#,
                jwk_json.replace(&f.device.jwk().x, "AAAA")
            ),
            T::BadKey,
        ),
        (
            format!(
                r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{}}}"#,
                jwk_json.replace(&f.device.jwk().x, &format!("{}A", f.device.jwk().x))
            ),
            T::BadKey,
        ),
    ];
    for (i, (h, want)) in key_variants.into_iter().enumerate() {
        let tok = jws::sign_raw(h.as_bytes(), &payload, f.device.signing_key());
        t.exact("header-key", &format!("{i}"), v(&tok), R::Proof(want));
    }
    for (i, h) in [
        format!(r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{jwk_json},"crit":["exp"]}}"#),
        format!(r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{jwk_json},"b64":false}}"#),
        format!(r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{jwk_json},"jku":"https://evil.example/k"}}"#),
        format!(r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{}}}"#, jwk_json.replace('}', r#","d":"AAAA"}"#)),
        format!(r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{}}}"#, jwk_json.replace('}', r#","ext":true}"#)),
        format!(r#"["ES256","{PROOF_TYP}"]"#),
        format!(r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":["EC","P-256","{}","{}"]}}"#, f.device.jwk().x, f.device.jwk().y),
        "null".to_string(),
        String::new(),
        format!(r#"{{"alg":256,"typ":"{PROOF_TYP}","jwk":{jwk_json}}}"#),
    ]
    .iter()
    .enumerate()
    {
        let tok = jws::sign_raw(h.as_bytes(), &payload, f.device.signing_key());
        t.check("header-invalid", &format!("{i}"), v(&tok), |e| matches!(e, R::Proof(T::InvalidHeader(_))), "InvalidHeader");
    }
    for (i, h) in [
        format!(r#"{{"alg":"ES256","alg":"ES256","typ":"{PROOF_TYP}","jwk":{jwk_json}}}"#),
        format!(r#"{{"alg":"none","alg":"ES256","typ":"{PROOF_TYP}","jwk":{jwk_json}}}"#),
        format!(r#"{{"alg":"ES256","typ":"{PROOF_TYP}","typ":"{PROOF_TYP}","jwk":{jwk_json}}}"#),
        format!(r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{jwk_json},"jwk":{jwk_json}}}"#),
        format!(
            r#"{{"alg":"ES256","typ":"{PROOF_TYP}","jwk":{}}}"#,
            jwk_json.replace(r#""kty":"EC""#, r#""kty":"EC","kty":"EC""#)
        ),
        format!(r#"{{"alg":"ES256","\u0061lg":"ES256","typ":"{PROOF_TYP}","jwk":{jwk_json}}}"#),
    ]
    .iter()
    .enumerate()
    {
        let tok = jws::sign_raw(h.as_bytes(), &payload, f.device.signing_key());
        t.exact(
            "header-duplicate-key",
            &format!("{i}"),
            v(&tok),
            R::Proof(T::DuplicateKey(Segment::Header)),
        );
    }

    // 8. Payload encoding attacks, correctly signed.
    let hdr_json = proof_header(f.device.jwk());
    let sign_payload =
        |bytes: &[u8]| jws::sign_raw(hdr_json.as_bytes(), bytes, f.device.signing_key());
    let pretty = serde_json::to_vec_pretty(&good).unwrap();
    t.exact(
        "payload-encoding",
        "pretty",
        v(&sign_payload(&pretty)),
        R::Proof(T::NonCanonicalPayload),
    );
    let sorted = serde_json::to_vec(&serde_json::to_value(&good).unwrap()).unwrap();
    t.exact(
        "payload-encoding",
        "sorted keys",
        v(&sign_payload(&sorted)),
        R::Proof(T::NonCanonicalPayload),
    );
    let canon = serde_json::to_string(&good).unwrap();
    let sc = &good.scores;
    let arr = canon.replace(
        &format!(
            r#""scores":{{"l2_distance_e6":{},"similarity_e6":{},"threshold_l2_e6":{}}}"#,
            sc.l2_distance_e6.unwrap(),
            sc.similarity_e6.unwrap(),
            sc.threshold_l2_e6
        ),
        &format!(
            r#""scores":[{},{},{}]"#,
            sc.l2_distance_e6.unwrap(),
            sc.similarity_e6.unwrap(),
            sc.threshold_l2_e6
        ),
    );
    assert_ne!(arr, canon);
    t.exact(
        "payload-encoding",
        "struct as array",
        v(&sign_payload(arr.as_bytes())),
        R::Proof(T::NonCanonicalPayload),
    );
    let mut ws = canon.clone();
    ws.push(' ');
    t.exact(
        "payload-encoding",
        "trailing space",
        v(&sign_payload(ws.as_bytes())),
        R::Proof(T::NonCanonicalPayload),
    );
    let esc = canon.replacen(r#""aud":"https"#, r#""aud":"\u0068ttps"#, 1);
    t.exact(
        "payload-encoding",
        "escaped char",
        v(&sign_payload(esc.as_bytes())),
        R::Proof(T::NonCanonicalPayload),
    );
    let iat = format!(r#""iat":{}"#, good.iat);
    for (label, text) in [
        (
            "float iat",
            canon.replace(&iat, &format!(r#""iat":{}.0"#, good.iat)),
        ),
        (
            "exp notation iat",
            canon.replace(&iat, &format!(r#""iat":{}e0"#, good.iat)),
        ),
        (
            "string iat",
            canon.replace(&iat, &format!(r#""iat":"{}""#, good.iat)),
        ),
        ("extra claim", canon.replacen('{', r#"{"admin":true,"#, 1)),
        ("missing claim", canon.replace(&format!("{iat},"), "")),
        (
            "unknown decision",
            canon.replace(r#""decision":"match""#, r#""decision":"MATCH""#),
        ),
        (
            "extra nested",
            canon.replace(r#""backend":"webgpu""#, r#""backend":"webgpu","gpu":"x""#),
        ),
        ("not json", "not json".into()),
        ("array", "[]".into()),
        ("trailing garbage", format!("{canon}x")),
    ] {
        t.check(
            "payload-invalid",
            label,
            v(&sign_payload(text.as_bytes())),
            |e| matches!(e, R::Proof(T::InvalidPayload(_))),
            "InvalidPayload",
        );
    }
    for (label, text) in [
        (
            "aud",
            canon.replacen('{', r#"{"aud":"https://evil.example","#, 1),
        ),
        (
            "decision",
            canon.replace(
                r#""decision":"match""#,
                r#""decision":"no_match","decision":"match""#,
            ),
        ),
        (
            "nested",
            canon.replace(
                r#""backend":"webgpu""#,
                r#""backend":"x","backend":"webgpu""#,
            ),
        ),
        ("escaped", canon.replacen('{', r#"{"\u0061ud":"x","#, 1)),
        (
            "jwk",
            canon.replace(r#""kty":"EC""#, r#""kty":"EC","kty":"EC""#),
        ),
    ] {
        t.exact(
            "payload-duplicate-key",
            label,
            v(&sign_payload(text.as_bytes())),
            R::Proof(T::DuplicateKey(Segment::Payload)),
        );
    }

    // 9. Claims altered and re-signed with the device key (what a tampering client can do).
    let mut group =
        |t: &mut Tally,
         name: &str,
         n: usize,
         mutate: &mut dyn FnMut(&mut ProofClaims, &mut Rng, usize) -> R| {
            for i in 0..n {
                let mut c = good.clone();
                let want = mutate(&mut c, &mut rng, i);
                t.exact(name, &format!("{i}"), v(&resign(&c)), want);
            }
        };
    group(&mut t, "aud", 100, &mut |c, r, _| {
        c.aud = format!("https://{}.example", b64::encode(&r.bytes(6)));
        R::WrongAudience
    });
    group(&mut t, "iat-future", 100, &mut |c, r, _| {
        c.iat = AT + 31 + r.below(100_000) as i64;
        R::NotYetValid
    });
    group(&mut t, "expired", 100, &mut |c, r, _| {
        c.exp = AT - 31 - r.below(100_000) as i64;
        R::Expired
    });
    group(&mut t, "lifetime", 100, &mut |c, r, i| {
        if i % 2 == 0 {
            c.exp = c.iat + 601 + r.below(100_000) as i64;
        } else {
            c.iat = AT;
            c.exp = AT - r.below(30) as i64;
        }
        R::BadLifetime
    });
    group(&mut t, "too-old", 100, &mut |c, r, _| {
        c.iat = AT - 301 - r.below(250) as i64;
        c.exp = AT + 10;
        R::TooOld
    });
    group(&mut t, "issued-before-challenge", 100, &mut |c, r, _| {
        c.iat = NOW - 31 - r.below(250) as i64;
        c.exp = AT + 10;
        R::IssuedOutsideChallenge
    });
    group(&mut t, "nonce", 100, &mut |c, r, _| {
        c.nonce = b64::encode(&r.bytes(16));
        R::NonceMismatch
    });
    group(&mut t, "chal", 100, &mut |c, r, _| {
        c.chal = b64::encode(&r.bytes(32));
        R::ChallengeMismatch
    });
    group(&mut t, "cnf", 20, &mut |c, _, _| {
        c.cnf = DeviceKey::generate().unwrap().confirmation();
        R::KeyMismatch
    });
    group(&mut t, "module-digest", 100, &mut |c, r, i| {
        c.build.wasm_sha256 = match i {
            0 => WASM_SHA.to_uppercase(),
            1 => format!("{WASM_SHA}0"),
            2 => String::new(),
            _ => hex::encode(r.bytes(32)),
        };
        R::ModuleNotAllowed
    });
    group(&mut t, "model-digest", 150, &mut |c, r, i| {
        let k = i % 3;
        c.build.models[k].sha256 = if i < 3 {
            DETECT_SHA.to_uppercase()
        } else {
            hex::encode(r.bytes(32))
        };
        if i < 3 && k == 0 {
            // Uppercase of an allowed digest is still not the allowed digest.
        }
        R::ModelNotAllowed {
            name: c.build.models[k].name.clone(),
        }
    });
    group(&mut t, "model-added", 50, &mut |c, r, _| {
        c.build.models.push(faceproof_proof::ModelDigest {
            name: "extra".into(),
            sha256: hex::encode(r.bytes(32)),
        });
        R::ModelNotAllowed {
            name: "extra".into(),
        }
    });
    group(&mut t, "no-models", 1, &mut |c, _, _| {
        c.build.models.clear();
        R::NoModels
    });
    group(&mut t, "backend", 2, &mut |c, _, i| {
        c.liveness.backend = if i == 0 {
            String::new()
        } else {
            "b".repeat(65)
        };
        R::EvidenceInconsistent("backend name")
    });
    group(&mut t, "frames", 100, &mut |c, r, i| {
        if i == 0 {
            c.liveness.frames_total = 0;
            c.liveness.frames_with_face = 0;
            R::EvidenceInconsistent("no frames")
        } else {
            c.liveness.frames_with_face = c.liveness.frames_total + 1 + r.below(1000) as u32;
            R::EvidenceInconsistent("more frames with a face than frames")
        }
    });
    group(&mut t, "passive-range", 50, &mut |c, r, _| {
        c.liveness.passive_score_e6 = 1_000_001 + r.below(1 << 30) as u32;
        R::ScoreOutOfRange
    });
    // Every action sequence of length 1–4 other than the challenged one.
    let expected: Vec<Action> = ch.claims.actions.iter().map(|a| a.action).collect();
    let mut seqs: Vec<Vec<Action>> = vec![vec![]];
    let mut all = Vec::new();
    for _ in 0..4 {
        let mut next = Vec::new();
        for s in &seqs {
            for a in Action::ALL {
                if !s.contains(&a) {
                    let mut n = s.clone();
                    n.push(a);
                    next.push(n);
                }
            }
        }
        all.extend(next.iter().cloned());
        seqs = next;
    }
    // And sequences with a repeated action.
    for a in Action::ALL {
        all.push(vec![a, a]);
        all.push(vec![expected[0], expected[1], expected[2], a]);
    }
    all.push(vec![]);
    for (i, s) in all.iter().enumerate() {
        if *s == expected {
            continue;
        }
        let mut c = good.clone();
        c.liveness.actions = s
            .iter()
            .enumerate()
            .map(|(k, a)| ActionEvidence {
                action: *a,
                start_ms: 200 + 1300 * k as u32,
                end_ms: 1100 + 1300 * k as u32,
            })
            .collect();
        t.exact(
            "actions",
            &format!("{i}:{s:?}"),
            v(&resign(&c)),
            R::ActionsMismatch {
                expected: expected.clone(),
            },
        );
    }
    group(&mut t, "timing-reversed", 50, &mut |c, r, _| {
        let a = &mut c.liveness.actions[0];
        a.end_ms = a.start_ms.saturating_sub(1 + r.below(150) as u32);
        R::TimingViolation("action ends before it starts")
    });
    group(&mut t, "timing-overlap", 50, &mut |c, r, _| {
        c.liveness.actions[1].start_ms = c.liveness.actions[0].end_ms - 1 - r.below(500) as u32;
        R::TimingViolation("actions overlap or are out of order")
    });
    group(&mut t, "timing-too-fast", 100, &mut |c, r, i| {
        let a = &mut c.liveness.actions[i % 3];
        a.end_ms = a.start_ms + r.below(100) as u32;
        R::TimingViolation("action implausibly fast")
    });
    group(&mut t, "timing-over-limit", 50, &mut |c, r, _| {
        let a = &mut c.liveness.actions[2];
        a.end_ms = a.start_ms + 10_001 + r.below(20_000) as u32;
        R::TimingViolation("action over its time limit")
    });
    group(&mut t, "timing-session", 50, &mut |c, r, _| {
        let a = &mut c.liveness.actions[2];
        a.start_ms = 55_000 + r.below(4_000) as u32;
        a.end_ms = 60_001 + r.below(4_000) as u32;
        R::TimingViolation("session over its time limit")
    });
    group(&mut t, "timing-vs-clock", 50, &mut |c, r, _| {
        let a = &mut c.liveness.actions[2];
        a.start_ms = 39_000;
        a.end_ms = 40_001 + r.below(8_000) as u32;
        R::TimingViolation("evidence longer than the time since the challenge")
    });
    group(&mut t, "reference-kind", 1, &mut |c, _, _| {
        c.reference.kind = faceproof_proof::ReferenceKind::ServerTemplate;
        R::ReferenceKindMismatch
    });
    group(&mut t, "reference-malformed", 60, &mut |c, r, i| {
        match i % 3 {
            0 => {
                let n = r.below(16) as usize;
                c.reference.salt = b64::encode(&r.bytes(n))
            }
            1 => {
                let n = r.below(32) as usize;
                c.reference.digest = b64::encode(&r.bytes(n))
            }
            _ => c.reference.salt = format!("{}=", c.reference.salt),
        }
        R::ReferenceMalformed
    });
    group(&mut t, "score-range", 100, &mut |c, r, i| {
        match i % 3 {
            0 | 1 => c.scores.similarity_e6 = Some(1_000_001 + r.below(1 << 30) as u32),
            _ => c.scores.threshold_l2_e6 = 0,
        }
        R::ScoreOutOfRange
    });
    group(&mut t, "decision-inconsistent", 200, &mut |c, r, i| {
        let th = c.scores.threshold_l2_e6;
        match i % 8 {
            // match, but the distance is at or beyond the threshold.
            0 | 1 => c.scores.l2_distance_e6 = Some(th + r.below(2_000_000) as u32),
            // no_match, but the distance is below the threshold.
            2 | 3 => {
                c.decision = faceproof_proof::Decision::NoMatch;
                c.scores.l2_distance_e6 = Some(th - 1 - r.below(u64::from(th)) as u32);
            }
            // match / no_match without scores.
            4 => c.scores.l2_distance_e6 = None,
            5 => c.scores.similarity_e6 = None,
            6 => {
                c.decision = faceproof_proof::Decision::NoMatch;
                c.scores.l2_distance_e6 = None;
                c.scores.similarity_e6 = None;
            }
            // not_live with half the scores.
            _ => {
                c.decision = faceproof_proof::Decision::NotLive;
                c.scores.similarity_e6 = None;
            }
        }
        R::DecisionInconsistent
    });
    group(&mut t, "threshold-loose", 100, &mut |c, r, _| {
        // A looser engine threshold than the policy allows (distance still below it).
        c.scores.threshold_l2_e6 = 600_001 + r.below(2_000_000) as u32;
        R::ThresholdTooLoose
    });
    group(&mut t, "passive-low", 100, &mut |c, r, _| {
        c.liveness.passive_score_e6 = 499_999 - r.below(500_000) as u32;
        R::LivenessTooLow
    });
    group(&mut t, "negative-decision", 100, &mut |c, r, i| {
        if i % 2 == 0 {
            c.decision = faceproof_proof::Decision::NoMatch;
            c.scores.l2_distance_e6 = Some(c.scores.threshold_l2_e6 + r.below(1_000_000) as u32);
            c.scores.similarity_e6 = Some(r.below(500_000) as u32);
            R::NotMatched(faceproof_proof::Decision::NoMatch)
        } else {
            c.decision = faceproof_proof::Decision::NotLive;
            R::NotMatched(faceproof_proof::Decision::NotLive)
        }
    });

    // 10. Policy-dependent rejections.
    {
        let mut p2 = p.clone();
        p2.allowed_backends = vec!["wasm-simd".into()];
        t.exact(
            "policy",
            "backend",
            verify_at(&token, &ch.token, &p2, AT),
            R::BackendNotAllowed("webgpu".into()),
        );
        for i in 0..20 {
            let mut p3 = p.clone();
            p3.expected_device_key = Some(DeviceKey::generate().unwrap().thumbprint());
            t.exact(
                "policy",
                &format!("device-key {i}"),
                verify_at(&token, &ch.token, &p3, AT),
                R::DeviceKeyMismatch,
            );
        }
        let mut p4 = p.clone();
        p4.expected_device_key = Some(f.device.thumbprint());
        assert!(verify_at(&token, &ch.token, &p4, AT).is_ok());
        // Score policy: the good proof has distance 431234, similarity 999972.
        for i in 0..20u32 {
            let mut p5 = p.clone();
            p5.max_l2_distance_e6 = Some(431_233 - i * 10_000);
            t.exact(
                "policy",
                &format!("max-distance {i}"),
                verify_at(&token, &ch.token, &p5, AT),
                R::MatchTooWeak,
            );
            let mut p6 = p.clone();
            p6.min_similarity_e6 = 999_973 + i;
            t.exact(
                "policy",
                &format!("min-similarity {i}"),
                verify_at(&token, &ch.token, &p6, AT),
                R::MatchTooWeak,
            );
            let mut p7 = p.clone();
            p7.max_threshold_l2_e6 = 599_999 - i * 10_000;
            t.exact(
                "policy",
                &format!("max-threshold {i}"),
                verify_at(&token, &ch.token, &p7, AT),
                R::ThresholdTooLoose,
            );
        }
        let mut p8 = p.clone();
        p8.max_l2_distance_e6 = Some(431_234);
        p8.min_similarity_e6 = 999_972;
        assert!(verify_at(&token, &ch.token, &p8, AT).is_ok());
    }

    // 11. Challenge-side attacks.
    // Another session's challenge (same server, same audience).
    for i in 0..100 {
        let other = f.challenge(NOW + (i % 5));
        t.exact(
            "other-session-challenge",
            &format!("{i}"),
            verify_at(&token, &other.token, p, AT),
            R::ChallengeMismatch,
        );
    }
    // Challenge from a server key the policy does not trust, with its own or a spoofed kid.
    for i in 0..20 {
        let rogue = ChallengeIssuer::generate("faceproof").unwrap();
        let rc = rogue.issue(&ChallengeOptions::new(AUDIENCE), NOW).unwrap();
        t.exact(
            "rogue-challenge",
            &format!("{i}"),
            verify_at(&token, &rc.token, p, AT),
            R::Challenge(T::UnknownKey),
        );
        let h = format!(
            r#"{{"alg":"ES256","typ":"{CHALLENGE_TYP}","kid":"{}"}}"#,
            f.issuer.kid()
        );
        let forged = jws::sign_raw(
            h.as_bytes(),
            &serde_json::to_vec(&ch.claims).unwrap(),
            rogue_key(&rogue),
        );
        t.exact(
            "rogue-challenge-spoofed-kid",
            &format!("{i}"),
            verify_at(&token, &forged, p, AT),
            R::Challenge(T::BadSignature),
        );
    }
    // Times, audience, issuer of the challenge.
    t.exact(
        "challenge-expired",
        "",
        verify_at(&token, &ch.token, p, ch.claims.exp + 31),
        R::ChallengeExpired,
    );
    t.exact(
        "challenge-future",
        "",
        verify_at(&token, &ch.token, p, NOW - 31),
        R::ChallengeNotYetValid,
    );
    {
        let wrong_aud = f
            .issuer
            .issue(&ChallengeOptions::new("https://other.example"), NOW)
            .unwrap();
        t.exact(
            "challenge-aud",
            "",
            verify_at(&token, &wrong_aud.token, p, AT),
            R::ChallengeWrongAudience,
        );
        let other_iss = ChallengeIssuer::new(jws::generate_key().unwrap(), "someone-else");
        let mut p5 = p.clone();
        p5.challenge_keys.push(other_iss.public_jwk().clone());
        let c5 = other_iss
            .issue(&ChallengeOptions::new(AUDIENCE), NOW)
            .unwrap();
        t.exact(
            "challenge-iss",
            "",
            verify_at(&token, &c5.token, &p5, AT),
            R::ChallengeWrongIssuer {
                expected: "faceproof".into(),
            },
        );
    }
    // Malformed challenges signed by the real server key.
    let server_key = rogue_key(&f.issuer);
    let sign_ch = |c: &ChallengeClaims| {
        let h = format!(
            r#"{{"alg":"ES256","typ":"{CHALLENGE_TYP}","kid":"{}"}}"#,
            f.issuer.kid()
        );
        jws::sign_raw(h.as_bytes(), &serde_json::to_vec(c).unwrap(), server_key)
    };
    let mut bad_challenges: Vec<(ChallengeClaims, &str)> = Vec::new();
    let mut c = ch.claims.clone();
    c.actions.truncate(1);
    bad_challenges.push((c, "2 to 4 actions"));
    let mut c = ch.claims.clone();
    c.actions.clear();
    bad_challenges.push((c, "2 to 4 actions"));
    let mut c = ch.claims.clone();
    while c.actions.len() < 5 {
        c.actions.push(faceproof_proof::ChallengeAction {
            action: Action::ALL[c.actions.len()],
            limit_ms: 1000,
        });
    }
    bad_challenges.push((c, "2 to 4 actions"));
    let mut c = ch.claims.clone();
    c.actions[1].action = c.actions[0].action;
    bad_challenges.push((c, "actions must be distinct"));
    let mut c = ch.claims.clone();
    c.actions[0].limit_ms = 0;
    bad_challenges.push((c, "action limit"));
    let mut c = ch.claims.clone();
    c.nonce = b64::encode(&[1u8; 8]);
    bad_challenges.push((c, "nonce must be 16 bytes, base64url"));
    let mut c = ch.claims.clone();
    c.exp = c.iat + 7200;
    bad_challenges.push((c, "lifetime"));
    let mut c = ch.claims.clone();
    c.reference = Some(faceproof_proof::ReferenceTemplate {
        dim: 64,
        f32le: b64::encode(&[0u8; 256]),
    });
    bad_challenges.push((c, "reference template"));
    for (i, (c, why)) in bad_challenges.iter().enumerate() {
        t.exact(
            "challenge-invalid",
            &format!("{i}"),
            verify_at(&token, &sign_ch(c), p, AT),
            R::ChallengeInvalid(why),
        );
    }
    // Challenge token confusion.
    t.exact(
        "confusion",
        "challenge as proof",
        verify_at(&ch.token, &ch.token, p, AT),
        R::Proof(T::WrongTyp {
            expected: PROOF_TYP,
            found: Some(CHALLENGE_TYP.into()),
        }),
    );
    t.exact(
        "confusion",
        "proof as challenge",
        verify_at(&token, &token, p, AT),
        R::Challenge(T::WrongTyp {
            expected: CHALLENGE_TYP,
            found: Some(PROOF_TYP.into()),
        }),
    );
    // Every character of the challenge token replaced.
    let cb = ch.token.as_bytes();
    for pos in 0..cb.len() {
        if cb[pos] == b'.' {
            continue;
        }
        for c in [B64[(pos * 7) % 64], B64[(pos * 13 + 5) % 64], b'+', b'='] {
            if c == cb[pos] {
                continue;
            }
            let mut m = cb.to_vec();
            m[pos] = c;
            let m = String::from_utf8(m).unwrap();
            t.check(
                "challenge-char",
                &format!("{pos}"),
                verify_at(&token, &m, p, AT),
                |e| matches!(e, R::Challenge(_)),
                "a challenge token rejection",
            );
        }
    }

    // 12. Reference template challenges.
    let cht = f.challenge_with(NOW, None, true);
    let good_t = testkit::valid_claims(&cht, &f.device);
    let vt = |c: &ProofClaims| verify_at(&resign(c), &cht.token, p, AT);
    assert!(vt(&good_t).is_ok(), "template baseline");
    for i in 0..100 {
        let mut c = good_t.clone();
        match i % 3 {
            0 => c.reference.digest = b64::encode(&rng.bytes(32)),
            1 => c.reference.salt = b64::encode(&rng.bytes(16)),
            _ => c.reference.salt = b64::encode(&rng.bytes(17 + (i % 40) as usize)),
        }
        t.exact(
            "reference-digest",
            &format!("{i}"),
            vt(&c),
            R::ReferenceMismatch,
        );
    }
    {
        let kind = faceproof_proof::ReferenceKind::IdPhoto;
        let mut c = good_t.clone();
        c.reference.kind = kind;
        t.exact(
            "reference-kind-template",
            &format!("{kind:?}"),
            vt(&c),
            R::ReferenceKindMismatch,
        );
    }

    // Report.
    println!("mutation cases: {} ({} groups)", t.cases, t.per_group.len());
    for (g, n) in &t.per_group {
        println!("  {g:<32} {n}");
    }
    if !t.failures.is_empty() {
        for f in t.failures.iter().take(40) {
            eprintln!("{f}");
        }
        panic!(
            "{} of {} mutations not rejected as expected",
            t.failures.len(),
            t.cases
        );
    }
    assert!(t.cases >= 10_000, "only {} mutation cases", t.cases);
    println!(
        "all {} mutations rejected with the expected reason",
        t.cases
    );
}

/// The signing key inside an issuer (tests only: re-sign hostile challenges with the real key).
fn rogue_key(i: &ChallengeIssuer) -> &p256::ecdsa::SigningKey {
    i.signing_key()
}

fn collect_leaves(v: &serde_json::Value, path: String, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                collect_leaves(x, format!("{path}/{k}"), out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                collect_leaves(x, format!("{path}/{i}"), out);
            }
        }
        _ => out.push(path),
    }
}

fn alter_leaf(v: &mut serde_json::Value, path: &str, k: usize) {
    let leaf = v.pointer_mut(path).unwrap();
    *leaf = match (&*leaf, k) {
        (serde_json::Value::Number(n), 0) => serde_json::json!(n.as_i64().unwrap() + 1),
        (serde_json::Value::Number(n), 1) => serde_json::json!(n.as_i64().unwrap() - 1),
        (serde_json::Value::Number(n), 2) => serde_json::json!(n.as_i64().unwrap() * 2 + 7),
        (serde_json::Value::String(s), 0) => serde_json::json!(format!("{s}x")),
        (serde_json::Value::String(s), 1) => serde_json::json!(s.chars().rev().collect::<String>()),
        (serde_json::Value::String(_), 2) => serde_json::json!("match"),
        _ => serde_json::Value::Null,
    };
}

#[test]
fn challenge_hash_is_sha256_of_token_ascii() {
    use sha2::Digest;
    let f = Fixture::new();
    let ch = f.challenge(NOW);
    assert_eq!(
        challenge_hash(&ch.token),
        b64::encode(&Sha256::digest(ch.token.as_bytes()))
    );
}
