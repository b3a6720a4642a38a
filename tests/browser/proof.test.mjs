// The proof round trip in Chromium: a challenge from the Rust service, a proof signed in the page with a
// non-extractable WebCrypto P-256 key kept in IndexedDB, verified by the Rust service; the replay is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, TARGET, launch } from './harness.mjs';

let service;
let base;
let work;

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

before(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'faceproof-proof-'));
  const port = await freePort();
  base = `http://localhost:${port}`;
  const binary = process.env.FACEPROOF_BIN ?? path.join(TARGET, 'debug/faceproof');
  service = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`, '--www', path.join(ROOT, 'www'),
    '--store', `sqlite:${path.join(work, 'replay.db')}`, '--key', path.join(work, 'key.pem'), '--audience', base]);
  let log = '';
  service.stdout.on('data', (d) => { log += d; });
  service.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 200 && !log.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(log, /listening on/, `faceproof serve did not start:\n${log}`);
});

after(async () => {
  service?.kill('SIGTERM');
  await fs.rm(work, { recursive: true, force: true });
});

test('a proof signed by WebCrypto in Chromium is verified by the Rust service, once', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/index.html`);
    const signOnce = () => page.evaluate(async () => {
      const { loadOrCreateDeviceKey, signProof, challengeHash, b64u, publicJwk } = await import('/sdk/webcrypto-sign.mjs');
      const post = async (p, body) => {
        const r = await fetch(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        return { status: r.status, json: await r.json() };
      };
      const challenge = await post('/v1/challenges', JSON.stringify({ subject: 'chromium-round-trip' }));
      const c = challenge.json.claims;
      const now = Math.floor(Date.now() / 1000);
      let t = 200;
      const claims = {
        aud: c.aud, iat: now, exp: now + 120, nonce: c.nonce, chal: await challengeHash(challenge.json.challenge),
        decision: 'match',
        scores: { l2_distance_e6: 431234, similarity_e6: 999972, threshold_l2_e6: 600000 },
        liveness: {
          actions: c.actions.map((a) => ({ action: a.action, start_ms: t, end_ms: (t += 900) })),
          passive_score_e6: 930000, frames_total: 150, frames_with_face: 149, backend: 'webgpu',
        },
        reference: {
          kind: 'id_photo', salt: b64u(crypto.getRandomValues(new Uint8Array(16))),
          digest: b64u(await crypto.subtle.digest('SHA-256', crypto.getRandomValues(new Uint8Array(32)))),
        },
        build: { module_version: '0.1.0', wasm_sha256: 'ab'.repeat(32), models: [{ name: 'yunet', sha256: 'cd'.repeat(32) }] },
      };
      const keyPair = await loadOrCreateDeviceKey();
      const proof = await signProof(claims, keyPair);
      const bundle = JSON.stringify({ challenge: challenge.json.challenge, proof });
      const first = await post('/v1/verifications', bundle);
      const replay = await post('/v1/verifications', bundle);
      return { first, replay, extractable: keyPair.privateKey.extractable, jwk: await publicJwk(keyPair.publicKey), proofBytes: proof.length };
    });
    const one = await signOnce();
    assert.equal(one.extractable, false, 'the device key must be non-extractable');
    assert.equal(one.first.status, 200, JSON.stringify(one.first.json));
    assert.equal(one.first.json.verified, true);
    assert.equal(one.replay.status, 409);
    assert.equal(one.replay.json.error.code, 'replay');
    assert.ok(one.proofBytes < 16 * 1024);
    // The device key survives a reload (IndexedDB), so a server can bind it to the account.
    await page.reload();
    const two = await signOnce();
    assert.deepEqual(two.jwk, one.jwk, 'same device key after reload');
    assert.equal(two.first.status, 200);
  } finally {
    await browser.close();
  }
});
