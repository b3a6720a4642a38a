// faceproof proof signing with WebCrypto — ESM, no dependencies.
//
// Runs in browsers and in Node >= 20 (both expose globalThis.crypto.subtle).
// The device key is an ECDSA P-256 key created NON-EXTRACTABLE; in a browser
// it is kept in IndexedDB (CryptoKey objects are structured-cloneable, and a
// non-extractable key stays non-extractable there).
//
// crypto.subtle.sign({name: "ECDSA", hash: "SHA-256"}, ...) returns the raw
// 64-byte r || s (IEEE P1363), which is exactly the JWS ES256 signature
// format (RFC 7518 §3.4): no DER conversion is needed or allowed.
//
// The payload must be the canonical encoding the Rust verifier re-creates:
// members in the documented order, no whitespace, integers only (scores are
// the engine's L2 distance, calibrated similarity and L2 threshold, ×10^6;
// distance and similarity are null when liveness failed before matching).
// The wasm module can also produce the exact payload itself
// (faceproof_proof::ProofClaims::from_session + proof_signing_input); then
// signSigningInput() signs those bytes unchanged.
// canonicalClaims() enforces that; JSON.stringify then gives the same bytes
// as serde_json.

export const PROOF_TYP = 'faceproof-proof-v1+jwt';
export const MAX_TOKEN_LEN = 16 * 1024;

// Member order of every object in the proof claims (see crates/proof/src/claims.rs).
const ORDER = {
  '': ['aud', 'iat', 'exp', 'nonce', 'chal', 'decision', 'scores', 'liveness', 'reference', 'build', 'cnf'],
  scores: ['l2_distance_e6', 'similarity_e6', 'threshold_l2_e6'],
  liveness: ['actions', 'passive_score_e6', 'frames_total', 'frames_with_face', 'backend'],
  'liveness.actions[]': ['action', 'start_ms', 'end_ms'],
  reference: ['kind', 'salt', 'digest'],
  build: ['module_version', 'wasm_sha256', 'models'],
  'build.models[]': ['name', 'sha256'],
  cnf: ['jwk'],
  'cnf.jwk': ['kty', 'crv', 'x', 'y'],
};

function order(value, path) {
  if (Array.isArray(value)) {
    const p = `${path}[]`;
    return value.map((v) => (ORDER[p] ? order(v, p) : scalar(v, p)));
  }
  const keys = ORDER[path];
  if (!keys) return scalar(value, path);
  if (value === null || typeof value !== 'object') throw new TypeError(`${path || 'claims'}: expected an object`);
  for (const k of Object.keys(value)) {
    if (!keys.includes(k)) throw new TypeError(`${path || 'claims'}: unknown member ${JSON.stringify(k)}`);
  }
  const out = {};
  for (const k of keys) {
    if (!(k in value)) throw new TypeError(`${path || 'claims'}: missing member ${JSON.stringify(k)}`);
    const child = path ? `${path}.${k}` : k;
    out[k] = ORDER[child] || Array.isArray(value[k]) ? order(value[k], child) : scalar(value[k], child);
  }
  return out;
}

function scalar(v, path) {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) {
    throw new TypeError(`${path}: numbers must be integers (fixed-point *_e6, ms, seconds)`);
  }
  if (v !== null && typeof v === 'object') throw new TypeError(`${path}: unexpected object`);
  return v;
}

/** A copy of `claims` with members in canonical order; throws on unknown/missing members or non-integers. */
export function canonicalClaims(claims) {
  return order(claims, '');
}

/** base64url without padding. */
export function b64u(bytes) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode(...u8.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const utf8 = (s) => new TextEncoder().encode(s);

/** `chal` claim: base64url(SHA-256(ASCII of the compact challenge token)). */
export async function challengeHash(challengeToken) {
  return b64u(await crypto.subtle.digest('SHA-256', utf8(challengeToken)));
}

/** A new non-extractable P-256 signing key pair. */
export async function generateDeviceKey() {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
}

/** The public JWK with exactly kty, crv, x, y (WebCrypto adds ext/key_ops, which the verifier refuses). */
export async function publicJwk(publicKey) {
  const j = await crypto.subtle.exportKey('jwk', publicKey);
  return { kty: j.kty, crv: j.crv, x: j.x, y: j.y };
}

/** Browser only: this device's key from IndexedDB, created (non-extractable) on first use. */
export async function loadOrCreateDeviceKey({ db = 'faceproof', store = 'keys', id = 'device' } = {}) {
  const open = () =>
    new Promise((resolve, reject) => {
      const req = indexedDB.open(db, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(store);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const tx = (conn, mode, fn) =>
    new Promise((resolve, reject) => {
      const t = conn.transaction(store, mode);
      const r = fn(t.objectStore(store));
      t.oncomplete = () => resolve(r.result);
      t.onerror = () => reject(t.error);
    });
  const conn = await open();
  let pair = await tx(conn, 'readonly', (s) => s.get(id));
  if (!pair) {
    pair = await generateDeviceKey();
    await tx(conn, 'readwrite', (s) => s.put(pair, id));
  }
  conn.close();
  return pair;
}

/**
 * Signs a ready JWS signing input (`BASE64URL(header).BASE64URL(payload)`, e.g. from the wasm module's
 * proof_signing_input) and returns the raw 64-byte r || s (for faceproof_proof::assemble_proof) and the token.
 */
export async function signSigningInput(signingInput, keyPair) {
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.privateKey, utf8(signingInput)));
  if (sig.byteLength !== 64) throw new Error('expected a 64-byte r||s signature');
  const token = `${signingInput}.${b64u(sig)}`;
  if (token.length > MAX_TOKEN_LEN) throw new RangeError('proof token over 16 KB');
  return { signature: sig, token };
}

/**
 * Signs proof claims as a compact JWS (ES256, header jwk = the device key).
 * `claims.cnf` is set to the device key. Returns the token.
 */
export async function signProof(claims, keyPair) {
  const jwk = await publicJwk(keyPair.publicKey);
  const payload = canonicalClaims({ ...claims, cnf: { jwk } });
  const header = { alg: 'ES256', typ: PROOF_TYP, jwk };
  const input = `${b64u(utf8(JSON.stringify(header)))}.${b64u(utf8(JSON.stringify(payload)))}`;
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.privateKey, utf8(input));
  if (sig.byteLength !== 64) throw new Error('expected a 64-byte r||s signature');
  const token = `${input}.${b64u(sig)}`;
  if (token.length > MAX_TOKEN_LEN) throw new RangeError('proof token over 16 KB');
  return token;
}
