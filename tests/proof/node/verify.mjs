// Verifies a faceproof proof with an independent JOSE implementation (npm `jose`),
// then runs the full policy with the faceproof verifier (the `faceproof verify` CLI).
//
//   node verify.mjs BUNDLE.json SERVER_KEY.jwk.json [POLICY.toml [FACEPROOF_BIN]]
//
// BUNDLE.json is the body of POST /v1/verifications: {"challenge": "...", "proof": "..."}.
// SERVER_KEY.jwk.json is the service's challenge public key (`faceproof pubkey --key KEY.pem`).
// Exit 0: verified; 1: rejected; 2: usage error.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { compactVerify, EmbeddedJWK, importJWK, calculateJwkThumbprint } from 'jose';

const PROOF_TYP = 'faceproof-proof-v1+jwt';
const CHALLENGE_TYP = 'faceproof-challenge-v1+jwt';
const MAX = 16 * 1024;

const [bundlePath, serverJwkPath, policyPath, faceproofBin] = process.argv.slice(2);
if (!bundlePath || !serverJwkPath) {
  console.error('usage: node verify.mjs BUNDLE.json SERVER_KEY.jwk.json [POLICY.toml [FACEPROOF_BIN]]');
  process.exit(2);
}
const { challenge, proof } = JSON.parse(readFileSync(bundlePath, 'utf8'));
const serverJwk = JSON.parse(readFileSync(serverJwkPath, 'utf8'));
const fail = (why) => {
  console.log(JSON.stringify({ verified: false, by: 'jose', error: why }));
  process.exit(1);
};
const b64u = (buf) => Buffer.from(buf).toString('base64url');

try {
  if (challenge.length > MAX || proof.length > MAX) fail('token over 16 KB');

  // 1. Challenge: ES256 only, signed by the service key named by kid.
  const serverKey = await importJWK(serverJwk, 'ES256');
  const ch = await compactVerify(challenge, serverKey, { algorithms: ['ES256'] });
  if (ch.protectedHeader.typ !== CHALLENGE_TYP) fail(`challenge typ ${ch.protectedHeader.typ}`);
  if (ch.protectedHeader.kid !== (await calculateJwkThumbprint(serverJwk, 'sha256'))) fail('challenge kid');
  const c = JSON.parse(new TextDecoder().decode(ch.payload));

  // 2. Proof: ES256 only, verified with the key embedded in the header (jwk).
  const pr = await compactVerify(proof, EmbeddedJWK, { algorithms: ['ES256'] });
  if (pr.protectedHeader.typ !== PROOF_TYP) fail(`proof typ ${pr.protectedHeader.typ}`);
  const p = JSON.parse(new TextDecoder().decode(pr.payload));

  // 3. Binding checks (the documented policy, minimal form).
  const now = Math.floor(Date.now() / 1000);
  const skew = 30;
  const jwk = pr.protectedHeader.jwk;
  if (JSON.stringify(p.cnf?.jwk) !== JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y })) fail('cnf.jwk differs from header jwk');
  if (p.chal !== b64u(createHash('sha256').update(challenge, 'ascii').digest())) fail('proof bound to another challenge');
  if (p.nonce !== c.nonce) fail('nonce mismatch');
  if (p.aud !== c.aud) fail('audience mismatch');
  if (now > c.exp + skew) fail('challenge expired');
  if (now > p.exp + skew) fail('proof expired');
  if (p.iat > now + skew) fail('proof issued in the future');
  const want = c.actions.map((a) => a.action).join(',');
  const got = p.liveness.actions.map((a) => a.action).join(',');
  if (want !== got) fail(`actions ${got} != challenged ${want}`);
  if (p.decision !== 'match') fail(`decision ${p.decision}`);
  console.error(`jose: signatures and binding OK (device ${await calculateJwkThumbprint(jwk, 'sha256')})`);

  // 4. Full policy (digest allow-lists, thresholds, timing bounds, ...) with the faceproof verifier.
  if (policyPath && faceproofBin) {
    try {
      const out = execFileSync(faceproofBin, ['verify', bundlePath, '--policy', policyPath], { encoding: 'utf8' });
      const r = JSON.parse(out);
      console.log(JSON.stringify({ verified: true, by: 'jose+faceproof', device: r.device_key_thumbprint, decision: r.claims.decision }));
    } catch (e) {
      if (e.status === 1) {
        const r = JSON.parse(e.stdout);
        console.log(JSON.stringify({ verified: false, by: 'faceproof', error: r.error }));
        process.exit(1);
      }
      throw e;
    }
  } else {
    console.log(JSON.stringify({ verified: true, by: 'jose', decision: p.decision }));
  }
} catch (e) {
  fail(`${e.code ?? e.name}: ${e.message}`);
}
