// Liveness sessions in headless Chromium, driven through the SDK's pushFrame (a host that owns its camera),
// on burn's CPU backend in wasm: a printed photo moved around never completes a blink; the real blink clip
// does. Every request the page makes and everything it stores is captured: no pixel, embedding or score
// leaves the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ARTIFACTS, ROOT, SHARED, startServer, launch } from './harness.mjs';

const FPS = 30;
let server;
let frames;

/** A challenge token the engine accepts (the engine reads its claims; only the server checks signatures). */
function challengeToken(actions, { ttlS = 300 } = {}) {
  const b64u = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const nonce = Buffer.from(Array.from({ length: 16 }, (_, i) => i * 7)).toString('base64url');
  const claims = {
    nonce, session_limit_ms: 60_000, exp: Math.floor(Date.now() / 1000) + ttlS,
    actions: actions.map((action) => ({ action, limit_ms: 15_000 })),
  };
  return `${b64u({ alg: 'ES256', typ: 'faceproof-challenge-v1+jwt' })}.${b64u(claims)}.${Buffer.alloc(64).toString('base64url')}`;
}

before(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  frames = await fs.mkdtemp(path.join(os.tmpdir(), 'faceproof-frames-'));
  // The blink clip at 30 fps, as a camera would deliver it (d13: blinks at ~1.40, 2.63 and 3.40 s).
  execFileSync('ffmpeg', ['-v', 'error', '-t', '5', '-i', path.join(SHARED, 'data/video/liveportrait-driving/d13.mp4'),
    '-vf', `scale=480:-2,fps=${FPS}`, '-q:v', '2', path.join(frames, 'd13-%04d.jpg')]);
  server = await startServer({ '/': path.join(ROOT, 'www'), '/shared/': SHARED, '/frames/': frames,
    '/test/': path.join(ROOT, 'tests/browser/pages') });
});
after(async () => {
  await server?.close();
  await fs.rm(frames, { recursive: true, force: true });
});

/**
 * Runs a session in a fresh browser. `source`: {clip: 'd13', count} (frames served from /frames/) or
 * {photo: URL, count} (a still moved, scaled and rotated over time). Returns the page's log.
 */
async function runSession({ actions, source, reference }) {
  const browser = await launch({ webgpu: false });
  const page = await browser.newPage();
  try {
    await page.goto(`${server.url}test/blank.html`);
    const outcome = await page.evaluate(async ({ token, source, reference, fps }) => {
      const { FaceProof } = await import('/sdk/faceproof.js');
      const fp = await FaceProof.create({ backend: 'cpu' });
      const referenceBlob = await (await fetch(reference)).blob();
      const session = await fp.startSession({ challengeToken: token, reference: referenceBlob });
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
          await session.pushFrame(bitmap, (i * 1000) / fps);
        } catch (error) {
          errors.push(error.message);
        }
        if (['done', 'failed'].includes(session.state?.state)) break;
      }
      const summary = await session.result();
      fp.close();
      return { summary, states, instructions: [...new Set(instructions)], errors, sent: session.framesSent };
    }, { token: challengeToken(actions), source, reference, fps: FPS });
    const storage = await page.evaluate(async () => ({
      localStorage: Object.keys(localStorage), sessionStorage: Object.keys(sessionStorage),
      databases: (await indexedDB.databases()).map((d) => d.name),
      caches: await Promise.all((await caches.keys()).map(async (name) =>
        [name, (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname)])),
    }));
    return { ...outcome, storage };
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
  assert.deepEqual(storage.databases, []);
  for (const [, paths] of storage.caches) for (const p of paths) assert.match(p, /^\/models\/[a-z0-9_]+\.bpk$/);
}

test('a printed photo moved around never completes a blink', { timeout: 600_000 }, async () => {
  server.requests.length = 0;
  const run = await runSession({
    actions: ['blink', 'look_straight'],
    source: { photo: '/shared/data/faces-deepface/images/img1.jpg', count: 150 },
    reference: '/shared/data/faces-deepface/images/img1.jpg',
  });
  console.log('photo attack:', JSON.stringify({ states: run.states, instructions: run.instructions, errors: run.errors.slice(0, 3),
    decision: run.summary.result.decision, failure: run.summary.result.failure }));
  assert.ok(run.states.includes('action:blink'), `the session reached the blink step: ${run.states}`);
  assert.ok(!run.states.includes('action:look_straight'), 'a photo must never get past the blink');
  assert.equal(run.summary.result.decision, 'not_live');
  assertNoVectors(run.summary);
  assertNothingLeft(server.requests);
  assertStorageHoldsOnlyWeights(run.storage);
});

test('the real blink clip completes a blink challenge and matches its own face', { timeout: 900_000 }, async () => {
  server.requests.length = 0;
  const run = await runSession({
    actions: ['blink', 'look_straight'],
    source: { clip: 'd13', count: 150 },
    reference: '/frames/d13-0140.jpg',
  });
  const { result } = run.summary;
  await fs.writeFile(path.join(ARTIFACTS, 'session-d13.json'), JSON.stringify(run, null, 1));
  console.log('d13 session:', JSON.stringify({ states: run.states, decision: result.decision, failure: result.failure,
    distance: result.distance, similarity: result.similarity, actions: result.liveness.actions, frames: run.sent }));
  assert.deepEqual(run.errors, []);
  assert.ok(run.states.includes('action:look_straight'), `blink completed: ${run.states}`);
  assert.equal(result.decision, 'match', JSON.stringify(result));
  assert.equal(run.summary.reference.kind, 'id_photo');
  assert.equal(run.summary.backend, 'cpu');
  assertNoVectors(run.summary);
  assertNothingLeft(server.requests);
  assertStorageHoldsOnlyWeights(run.storage);
});

test('the SDK runs a session from the camera (Chromium fake camera playing the clip)', { timeout: 600_000 }, async () => {
  const y4m = path.join(frames, 'd13.y4m');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-t', '5', '-i', path.join(SHARED, 'data/video/liveportrait-driving/d13.mp4'),
    '-vf', 'scale=640:480,fps=30', '-pix_fmt', 'yuv420p', y4m]);
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
    }, challengeToken(['blink', 'turn_left']));
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
