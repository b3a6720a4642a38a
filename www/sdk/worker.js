// The faceproof worker: all inference runs here, never on the page's main thread. Frames arrive as
// transferred ImageBitmaps (or encoded bytes for photos) and their pixels are wiped as soon as they are read.
import init, { Detector, FaceEngine, Reference, weightsManifest, moduleVersion } from '../pkg/faceproof.js';
import { fetchWeights, sha256Hex } from './model-loader.js';
import { loadOrCreateDeviceKey, publicJwk, signSigningInput } from './webcrypto-sign.mjs';

// 'detector': YuNet alone (photo demo). 'all': every network (liveness sessions).
let detector = null;
let engine = null;
let session = null;
let reference = null;
let wasmSha256 = null;
// Where the weights came from, to reload them for the CPU if the GPU is lost.
let weightsSource = null;
// burn asks for the GPUDevice itself; keeping a handle tells us when the browser loses it (driver reset,
// GPU process crash, tab in the background on some mobiles) so a session can move to the CPU.
let gpuDevice = null;
let gpuLost = null;
let gpuLostSettled = null;
if (self.GPUAdapter) {
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await requestDevice.apply(this, args);
    gpuDevice = device;
    gpuLost = null;
    gpuLostSettled = device.lost.then((info) => {
      if (device === gpuDevice) gpuLost = { reason: info.reason, message: info.message };
    });
    return device;
  };
}

/** Whether the GPU in use is lost, waiting briefly: a readback fails before `device.lost` settles. */
async function gpuLostWithin(ms) {
  if (engine?.backend !== 'webgpu' || !gpuLostSettled) return false;
  await Promise.race([gpuLostSettled, new Promise((resolve) => setTimeout(resolve, ms))]);
  return gpuLost !== null;
}
const scratch = new OffscreenCanvas(1, 1);
const scratchContext = scratch.getContext('2d', { willReadFrequently: true });

function rgbaOf(bitmap) {
  scratch.width = bitmap.width;
  scratch.height = bitmap.height;
  scratchContext.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = scratchContext.getImageData(0, 0, scratch.width, scratch.height);
  // Wipe the scratch canvas: it held face pixels.
  scratchContext.clearRect(0, 0, scratch.width, scratch.height);
  return new Uint8Array(data.buffer);
}

function closeSession() {
  session?.free();
  session = null;
}

