//! Strict base64url (RFC 4648 §5, no padding), as JWS requires (RFC 7515 §2).
//!
//! Decoding accepts only the canonical encoding: the alphabet `A–Z a–z 0–9 - _`,
//! no padding, no whitespace, and no non-zero trailing bits (so every byte
//! string has exactly one accepted text form).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Encodes bytes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes canonical unpadded base64url; `None` for anything else.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    if !text
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
    // Belt and braces: the canonical form must round-trip exactly.
    if URL_SAFE_NO_PAD.encode(&bytes) != text {
        return None;
    }
    Some(bytes)
}

/// Decodes canonical base64url that must be exactly `N` bytes long.
pub fn decode_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    let v = decode(text)?;
    v.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_strictness() {
        for n in 0..40usize {
            let data: Vec<u8> = (0..n as u8).collect();
            let t = encode(&data);
            assert_eq!(decode(&t).as_deref(), Some(&data[..]));
        }
        assert!(decode("AQ==").is_none(), "padding");
        assert!(decode("A+8").is_none(), "std alphabet");
        assert!(decode("A/8").is_none(), "std alphabet");
        assert!(decode("AQ ").is_none(), "whitespace");
        assert!(decode("AR").is_none(), "non-zero trailing bits");
        assert!(decode("A").is_none(), "impossible length");
        assert_eq!(decode("AQ"), Some(vec![1]));
    }
}
