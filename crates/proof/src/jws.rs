//! Compact JWS (RFC 7515) with ES256 (RFC 7518 §3.4) only.
//!
//! All cryptography is RustCrypto's (`p256::ecdsa`, SHA-256 inside it); this
//! module only assembles and strictly parses the compact serialisation:
//! `BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(r || s)`.
//!
//! An ES256 signature is the 64-byte big-endian `r || s` (RFC 7518 §3.4),
//! which is exactly what WebCrypto's `crypto.subtle.sign({name: "ECDSA",
//! hash: "SHA-256"}, …)` returns for a P-256 key (IEEE P1363 format), so a
//! browser-made signature needs no conversion. ECDSA signatures are
//! malleable (`s` and `n - s` both verify); WebCrypto emits high-`s` values
//! half of the time, so both are accepted. Nothing here keys on the token's
//! bytes for uniqueness: single use is enforced on the challenge nonce.

use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::b64;
use crate::json::{self, JsonIssue};

/// Largest accepted compact token, in bytes (challenge or proof).
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The only accepted `alg`.
pub const ALG_ES256: &str = "ES256";

/// Which part of a compact JWS a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Header,
    Payload,
    Signature,
}

impl std::fmt::Display for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        })
    }
}

/// Why a compact token was refused before any claim was looked at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("token is {len} bytes, over the {MAX_TOKEN_LEN}-byte limit")]
    TooLarge { len: usize },
    #[error("not a compact JWS: expected three '.'-separated ASCII segments")]
    Malformed,
    #[error("{0} segment is not canonical unpadded base64url")]
    Base64(Segment),
    #[error("{0} JSON has a duplicate key")]
    DuplicateKey(Segment),
    #[error("header is not the expected JSON object: {0}")]
    InvalidHeader(String),
    #[error("alg \"none\" is refused")]
    AlgNone,
    #[error("alg {0:?} is refused (only ES256 is accepted)")]
    UnsupportedAlg(String),
    #[error("typ {found:?} is not {expected:?}")]
    WrongTyp {
        expected: &'static str,
        found: Option<String>,
    },
    #[error("header names no usable key (jwk for proofs, kid for challenges)")]
    MissingKey,
    #[error("header kid names no key this verifier trusts")]
    UnknownKey,
    #[error("jwk is not a valid P-256 public key")]
    BadKey,
    #[error("signature is not 64 bytes of r||s with r, s in [1, n)")]
    BadSignatureEncoding,
    #[error("signature does not verify")]
    BadSignature,
    #[error("payload is not the expected claims object: {0}")]
    InvalidPayload(String),
    #[error("payload is not in the canonical encoding (field order, no whitespace)")]
    NonCanonicalPayload,
}

impl TokenError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            TokenError::TooLarge { .. } => "too_large",
            TokenError::Malformed => "malformed",
            TokenError::Base64(_) => "base64",
            TokenError::DuplicateKey(_) => "duplicate_key",
            TokenError::InvalidHeader(_) => "invalid_header",
            TokenError::AlgNone => "alg_none",
            TokenError::UnsupportedAlg(_) => "unsupported_alg",
            TokenError::WrongTyp { .. } => "wrong_typ",
            TokenError::MissingKey => "missing_key",
            TokenError::UnknownKey => "unknown_key",
            TokenError::BadKey => "bad_key",
            TokenError::BadSignatureEncoding => "bad_signature_encoding",
            TokenError::BadSignature => "bad_signature",
            TokenError::InvalidPayload(_) => "invalid_payload",
            TokenError::NonCanonicalPayload => "non_canonical_payload",
        }
    }
}

/// A P-256 public key as a JWK (RFC 7517/7518 §6.2), members in this order
/// and no others (`ext`, `key_ops` from WebCrypto's export must be dropped).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jwk {
    pub kty: String,
    pub crv: String,
    pub x: String,
    pub y: String,
}

impl Jwk {
    /// The JWK of a verifying key.
    pub fn from_verifying_key(key: &VerifyingKey) -> Jwk {
        let point = key.to_encoded_point(false);
        let x = point.x().map(|c| b64::encode(c)).unwrap_or_default();
        let y = point.y().map(|c| b64::encode(c)).unwrap_or_default();
        Jwk {
            kty: "EC".into(),
            crv: "P-256".into(),
            x,
            y,
        }
    }

    /// Parses the JWK into a key, checking the point is on the curve.
    pub fn to_verifying_key(&self) -> Result<VerifyingKey, TokenError> {
        if self.kty != "EC" || self.crv != "P-256" {
            return Err(TokenError::BadKey);
        }
        let x = b64::decode_array::<32>(&self.x).ok_or(TokenError::BadKey)?;
        let y = b64::decode_array::<32>(&self.y).ok_or(TokenError::BadKey)?;
        let mut sec1 = [0u8; 65];
        sec1[0] = 4;
        sec1[1..33].copy_from_slice(&x);
        sec1[33..].copy_from_slice(&y);
        VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| TokenError::BadKey)
    }

    /// RFC 7638 thumbprint: base64url(SHA-256 of `{"crv","kty","x","y"}`).
    pub fn thumbprint(&self) -> String {
        #[derive(Serialize)]
        struct Canon<'a> {
            crv: &'a str,
            kty: &'a str,
            x: &'a str,
            y: &'a str,
        }
        let canon = Canon {
            crv: &self.crv,
            kty: &self.kty,
            x: &self.x,
            y: &self.y,
        };
        // Serialising four &str fields cannot fail.
        let bytes = serde_json::to_vec(&canon).unwrap_or_default();
        b64::encode(&Sha256::digest(bytes))
    }
}

