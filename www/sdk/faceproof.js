// faceproof's page-side API. It owns a dedicated worker where the wasm module and every model run, so the
// page's main thread only moves frames (transferred VideoFrames, or ImageBitmaps where the browser has no
// VideoFrame) and receives small JSON results.

export class FaceProofError extends Error {
  constructor({ name, message }) {
    super(message);
    this.name = name === 'Error' ? 'FaceProofError' : name;
  }
}

/**
 * Opens the user-facing camera into `video`. Failures become a FaceProofError whose `name` the page can map to
 * a message that offers the non-biometric alternative: CameraDenied, CameraMissing, CameraBusy, Unsupported.
 */
export async function openCamera(video, { width = 640, height = 480 } = {}) {
  if (!globalThis.isSecureContext || !navigator.mediaDevices?.getUserMedia || !globalThis.Worker || !globalThis.WebAssembly) {
    throw new FaceProofError({ name: 'Unsupported', message: 'this browser cannot run the face check (needs a secure context, camera access, workers and WebAssembly)' });
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user', width, height }, audio: false });
  } catch (error) {
    const name = {
      NotAllowedError: 'CameraDenied', SecurityError: 'CameraDenied', NotFoundError: 'CameraMissing',
      OverconstrainedError: 'CameraMissing', NotReadableError: 'CameraBusy', AbortError: 'CameraBusy',
    }[error.name] ?? 'CameraError';
    throw new FaceProofError({ name, message: `camera: ${error.name}: ${error.message}` });
  }
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  return stream;
}

export class FaceProof extends EventTarget {
  #worker;
  #pending = new Map();
  #nextId = 1;
  #reference = null;
  #settle;
  backend = null;
  version = null;
  models = [];

  /**
   * `backend`: 'auto' (WebGPU when a hardware adapter exists and passes the self-test, else CPU), 'webgpu' or
   * 'cpu'.
   * `models`: 'all' (every network: liveness sessions) or 'detector' (face detection only, one small file).
   * `startOnCpu` (models 'all', where the GPU module is loaded; default: with 'auto'): resolve as soon as the
   * networks run on the CPU and move to WebGPU in the background once it has passed its self-test and
   * compiled every kernel, instead of waiting for that (seconds: tens on a software adapter). Frames and new
   * sessions move; running sessions finish on the CPU, and the move waits while one judges frames.
   * `backendSettled` and the `backend` event tell when.
   * `warmUpWhenIdle` (default true): when the networks run on the CPU and no request comes within 0.1 s of
   * create() (a page opening its camera), run each per-frame network once on a blank input, so the first frame
   * does not pay for compiling the module's code (2–3× a warm frame). It stops at the page's first request;
   * a `warmup` event ({backend, stages: {detect, landmarks, antispoof} ms, ms}) tells when it has finished.
   */
  static async create({ modelsUrl = new URL('../models/', import.meta.url), backend = 'auto', models = 'all', startOnCpu = backend === 'auto', warmUpWhenIdle = true, workerUrl } = {}) {
    const fp = new FaceProof(workerUrl);
    const info = await fp.#call('create', { backend, models, startOnCpu, warmUpWhenIdle, modelsUrl: new URL(modelsUrl, location.href).href });
    fp.backend = info.backend;
    // Why 'auto' chose the CPU (no WebGPU, no adapter, a software fallback adapter); else null.
    fp.backendReason = info.backendReason;
    // 'webgpu' (the full module) or 'cpu' (the CPU-only module, loaded where the GPU cannot be used).
    fp.module = info.module;
    fp.version = info.version;
    fp.wasmSha256 = info.wasmSha256;
    // {tested: 'webgpu', passed, max_abs_diff, fell_back_to_cpu, ...} when a GPU was tried, else null.
    fp.selfTest = info.selfTest;
    fp.models = info.manifest;
    fp.loadMs = info.loadMs;
    // Where the cold start went: {adapterMs, wasmFetchMs, wasmCompileMs, weightsFetchMs, engineMs}.
    fp.startup = info.startup;
    if (!info.gpuPending) fp.#settle({ backend: info.backend, reason: info.backendReason, selfTest: info.selfTest });
    return fp;
  }

