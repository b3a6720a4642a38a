// Signs proof claims with npm `jose` (an independent ES256 implementation) so the Rust
// verifier can be checked against it. Reads {"claims": {...}} on stdin; prints {"proof"}.
import { CompactSign, generateKeyPair, exportJWK } from 'jose';
import { canonicalClaims, PROOF_TYP } from '../../../www/sdk/webcrypto-sign.mjs';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { claims } = JSON.parse(input);
const { publicKey, privateKey } = await generateKeyPair('ES256');
const { kty, crv, x, y } = await exportJWK(publicKey);
const jwk = { kty, crv, x, y };
const payload = new TextEncoder().encode(JSON.stringify(canonicalClaims({ ...claims, cnf: { jwk } })));
const proof = await new CompactSign(payload).setProtectedHeader({ alg: 'ES256', typ: PROOF_TYP, jwk }).sign(privateKey);
process.stdout.write(JSON.stringify({ proof }) + '\n');
