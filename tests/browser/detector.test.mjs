// The detector in headless Chromium: WebGPU (SwiftShader) and CPU-in-wasm give the same faces as burn
// natively; bad input and bad weights are clear errors that leave the page usable; no pixel leaves the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS, ROOT, SHARED, startServer, launch, nativeDetections, iou, detectPhoto, openDemo } from './harness.mjs';

const IMAGES = [
  'data/faces-deepface/images/img1.jpg',
  'data/faces-deepface/images/couple.jpg',
  'data/faces-deepface/images/img47.jpg',          // WebP data named .jpg
  'data/faces-dlib-examples/2008_002470.jpg',      // six small faces
  'data/spoof-samples/image_F1.jpg',               // EXIF orientation 6
  'data/faces-dlib-examples/dogs.jpg',             // no face
].map((p) => path.join(SHARED, p));

let server;
let native;
const timings = {};

before(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  server = await startServer();
  native = { flex: nativeDetections('flex', IMAGES), wgpu: nativeDetections('wgpu', IMAGES) };
});
after(async () => {
  await server?.close();
  await fs.writeFile(path.join(ARTIFACTS, 'detector-latency.json'), JSON.stringify(timings, null, 1));
  console.log('detector latency per image (ms):', JSON.stringify(timings));
});

function assertSameFaces(label, actual, expected) {
  assert.equal(actual.length, expected.length, `${label}: ${actual.length} faces vs ${expected.length}`);
  for (const want of expected) {
    const best = Math.max(...actual.map((f) => iou(f.bbox, want.bbox)));
    assert.ok(best >= 0.99, `${label}: best IoU ${best.toFixed(4)} for ${JSON.stringify(want.bbox)}`);
  }
}

test('native wgpu (lavapipe) and flex agree', () => {
  native.flex.images.forEach((image, i) => assertSameFaces(`wgpu ${path.basename(image.file)}`, native.wgpu.images[i].faces, image.faces));
  timings['flex native'] = native.flex.images.map((i) => Math.round(i.ms));
  timings['wgpu native (lavapipe)'] = native.wgpu.images.map((i) => Math.round(i.ms));
});

for (const [backend, webgpu] of [['webgpu', true], ['cpu', false]]) {
  test(`${backend} in Chromium finds the same faces as burn natively`, async () => {
    const browser = await launch({ webgpu });
    try {
      // Without an adapter "auto" must fall back to the CPU; WebGPU is asked for by name, because this
      // machine's only adapter is SwiftShader, a software fallback that "auto" declines (checked below).
      const { page, logs } = await openDemo(browser, server, `?backend=${webgpu ? 'webgpu' : 'auto'}`);
      const status = await page.textContent('#status');
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', `${status}\n${logs.join('\n')}`);
      assert.match(status, webgpu ? /WebGPU/ : /CPU \(wasm\)/);
      const ms = [];
      for (const [i, file] of IMAGES.entries()) {
        const result = await detectPhoto(page, file);
        assert.ok(!result.error, `${file}: ${result.error}`);
        assert.equal(result.backend, backend);
        assertSameFaces(`${backend} ${path.basename(file)}`, result.faces, native.flex.images[i].faces);
        // Warm figure: detect the same photo again.
        const again = await detectPhoto(page, file);
        ms.push(Math.round(again.ms));
        if (i === 1) await page.screenshot({ path: path.join(ARTIFACTS, `detector-${backend}.png`) });
      }
      timings[`${backend} in Chromium`] = ms;
      timings[`${backend}: longest main-thread task (ms)`] = await page.evaluate(() => window.faceproofLongestTaskMs);
      // What 'auto' picks here: the CPU-only module either way (the full one would only add its GPU stack's
      // bytes), because SwiftShader is a software fallback adapter and Chromium without WebGPU has no adapter.
      const auto = await page.evaluate(async () => {
        const { FaceProof } = await import('/sdk/faceproof.js');
        const fp = await FaceProof.create({ backend: 'auto', models: 'detector' });
        fp.close();
        return { backend: fp.backend, reason: fp.backendReason, module: fp.module };
      });
      const reason = webgpu ? 'the WebGPU adapter is a software fallback (google swiftshader)' : 'no WebGPU adapter';
      assert.deepEqual(auto, { backend: 'cpu', reason, module: 'cpu' });
      // Which module each run fetched: the full one for WebGPU, the CPU-only one for the CPU backend.
      const wasmFetched = server.requests.map((r) => r.url).filter((u) => u.endsWith('.wasm'));
      assert.ok(wasmFetched.some((u) => u.endsWith(webgpu ? '/faceproof_bg.wasm' : '/faceproof_cpu_bg.wasm')), wasmFetched.join(' '));
    } finally {
      await browser.close();
    }
  });
}

test('bad photos are clear errors and the page stays usable', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page } = await openDemo(browser, server, '?backend=cpu');
    const dir = path.join(ARTIFACTS, 'bad-input');
    await fs.mkdir(dir, { recursive: true });
    const jpeg = await fs.readFile(IMAGES[0]);
    const cases = {
      'empty.jpg': Buffer.alloc(0),
      'text.jpg': Buffer.from('not an image at all'),
      'truncated.jpg': jpeg.subarray(0, jpeg.length >> 2),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      await fs.writeFile(path.join(dir, name), bytes);
      const result = await detectPhoto(page, path.join(dir, name));
      assert.ok(result.error, `${name} should fail`);
      assert.match(result.error, /could not be used/, name);
    }
    const ok = await detectPhoto(page, IMAGES[0]);
    assert.equal(ok.faces.length, 1, 'a good photo still works after the bad ones');
  } finally {
    await browser.close();
  }
});