/// The protected header as parsed (unknown members, e.g. `crit`, are refused).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    alg: String,
    #[serde(default)]
    typ: Option<String>,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    jwk: Option<Jwk>,
}

#[derive(Serialize)]
struct OutHeader<'a> {
    alg: &'a str,
    typ: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jwk: Option<&'a Jwk>,
}

/// How the header identifies the key to sign with / verify against.
#[derive(Debug, Clone, Copy)]
pub enum KeyRef<'a> {
    /// The header embeds the public key as `jwk` (proofs: self-asserted device key).
    Embedded(&'a Jwk),
    /// The header names a key by `kid` (RFC 7638 thumbprint) from a trusted set (challenges).
    Kid(&'a str),
}

/// Where the verifier takes keys from.
#[derive(Debug, Clone, Copy)]
pub enum TrustedKeys<'a> {
    /// Accept the key embedded in the header (`jwk`); no `kid` allowed.
    Embedded,
    /// The header must carry a `kid` naming one of these keys; no `jwk` allowed.
    ByKid(&'a [Jwk]),
}

/// The protected header JSON for `typ` and `key_ref`: `{"alg":"ES256","typ":…,"kid"|"jwk":…}`.
pub fn header_json(typ: &str, key_ref: KeyRef<'_>) -> Result<Vec<u8>, serde_json::Error> {
    let (kid, jwk) = match key_ref {
        KeyRef::Embedded(j) => (None, Some(j)),
        KeyRef::Kid(k) => (Some(k), None),
    };
    serde_json::to_vec(&OutHeader {
        alg: ALG_ES256,
        typ,
        kid,
        jwk,
    })
}

/// The JWS signing input: `BASE64URL(header) "." BASE64URL(payload)`, the
/// exact bytes an ES256 signer (RustCrypto here, WebCrypto in a browser) signs.
pub fn signing_input(header: &[u8], payload: &[u8]) -> String {
    let mut input = b64::encode(header);
    input.push('.');
    input.push_str(&b64::encode(payload));
    input
}

/// Appends a raw signature (ES256: 64-byte `r || s`) to a signing input: the compact JWS.
pub fn attach_signature(signing_input: &str, signature: &[u8]) -> String {
    let mut token = String::with_capacity(signing_input.len() + 1 + signature.len() * 4 / 3 + 2);
    token.push_str(signing_input);
    token.push('.');
    token.push_str(&b64::encode(signature));
    token
}

/// Signs `claims` (serialised with serde's field order, no whitespace) as a compact JWS.
pub fn sign<T: Serialize>(
    claims: &T,
    typ: &str,
    key_ref: KeyRef<'_>,
    key: &SigningKey,
) -> Result<String, serde_json::Error> {
    let header = header_json(typ, key_ref)?;
    let payload = serde_json::to_vec(claims)?;
    Ok(sign_raw(&header, &payload, key))
}

/// Signs arbitrary header and payload bytes (tests use this to build hostile tokens).
pub fn sign_raw(header: &[u8], payload: &[u8], key: &SigningKey) -> String {
    let input = signing_input(header, payload);
    let sig: Signature = key.sign(input.as_bytes());
    attach_signature(&input, &sig.to_bytes())
}

/// A token whose signature verified.
#[derive(Debug, Clone)]
pub struct Verified<T> {
    /// The key that verified the signature.
    pub key: Jwk,
    pub claims: T,
}

fn split(token: &str) -> Result<(&str, &str, &str), TokenError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::TooLarge { len: token.len() });
    }
    if !token.is_ascii() {
        return Err(TokenError::Malformed);
    }
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => Ok((h, p, s)),
        _ => Err(TokenError::Malformed),
    }
}

fn parse_header(h: &str) -> Result<RawHeader, TokenError> {
    let bytes = b64::decode(h).ok_or(TokenError::Base64(Segment::Header))?;
    let value = json::parse_strict::<serde_json::Value>(&bytes).map_err(|e| match e {
        JsonIssue::DuplicateKey => TokenError::DuplicateKey(Segment::Header),
        JsonIssue::Invalid(m) => TokenError::InvalidHeader(m),
    })?;
    // serde would also accept JSON arrays for structs: insist on objects.
    let jwk_is_object = value.get("jwk").is_none_or(serde_json::Value::is_object);
    if !value.is_object() || !jwk_is_object {
        return Err(TokenError::InvalidHeader(
            "header and jwk must be JSON objects".into(),
        ));
    }
    serde_json::from_value::<RawHeader>(value).map_err(|e| TokenError::InvalidHeader(e.to_string()))
}

