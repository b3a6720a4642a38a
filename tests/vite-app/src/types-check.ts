// Not part of the page: `tsc --noEmit` compiles it against the package's hand-written types (run.sh), so a
// type that drifts from the SDK's real shapes, or a broken exports map, fails the check.
import {
  FaceProof, FaceProofError, FaceProofSession, openCamera,
  type Instruction, type InstructionCode, type SessionState, type SessionSummary, type FrameReport,
} from 'faceproof';
import { fetchWeights, MODEL_CACHE, WeightsError, sha256Hex } from 'faceproof/model-loader';
import { challengeHash, loadOrCreateDeviceKey, publicJwk, PROOF_TYP, type ProofClaims } from 'faceproof/webcrypto-sign';
import init, { weightsManifest, moduleVersion } from 'faceproof/wasm';
import manifest from 'faceproof/weights-manifest.json';

declare const video: HTMLVideoElement;
declare const idPhoto: File;

export async function verify(apiBase: string): Promise<boolean> {
  const fp = await FaceProof.create({ modelsUrl: '/models/', backend: 'auto' });
  const backend: 'webgpu' | 'cpu' = fp.backend;
  fp.addEventListener('error', (event) => console.error(event.detail.name satisfies string));

  const { challenge } = (await (await fetch(`${apiBase}/v1/challenges`, { method: 'POST', body: '{}' })).json()) as { challenge: string };
  const session: FaceProofSession = await fp.startSession({ challengeToken: challenge, reference: idPhoto });
  session.addEventListener('instruction', (event) => {
    const instruction: Instruction = event.detail;
    const code: InstructionCode = instruction.code;
    if (code === 'turn_left') console.log(instruction.params.degrees?.toFixed(0), instruction.params.remaining_ms);
    if (code === 'failed') console.log(instruction.params.reason);
  });
  session.addEventListener('progress', (event) => console.log(event.detail.toFixed(2)));
  session.addEventListener('state', (event) => describe(event.detail));
  session.addEventListener('error', (event) => console.warn(event.detail.message));
  await openCamera(video, { width: 640 });
  session.attachCamera(video);
  const end = await session.whenFinished();
  if (end.state === 'failed') console.log(end.reason.code);
  const summary: SessionSummary = await session.result();
  const decision: 'match' | 'no_match' | 'not_live' = summary.result.decision;
  const proof: string = await session.proof({ ttlS: 60 });
  const response = await fetch(`${apiBase}/v1/verifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ challenge, proof }),
  });
  fp.close();
  return response.ok && decision === 'match' && backend !== undefined;
}

function describe(state: SessionState): string {
  switch (state.state) {
    case 'action': return `action ${state.index}: ${state.action}`;
    case 'failed': return `failed: ${state.reason.code}`;
    default: return state.state;
  }
}

export async function frames(session: FaceProofSession, canvas: HTMLCanvasElement) {
  const report: FrameReport | null = await session.pushFrame(canvas, performance.now());
  return report?.measurement.primary?.yaw_deg ?? null;
}

export function cameraMessage(error: unknown): string {
  if (!(error instanceof FaceProofError)) return 'unexpected';
  switch (error.name) {
    case 'CameraDenied': return 'allow the camera, or verify another way';
    case 'CameraMissing': return 'no camera';
    case 'CameraBusy': return 'close other apps using the camera';
    case 'Unsupported': return 'this browser cannot run the check';
    default: return error.message;
  }
}

export async function lowLevel(bytes: Uint8Array) {
  await init();
  const entries = JSON.parse(weightsManifest()) as Array<{ name: string; file: string; sha256: string }>;
  const weights = await fetchWeights(entries[0], new URL('/models/', location.href));
  const ok: boolean = (await sha256Hex(weights)) === manifest[0].sha256 && moduleVersion().length > 0;
  const keys = await loadOrCreateDeviceKey();
  const jwk = await publicJwk(keys.publicKey);
  const chal = await challengeHash('a.b.c');
  const claimsBackend: ProofClaims['liveness']['backend'] = 'cpu';
  try {
    await caches.delete(MODEL_CACHE);
  } catch (error) {
    if (error instanceof WeightsError) console.log(error.expected, error.actual, error.model);
  }
  return ok && jwk.crv === 'P-256' && chal.length > 0 && PROOF_TYP.length > 0 && claimsBackend && bytes.length;
}
