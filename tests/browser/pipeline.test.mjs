// Every network in headless Chromium: WebGPU (SwiftShader) and burn's CPU backend in wasm give the same
// detections, mesh, anti-spoof softmaxes and embedding as burn natively (flex), and so does native wgpu
// (lavapipe). Also: each weights file is sha256-checked, bad photos are errors that leave the engine usable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ARTIFACTS, ROOT, SHARED, TARGET, startServer, launch, onBlankPage, iou } from './harness.mjs';

const IMAGES = [
  'data/faces-deepface/images/img1.jpg',
  'data/faces-deepface/images/img47.jpg',          // WebP data named .jpg
  'data/spoof-samples/image_T1.jpg',
  'data/spoof-samples/image_F1.jpg',               // EXIF orientation 6, a printed photo
  'data/faces-dlib-examples/dogs.jpg',             // no face
];

// Cross-backend tolerances: float sums run in different orders on each backend, so they are looser than
// the 1e-3 parity with the reference runtimes that each model meets on flex (crates' parity tests), but far
// tighter than anything the liveness engine can notice (measured: mesh 7e-4 px, softmax 7e-7, embedding L2 7e-5).
const TOLERANCE = { meshPx: 0.01, poseDeg: 0.01, eye: 1e-4, softmax: 1e-4, embeddingL2: 1e-3, presence: 1e-4 };

let server;
const native = {};
const report = {};

function analyzeNative(backend) {
  const binary = path.join(TARGET, 'release/examples/analyze_json');
  const out = execFileSync(binary, [backend, ...IMAGES.map((p) => path.join(SHARED, p))],
    { encoding: 'utf8', maxBuffer: 1 << 28 });
  return JSON.parse(out).images.map((i) => i.analysis);
}

before(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  server = await startServer({ '/': path.join(ROOT, 'www'), '/shared/': SHARED, '/test/': path.join(ROOT, 'tests/browser/pages') });
  native.flex = analyzeNative('flex');
  native.wgpu = analyzeNative('wgpu');
});
after(async () => {
  await server?.close();
  await fs.writeFile(path.join(ARTIFACTS, 'pipeline-parity.json'), JSON.stringify(report, null, 1));
  console.log('pipeline parity and latency:', JSON.stringify(report));
});

const maxAbs = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const l2 = (a, b) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));

/** Compares one backend's analyses with native flex; returns the largest differences seen. */
function compare(label, actual, expected) {
  const worst = { meshPx: 0, poseDeg: 0, eye: 0, softmax: 0, embeddingL2: 0, presence: 0 };
  actual.forEach((got, i) => {
    const want = expected[i];
    const name = `${label} ${IMAGES[i]}`;
    assert.equal(got.width, want.width, name);
    assert.equal(got.faces.length, want.faces.length, `${name}: face count`);
    for (const face of want.faces) {
      const best = Math.max(...got.faces.map((f) => iou(f.bbox, face.bbox)));
      assert.ok(best >= 0.99, `${name}: best IoU ${best}`);
    }
    assert.equal(Boolean(got.primary), Boolean(want.primary), `${name}: primary face`);
    if (!want.primary) return;
    const [g, w] = [got.primary, want.primary];
    worst.meshPx = Math.max(worst.meshPx, maxAbs(g.mesh.flat(), w.mesh.flat()));
    worst.poseDeg = Math.max(worst.poseDeg, maxAbs(g.pose, w.pose));
    worst.eye = Math.max(worst.eye, maxAbs(g.eye_openness, w.eye_openness));
    worst.presence = Math.max(worst.presence, Math.abs(g.mesh_presence - w.mesh_presence));
    assert.equal(Boolean(g.antispoof), Boolean(w.antispoof), `${name}: antispoof sampled`);
    if (w.antispoof) {
      worst.softmax = Math.max(worst.softmax, maxAbs([...g.antispoof.softmax_v2, ...g.antispoof.softmax_v1se],
        [...w.antispoof.softmax_v2, ...w.antispoof.softmax_v1se]));
    }
    assert.equal(Boolean(g.embedding), Boolean(w.embedding), `${name}: embedded`);
    if (w.embedding) {
      assert.equal(g.embedding.length, 128);
      worst.embeddingL2 = Math.max(worst.embeddingL2, l2(g.embedding, w.embedding));
    }
  });
  for (const [key, limit] of Object.entries(TOLERANCE)) {
    assert.ok(worst[key] <= limit, `${label}: ${key} differs by ${worst[key]} (limit ${limit})`);
  }
  return worst;
}

