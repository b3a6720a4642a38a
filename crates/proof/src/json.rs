//! Strict JSON checks applied before typed deserialisation.
//!
//! `serde_json` silently keeps the last of duplicate object keys inside maps,
//! and JWS (RFC 7515 §5.2) says a parser MUST either reject duplicates or use a
//! JSON parser that returns only the lexically last one. We reject them, at
//! every nesting level, comparing keys after unescaping (`"a"` and `"\u0061"`
//! are the same key).

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};

const DUP_MARKER: &str = "faceproof: duplicate key";

/// Why a JSON document was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonIssue {
    /// An object holds the same key twice.
    DuplicateKey,
    /// Not JSON, or not the expected shape.
    Invalid(String),
}

struct NoDup;

impl<'de> Deserialize<'de> for NoDup {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoDupVisitor)
    }
}

struct NoDupVisitor;

impl<'de> Visitor<'de> for NoDupVisitor {
    type Value = NoDup;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<NoDup, E> {
        Ok(NoDup)
    }
    fn visit_i64<E>(self, _: i64) -> Result<NoDup, E> {
        Ok(NoDup)
    }
    fn visit_u64<E>(self, _: u64) -> Result<NoDup, E> {
        Ok(NoDup)
    }
    fn visit_f64<E>(self, _: f64) -> Result<NoDup, E> {
        Ok(NoDup)
    }
    fn visit_str<E>(self, _: &str) -> Result<NoDup, E> {
        Ok(NoDup)
    }
    fn visit_unit<E>(self) -> Result<NoDup, E> {
        Ok(NoDup)
    }
    fn visit_none<E>(self) -> Result<NoDup, E> {
        Ok(NoDup)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NoDup, A::Error> {
        while seq.next_element::<NoDup>()?.is_some() {}
        Ok(NoDup)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoDup, A::Error> {
        let mut keys = HashSet::new();
        while let Some(k) = map.next_key::<String>()? {
            if !keys.insert(k) {
                return Err(de::Error::custom(DUP_MARKER));
            }
            map.next_value::<NoDup>()?;
        }
        Ok(NoDup)
    }
}

/// Checks that `bytes` is one JSON value without duplicate keys.
pub fn check_no_duplicates(bytes: &[u8]) -> Result<(), JsonIssue> {
    match serde_json::from_slice::<NoDup>(bytes) {
        Ok(NoDup) => Ok(()),
        Err(e) => {
            let msg = e.to_string();
            if msg.starts_with(DUP_MARKER) {
                Err(JsonIssue::DuplicateKey)
            } else {
                Err(JsonIssue::Invalid(msg))
            }
        }
    }
}

/// Duplicate check, then typed parse.
pub fn parse_strict<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonIssue> {
    check_no_duplicates(bytes)?;
    serde_json::from_slice(bytes).map_err(|e| JsonIssue::Invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_found_at_any_depth() {
        assert_eq!(check_no_duplicates(br#"{"a":1,"b":2}"#), Ok(()));
        assert_eq!(
            check_no_duplicates(br#"{"a":1,"a":2}"#),
            Err(JsonIssue::DuplicateKey)
        );
        assert_eq!(
            check_no_duplicates(br#"{"x":[{"a":1,"\u0061":2}]}"#),
            Err(JsonIssue::DuplicateKey)
        );
        assert!(matches!(
            check_no_duplicates(br#"{"a":1"#),
            Err(JsonIssue::Invalid(_))
        ));
        let deep = "[".repeat(10_000);
        assert!(matches!(
            check_no_duplicates(deep.as_bytes()),
            Err(JsonIssue::Invalid(_))
        ));
    }
}