const handlers = {
  async create({ backend, modelsUrl, models = 'all' }) {
    // Start-up phases, reported so a page can see where its cold start goes.
    const startup = {};
    let mark = performance.now();
    const phase = (name) => { const now = performance.now(); startup[name] = now - mark; mark = now; };
    const wasmUrl = new URL('../pkg/faceproof_bg.wasm', import.meta.url);
    const wasmBytes = await (await fetch(wasmUrl)).arrayBuffer();
    phase('wasmFetchMs');
    // Hashing (for the proof's wasm_sha256) and compiling are independent: run them together.
    [wasmSha256] = await Promise.all([sha256Hex(wasmBytes), init({ module_or_path: wasmBytes })]);
    phase('wasmCompileMs');
    const manifest = JSON.parse(weightsManifest());
    const wanted = models === 'detector' ? manifest.filter((m) => m.name === 'yunet') : manifest;
    const files = {};
    // All files at once: on a real network the fetches overlap instead of queueing.
    const fetched = await Promise.all(wanted.map((entry) => fetchWeights(entry, modelsUrl)));
    wanted.forEach((entry, i) => { files[entry.file] = fetched[i]; });
    weightsSource = { wanted, modelsUrl };
    phase('weightsFetchMs');
    // A fallback adapter (SwiftShader, llvmpipe: WebGPU emulated on the CPU) is many times slower than burn's
    // CPU backend in wasm (tests/browser/bench.mjs on this project's CI), so 'auto' takes the CPU there.
    let chosen = backend;
    let backendReason = null;
    if (backend === 'auto') {
      const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
      if (adapter?.info?.isFallbackAdapter) {
        chosen = 'cpu';
        backendReason = `the WebGPU adapter is a software fallback (${adapter.info.vendor} ${adapter.info.architecture})`;
      }
    }
    const started = performance.now();
    closeSession();
    detector?.free();
    engine?.free();
    detector = engine = null;
    if (models === 'detector') detector = await Detector.create(chosen, files['yunet.bpk']);
    else engine = await FaceEngine.create(chosen, files);
    return {
      backend: (detector ?? engine).backend, backendReason, version: moduleVersion(), wasmSha256,
      selfTest: engine?.selfTest ? JSON.parse(engine.selfTest) : null,
      loadMs: performance.now() - started, manifest: wanted, startup: { ...startup, engineMs: performance.now() - started },
    };
  },
  async detectEncoded({ bytes }) {
    const started = performance.now();
    const result = JSON.parse(await (detector ?? need('detector')).detectEncoded(new Uint8Array(bytes)));
    return { ...result, ms: performance.now() - started, backend: detector.backend };
  },
  async detectBitmap({ bitmap }) {
    const { width, height } = bitmap;
    const rgba = rgbaOf(bitmap);
    const started = performance.now();
    const faces = JSON.parse(await (detector ?? need('detector')).detectRgba(width, height, rgba));
    rgba.fill(0);
    return { width, height, faces, ms: performance.now() - started, backend: detector.backend };
  },
  async analyzeEncoded({ bytes }) {
    const started = performance.now();
    const result = JSON.parse(await (engine ?? need('engine')).analyzeEncoded(new Uint8Array(bytes)));
    return { ...result, ms: performance.now() - started, backend: engine.backend };
  },
  async livenessFrame({ bitmap, mode }) {
    if (!engine) { bitmap.close(); need('engine'); }
    const { width, height } = bitmap;
    const rgba = rgbaOf(bitmap);
    const started = performance.now();
    try {
      const result = JSON.parse(await engine.livenessFrameRgba(width, height, rgba, mode));
      return { ...result, ms: performance.now() - started, backend: engine.backend };
    } finally {
      rgba.fill(0);
    }
  },
  async referencePhoto({ bytes }) {
    reference?.free();
    reference = null;
    reference = await (engine ?? need('engine')).referenceFromPhoto(new Uint8Array(bytes));
    return { kind: reference.kind };
  },
  async referenceFromChallenge({ challengeToken }) {
    reference?.free();
    reference = null;
    reference = Reference.fromChallenge(challengeToken);
    return { kind: reference.kind };
  },
  async startSession({ challengeToken, nowUnixMs }) {
    closeSession();
    session = (engine ?? need('engine')).startSession(challengeToken, nowUnixMs);
    return JSON.parse(session.state());
  },
  async pushBitmap({ bitmap, timestampMs }) {
    if (!session) { bitmap.close(); need('session'); }
    const { width, height } = bitmap;
    const rgba = rgbaOf(bitmap);
    try {
      let backendChange = gpuLost && engine.backend === 'webgpu' ? await moveToCpu() : null;
      let report;
      try {
        report = JSON.parse(await session.pushRgba(width, height, rgba, timestampMs));
      } catch (error) {
        // The device can be lost while this frame ran: judge the same frame again on the CPU.
        if (!(await gpuLostWithin(2000))) throw error;
        backendChange = await moveToCpu();
        report = JSON.parse(await session.pushRgba(width, height, rgba, timestampMs));
      }
      return backendChange ? { ...report, backendChange } : report;
    } finally {
      rgba.fill(0);
    }
  },
  // Like WEBGL_lose_context: lets a host (and the tests) check its handling of a lost GPU.
  async loseGpuDevice() {
    if (!gpuDevice || engine?.backend !== 'webgpu') throw new Error('no WebGPU device in use');
    gpuDevice.destroy();
    await gpuDevice.lost;
    return { lost: gpuLost };
  },
  async finish() {
    if (!session) need('session');
    if (!reference) need('reference');
    const summary = JSON.parse(session.finish(reference));
    reference.free();
    reference = null;
    return { ...summary, wasmSha256, version: moduleVersion() };
  },
  // The signed proof of the finished session: the module builds the claims and the exact signing input,
  // this device's non-extractable P-256 key (IndexedDB) signs it, the module assembles and checks the JWS.
  async proof({ ttlS = 120 }) {
    if (!session) need('session');
    const keyPair = await loadOrCreateDeviceKey();
    const jwk = await publicJwk(keyPair.publicKey);
    const input = session.proofSigningInput(JSON.stringify(jwk), wasmSha256, Math.floor(Date.now() / 1000), ttlS);
    const { signature } = await signSigningInput(input, keyPair);
    const token = session.assembleProof(signature);
    closeSession();
    return { proof: token };
  },
};

// The GPU is gone: the engine reloads every network on the CPU (weights from the Cache API, checked
// again) and the running session continues there with its progress intact.
async function moveToCpu() {
  const files = {};
  for (const entry of weightsSource.wanted) files[entry.file] = await fetchWeights(entry, weightsSource.modelsUrl);
  engine.switchToCpu(files);
  session?.continueOn(engine);
  return { from: 'webgpu', to: 'cpu', reason: gpuLost };
}

function need(what) {
  const hints = {
    detector: 'create faceproof with models: "detector"',
    engine: 'create faceproof with models: "all"',
    session: 'start a session first',
    reference: 'set the reference (an ID photo or the server template) first',
  };
  throw Object.assign(new Error(`no ${what}: ${hints[what]}`), { name: 'StateError' });
}

self.onmessage = async ({ data: { id, type, payload } }) => {
  try {
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request ${type}`);
    self.postMessage({ id, ok: true, result: await handler(payload) });
  } catch (error) {
    self.postMessage({ id, ok: false, error: { name: error.name ?? 'Error', message: error.message ?? String(error) } });
  }
};
