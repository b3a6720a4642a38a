// Test driver: reads {"challenge": TOKEN, "claims": {...}} on stdin, signs with a fresh
// non-extractable WebCrypto key via www/sdk/webcrypto-sign.mjs, prints {"proof", "jwk", "extractable"}.
import { generateDeviceKey, publicJwk, signProof, challengeHash } from '../../../www/sdk/webcrypto-sign.mjs';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { challenge, claims } = JSON.parse(input);
if ((await challengeHash(challenge)) !== claims.chal) throw new Error('chal does not hash the challenge');
const keyPair = await generateDeviceKey();
const proof = await signProof(claims, keyPair);
process.stdout.write(
  JSON.stringify({ proof, jwk: await publicJwk(keyPair.publicKey), extractable: keyPair.privateKey.extractable }) + '\n',
);
