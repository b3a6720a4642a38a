// The faceproof worker: all inference runs here, never on the page's main thread. Frames arrive as
// transferred VideoFrames or ImageBitmaps (or encoded bytes for photos) and their pixels are wiped as soon as
// they are read.
import { fetchWeights, sha256Hex } from './model-loader.js';
import { loadOrCreateDeviceKey, publicJwk, signSigningInput } from './webcrypto-sign.mjs';

// The wasm-bindgen glue of the module in use: the full one (WebGPU + CPU) or the CPU-only one, whose
// code is ~26 % of the full one's (no GPU stack). Chosen in create() before anything is fetched.
let wasm = null;
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

// Liveness frames are read at most this many pixels on their long side. Every network input is far smaller
// (YuNet ≤ 640, FaceMesh 192², Iris 64², MiniFASNet 80², the dlib chip 150²) and a face filling a 1280 px
// frame still gives each crop several source pixels per input pixel; above it, reading the pixels (the
// canvas readback, the copy into the module, the wipe) costs in proportion to the area for nothing. A
// 640×480 or 1280×720 camera frame is read as it is.
const MAX_FRAME_SIDE = 1280;

/**
 * A VideoFrame's RGBA pixels read by `copyTo`, or null where that cannot give the frame as it is displayed
 * (rotated or mirrored, non-square pixels) or the browser cannot convert to RGBA (copyTo's `format` option).
 * 2.5-4x cheaper than drawing onto a canvas and reading it back (Chromium 156: 1280x720 in 2.5 ms against
 * 6.8 ms, 640x480 in 0.9 ms against 2.5 ms).
 */
async function copiedRgba(frame) {
  const { visibleRect, displayWidth: width, displayHeight: height } = frame;
  if ((frame.rotation ?? 0) !== 0 || frame.flip || visibleRect?.width !== width || visibleRect?.height !== height) return null;
  const rgba = new Uint8Array(width * height * 4);
  try {
    await frame.copyTo(rgba, { format: 'RGBA', colorSpace: 'srgb' });
  } catch {
    rgba.fill(0);
    return null;
  }
  return { rgba, width, height };
}

/**
 * The frame's pixels (a VideoFrame or an ImageBitmap, closed after): `maxSide` caps the long side, scaling
 * down proportionally.
 */
async function rgbaOf(frame, maxSide = Infinity) {
  try {
    const isVideoFrame = typeof VideoFrame === 'function' && frame instanceof VideoFrame;
    const [sourceWidth, sourceHeight] = isVideoFrame ? [frame.displayWidth, frame.displayHeight] : [frame.width, frame.height];
    const scale = Math.min(1, maxSide / Math.max(sourceWidth, sourceHeight));
    const copied = isVideoFrame && scale === 1 ? await copiedRgba(frame) : null;
    if (copied) return copied;
    // A VideoFrame is drawn through an ImageBitmap: drawn directly onto the canvas, Chromium 156's renderer
    // grew by ~400 MiB over 40 frames of 2.6 MP (peak RSS 1.0 GiB against 0.6), and the bitmap is no slower.
    const drawable = isVideoFrame ? await createImageBitmap(frame) : frame;
    try {
      return canvasRgba(drawable, Math.max(1, Math.round(sourceWidth * scale)), Math.max(1, Math.round(sourceHeight * scale)));
    } finally {
      if (drawable !== frame) drawable.close();
    }
  } finally {
    frame.close();
  }
}

/** `source` drawn at `width`×`height` onto the scratch canvas and read back (the canvas is wiped after). */
function canvasRgba(source, width, height) {
  scratch.width = width;
  scratch.height = height;
  // 'low' (bilinear): 2x cheaper than 'medium' here; camera frames above the cap are at most 4K (3x down).
  scratchContext.imageSmoothingQuality = 'low';
  scratchContext.drawImage(source, 0, 0, width, height);
  const { data } = scratchContext.getImageData(0, 0, width, height);
  // Wipe the scratch canvas: it held face pixels.
  scratchContext.clearRect(0, 0, width, height);
  return { rgba: new Uint8Array(data.buffer), width, height };
}

const EMBEDDING_MODEL = 'dlib_resnet';

/** The manifest's entries for `models` ('detector': YuNet alone; 'all': every network). */
function wantedEntries(manifest, models) {
  return models === 'detector' ? manifest.filter((m) => m.name === 'yunet') : manifest;
}