const latency = (analyses) => {
  const withFace = analyses.filter((a) => a.primary);
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(['detect', 'landmarks', 'antispoof', 'embed']
    .map((stage) => [stage, Number(median(withFace.map((a) => a.timings_ms[stage])).toFixed(1))]));
};

test('native wgpu (lavapipe) matches native flex on every model', () => {
  report.wgpu = { worst: compare('wgpu', native.wgpu, native.flex), latencyMs: latency(native.wgpu) };
  report.flex = { latencyMs: latency(native.flex) };
});

async function analyzeInBrowser(backend) {
  const browser = await launch({ webgpu: backend === 'webgpu' });
  try {
    const page = await browser.newPage();
    const logs = [];
    page.on('console', (msg) => logs.push(msg.text()));
    await page.goto(`${server.url}test/blank.html`);
    const result = await page.evaluate(async ({ backend, images }) => {
      const { FaceProof } = await import('/sdk/faceproof.js');
      const fp = await FaceProof.create({ backend });
      const analyses = [];
      for (const [i, image] of images.entries()) {
        const blob = await (await fetch(`/shared/${image}`)).blob();
        if (i === 0) await fp.analyzePhoto(blob); // warm-up: shaders compile on first use
        analyses.push(await fp.analyzePhoto(blob));
      }
      fp.close();
      return { backend: fp.backend, analyses, loadMs: fp.loadMs, selfTest: fp.selfTest };
    }, { backend, images: IMAGES });
    return { ...result, logs };
  } finally {
    await browser.close();
  }
}

for (const backend of ['webgpu', 'cpu']) {
  test(`${backend} in Chromium matches native flex on every model`, { timeout: 900_000 }, async () => {
    const result = await analyzeInBrowser(backend);
    assert.equal(result.backend, backend, `ran on ${result.backend}; logs: ${result.logs.join('\n')}`);
    // WebGPU is used only after its self-test (fixed input, GPU vs CPU) passed; the CPU path needs none.
    if (backend === 'webgpu') {
      assert.equal(result.selfTest?.passed, true, JSON.stringify(result.selfTest));
      assert.ok(result.selfTest.max_abs_diff < 1e-3);
    } else {
      assert.equal(result.selfTest, null);
    }
    report[backend] = { worst: compare(backend, result.analyses, native.flex), latencyMs: latency(result.analyses), loadMs: Math.round(result.loadMs), selfTest: result.selfTest };
  });
}

/** A startOnCpu engine in Chromium: what create() gave, frames before and after the move, the events. */
async function startOnCpuRun(webgpu) {
  return onBlankPage(server, { webgpu }, async (page) => {
    return await page.evaluate(async () => {
      const { FaceProof } = await import('/sdk/faceproof.js');
      const fp = await FaceProof.create({ backend: 'webgpu', startOnCpu: true });
      const events = [];
      fp.addEventListener('backend', ({ detail }) => events.push(detail));
      const created = { backend: fp.backend, module: fp.module, selfTest: fp.selfTest };
      const blob = await (await fetch('/shared/data/faces-deepface/images/img1.jpg')).blob();
      const source = await createImageBitmap(blob, { imageOrientation: 'from-image' });
      const before = await fp.livenessFrame(await createImageBitmap(source), { mode: 'detect' });
      const settled = await fp.backendSettled;
      const after = await fp.livenessFrame(await createImageBitmap(source), { mode: 'detect' });
      fp.close();
      return { created, before, settled, after, events, backend: fp.backend };
    });
  });
}

