//! Native proof signing with a device key (the browser uses WebCrypto instead).

use p256::ecdsa::SigningKey;

use crate::claims::{Confirmation, PROOF_TYP, ProofClaims};
use crate::jws::{self, Jwk, KeyRef};

/// A P-256 device key that signs proofs.
pub struct DeviceKey {
    key: SigningKey,
    jwk: Jwk,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKey")
            .field("jwk", &self.jwk)
            .finish_non_exhaustive()
    }
}

impl DeviceKey {
    pub fn new(key: SigningKey) -> Self {
        let jwk = jws::public_jwk(&key);
        DeviceKey { key, jwk }
    }

    /// A fresh random key.
    pub fn generate() -> Result<Self, rand_core::Error> {
        Ok(Self::new(jws::generate_key()?))
    }

    pub fn jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// RFC 7638 thumbprint of the public key.
    pub fn thumbprint(&self) -> String {
        self.jwk.thumbprint()
    }

    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// A `cnf` claim naming this key.
    pub fn confirmation(&self) -> Confirmation {
        Confirmation {
            jwk: self.jwk.clone(),
        }
    }

    /// Signs the claims as a proof token (header `jwk` = this key).
    pub fn sign_proof(&self, claims: &ProofClaims) -> Result<String, serde_json::Error> {
        jws::sign(claims, PROOF_TYP, KeyRef::Embedded(&self.jwk), &self.key)
    }
}