/** What create() loads before it resolves: the wanted networks but the embedding network. */
function startupEntries(manifest, models) {
  return wantedEntries(manifest, models).filter((entry) => entry.name !== EMBEDDING_MODEL);
}

/**
 * Starts fetching the start-up weights named by pkg/weights-manifest.json (written by `./x wasm` from the
 * module). Resolves to {entries, bytes: Promise} or null when the file is missing or unreadable; a fetch that
 * fails (wrong hash, HTTP error) rejects `bytes`, which create() awaits only if the entries match the module's.
 */
async function prefetchWeights(models, modelsUrl) {
  try {
    const response = await fetch(new URL('../pkg/weights-manifest.json', import.meta.url));
    if (!response.ok) return null;
    const entries = startupEntries(await response.json(), models);
    const bytes = Promise.all(entries.map((entry) => fetchWeights(entry, modelsUrl)));
    bytes.catch(() => {});
    return { entries, bytes };
  } catch {
    return null;
  }
}

function sameEntries(a, b) {
  const key = (entries) => JSON.stringify(entries.map(({ name, file, sha256 }) => [name, file, sha256]));
  return Array.isArray(a) && key(a) === key(b);
}
let embeddingLoad = null;

/** Resolves once the engine has its embedding network, loading it if no load is under way. */
function ensureEmbedding() {
  if (!engine) need('engine');
  if (engine.hasEmbedding) return Promise.resolve();
  if (!weightsSource?.embedding) return Promise.reject(new Error('the embedding network is not in this build\'s weights manifest'));
  if (!embeddingLoad) {
    const target = engine;
    const load = fetchWeights(weightsSource.embedding, weightsSource.modelsUrl).then((bytes) => {
      // A create() or a move to the CPU may have replaced the engine meanwhile; the new one loads its own.
      if (engine === target && !target.hasEmbedding) target.loadEmbedding(bytes);
    });
    load.catch(() => { if (embeddingLoad === load) embeddingLoad = null; });
    embeddingLoad = load;
  }
  return embeddingLoad.then(() => (engine.hasEmbedding ? undefined : ensureEmbedding()));
}

function closeSession() {
  session?.free();
  session = null;
  sessionStopped();
}

// Whether the session has given its result (it judges no more frames), and who waits for that.
let sessionFinished = false;
const sessionIdleWaiters = [];

/** Resolves once no session is judging frames: none, or its result has been taken. */
function noSessionJudging() {
  return session && !sessionFinished ? new Promise((resolve) => sessionIdleWaiters.push(resolve)) : Promise.resolve();
}

function sessionStopped() {
  for (const resolve of sessionIdleWaiters.splice(0)) resolve();
}

/**
 * Which module to load and which backend to ask it for. 'cpu' takes the CPU-only module. 'auto' takes it too
 * where WebGPU cannot help: no WebGPU, no adapter, or a software fallback adapter (SwiftShader, llvmpipe:
 * WebGPU emulated on the CPU is many times slower than burn's CPU backend in wasm; tests/browser/bench.mjs).
 * Otherwise the full module, which trusts the GPU only after its self-test.
 */
async function chooseModule(backend) {
  if (backend === 'cpu') return { flavour: 'cpu', chosen: 'cpu', backendReason: null };
  if (backend !== 'auto') return { flavour: 'webgpu', chosen: backend, backendReason: null };
  const cpu = (backendReason) => ({ flavour: 'cpu', chosen: 'cpu', backendReason });
  if (!self.navigator?.gpu) return cpu('this browser has no WebGPU');
  const adapter = await navigator.gpu.requestAdapter().catch(() => null);
  if (!adapter) return cpu('no WebGPU adapter');
  if (adapter.info?.isFallbackAdapter) {
    return cpu(`the WebGPU adapter is a software fallback (${adapter.info.vendor} ${adapter.info.architecture})`);
  }
  return { flavour: 'webgpu', chosen: 'auto', backendReason: null };
}

