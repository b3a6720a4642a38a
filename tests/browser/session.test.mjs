// Liveness sessions in headless Chromium, driven through the SDK's pushFrame (a host that owns its camera),
// on burn's CPU backend in wasm: a printed photo moved around never completes a blink; the real blink clip
// does, also when the WebGPU device it started on is lost mid-session. Every request the page makes and everything it stores is captured: no pixel, embedding or score
// leaves the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ARTIFACTS, ROOT, SHARED, startServer, startVerifier, launch } from './harness.mjs';

const FPS = 30;
let server;
let frames;

let verifier;

/** A fresh challenge from the verifier service: blink and look straight, in random order. */
async function challengeToken() {
  return (await verifier.challenge()).challenge;
}

before(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  frames = await fs.mkdtemp(path.join(os.tmpdir(), 'faceproof-frames-'));
  // The blink clip at 30 fps, as a camera would deliver it (d13: blinks at ~1.40, 2.63 and 3.40 s).
  execFileSync('ffmpeg', ['-v', 'error', '-t', '5', '-i', path.join(SHARED, 'data/video/liveportrait-driving/d13.mp4'),
    '-vf', `scale=480:-2,fps=${FPS}`, '-q:v', '2', path.join(frames, 'd13-%04d.jpg')]);
  verifier = await startVerifier({ challengeActions: { actions: ['blink', 'look_straight'], min: 2, max: 2 } });
  server = await startServer({ '/': path.join(ROOT, 'www'), '/shared/': SHARED, '/frames/': frames,
    '/test/': path.join(ROOT, 'tests/browser/pages') });
});
after(async () => {
  await server?.close();
  await verifier?.stop();
  await fs.rm(frames, { recursive: true, force: true });
});

/**
 * Runs a session in a fresh browser. `source`: {clip: 'd13', count} (frames served from /frames/) or
 * {photo: URL, count} (a still moved, scaled and rotated over time). Returns the page's log.
 */
async function runSession({ source, reference, backend = 'cpu', loseGpuAfter = null, startOnCpu = false, delayWeights = null }) {
  const browser = await launch({ webgpu: backend !== 'cpu' });
  const page = await browser.newPage();
  const token = await challengeToken();
  try {
    // A slow network for one weights file (the worker's fetches go through the page's routes).
    if (delayWeights) {
      await page.route(`**/${delayWeights.file}`, async (route) => {
        delayWeights.delayed = (delayWeights.delayed ?? 0) + 1;
        await new Promise((resolve) => setTimeout(resolve, delayWeights.ms));
        await route.continue();
      });
    }
    await page.goto(`${server.url}test/blank.html`);
    const outcome = await page.evaluate(async ({ token, source, reference, fps, backend, loseGpuAfter, startOnCpu }) => {
      const { FaceProof } = await import('/sdk/faceproof.js');
      // Fetched first, as a page holding the ID photo would: the session starts as soon as create() resolves.
      const referenceBlob = await (await fetch(reference)).blob();
      const fp = await FaceProof.create({ backend, startOnCpu });
      const startedOn = fp.backend;
      const backendEvents = [];
      fp.addEventListener('backend', ({ detail }) => backendEvents.push({ on: 'faceproof', from: detail.from, to: detail.to, reason: detail.reason?.reason, startedAt: detail.startedAt }));
      const session = await fp.startSession({ challengeToken: token, reference: referenceBlob });
      session.addEventListener('backend', ({ detail }) => backendEvents.push({ on: 'session', from: detail.from, to: detail.to }));
      const instructions = [];
      session.addEventListener('instruction', ({ detail }) => instructions.push(detail.code));
      const states = [];
      session.addEventListener('state', ({ detail }) => {
        const key = detail.state === 'action' ? `action:${detail.action}` : detail.state;
        if (states.at(-1) !== key) states.push(key);
      });
      let photo = null;
      if (source.photo) photo = await createImageBitmap(await (await fetch(source.photo)).blob());
      const canvas = new OffscreenCanvas(480, 640);
      const context = canvas.getContext('2d');
      const errors = [];
      for (let i = 0; i < source.count; i++) {
        let bitmap;
        if (source.clip) {
          const name = `${source.clip}-${String(i + 1).padStart(4, '0')}.jpg`;
          bitmap = await createImageBitmap(await (await fetch(`/frames/${name}`)).blob());
        } else {
          // A printed photo held up to the camera: it drifts, tilts and moves closer over time.
          const t = i / fps;
          context.fillStyle = '#777';
          context.fillRect(0, 0, canvas.width, canvas.height);
          context.save();
          context.translate(240 + 40 * Math.sin(t * 1.3), 300 + 25 * Math.cos(t * 0.9));
          context.rotate(0.08 * Math.sin(t * 0.7));
          const scale = (0.55 + 0.1 * Math.sin(t * 0.5)) * canvas.width / photo.width;
          context.drawImage(photo, -photo.width * scale / 2, -photo.height * scale / 2, photo.width * scale, photo.height * scale);
          context.restore();
          bitmap = canvas.transferToImageBitmap();
        }
        try {
          const judged = session.pushFrame(bitmap, (i * 1000) / fps);
          // The device goes while this frame is on the GPU (the worker answers messages between awaits).
          if (i === loseGpuAfter) await new Promise((r) => setTimeout(r, 300)).then(() => fp.simulateGpuDeviceLoss());
          await judged;
        } catch (error) {
          errors.push(error.message);
        }
        if (['done', 'failed'].includes(session.state?.state)) break;
      }
      const eventsDuringSession = backendEvents.length;
      const resultAt = performance.timeOrigin + performance.now();
      const summary = await session.result();
      const proof = await session.proof();
      // With startOnCpu: where the engine settles once the session no longer holds the worker.
      const settled = await fp.backendSettled;
      fp.close();
      return { summary, proof, states, instructions: [...new Set(instructions)], errors, sent: session.framesSent,
        startedOn, endedOn: fp.backend, backendEvents, eventsDuringSession, resultAt, settled };
    }, { token, source, reference, fps: FPS, backend, loseGpuAfter, startOnCpu });
    const storage = await page.evaluate(async () => ({
      localStorage: Object.keys(localStorage), sessionStorage: Object.keys(sessionStorage),
      databases: (await indexedDB.databases()).map((d) => d.name),
      // What the faceproof database holds: the device key pair, nothing else.
      deviceKeys: await new Promise((resolve) => {
        const open = indexedDB.open('faceproof');
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          if (!names.length) { db.close(); resolve([]); return; }
          const all = db.transaction(names[0]).objectStore(names[0]).getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result.map((v) => ({ store: names[0], stores: names.length, private: v?.privateKey?.constructor?.name,
              extractable: v?.privateKey?.extractable, keys: Object.keys(v ?? {}) })));
          };
        };
      }),
      caches: await Promise.all((await caches.keys()).map(async (name) =>
        [name, (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname)])),
    }));
    // The proof goes to the verifier service exactly as a page would send it.
    const response = await fetch(`${verifier.base}/v1/verifications`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ challenge: token, proof: outcome.proof }),
    });
    return { ...outcome, storage, verification: { status: response.status, body: await response.json() } };
  } finally {
    await browser.close();
  }
}

