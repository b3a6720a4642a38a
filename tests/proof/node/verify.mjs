// Verifies a faceproof proof in Node:
//   1. the signatures with an independent JOSE implementation, npm `jose` (ES256 only: the challenge
//      with the service key its `kid` names in the policy, the proof with the key embedded in its header);
//   2. the binding and the full policy with faceproof's own verifier built for Node
//      (crates/wasm-verifier, `tests/proof/build-wasm-verifier.sh` → ./pkg);
//   3. single use of the challenge nonce, which a stateless wasm call cannot do: the host does it
//      (here a Map, or a JSON file for the CLI; with Redis: `SET faceproof:nonce:<nonce> 1 NX EXAT <keepUntil>`).
//
//   node verify.mjs BUNDLE.json POLICY.toml|POLICY.json [--now UNIX_SECONDS] [--nonces NONCES.json]
//
// BUNDLE.json is the body of POST /v1/verifications: {"challenge": "...", "proof": "..."}.
// The policy is the `faceproof verify --policy` format; its `challenge_keys` hold the service's
// public key (`faceproof pubkey --key KEY.pem`). Prints one JSON line.
// Exit 0: verified; 1: rejected; 2: usage or configuration error.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compactVerify, EmbeddedJWK, importJWK, calculateJwkThumbprint, decodeProtectedHeader } from 'jose';

const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL('.', import.meta.url));
/** The wasm verifier (`--target nodejs`); FACEPROOF_WASM_VERIFIER overrides its folder. */
export const wasm = require(process.env.FACEPROOF_WASM_VERIFIER ?? `${here}pkg`);

export const PROOF_TYP = 'faceproof-proof-v1+jwt';
export const CHALLENGE_TYP = 'faceproof-challenge-v1+jwt';
const MAX = 16 * 1024;

/** In-memory single-use nonce store: `consume` is true the first time only (one process). */
export class MemoryNonceStore {
  #seen = new Map();
  async consume(nonce, keepUntil, now) {
    for (const [n, until] of this.#seen) if (until < now) this.#seen.delete(n);
    if (this.#seen.has(nonce)) return false;
    this.#seen.set(nonce, keepUntil);
    return true;
  }
}

/** A JSON file of {nonce: keepUntil}, for the CLI across runs (not safe for concurrent writers; use Redis there). */
export class FileNonceStore {
  constructor(path) {
    this.path = path;
  }
  async consume(nonce, keepUntil, now) {
    const seen = existsSync(this.path) ? JSON.parse(readFileSync(this.path, 'utf8')) : {};
    for (const n of Object.keys(seen)) if (seen[n] < now) delete seen[n];
    const first = !(nonce in seen);
    if (first) seen[nonce] = keepUntil;
    writeFileSync(this.path, JSON.stringify(seen));
    return first;
  }
}

const reject = (by, code, message) => ({ verified: false, by, error: { code, message } });

/**
 * Verifies `{challenge, proof}` against the policy text at `now` (unix seconds), consuming the nonce in
 * `nonces` (anything with `async consume(nonce, keepUntil, now) -> boolean`).
 * Returns {verified: true, claims, deviceKeyThumbprint, sub} or {verified: false, by, error: {code, message}}.
 */
export async function verifyBundle({ challenge, proof }, policyText, { now = Math.floor(Date.now() / 1000), nonces }) {
  if (typeof challenge !== 'string' || typeof proof !== 'string') return reject('input', 'bad_request', 'challenge and proof must be strings');
  if (challenge.length > MAX || proof.length > MAX) return reject('input', 'too_large', 'token over 16 KB');
  const policy = wasm.policy(policyText); // throws on a malformed policy

  // 1. Signatures, with jose.
  try {
    const { kid } = decodeProtectedHeader(challenge);
    let serverJwk;
    for (const k of policy.challenge_keys) if ((await calculateJwkThumbprint(k, 'sha256')) === kid) serverJwk = k;
    if (!serverJwk) return reject('jose', 'jose.unknown_kid', 'challenge kid names no key in the policy');
    const ch = await compactVerify(challenge, await importJWK(serverJwk, 'ES256'), { algorithms: ['ES256'] });
    if (ch.protectedHeader.typ !== CHALLENGE_TYP) return reject('jose', 'jose.wrong_typ', `challenge typ ${ch.protectedHeader.typ}`);
    const pr = await compactVerify(proof, EmbeddedJWK, { algorithms: ['ES256'] });
    if (pr.protectedHeader.typ !== PROOF_TYP) return reject('jose', 'jose.wrong_typ', `proof typ ${pr.protectedHeader.typ}`);
  } catch (e) {
    return reject('jose', `jose.${e.code ?? e.name}`, e.message);
  }

  // 2. Binding and policy, with faceproof's verifier (it re-checks the signatures, strictly).
  const r = wasm.verify(proof, challenge, policyText, now);

  // 3. One signed attempt per challenge: consume the nonce whenever the proof was bound to it.
  if (r.consume && !(await nonces.consume(r.consume.nonce, r.consume.keepUntil, now))) {
    return reject('nonce-store', 'replay', 'nonce already used');
  }
  if (!r.ok) return { verified: false, by: 'faceproof-wasm', error: r.rejection };
  return { verified: true, claims: r.claims, deviceKeyThumbprint: r.deviceKeyThumbprint, sub: r.sub };
}

// CLI.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const nowArg = opt('--now');
  const noncesPath = opt('--nonces');
  const [bundlePath, policyPath] = args;
  if (!bundlePath || !policyPath || args.length !== 2) {
    console.error('usage: node verify.mjs BUNDLE.json POLICY.toml|POLICY.json [--now UNIX_SECONDS] [--nonces NONCES.json]');
    process.exit(2);
  }
  let result;
  try {
    const bundle = JSON.parse(readFileSync(bundlePath, 'utf8'));
    const policyText = readFileSync(policyPath, 'utf8');
    const nonces = noncesPath ? new FileNonceStore(noncesPath) : new MemoryNonceStore();
    result = await verifyBundle(bundle, policyText, { now: nowArg === undefined ? undefined : Number(nowArg), nonces });
  } catch (e) {
    console.error(`verify.mjs: ${e.message ?? e}`);
    process.exit(2);
  }
  console.log(JSON.stringify(result));
  process.exit(result.verified ? 0 : 1);
}