test('a frame gives the same faces however it reaches the worker: VideoFrame (copyTo) or ImageBitmap (canvas)', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page } = await openDemo(browser, server, '?backend=cpu');
    const bytes = [...await fs.readFile(IMAGES[1])];
    const reads = await page.evaluate(async (bytes) => {
      const { FaceProof } = await import('/sdk/faceproof.js');
      const fp = await FaceProof.create({ backend: 'cpu', models: 'detector' });
      const source = await createImageBitmap(new Blob([new Uint8Array(bytes)]), { imageOrientation: 'from-image' });
      const canvas = new OffscreenCanvas(source.width, source.height);
      canvas.getContext('2d').drawImage(source, 0, 0);
      const reads = {
        videoFrame: await fp.detectFrame(new VideoFrame(source, { timestamp: 0 })),
        // The SDK wraps an ImageBitmap or a canvas in a VideoFrame (no copy) and closes the bitmap.
        bitmap: await fp.detectFrame(await createImageBitmap(source)),
        canvas: await fp.detectFrame(canvas),
      };
      // A browser without VideoFrame: the ImageBitmap is transferred and read back through a canvas.
      const { VideoFrame: videoFrame } = globalThis;
      delete globalThis.VideoFrame;
      try {
        reads.withoutVideoFrame = await fp.detectFrame(await createImageBitmap(source));
      } finally {
        globalThis.VideoFrame = videoFrame;
      }
      const consumed = await createImageBitmap(source);
      await fp.detectFrame(consumed);
      fp.close();
      return { reads, consumedWidth: consumed.width };
    }, bytes);
    assert.equal(reads.consumedWidth, 0, 'an ImageBitmap handed to detectFrame is consumed (closed)');
    const reference = reads.reads.withoutVideoFrame;
    assert.equal(reference.faces.length, 2, JSON.stringify(reference));
    for (const [how, read] of Object.entries(reads.reads)) {
      assert.deepEqual([read.width, read.height], [reference.width, reference.height], how);
      assert.equal(read.faces.length, reference.faces.length, how);
      read.faces.forEach((face, i) => {
        const want = reference.faces[i];
        assert.ok(face.bbox.every((v, k) => Math.abs(v - want.bbox[k]) <= 0.5), `${how}: ${JSON.stringify(face.bbox)} vs ${JSON.stringify(want.bbox)}`);
        assert.ok(Math.abs(face.score - want.score) <= 1e-4, `${how}: score ${face.score} vs ${want.score}`);
      });
    }
  } finally {
    await browser.close();
  }
});

test('weights with the wrong sha256 are refused with a clear message', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const page = await browser.newPage();
    server.overrides.set('/tampered/yunet.bpk', Buffer.from('tampered weights'));
    await page.goto(`${server.url}index.html?backend=cpu&models=tampered/`);
    await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
    assert.match(await page.textContent('#status'), /sha256 [0-9a-f]{64}, expected [0-9a-f]{64}/);
    const cached = await page.evaluate(async () => (await (await caches.open('faceproof-models-v1')).keys()).length);
    assert.equal(cached, 0, 'tampered weights must not be cached');
  } finally {
    await browser.close();
  }
});

test('a stale weights-manifest.json beside the module only costs the early fetch: the module\'s manifest decides', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(ROOT, 'www/pkg/weights-manifest.json'), 'utf8'));
    const stale = manifest.map((entry) => ({ ...entry, sha256: '00'.repeat(32) }));
    server.overrides.set('/pkg/weights-manifest.json', Buffer.from(JSON.stringify(stale)));
    const before = server.requests.length;
    const { page } = await openDemo(browser, server, '?backend=cpu');
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', await page.textContent('#status'));
    assert.ok(server.requests.slice(before).some((r) => r.url.endsWith('/pkg/weights-manifest.json')), 'the manifest file was not fetched');
    const result = await detectPhoto(page, IMAGES[0]);
    assert.equal(result.faces.length, 1);
  } finally {
    server.overrides.delete('/pkg/weights-manifest.json');
    await browser.close();
  }
});

test('no pixels leave the page: only GETs for code and weights, and the Cache holds only weights', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const before = server.requests.length;
    const { page } = await openDemo(browser, server, '?backend=cpu');
    await detectPhoto(page, IMAGES[1]);
    const seen = server.requests.slice(before);
    for (const r of seen) {
      assert.equal(r.method, 'GET', `${r.method} ${r.url}`);
      assert.equal(r.body.length, 0, `${r.url} carried a body`);
      assert.ok(/\.(html|m?js|css|wasm|bpk)$|\/$|favicon|^\/pkg\/weights-manifest\.json$/.test(new URL(r.url, 'http://x').pathname), `unexpected request ${r.url}`);
    }
    const cacheKeys = await page.evaluate(async () => (await (await caches.open('faceproof-models-v1')).keys()).map((r) => r.url));
    assert.deepEqual(cacheKeys.map((u) => new URL(u).pathname), ['/models/yunet.bpk']);
    const storage = await page.evaluate(() => localStorage.length + sessionStorage.length);
    assert.equal(storage, 0);
  } finally {
    await browser.close();
  }
});