/** Only GETs of the page's own files; no request carries a body or a query string. */
function assertNothingLeft(requests) {
  for (const request of requests) {
    assert.equal(request.method, 'GET', `${request.method} ${request.url}`);
    assert.equal(request.body.length, 0, `${request.url} carried a body`);
    assert.ok(!request.url.includes('?'), `${request.url} carried a query string`);
  }
}

/** The result carries scores and counts, never a vector (an embedding is 128 numbers). */
function assertNoVectors(value, where = 'result') {
  if (Array.isArray(value)) {
    assert.ok(value.filter((v) => typeof v === 'number').length < 16, `${where} holds a numeric vector`);
    value.forEach((v, i) => assertNoVectors(v, `${where}[${i}]`));
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) assertNoVectors(v, `${where}.${key}`);
  }
}

function assertStorageHoldsOnlyWeights(storage) {
  assert.deepEqual(storage.localStorage, []);
  assert.deepEqual(storage.sessionStorage, []);
  assert.deepEqual(storage.databases, ['faceproof']);
  // The device's signing key: one non-extractable CryptoKey pair, no image, no embedding.
  assert.deepEqual(storage.deviceKeys, [{ store: 'keys', stores: 1, private: 'CryptoKey', extractable: false, keys: ['privateKey', 'publicKey'] }]);
  for (const [, paths] of storage.caches) for (const p of paths) assert.match(p, /^\/models\/[a-z0-9_]+\.bpk$/);
}

test('a printed photo moved around never completes a blink', { timeout: 600_000 }, async () => {
  server.requests.length = 0;
  const run = await runSession({
    source: { photo: '/shared/data/faces-deepface/images/img1.jpg', count: 150 },
    reference: '/shared/data/faces-deepface/images/img1.jpg',
  });
  console.log('photo attack:', JSON.stringify({ states: run.states, instructions: run.instructions, errors: run.errors.slice(0, 3),
    decision: run.summary.result.decision, failure: run.summary.result.failure }));
  const completed = run.summary.result.liveness.actions.map((a) => a.action);
  assert.ok(run.states.includes('action:blink'), `the session reached the blink step: ${run.states}`);
  assert.ok(!completed.includes('blink'), 'a photo must never complete a blink');
  assert.equal(run.summary.result.decision, 'not_live');
  // The signed proof says so (with the actions done before the session failed); the verifier refuses it for
  // what it is, a failed liveness check, not as a malformed proof.
  assert.notEqual(run.verification.status, 200, JSON.stringify(run.verification.body));
  const { code, message } = run.verification.body.error;
  assert.ok(code === 'liveness_too_low' || (code === 'not_matched' && /NotLive/.test(message)), JSON.stringify(run.verification.body));
  assertNoVectors(run.summary);
  assertNothingLeft(server.requests);
  assertStorageHoldsOnlyWeights(run.storage);
});