const handlers = {
  async create({ backend, modelsUrl, models = 'all', startOnCpu = false, warmUpWhenIdle = true }) {
    // Start-up phases, reported so a page can see where its cold start goes.
    const startup = {};
    let mark = performance.now();
    const phase = (name) => { const now = performance.now(); startup[name] = now - mark; mark = now; };
    // The weights download while the module is fetched and compiled: the manifest file beside the module
    // names them (checked below against the module's own manifest before anything fetched is used).
    const prefetched = prefetchWeights(models, modelsUrl);
    const { flavour, chosen, backendReason } = await chooseModule(backend);
    phase('adapterMs');
    // Literal URLs and imports in each branch, so bundlers see (and ship) both modules.
    const [wasmUrl, glue] = flavour === 'cpu'
      ? [new URL('../pkg/faceproof_cpu_bg.wasm', import.meta.url), await import('../pkg/faceproof_cpu.js')]
      : [new URL('../pkg/faceproof_bg.wasm', import.meta.url), await import('../pkg/faceproof.js')];
    // The module compiles while it downloads (compileStreaming) and the same response's bytes are hashed
    // for the proof's wasm_sha256: both read one response, so what runs is what was hashed.
    const response = await fetch(wasmUrl, { priority: 'high' });
    if (!response.ok) throw new Error(`cannot fetch ${wasmUrl.href}: HTTP ${response.status}`);
    const streamed = WebAssembly.compileStreaming(response.clone()).catch(() => null);
    const wasmBytes = await response.arrayBuffer();
    phase('wasmFetchMs');
    // A server that does not label the module application/wasm cannot stream it: compile from the bytes.
    const [sha256, compiled] = await Promise.all([sha256Hex(wasmBytes), streamed]);
    await glue.default({ module_or_path: compiled ?? wasmBytes });
    wasmSha256 = sha256;
    // A reference belongs to the module that made it: a switch of module drops it.
    if (wasm && wasm !== glue) {
      reference?.free();
      reference = null;
    }
    wasm = glue;
    phase('wasmCompileMs');
    const manifest = JSON.parse(wasm.weightsManifest());
    const wanted = wantedEntries(manifest, models);
    // The embedding network (dlib's ResNet, 22 of the 31 MB) is not part of the per-frame loop: it is
    // fetched and built after create() resolves; sessions and reference photos wait for it.
    const now = startupEntries(manifest, models);
    const files = {};
    // All files at once: on a real network the fetches overlap instead of queueing. What was prefetched by
    // the manifest file is used only when that file says exactly what the module says.
    const early = await prefetched;
    const fetched = early && sameEntries(early.entries, now)
      ? await early.bytes
      : await Promise.all(now.map((entry) => fetchWeights(entry, modelsUrl)));
    now.forEach((entry, i) => { files[entry.file] = fetched[i]; });
    weightsSource = { wanted, modelsUrl, embedding: wanted.find((entry) => entry.name === EMBEDDING_MODEL) ?? null };
    phase('weightsFetchMs');
    const started = performance.now();
    closeSession();
    detector?.free();
    engine?.free();
    detector = engine = null;
    const generation = ++engineGeneration;
    const gpuPending = startOnCpu && flavour === 'webgpu' && models !== 'detector';
    if (models === 'detector') detector = await wasm.Detector.create(chosen, files['yunet.bpk']);
    else engine = await wasm.FaceEngine.create(gpuPending ? 'cpu' : chosen, files);
    embeddingLoad = null;
    if (gpuPending) {
      // The GPU engine's start-up runs on this worker's thread between awaits: begun after the first frame,
      // or once the page has asked nothing for a second, so that no frame waits behind it. A fixed second
      // after create() would not do: a reference photo still waiting for the embedding network then (a
      // loaded machine) meant a start-up under way when the session's frames came.
      const firstFrame = new Promise((resolve) => { frameServed = resolve; });
      moveToGpuWhenWarm(chosen, files, generation, Promise.race([firstFrame, pageQuietFor(GPU_START_AFTER_QUIET_MS)]));
    }
    // Started now, awaited by whatever needs it; a failure surfaces there (and that call retries).
    if (engine && weightsSource.embedding) ensureEmbedding().catch(() => {});
    if (engine && warmUpWhenIdle && engine.backend === 'cpu') warmCpuWhileIdle(engine, generation);
    return {
      backend: (detector ?? engine).backend, backendReason, gpuPending, version: wasm.moduleVersion(), module: flavour, wasmSha256,
      selfTest: engine?.selfTest ? JSON.parse(engine.selfTest) : null,
      loadMs: performance.now() - started, manifest: wanted, startup: { ...startup, engineMs: performance.now() - started },
    };
  },
  async detectEncoded({ bytes }) {
    const started = performance.now();
    const result = JSON.parse(await (detector ?? need('detector')).detectEncoded(new Uint8Array(bytes)));
    return { ...result, ms: performance.now() - started, backend: detector.backend };
  },
  async detectBitmap({ frame }) {
    // Full size: the boxes go back to the page in the frame's own pixels.
    const { rgba, width, height } = await rgbaOf(frame);
    const started = performance.now();
    const faces = JSON.parse(await (detector ?? need('detector')).detectRgba(width, height, rgba));
    rgba.fill(0);
    return { width, height, faces, ms: performance.now() - started, backend: detector.backend };
  },
  async analyzeEncoded({ bytes }) {
    await ensureEmbedding();
    const started = performance.now();
    const result = JSON.parse(await (engine ?? need('engine')).analyzeEncoded(new Uint8Array(bytes)));
    return { ...result, ms: performance.now() - started, backend: engine.backend };
  },
  async livenessFrame({ frame, mode }) {
    if (!engine) { frame.close(); need('engine'); }
    const read = performance.now();
    const { rgba, width, height } = await rgbaOf(frame, MAX_FRAME_SIDE);
    const started = performance.now();
    // The engine that runs this frame (a startOnCpu move to the GPU may swap `engine` meanwhile).
    const running = engine;
    const backend = running.backend;
    try {
      const result = JSON.parse(await running.livenessFrameRgba(width, height, rgba, mode));
      return { ...result, ms: performance.now() - started, readMs: started - read, backend };
    } finally {
      rgba.fill(0);
      frameServed?.({ width, height });
    }
  },
  async referencePhoto({ bytes }) {
    await ensureEmbedding();
    reference?.free();
    reference = null;
    reference = await (engine ?? need('engine')).referenceFromPhoto(new Uint8Array(bytes));
    return { kind: reference.kind };
  },
  async referenceFromChallenge({ challengeToken }) {
    if (!wasm) need('engine');
    reference?.free();
    reference = null;
    reference = wasm.Reference.fromChallenge(challengeToken);
    return { kind: reference.kind };
  },
  async startSession({ challengeToken, nowUnixMs }) {
    await ensureEmbedding();
    closeSession();
    session = (engine ?? need('engine')).startSession(challengeToken, nowUnixMs);
    sessionFinished = false;
    return JSON.parse(session.state());
  },
  async pushBitmap({ frame, timestampMs }) {
    if (!session) { frame.close(); need('session'); }
    const { rgba, width, height } = await rgbaOf(frame, MAX_FRAME_SIDE);
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
      frameServed?.({ width, height });
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
    sessionFinished = true;
    sessionStopped();
    reference.free();
    reference = null;
    return { ...summary, wasmSha256, version: wasm.moduleVersion() };
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

// Counts create() calls: a background move to the GPU belongs to the create() that started it.
let engineGeneration = 0;
// Called when a frame has been judged (a startOnCpu move waits for the first).
let frameServed = null;

/**
 * For a create() with startOnCpu: the WebGPU engine is built beside the CPU one that serves frames meanwhile
 * (its self-test included), given the embedding network, and warmed up (every network run once, so each
 * kernel is compiled before a frame needs it); then new frames and sessions use it. Its steps run on this
 * worker's thread between awaits, so none starts while a session is judging frames (a session's frames are
 * never held back behind them); a running session stays on the CPU engine, whose networks it holds (its
 * proof names the backend it ran on). The page hears of the outcome through a 'backend' event:
 * {from: 'cpu', to: 'webgpu'}, or {from: 'cpu', to: 'cpu', reason} when the GPU cannot be used.
 */
async function moveToGpuWhenWarm(requested, files, generation, startWhen) {
  // The first frame's size, when one came: the detector's input (and so its kernels) follows its aspect.
  const firstFrameSize = await startWhen;
  await noSessionJudging();
  const started = performance.now();
  // When the start-up began, on the epoch clock the page shares (for hosts checking it waited for a session).
  const startedAt = performance.timeOrigin + started;
  const current = () => generation === engineGeneration;
  let gpu = null;
  let selfTest = null;
  try {
    if (!current()) throw new Error('superseded');
    gpu = await wasm.FaceEngine.create(requested, files);
    selfTest = gpu.selfTest ? JSON.parse(gpu.selfTest) : null;
    if (gpu.backend !== 'webgpu') throw new Error(`WebGPU failed its self-test: ${selfTest?.error ?? 'unknown'}`);
    if (weightsSource.embedding) {
      // The CPU engine's load fetches the file (into the Cache); this one then reads it from there.
      await ensureEmbedding().catch(() => {});
      const bytes = await fetchWeights(weightsSource.embedding, weightsSource.modelsUrl);
      await noSessionJudging();
      if (!current()) throw new Error('superseded');
      gpu.loadEmbedding(bytes);
    }
    await noSessionJudging();
    const warmUp = JSON.parse(await gpu.warmUp(firstFrameSize?.width ?? 0, firstFrameSize?.height ?? 0));
    if (!current()) throw new Error('superseded');
    const cpu = engine;
    engine = gpu;
    gpu = null;
    // The new engine has its embedding network (or loads it on demand like any engine).
    embeddingLoad = null;
    cpu.free();
    notify('backend', { from: 'cpu', to: 'webgpu', reason: 'warmed up', selfTest, warmUp, startedAt, ms: performance.now() - started });
  } catch (error) {
    gpu?.free();
    if (current()) notify('backend', { from: 'cpu', to: 'cpu', reason: error.message ?? String(error), selfTest, startedAt, ms: performance.now() - started });
  }
}

// Requests other than create() since the last create(): a page that sends one is using the engine.
let requestsSinceCreate = 0;
// Requests being handled, and when one last arrived or was answered: a page mid-request (a reference photo
// waiting for the embedding network, say) is about to start a session, not done with the engine.
let requestsInFlight = 0;
let lastRequestActivity = 0;

/** Resolves once no request has been in flight for `ms`: the page is not using the engine. */
async function pageQuietFor(ms) {
  for (;;) {
    const quietFor = performance.now() - lastRequestActivity;
    if (requestsInFlight === 0 && quietFor >= ms) return;
    await new Promise((resolve) => setTimeout(resolve, requestsInFlight > 0 ? ms : ms - quietFor));
  }
}
// How long the worker waits after create() for a first request before it warms the CPU engine up.
const IDLE_BEFORE_WARM_UP_MS = 100;
// With startOnCpu and no frame yet: how long the page must ask nothing before the GPU start-up begins.
const GPU_START_AFTER_QUIET_MS = 1000;
// Where the camera's size is not known yet: the SDK's openCamera default.
const WARM_UP_FRAME = { width: 640, height: 480 };

/**
 * The CPU engine's per-frame networks run once each, on blank input, while the worker has nothing to do after
 * create(): a page is usually opening its camera then. V8 compiles each wasm function at its first call and
 * optimises the hot ones after that, so an unwarmed first frame costs 2–3× a warm one. One network at a time,
 * each a single task; it stops before the next one as soon as the page asks anything (a frame, a photo, a new
 * create()), so a frame waits behind at most the network under way. The page hears a 'warmup' event when all
 * have run.
 */
async function warmCpuWhileIdle(target, generation) {
  const idle = () => requestsSinceCreate === 0 && generation === engineGeneration && engine === target;
  await new Promise((resolve) => setTimeout(resolve, IDLE_BEFORE_WARM_UP_MS));
  const stages = {};
  const started = performance.now();
  try {
    for (const stage of ['detect', 'landmarks', 'antispoof']) {
      if (!idle()) return;
      const t = performance.now();
      await target.warmUpStage(stage, WARM_UP_FRAME.width, WARM_UP_FRAME.height);
      stages[stage] = performance.now() - t;
      // A task boundary, so that a request that came meanwhile is handled before the next network.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } catch {
    // An engine freed by a new create() meanwhile; the frames will compile what they use.
    return;
  }
  if (generation === engineGeneration) notify('warmup', { backend: 'cpu', stages, ms: performance.now() - started });
}

/** A message the page did not ask for (the worker's replies carry the request's id instead). */
function notify(event, detail) {
  self.postMessage({ event, detail });
}

// The GPU is gone: the engine reloads every network on the CPU (weights from the Cache API, checked
// again) and the running session continues there with its progress intact.
async function moveToCpu() {
  // Settle a load in flight so the CPU engine is given the embedding network exactly when the GPU one had it.
  await embeddingLoad?.catch(() => {});
  const files = {};
  const needed = weightsSource.wanted.filter((entry) => entry.name !== EMBEDDING_MODEL || engine.hasEmbedding);
  for (const entry of needed) files[entry.file] = await fetchWeights(entry, weightsSource.modelsUrl);
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
  requestsSinceCreate = type === 'create' ? 0 : requestsSinceCreate + 1;
  requestsInFlight += 1;
  lastRequestActivity = performance.now();
  try {
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request ${type}`);
    self.postMessage({ id, ok: true, result: await handler(payload) });
  } catch (error) {
    self.postMessage({ id, ok: false, error: { name: error.name ?? 'Error', message: error.message ?? String(error) } });
  } finally {
    requestsInFlight -= 1;
    lastRequestActivity = performance.now();
  }
};