  constructor(workerUrl) {
    super();
    this.#worker = workerUrl
      ? new Worker(workerUrl, { type: 'module', name: 'faceproof' })
      // The literal form lets bundlers (Vite, Rollup, webpack) find and bundle the worker.
      : new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'faceproof' });
    // Resolves to {backend, reason, selfTest} once the backend will not change but for a lost GPU: at once,
    // or (startOnCpu) when the background move to WebGPU has succeeded or failed.
    this.backendSettled = new Promise((resolve) => { this.#settle = resolve; });
    this.#worker.onmessage = ({ data: { id, ok, result, error, event, detail } }) => {
      if (event === 'warmup') {
        this.dispatchEvent(new CustomEvent('warmup', { detail }));
        return;
      }
      if (event === 'backend') {
        // The background move of a startOnCpu engine: {from: 'cpu', to: 'webgpu' | 'cpu', reason, selfTest, ...}.
        this.selfTest = detail.selfTest ?? this.selfTest;
        this.backendChanged(detail);
        this.#settle({ backend: detail.to, reason: detail.reason, selfTest: this.selfTest });
        return;
      }
      const pending = this.#pending.get(id);
      if (!pending) return;
      this.#pending.delete(id);
      ok ? pending.resolve(result) : pending.reject(new FaceProofError(error));
    };
    this.#worker.onerror = (event) => {
      const error = new FaceProofError({ name: 'WorkerError', message: event.message || 'the faceproof worker failed' });
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
      this.dispatchEvent(new CustomEvent('error', { detail: error }));
    };
  }

  #call(type, payload, transfer = []) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, type, payload }, transfer);
    });
  }

  /** Faces in an encoded photo (Blob or File: JPEG, PNG, WebP). Resolves to {width, height, faces, ms}. */
  async detectPhoto(blob) {
    const bytes = await blob.arrayBuffer();
    return this.#call('detectEncoded', { bytes }, [bytes]);
  }

  /**
   * Faces in a frame: a VideoFrame or ImageBitmap (consumed: transferred or closed, so the caller must not
   * reuse it), a video or a canvas.
   */
  async detectFrame(source) {
    const frame = await transferableFrame(source);
    return this.#call('detectBitmap', { frame }, [frame]);
  }

  /**
   * Every stage on an encoded photo: faces, then the largest face's mesh, pose, eye openness, anti-spoof
   * softmaxes and embedding, with per-stage ms. A diagnostic (parity, latency): the verification flow
   * (`startSession`) never exposes an embedding.
   */
  async analyzePhoto(blob) {
    const bytes = await blob.arrayBuffer();
    return this.#call('analyzeEncoded', { bytes }, [bytes]);
  }

  /**
   * Prepares the reference the live face will be compared with: an ID photo (Blob, File or ImageBitmap),
   * decoded and embedded on this device, or 'challenge' with `challengeToken` for the template the server put in the
   * challenge. Rejects with a ReferenceError (no face, several faces, unreadable image) the page can show
   * before the camera starts. Resolves to {kind}; pass it to startSession as `reference`.
   */
  async prepareReference(reference, { challengeToken } = {}) {
    let prepared;
    try {
      // A decoded photo (e.g. from a capture canvas) is encoded losslessly: the proof's reference digest is
      // over encoded bytes, and the module decodes them itself.
      if (typeof ImageBitmap !== 'undefined' && reference instanceof ImageBitmap) reference = await pngOf(reference);
      if (reference instanceof Blob) {
        const bytes = await reference.arrayBuffer();
        prepared = await this.#call('referencePhoto', { bytes }, [bytes]);
      } else if (reference === 'challenge') {
        prepared = await this.#call('referenceFromChallenge', { challengeToken });
      } else {
        throw new Error("reference must be an ID photo (Blob, File or ImageBitmap) or 'challenge'");
      }
    } catch (error) {
      throw new FaceProofError({ name: 'ReferenceError', message: error.message });
    }
    this.#reference = { ...prepared, prepared: true };
    return this.#reference;
  }

  /**
   * Starts a liveness session for the server's challenge token. `reference`: what prepareReference
   * returned, or anything prepareReference accepts. Resolves to a FaceProofSession.
   */
  async startSession({ challengeToken, reference }) {
    if (!(reference && reference === this.#reference)) await this.prepareReference(reference, { challengeToken });
    try {
      await this.#call('startSession', { challengeToken, nowUnixMs: Date.now() });
    } catch (error) {
      throw new FaceProofError({ name: 'ChallengeError', message: error.message });
    }
    return new FaceProofSession(this, (type, payload, transfer) => this.#call(type, payload, transfer));
  }

  /**
   * One frame of the liveness loop without a session (benchmarks, or a face-framing preview): `mode`
   * 'detect' runs the detector, FaceMesh + Iris and the anti-spoof networks; 'track' skips the detector
   * while the previous frame's mesh still holds the face, as sessions do. `source`: as for detectFrame.
   * Resolves to {faces, tracked, live_probability, detect_ms, landmarks_ms, antispoof_ms, ms}.
   */
  async livenessFrame(source, { mode = 'track' } = {}) {
    const frame = await transferableFrame(source);
    return this.#call('livenessFrame', { frame, mode }, [frame]);
  }

  /**
   * Destroys the WebGPU device the engine runs on, as a driver reset would (like WebGL's
   * WEBGL_lose_context): for testing a page's handling of the fallback. A running session moves to the
   * CPU on its next frame and fires `backend`.
   */
  async simulateGpuDeviceLoss() {
    return this.#call('loseGpuDevice', {});
  }

  /** @internal The worker moved to the CPU after losing the GPU. */
  backendChanged(change) {
    this.backend = change.to;
    this.dispatchEvent(new CustomEvent('backend', { detail: change }));
  }

  close() {
    this.#worker.terminate();
    for (const pending of this.#pending.values()) pending.reject(new FaceProofError({ name: 'Closed', message: 'closed' }));
    this.#pending.clear();
  }
}

/**
 * `source` as a frame to transfer to the worker. A VideoFrame where the browser has them: wrapping a camera
 * frame, an ImageBitmap or a canvas in one shares its pixels, and moving it to the worker copies nothing
 * (moving an ImageBitmap copies its pixels: 6-10 ms for a 2.6 MP frame, measured in Chromium 156). A
 * VideoFrame or ImageBitmap the caller gave is consumed: transferred, or closed once wrapped.
 */
async function transferableFrame(source) {
  if (typeof VideoFrame === 'function') {
    if (source instanceof VideoFrame) return source;
    let frame = null;
    try {
      frame = new VideoFrame(source, { timestamp: 0 });
    } catch {
      // What a VideoFrame cannot wrap (a video without a frame yet, an empty canvas) gets createImageBitmap's
      // own error below.
    }
    if (frame) {
      if (source instanceof ImageBitmap) source.close();
      return frame;
    }
  }
  return source instanceof ImageBitmap ? source : createImageBitmap(source);
}

async function pngOf(bitmap) {
  if (!bitmap.width || !bitmap.height) throw new Error('the reference ImageBitmap is empty or closed');
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d');
  context.drawImage(bitmap, 0, 0);
  const png = await canvas.convertToBlob({ type: 'image/png' });
  // Wipe the canvas: it held the ID photo's pixels.
  context.clearRect(0, 0, canvas.width, canvas.height);
  return png;
}

/**
 * One challenge in progress. Events: `instruction` (detail: {code, params}), `progress` (detail: number in
 * [0, 1]), `state` (detail: the engine's state), `error` (detail: FaceProofError), `backend` (detail:
 * {from: 'webgpu', to: 'cpu', reason}: the GPU was lost and the session goes on on the CPU). Frames go to the worker one
 * at a time; a frame that arrives while the previous one is still being judged is skipped, never queued.
 */
export class FaceProofSession extends EventTarget {
  #call;
  #busy = false;
  #stopCamera = null;
  #lastInstruction = null;
  #result = null;
  state = null;
  framesSent = 0;
  framesSkipped = 0;

  constructor(faceproof, call) {
    super();
    this.faceproof = faceproof;
    this.#call = call;
  }

  /**
   * Judges one frame: a VideoFrame or ImageBitmap (consumed), a video or a canvas, captured at `timestampMs`
   * (monotonic ms). Resolves to the engine's report, or null when skipped because a frame is in flight.
   */
  async pushFrame(source, timestampMs = performance.now()) {
    if (this.#busy) {
      this.framesSkipped += 1;
      return null;
    }
    this.#busy = true;
    try {
      const frame = await transferableFrame(source);
      const report = await this.#call('pushBitmap', { frame, timestampMs }, [frame]);
      this.framesSent += 1;
      if (report.backendChange) {
        this.faceproof.backendChanged(report.backendChange);
        this.dispatchEvent(new CustomEvent('backend', { detail: report.backendChange }));
      }
      this.#emit(report.feedback);
      return report;
    } catch (error) {
      this.dispatchEvent(new CustomEvent('error', { detail: error }));
      throw error;
    } finally {
      this.#busy = false;
    }
  }

  /** Feeds `video`'s frames until the session is done or failed (or `detach()`). */
  attachCamera(video) {
    this.detach();
    let stopped = false;
    const pump = async () => {
      if (stopped || ['done', 'failed'].includes(this.state?.state)) return;
      if (video.readyState >= 2 && !this.#busy) {
        try {
          await this.pushFrame(video, performance.now());
        } catch {
          // Reported through the `error` event; a failed frame does not stop the camera.
        }
      }
      schedule();
    };
    const schedule = () => {
      if (stopped) return;
      if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(() => pump());
      else setTimeout(pump, 33);
    };
    this.#stopCamera = () => { stopped = true; };
    schedule();
  }

  detach() {
    this.#stopCamera?.();
    this.#stopCamera = null;
  }

  /** Waits until the engine is done or failed. */
  whenFinished() {
    if (['done', 'failed'].includes(this.state?.state)) return Promise.resolve(this.state);
    return new Promise((resolve) => {
      const onState = ({ detail }) => {
        if (!['done', 'failed'].includes(detail.state)) return;
        this.removeEventListener('state', onState);
        resolve(detail);
      };
      this.addEventListener('state', onState);
    });
  }

  /**
   * Ends the session: the engine compares the fused live probe with the reference and zeroizes every live
   * embedding. Resolves to {backend, reference: {kind, salt, digest}, result, wasmSha256, version}: the input
   * of the signed proof (see webcrypto-sign.mjs). Holds no pixels and no embedding.
   */
  async result() {
    this.detach();
    this.#result ??= this.#call('finish', {});
    return this.#result;
  }

  /**
   * The signed match proof (compact JWS, ES256) for the server: `result()`'s decision, scores and
   * evidence, signed by this device's non-extractable key. POST it with the challenge to the verifier.
   */
  async proof({ ttlS = 120 } = {}) {
    await this.result();
    const { proof } = await this.#call('proof', { ttlS });
    return proof;
  }

  #emit(feedback) {
    this.state = feedback.state;
    this.dispatchEvent(new CustomEvent('state', { detail: feedback.state }));
    this.dispatchEvent(new CustomEvent('progress', { detail: feedback.progress }));
    // remaining_ms changes every frame; a new instruction is a new code or new parameters besides it.
    const { remaining_ms: _, ...params } = feedback.instruction.params;
    const key = JSON.stringify([feedback.instruction.code, params]);
    if (key !== this.#lastInstruction) {
      this.#lastInstruction = key;
      this.dispatchEvent(new CustomEvent('instruction', { detail: feedback.instruction }));
    }
  }
}