test('the real blink clip completes a blink challenge and matches its own face', { timeout: 900_000 }, async () => {
  server.requests.length = 0;
  const run = await runSession({
    source: { clip: 'd13', count: 150 },
    reference: '/frames/d13-0140.jpg',
  });
  const { result } = run.summary;
  await fs.writeFile(path.join(ARTIFACTS, 'session-d13.json'), JSON.stringify(run, null, 1));
  console.log('d13 session:', JSON.stringify({ states: run.states, decision: result.decision, failure: result.failure,
    distance: result.distance, similarity: result.similarity, actions: result.liveness.actions, frames: run.sent }));
  assert.deepEqual(run.errors, []);
  assert.deepEqual(result.liveness.actions.map((a) => a.action).sort(), ['blink', 'look_straight'], `states ${run.states}`);
  assert.equal(result.decision, 'match', JSON.stringify(result));
  assert.equal(run.summary.reference.kind, 'id_photo');
  assert.equal(run.summary.backend, 'cpu');
  // End to end: the server's challenge, the session in the page, the proof, the server's verification.
  assert.equal(run.verification.status, 200, JSON.stringify(run.verification.body));
  assert.equal(run.verification.body.verified, true);
  assert.equal(run.verification.body.claims.decision, 'match');
  assert.equal(run.verification.body.claims.liveness.backend, 'cpu');
  assertNoVectors(run.summary);
  assertNothingLeft(server.requests);
  assertStorageHoldsOnlyWeights(run.storage);
});

test('a WebGPU device lost mid-session: the session goes on on the CPU and still verifies', { timeout: 900_000 }, async () => {
  server.requests.length = 0;
  // Two frames are judged on WebGPU (SwiftShader: seconds each); the device is destroyed, as a driver reset
  // would, while the third is on the GPU. That frame and the rest must run on the CPU within the same
  // session, none lost.
  const run = await runSession({ source: { clip: 'd13', count: 150 }, reference: '/frames/d13-0140.jpg', backend: 'webgpu', loseGpuAfter: 2 });
  const { result } = run.summary;
  console.log('device lost:', JSON.stringify({ startedOn: run.startedOn, endedOn: run.endedOn, events: run.backendEvents,
    decision: result.decision, failure: result.failure, frames: run.sent, errors: run.errors.slice(0, 3) }));
  assert.equal(run.startedOn, 'webgpu');
  assert.deepEqual(run.backendEvents.map(({ on, from, to }) => `${on}:${from}->${to}`), ['faceproof:webgpu->cpu', 'session:webgpu->cpu']);
  assert.equal(run.backendEvents[0].reason, 'destroyed');
  assert.equal(run.endedOn, 'cpu');
  assert.deepEqual(run.errors, [], 'no frame may fail across the switch');
  assert.equal(result.liveness.frames.total, run.sent, 'every pushed frame was judged');
  assert.equal(result.decision, 'match', JSON.stringify(result));
  assert.equal(run.summary.backend, 'webgpu+cpu');
  assert.equal(run.verification.status, 200, JSON.stringify(run.verification.body));
  assert.equal(run.verification.body.claims.liveness.backend, 'webgpu+cpu');
  assertNothingLeft(server.requests);
});