/// Reads the embedded `jwk` without verifying anything (rate limiting by device).
pub fn peek_embedded_jwk(token: &str) -> Option<Jwk> {
    let (h, _, _) = split(token).ok()?;
    parse_header(h).ok()?.jwk
}

/// Strictly parses a compact token's header (`alg` ES256, `typ`) and payload
/// (duplicates, schema, canonical encoding) **without checking the signature**.
///
/// For a client that holds a token it cannot verify (a browser holding the
/// server's challenge) and needs its claims; never for a trust decision.
pub fn decode_unverified<T: DeserializeOwned + Serialize>(
    token: &str,
    expected_typ: &'static str,
) -> Result<T, TokenError> {
    let (h, p, _) = split(token)?;
    let header = parse_header(h)?;
    if header.alg.eq_ignore_ascii_case("none") {
        return Err(TokenError::AlgNone);
    }
    if header.alg != ALG_ES256 {
        return Err(TokenError::UnsupportedAlg(header.alg));
    }
    if header.typ.as_deref() != Some(expected_typ) {
        return Err(TokenError::WrongTyp {
            expected: expected_typ,
            found: header.typ,
        });
    }
    let payload = b64::decode(p).ok_or(TokenError::Base64(Segment::Payload))?;
    parse_canonical(&payload)
}

fn parse_canonical<T: DeserializeOwned + Serialize>(payload: &[u8]) -> Result<T, TokenError> {
    let claims: T = json::parse_strict(payload).map_err(|e| match e {
        JsonIssue::DuplicateKey => TokenError::DuplicateKey(Segment::Payload),
        JsonIssue::Invalid(m) => TokenError::InvalidPayload(m),
    })?;
    let canonical =
        serde_json::to_vec(&claims).map_err(|e| TokenError::InvalidPayload(e.to_string()))?;
    if canonical != payload {
        return Err(TokenError::NonCanonicalPayload);
    }
    Ok(claims)
}

/// Strictly parses and verifies a compact ES256 JWS, then its claims.
///
/// Check order (it fixes which reason a bad token gets): size, shape,
/// header base64url, header JSON (duplicates, unknown members), `alg`,
/// `typ`, key, payload base64url, signature encoding, signature, payload
/// JSON (duplicates, schema), canonical encoding.
pub fn verify<T: DeserializeOwned + Serialize>(
    token: &str,
    expected_typ: &'static str,
    keys: TrustedKeys<'_>,
) -> Result<Verified<T>, TokenError> {
    let (h, p, s) = split(token)?;
    let header = parse_header(h)?;
    if header.alg.eq_ignore_ascii_case("none") {
        return Err(TokenError::AlgNone);
    }
    if header.alg != ALG_ES256 {
        return Err(TokenError::UnsupportedAlg(header.alg));
    }
    if header.typ.as_deref() != Some(expected_typ) {
        return Err(TokenError::WrongTyp {
            expected: expected_typ,
            found: header.typ,
        });
    }
    let jwk = match (keys, header.jwk, header.kid) {
        (TrustedKeys::Embedded, Some(jwk), None) => jwk,
        (TrustedKeys::ByKid(set), None, Some(kid)) => set
            .iter()
            .find(|k| k.thumbprint() == kid)
            .cloned()
            .ok_or(TokenError::UnknownKey)?,
        _ => return Err(TokenError::MissingKey),
    };
    let vk = jwk.to_verifying_key()?;
    let payload = b64::decode(p).ok_or(TokenError::Base64(Segment::Payload))?;
    let sig_bytes = b64::decode(s).ok_or(TokenError::Base64(Segment::Signature))?;
    let sig = Signature::from_slice(&sig_bytes).map_err(|_| TokenError::BadSignatureEncoding)?;
    // The signing input is the ASCII of the first two segments as received.
    let input_len = h.len() + 1 + p.len();
    let input = token.get(..input_len).ok_or(TokenError::Malformed)?;
    vk.verify(input.as_bytes(), &sig)
        .map_err(|_| TokenError::BadSignature)?;
    let claims: T = parse_canonical(&payload)?;
    Ok(Verified { key: jwk, claims })
}

/// A fresh random P-256 signing key from the OS RNG (`getrandom`).
pub fn generate_key() -> Result<SigningKey, rand_core::Error> {
    use rand_core::RngCore;
    loop {
        let mut bytes = [0u8; 32];
        rand_core::OsRng.try_fill_bytes(&mut bytes)?;
        // Out-of-range scalars (probability ~2^-32) are simply redrawn.
        if let Ok(key) = SigningKey::from_bytes(&bytes.into()) {
            return Ok(key);
        }
    }
}

/// The JWK of a signing key's public half.
pub fn public_jwk(key: &SigningKey) -> Jwk {
    Jwk::from_verifying_key(key.verifying_key())
}