test('startOnCpu: frames run on the CPU at once, then on WebGPU once it passed its self-test and warmed up', { timeout: 600_000 }, async () => {
  const run = await startOnCpuRun(true);
  assert.deepEqual(run.created, { backend: 'cpu', module: 'webgpu', selfTest: null });
  assert.equal(run.before.backend, 'cpu');
  assert.equal(run.before.faces, 1);
  assert.equal(run.settled.backend, 'webgpu', JSON.stringify(run.settled));
  assert.equal(run.settled.selfTest?.passed, true, JSON.stringify(run.settled));
  assert.equal(run.events.length, 1, JSON.stringify(run.events));
  const [moved] = run.events;
  assert.deepEqual([moved.from, moved.to], ['cpu', 'webgpu']);
  // Every network ran once on the GPU before it took over, the embedding network included.
  for (const stage of ['detect_ms', 'landmarks_ms', 'antispoof_ms', 'embedding_ms']) assert.ok(moved.warmUp[stage] > 0, `${stage}: ${JSON.stringify(moved.warmUp)}`);
  assert.equal(run.after.backend, 'webgpu');
  assert.equal(run.backend, 'webgpu');
  assert.equal(run.after.faces, 1);
  assert.ok(Math.abs(run.after.live_probability - run.before.live_probability) <= 1e-3, `${run.after.live_probability} vs ${run.before.live_probability}`);
  report.startOnCpu = { warmUp: moved.warmUp, moveMs: Math.round(moved.ms) };
});

test('startOnCpu where WebGPU cannot run: the engine stays on the CPU and says why', { timeout: 300_000 }, async () => {
  const run = await startOnCpuRun(false);
  assert.equal(run.created.backend, 'cpu');
  assert.equal(run.settled.backend, 'cpu');
  assert.match(run.settled.reason, /WebGPU/);
  assert.deepEqual(run.events.map((e) => [e.from, e.to]), [['cpu', 'cpu']]);
  assert.equal(run.before.backend, 'cpu');
  assert.equal(run.after.backend, 'cpu');
  assert.equal(run.after.faces, 1);
});

test('startOnCpu without frames: the GPU start-up begins once the page has asked nothing for a second', { timeout: 300_000 }, async () => {
  // No WebGPU in this browser, so the start-up fails at once: what is checked is when it began.
  await onBlankPage(server, { webgpu: false }, async (page) => {
    const run = await page.evaluate(async () => {
      const epochNow = () => performance.timeOrigin + performance.now();
      const { FaceProof } = await import('/sdk/faceproof.js');
      const photo = await (await fetch('/shared/data/faces-deepface/images/img1.jpg')).blob();
      const fp = await FaceProof.create({ backend: 'webgpu', startOnCpu: true });
      const event = new Promise((resolve) => fp.addEventListener('backend', ({ detail }) => resolve(detail)));
      // The page is busy with the engine (a photo waiting for the embedding network, then analysed), not
      // sending frames: no start-up while that request is in flight, nor within a second of its answer.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const sentAt = epochNow();
      const analysis = await fp.analyzePhoto(photo);
      const settled = await fp.backendSettled;
      const { startedAt } = await event;
      fp.close();
      return { settled, startedAt, sentAt, analysisMs: analysis.ms, faces: analysis.faces?.length };
    });
    console.log('start-up without frames:', JSON.stringify({ afterRequestMs: Math.round(run.startedAt - run.sentAt),
      analysisMs: Math.round(run.analysisMs), settled: run.settled.backend }));
    assert.equal(run.settled.backend, 'cpu');
    assert.match(run.settled.reason, /WebGPU/);
    // The worker answered no sooner than the analysis took after the request was sent; the start-up came a
    // second after that. (The two epoch clocks agree to well under a millisecond; 20 ms spares rounding.)
    const earliest = run.sentAt + run.analysisMs + 1000;
    assert.ok(run.startedAt >= earliest - 20, `the start-up began ${earliest - run.startedAt} ms too early`);
    // Loose: the worker's own work (the idle warm-up) can hold its timer back.
    assert.ok(run.startedAt - earliest < 15_000, `the start-up waited ${run.startedAt - earliest} ms more on a quiet page`);
  });
});