test('startOnCpu: a session started while WebGPU warms up runs on the CPU undisturbed, then WebGPU takes over', { timeout: 900_000 }, async () => {
  server.requests.length = 0;
  // The embedding network arrives 1.5 s late, so the reference photo (and the session behind it) is still
  // waiting for it more than a second after create(): the GPU start-up must not take that for an idle page.
  const delayWeights = { file: 'dlib_resnet.bpk', ms: 1500 };
  const run = await runSession({ source: { clip: 'd13', count: 150 }, reference: '/frames/d13-0140.jpg', backend: 'webgpu', startOnCpu: true, delayWeights });
  const { result } = run.summary;
  console.log('started on the CPU:', JSON.stringify({ startedOn: run.startedOn, endedOn: run.endedOn, events: run.backendEvents,
    decision: result.decision, frames: run.sent, settled: run.settled.backend, embeddingFetchesDelayed: delayWeights.delayed }));
  assert.ok(delayWeights.delayed >= 1, 'the embedding weights were never fetched through the delaying route');
  assert.equal(run.startedOn, 'cpu');
  // The GPU engine's start-up waited for the session: it began only once the session's result was asked for,
  // no move while it judged frames, none of them lost.
  assert.equal(run.eventsDuringSession, 0, JSON.stringify(run.backendEvents));
  assert.ok(run.backendEvents[0]?.startedAt >= run.resultAt, `GPU start-up began at ${run.backendEvents[0]?.startedAt}, the session's result was asked for at ${run.resultAt}`);
  assert.deepEqual(run.errors, []);
  assert.equal(result.liveness.frames.total, run.sent, 'every pushed frame was judged');
  assert.equal(result.decision, 'match', JSON.stringify(result));
  assert.equal(run.summary.backend, 'cpu');
  assert.equal(run.verification.status, 200, JSON.stringify(run.verification.body));
  assert.equal(run.verification.body.claims.liveness.backend, 'cpu');
  // Then WebGPU, self-tested and warmed up, took over.
  assert.equal(run.settled.backend, 'webgpu', JSON.stringify(run.settled));
  assert.deepEqual(run.backendEvents.map(({ on, from, to }) => `${on}:${from}->${to}`), ['faceproof:cpu->webgpu']);
  assert.equal(run.endedOn, 'webgpu');
  assertNothingLeft(server.requests);
});

test('the SDK runs a session from the camera (Chromium fake camera playing the clip)', { timeout: 600_000 }, async () => {
  const y4m = path.join(frames, 'd13.y4m');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-t', '5', '-i', path.join(SHARED, 'data/video/liveportrait-driving/d13.mp4'),
    '-vf', 'scale=480:-2,fps=30', '-pix_fmt', 'yuv420p', y4m]);
  server.requests.length = 0;
  const browser = await launch({ webgpu: false, args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${y4m}`] });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}test/blank.html`);
    const run = await page.evaluate(async (token) => {
      const { FaceProof, openCamera } = await import('/sdk/faceproof.js');
      const fp = await FaceProof.create({ backend: 'cpu' });
      const video = document.createElement('video');
      document.body.append(video);
      const stream = await openCamera(video);
      const photo = await (await fetch('/frames/d13-0140.jpg')).blob();
      const session = await fp.startSession({ challengeToken: token, reference: photo });
      const instructions = [];
      session.addEventListener('instruction', ({ detail }) => instructions.push(detail.code));
      // Long tasks on the page's main thread while the session runs (inference is in the worker).
      let longestTaskMs = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longestTaskMs = Math.max(longestTaskMs, entry.duration);
      }).observe({ type: 'longtask' });
      session.attachCamera(video);
      const deadline = performance.now() + 20_000;
      while (performance.now() < deadline && session.framesSent < 30) await new Promise((r) => setTimeout(r, 250));
      const summary = await session.result();
      stream.getTracks().forEach((t) => t.stop());
      fp.close();
      return { sent: session.framesSent, skipped: session.framesSkipped, instructions, state: session.state, longestTaskMs, summary };
    }, await challengeToken());
    console.log('camera session:', JSON.stringify({ sent: run.sent, skipped: run.skipped, instructions: [...new Set(run.instructions)],
      state: run.state, longestTaskMs: run.longestTaskMs }));
    assert.ok(run.sent >= 10, `only ${run.sent} camera frames were judged`);
    assert.ok(run.instructions.length > 0, 'no instruction was emitted');
    assert.notEqual(run.state?.state, 'waiting_for_face', 'the face in the camera was never found');
    assert.equal(run.summary.result.liveness.frames.total, run.sent);
    assertNoVectors(run.summary);
    assertNothingLeft(server.requests);
  } finally {
    await browser.close();
  }
});

test('camera failures are typed errors the page can turn into the alternative', { timeout: 120_000 }, async () => {
  const cases = [
    // A camera exists but the user refuses it (no auto-accept flag in headless: the prompt is dismissed).
    { args: ['--use-fake-device-for-media-stream'], expected: 'CameraDenied' },
    // No camera at all.
    { args: ['--use-fake-ui-for-media-stream'], expected: 'CameraMissing' },
  ];
  for (const { args, expected } of cases) {
    const browser = await launch({ webgpu: false, args });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}test/blank.html`);
      const name = await page.evaluate(async () => {
        const { openCamera } = await import('/sdk/faceproof.js');
        try { await openCamera(document.createElement('video')); return 'opened'; } catch (e) { return e.name; }
      });
      assert.equal(name, expected, `flags ${args}`);
    } finally {
      await browser.close();
    }
  }
});
