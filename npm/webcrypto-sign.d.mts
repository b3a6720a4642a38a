// Types of `faceproof/webcrypto-sign` (www/sdk/webcrypto-sign.mjs): the device key and ES256 proof signing,
// in browsers and Node >= 20 (globalThis.crypto.subtle). The page API already uses it; import it only to sign
// claims yourself or to inspect the device key.

/** The proof's JWS `typ`. */
export const PROOF_TYP: 'faceproof-proof-v1+jwt';
/** Longest token the verifier accepts (16 KiB). */
export const MAX_TOKEN_LEN: number;

/** A P-256 public key as the verifier accepts it: exactly these members. */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** The proof claims (crates/proof `ProofClaims`), in canonical member order. Integers only. */
export interface ProofClaims {
  aud: string;
  iat: number;
  exp: number;
  nonce: string;
  /** base64url(SHA-256(the exact challenge token)). */
  chal: string;
  decision: 'match' | 'no_match' | 'not_live';
  scores: { l2_distance_e6: number | null; similarity_e6: number | null; threshold_l2_e6: number };
  liveness: {
    actions: Array<{ action: 'blink' | 'turn_left' | 'turn_right' | 'nod' | 'look_straight'; start_ms: number; end_ms: number }>;
    passive_score_e6: number;
    frames_total: number;
    frames_with_face: number;
    /** Which backend ran the models (`webgpu`, `cpu`). */
    backend: string;
  };
  reference: { kind: 'id_photo' | 'server_template'; salt: string; digest: string };
  build: { module_version: string; wasm_sha256: string; models: Array<{ name: string; sha256: string }> };
  cnf: { jwk: PublicJwk };
}

/** A copy of `claims` with members in canonical order; throws on unknown/missing members or non-integers. */
export function canonicalClaims<T extends object>(claims: T): T;
/** base64url without padding. */
export function b64u(bytes: ArrayBuffer | ArrayBufferView): string;
/** The `chal` claim: base64url(SHA-256(ASCII of the compact challenge token)). */
export function challengeHash(challengeToken: string): Promise<string>;
/** A new non-extractable P-256 signing key pair. */
export function generateDeviceKey(): Promise<CryptoKeyPair>;
/** The public JWK with exactly kty, crv, x, y. */
export function publicJwk(publicKey: CryptoKey): Promise<PublicJwk>;
/** Browser only: this device's key from IndexedDB, created (non-extractable) on first use. */
export function loadOrCreateDeviceKey(options?: { db?: string; store?: string; id?: string }): Promise<CryptoKeyPair>;
/** Signs a ready JWS signing input; resolves to the raw 64-byte r‖s signature and the compact token. */
export function signSigningInput(signingInput: string, keyPair: CryptoKeyPair): Promise<{ signature: Uint8Array; token: string }>;
/** Signs claims as a compact JWS (ES256, header `jwk` = the device key); `cnf` is set to the device key. */
export function signProof(claims: Omit<ProofClaims, 'cnf'> & { cnf?: ProofClaims['cnf'] }, keyPair: CryptoKeyPair): Promise<string>;
