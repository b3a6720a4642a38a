// End-to-end test against a running `faceproof serve`:
// challenge from the service -> claims -> WebCrypto signature (www/sdk/webcrypto-sign.mjs)
// -> the Node verifier (verify.mjs: npm jose for the signatures, the faceproof wasm verifier for the
// policy, a Map for nonce single use), with negative cases -> POST /v1/verifications (200) -> replay (409).
//
//   node e2e.mjs BASE_URL WORK_DIR POLICY.toml
import { writeFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDeviceKey, signProof, challengeHash, b64u } from '../../../www/sdk/webcrypto-sign.mjs';
import { verifyBundle, MemoryNonceStore, wasm } from './verify.mjs';

const [base, work, policyPath] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const policyText = readFileSync(policyPath, 'utf8');
const post = async (path, body) => {
  const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: r.status, json: await r.json() };
};
const must = (cond, msg) => {
  if (!cond) {
    console.error(`e2e: FAIL ${msg}`);
    process.exit(1);
  }
};
const keyPair = await generateDeviceKey();
must(keyPair.privateKey.extractable === false, 'device key must be non-extractable');

async function signedBundle(edit = (c) => c) {
  const ch = await post('/v1/challenges', JSON.stringify({ subject: 'e2e-user' }));
  must(ch.status === 201, `challenge status ${ch.status}`);
  const c = ch.json.claims;
  const now = Math.floor(Date.now() / 1000);
  let t = 150;
  const claims = edit({
    aud: c.aud,
    iat: now,
    exp: now + 120,
    nonce: c.nonce,
    chal: await challengeHash(ch.json.challenge),
    decision: 'match',
    scores: { l2_distance_e6: 452101, similarity_e6: 999903, threshold_l2_e6: 600000 },
    liveness: {
      actions: c.actions.map((a) => ({ action: a.action, start_ms: t, end_ms: (t += 800) })),
      passive_score_e6: 910000,
      frames_total: 180,
      frames_with_face: 177,
      backend: 'wasm-simd',
    },
    reference: {
      kind: 'id_photo',
      salt: b64u(crypto.getRandomValues(new Uint8Array(16))),
      digest: b64u(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('reference photo'))),
    },
    build: { module_version: '0.1.0', wasm_sha256: 'ab'.repeat(32), models: [{ name: 'detector', sha256: 'cd'.repeat(32) }] },
  });
  return { challenge: ch.json.challenge, proof: await signProof(claims, keyPair) };
}

const nonces = new MemoryNonceStore();
const expectRejected = async (label, bundle, by, code, opts = {}) => {
  const r = await verifyBundle(bundle, opts.policy ?? policyText, { nonces });
  must(!r.verified && r.by === by && r.error.code === code, `${label}: wanted ${by}/${code}, got ${JSON.stringify(r)}`);
  console.log(`e2e: node verifier refused ${label}: ${r.by} ${r.error.code}`);
};

// 1. A good proof: jose verifies both signatures, the wasm verifier the policy; the nonce is consumed.
const bundle = await signedBundle();
const ok = await verifyBundle(bundle, policyText, { nonces });
must(ok.verified === true, `node verifier: ${JSON.stringify(ok)}`);
console.log(`e2e: node verifier (jose ${JSON.parse(readFileSync(join(here, 'node_modules/jose/package.json'))).version} + faceproof-wasm-verifier ${wasm.version()}): verified, decision ${ok.claims.decision}, l2 ${ok.claims.scores.l2_distance_e6}e-6, device ${ok.deviceKeyThumbprint}`);

// 2. The same proof again: the host's nonce store refuses it.
await expectRejected('reused nonce', bundle, 'nonce-store', 'replay');

// 3. Tampered token (one payload character changed): jose refuses it; so does the wasm verifier, with its code.
const [h, p, s] = bundle.proof.split('.');
const tampered = { ...bundle, proof: `${h}.${p.slice(0, 40)}${p[40] === 'A' ? 'B' : 'A'}${p.slice(41)}.${s}` };
await expectRejected('tampered proof', tampered, 'jose', 'jose.ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
const direct = wasm.verify(tampered.proof, tampered.challenge, policyText, Math.floor(Date.now() / 1000));
must(direct.ok === false && direct.rejection.code === 'proof.bad_signature' && !direct.consume, `wasm on tampered: ${JSON.stringify(direct)}`);
console.log(`e2e: wasm verifier alone refused the tampered proof: ${direct.rejection.code}`);

// 4. Wrong audience, validly signed: jose cannot tell, the wasm verifier refuses it; the nonce is spent
//    (one signed attempt per challenge), so the corrected proof for that challenge is a replay.
let wrongAud;
const evil = await signedBundle((c) => ((wrongAud = c), { ...c, aud: 'https://evil.example' }));
await expectRejected('wrong audience', evil, 'faceproof-wasm', 'wrong_audience');
const retry = { challenge: evil.challenge, proof: await signProof(wrongAud, keyPair) };
await expectRejected('retry on a spent challenge', retry, 'nonce-store', 'replay');

// 5. A policy for another relying party: the challenge is for someone else.
const otherRp = policyText.replace(/^audience = .*$/m, 'audience = "https://other.example"');
await expectRejected('challenge for another audience', await signedBundle(), 'faceproof-wasm', 'challenge_wrong_audience', { policy: otherRp });

// 6. The CLI form, with a file-backed nonce store: first run verified, second run replay.
const bundlePath = join(work, 'e2e-bundle.json');
const fresh = await signedBundle();
writeFileSync(bundlePath, JSON.stringify(fresh));
const cli = (extra) => {
  try {
    return { code: 0, out: execFileSync(process.execPath, [join(here, 'verify.mjs'), bundlePath, policyPath, ...extra], { encoding: 'utf8' }) };
  } catch (e) {
    return { code: e.status, out: e.stdout };
  }
};
const noncesFile = join(work, 'nonces.json');
const c1 = cli(['--nonces', noncesFile]);
must(c1.code === 0 && JSON.parse(c1.out).verified === true, `cli: ${c1.out}`);
const c2 = cli(['--nonces', noncesFile]);
must(c2.code === 1 && JSON.parse(c2.out).error.code === 'replay', `cli replay: ${c2.out}`);
console.log(`e2e: node verify.mjs CLI: ${c1.out.trim().slice(0, 60)}... then exit ${c2.code} ${JSON.parse(c2.out).error.code}`);

// 7. The service: verified once, then replay.
const v = await post('/v1/verifications', JSON.stringify(fresh));
must(v.status === 200 && v.json.verified === true, `verification ${v.status} ${JSON.stringify(v.json)}`);
const again = await post('/v1/verifications', JSON.stringify(fresh));
must(again.status === 409 && again.json.error.code === 'replay', `replay ${again.status} ${JSON.stringify(again.json)}`);
console.log(`e2e: OK (node verifier: verified + 4 refusals with the right codes; service: verified, then replay refused; device ${v.json.device_key_thumbprint})`);