test('the CPU engine warms up while the page is idle, stops at its first request, and can be told not to', { timeout: 300_000 }, async () => {
  await onBlankPage(server, { webgpu: false }, async (page) => {
    const run = await page.evaluate(async () => {
      const { FaceProof } = await import('/sdk/faceproof.js');
      const source = await createImageBitmap(await (await fetch('/shared/data/faces-deepface/images/img1.jpg')).blob());
      const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
      const created = async (options) => {
        const fp = await FaceProof.create({ backend: 'cpu', ...options });
        const warmups = [];
        fp.addEventListener('warmup', ({ detail }) => warmups.push(detail));
        return { fp, warmups };
      };
      // Idle (a page opening its camera): the warm-up runs and reports each network.
      const idle = await created({});
      const warmup = await new Promise((resolve, reject) => {
        idle.fp.addEventListener('warmup', ({ detail }) => resolve(detail));
        setTimeout(() => reject(new Error('no warmup event within 60 s')), 60_000);
      });
      const frame = await idle.fp.livenessFrame(await createImageBitmap(source), { mode: 'detect' });
      idle.fp.close();
      // A frame sent at once: no warm-up starts (or it stops before its next network).
      const busy = await created({});
      const first = await busy.fp.livenessFrame(await createImageBitmap(source), { mode: 'detect' });
      await sleep(1500);
      busy.fp.close();
      // Turned off: nothing runs, however long the page waits.
      const off = await created({ warmUpWhenIdle: false });
      await sleep(1500);
      off.fp.close();
      return { warmup, frame, first, busy: busy.warmups, off: off.warmups };
    });
    assert.equal(run.warmup.backend, 'cpu');
    for (const stage of ['detect', 'landmarks', 'antispoof']) assert.ok(run.warmup.stages[stage] > 0, JSON.stringify(run.warmup));
    assert.equal(run.frame.faces, 1);
    assert.equal(run.first.faces, 1);
    assert.deepEqual(run.busy, [], 'a page that sends a frame at once is not made to wait for a warm-up');
    assert.deepEqual(run.off, []);
    report.idleWarmUp = run.warmup;
  });
});

test('every weights file is checked; bad photos leave the engine usable', { timeout: 600_000 }, async () => {
  await onBlankPage(server, { webgpu: false }, async (page) => {
    // A tampered mesh file: the engine refuses to start and names the file.
    server.overrides.set('/models/facemesh.bpk', Buffer.from('not the weights'));
    const tampered = await page.evaluate(async () => {
      const { FaceProof } = await import('/sdk/faceproof.js');
      try { await FaceProof.create({ backend: 'cpu' }); return 'created'; } catch (e) { return e.message; }
    });
    server.overrides.delete('/models/facemesh.bpk');
    assert.match(tampered, /facemesh.*sha256/);
    const outcome = await page.evaluate(async () => {
      await caches.delete('faceproof-models-v1');
      const { FaceProof } = await import('/sdk/faceproof.js');
      const fp = await FaceProof.create({ backend: 'cpu' });
      const errors = [];
      for (const bytes of [new Uint8Array(0), new Uint8Array([0xff, 0xd8, 0xff, 0x00]), new TextEncoder().encode('hello')]) {
        try { await fp.analyzePhoto(new Blob([bytes])); errors.push('accepted'); } catch (e) { errors.push(e.message); }
      }
      const blob = await (await fetch('/shared/data/faces-deepface/images/img1.jpg')).blob();
      const after = await fp.analyzePhoto(blob);
      // The reference may be a decoded ImageBitmap too; a closed one is a typed error, not a crash.
      const bitmap = await createImageBitmap(blob);
      const fromBitmap = await fp.prepareReference(bitmap);
      bitmap.close();
      const closed = await fp.prepareReference(bitmap).then(() => 'accepted', (e) => e.name);
      fp.close();
      return { errors, faces: after.faces.length, embedded: Boolean(after.primary?.embedding), fromBitmap, closed };
    });
    assert.equal(outcome.fromBitmap.kind, 'id_photo');
    assert.equal(outcome.closed, 'ReferenceError');
    assert.equal(outcome.errors.length, 3);
    for (const message of outcome.errors) assert.notEqual(message, 'accepted');
    assert.equal(outcome.faces, 1);
    assert.ok(outcome.embedded);
  });
});
