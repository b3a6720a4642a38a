// End-to-end smoke test against a running `faceproof serve`:
// challenge from the service -> claims -> WebCrypto signature (www/sdk/webcrypto-sign.mjs)
// -> independent check with npm jose (verify.mjs) -> POST /v1/verifications (200) -> replay (409).
//
//   node e2e.mjs BASE_URL SERVER_KEY.jwk.json WORK_DIR [POLICY.toml FACEPROOF_BIN]
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDeviceKey, signProof, challengeHash, b64u } from '../../../www/sdk/webcrypto-sign.mjs';

const [base, jwkPath, work, policy, bin] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
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

const ch = await post('/v1/challenges', JSON.stringify({ subject: 'e2e-user' }));
must(ch.status === 201, `challenge status ${ch.status}`);
const c = ch.json.claims;
const now = Math.floor(Date.now() / 1000);
let t = 150;
const claims = {
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
};
const keyPair = await generateDeviceKey();
must(keyPair.privateKey.extractable === false, 'device key must be non-extractable');
const proof = await signProof(claims, keyPair);
const bundle = JSON.stringify({ challenge: ch.json.challenge, proof });
const bundlePath = join(work, 'e2e-bundle.json');
writeFileSync(bundlePath, bundle);

// Independent verification with npm jose (+ the faceproof policy if given).
const args = [join(here, 'verify.mjs'), bundlePath, jwkPath, ...(policy && bin ? [policy, bin] : [])];
console.log(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim());

const v = await post('/v1/verifications', bundle);
must(v.status === 200 && v.json.verified === true, `verification ${v.status} ${JSON.stringify(v.json)}`);
const again = await post('/v1/verifications', bundle);
must(again.status === 409 && again.json.error.code === 'replay', `replay ${again.status} ${JSON.stringify(again.json)}`);
console.log(`e2e: OK (verified, then replay refused; device ${v.json.device_key_thumbprint})`);
