// Types of the `faceproof` page API (www/sdk/faceproof.js), written by hand for the npm package.
// Every shape below is what the engine serialises (crates/liveness, crates/session, crates/detect,
// crates/proof); field names are the engine's snake_case JSON.

// ---------------------------------------------------------------------------------------------------------
// Errors

/** `name` of the errors `openCamera` throws; each should lead the page to offer the non-biometric route. */
export type CameraErrorName = 'CameraDenied' | 'CameraMissing' | 'CameraBusy' | 'Unsupported' | 'CameraError';

/**
 * Names a `FaceProofError` can carry. Besides the camera errors: `WorkerError` (the worker died),
 * `Closed` (`close()` was called), `StateError` (a call out of order, e.g. `detectPhoto` on an engine created
 * with `models: 'all'`), `ReferenceError` (bad `reference` option), `WeightsError` (a weights file could not
 * be fetched or its sha256 differs), and `FaceProofError` for errors the module reports (decode failures,
 * expired or malformed challenges, unavailable WebGPU, ...).
 */
export type FaceProofErrorName =
  | CameraErrorName
  | 'WorkerError'
  | 'Closed'
  | 'StateError'
  | 'ReferenceError'
  | 'WeightsError'
  | 'FaceProofError'
  | (string & {});

/** Every failure the SDK reports. Match on `name`; `message` is for logs, not for users. */
export class FaceProofError extends Error {
  constructor(init: { name: string; message: string });
  name: FaceProofErrorName;
}

// ---------------------------------------------------------------------------------------------------------
// Camera

export interface OpenCameraOptions {
  /** Requested width in px (default 640). */
  width?: number;
  /** Requested height in px (default 480). */
  height?: number;
}

/**
 * Opens the user-facing camera into `video` (muted, inline, playing) and resolves to its stream; stop its
 * tracks when done. Rejects with a `FaceProofError` named `CameraDenied`, `CameraMissing`, `CameraBusy`,
 * `Unsupported` (no secure context, camera API, workers or WebAssembly) or `CameraError`.
 */
export function openCamera(video: HTMLVideoElement, options?: OpenCameraOptions): Promise<MediaStream>;

// ---------------------------------------------------------------------------------------------------------
// Detection and analysis

/** `[x, y]` in image pixels. */
export type Point2 = [number, number];

/** One face from YuNet, in the image's (upright) pixels. */
export interface Face {
  /** `[left, top, width, height]`. */
  bbox: [number, number, number, number];
  /** Detector confidence in [0, 1]. */
  score: number;
  /** Subject's right eye, left eye, nose tip, right mouth corner, left mouth corner. */
  landmarks: [Point2, Point2, Point2, Point2, Point2];
}

export type Backend = 'webgpu' | 'cpu';

export interface PhotoDetection {
  /** Size of the upright image (EXIF orientation applied). */
  width: number;
  height: number;
  faces: Face[];
  /** Time spent in the worker, ms. */
  ms: number;
  backend: Backend;
}

export interface FrameDetection extends PhotoDetection {}

export interface AntiSpoofAnalysis {
  /** Ensemble live probability in [0, 1]. */
  live_probability: number;
  /** Softmaxes over upstream's three classes; class 1 is live. */
  softmax_v2: [number, number, number];
  softmax_v1se: [number, number, number];
}

export interface PrimaryAnalysis {
  bbox: [number, number, number, number];
  /** 468 FaceMesh points `[x, y, z]` in image pixels. */
  mesh: Array<[number, number, number]>;
  mesh_presence: number;
  /** Yaw, pitch, roll in degrees (landmark-stage conventions). */
  pose: [number, number, number];
  /** Openness of the subject's own right and left eye. */
  eye_openness: [number, number];
  /** `null` when the face is too small or too close to the border for the anti-spoof crops. */
  antispoof: AntiSpoofAnalysis | null;
  /** 128-D dlib embedding; `null` when the chip cannot be aligned. Diagnostic only. */
  embedding: number[] | null;
}

/** `analyzePhoto`'s result: a diagnostic of every stage (parity, latency). */
export interface PhotoAnalysis {
  width: number;
  height: number;
  faces: Face[];
  /** The largest face; `null` when no face was found. */
  primary: PrimaryAnalysis | null;
  timings_ms: { detect: number; landmarks: number; antispoof: number; embed: number };
  ms: number;
  backend: Backend;
}

// ---------------------------------------------------------------------------------------------------------
// Engine

export interface WeightsEntry {
  /** Model name, e.g. `yunet`, `facemesh`, `dlib_resnet`. */
  name: string;
  /** File name relative to `modelsUrl`, e.g. `yunet.bpk`. */
  file: string;
  /** Lower-case hex SHA-256 the module requires. */
  sha256: string;
}

export interface FaceProofOptions {
  /**
   * Where the weights files (`*.bpk`) are served, e.g. `'/models/'` (resolved against the page's URL).
   * Defaults to `../models/` next to the SDK, which only exists when the package was built with
   * `--with-models` and is served unbundled; with a bundler, always pass it.
   */
  modelsUrl?: string | URL;
  /**
   * `'auto'` (default): WebGPU when a hardware adapter exists and passes the self-test; else (no adapter, a
   * software fallback adapter such as SwiftShader, a failed self-test) the CPU backend in wasm.
   */
  backend?: 'auto' | Backend;
  /**
   * `'all'` (default): every network, for liveness sessions and `analyzePhoto`.
   * `'detector'`: face detection only (`detectPhoto`, `detectFrame`; one 0.2 MB file).
   */
  models?: 'all' | 'detector';
  /**
   * With `models: 'all'` where the WebGPU module is loaded (default: `true` for `'auto'`, `false` for
   * `'webgpu'`): resolve as soon as the networks run on the CPU, and move to WebGPU in the background once it
   * has passed its self-test and compiled every kernel (seconds on a phone's GPU, tens on a software
   * adapter). Frames and new sessions then run on WebGPU; a running session finishes on the CPU. The
   * `backend` event and `backendSettled` tell when, or why the CPU stays (with `'webgpu'`, a GPU that
   * fails no longer rejects `create`).
   */
  startOnCpu?: boolean;
  /**
   * Default `true`: when the networks run on the CPU and the page sends nothing within 0.1 s of `create`
   * (it is opening its camera), the worker runs each per-frame network once on a blank input, so that the
   * first frame does not pay for compiling the module's code (2–3× a warm frame). It stops at the page's
   * first request (a frame waits behind at most one network); the `warmup` event says when it finished.
   */
  warmUpWhenIdle?: boolean;
  /** A worker script to use instead of the package's `worker.js` (e.g. a self-hosted copy). */
  workerUrl?: string | URL;
}

/**
 * The backend changed: the GPU was lost (driver reset, GPU process crash: `from: 'webgpu', to: 'cpu'`, with
 * `GPUDeviceLostInfo`'s reason and message), or a `startOnCpu` engine's background move ended (`from: 'cpu'`:
 * `to: 'webgpu'` once warmed up, or `to: 'cpu'` with why WebGPU cannot be used). `startedAt` (epoch ms) is
 * when that move began: after the first frame, and never while a session is judging frames; `ms` its length.
 */
export type BackendChange =
  | { from: 'webgpu'; to: 'cpu'; reason: { reason: string; message: string } }
  | { from: 'cpu'; to: 'webgpu'; reason: 'warmed up'; selfTest: SelfTest; warmUp: WarmUp; startedAt: number; ms: number }
  | { from: 'cpu'; to: 'cpu'; reason: string; selfTest: SelfTest | null; startedAt: number; ms: number };

/** How long each network's first run on the GPU took (kernel compiles included), ms. */
export interface WarmUp {
  detect_ms: number;
  landmarks_ms: number;
  antispoof_ms: number;
  /** `null` when the embedding network was not loaded. */
  embedding_ms: number | null;
}

/** The idle warm-up of a CPU engine (`warmUpWhenIdle`) finished: each network's first run, ms. */
export interface IdleWarmUp {
  backend: 'cpu';
  stages: { detect: number; landmarks: number; antispoof: number };
  ms: number;
}

/** `livenessFrame`'s result: one frame of the per-frame liveness loop, no pixels, no landmarks. */
export interface LivenessFrame {
  faces: number;
  /** The detector was skipped: the previous frame's mesh still held the face. */
  tracked: boolean;
  /** MiniFASNet live probability; `null` when no face or a face too small/close to the border. */
  live_probability: number | null;
  detect_ms: number | null;
  landmarks_ms: number | null;
  antispoof_ms: number | null;
  /** Worker-side total, ms. */
  ms: number;
  /** Reading the frame's pixels in the worker (before the module runs), ms. */
  readMs: number;
  backend: Backend;
}

/** The start-up check of WebGPU (anti-spoof networks on a fixed input, GPU vs CPU). */
export interface SelfTest {
  tested: 'webgpu';
  passed: boolean;
  max_abs_diff: number | null;
  error: string | null;
  fell_back_to_cpu: boolean;
  ms: number;
}

/** What `prepareReference` resolved to; opaque apart from its kind (the embedding stays in the worker). */
export interface PreparedReference {
  kind: ReferenceKind;
  prepared: true;
}

export interface FaceProofEventMap {
  /** The worker failed; every pending call rejects with the same error. */
  error: CustomEvent<FaceProofError>;
  /** The GPU was lost (running sessions continue on the CPU), or a `startOnCpu` move ended. */
  backend: CustomEvent<BackendChange>;
  /** The CPU engine's idle warm-up (`warmUpWhenIdle`) ran every per-frame network. */
  warmup: CustomEvent<IdleWarmUp>;
}

export class FaceProof extends EventTarget {
  /**
   * Starts the worker, fetches the wasm module and the weights (sha256-checked, cached) and loads them. With
   * `models: 'all'` it resolves once the per-frame networks are built; the embedding network (22 MB) is
   * fetched and built after that, and `prepareReference`, `startSession` and `analyzePhoto` wait for it.
   */
  static create(options?: FaceProofOptions): Promise<FaceProof>;
  private constructor(workerUrl: string | URL);

  /** The backend that actually runs. */
  backend: Backend;
  /** Why `'auto'` chose the CPU (no WebGPU, no adapter, a software fallback adapter); else `null`. */
  backendReason: string | null;
  /**
   * Which wasm module runs: `'webgpu'` (WebGPU + CPU backends, `pkg/faceproof_bg.wasm`) or `'cpu'` (the
   * CPU-only build, `pkg/faceproof_cpu_bg.wasm`, loaded for `backend: 'cpu'` and where `'auto'` finds no usable GPU).
   */
  module: 'webgpu' | 'cpu';
  /** The wasm module's version (the crate version). */
  version: string;
  /** Hex SHA-256 of the wasm module as fetched (the proof's `build.wasm_sha256`). */
  wasmSha256: string;
  /** The weights files loaded (or, for the embedding network, loading). */
  models: WeightsEntry[];
  /** Time to build the networks on the backend, ms (fetching excluded). */
  loadMs: number;
  /**
   * Where `create` spent its time, ms: asking for a WebGPU adapter (to pick the module), fetching the wasm,
   * hashing + compiling it, waiting for the per-frame networks' weights (fetched, or read from the cache, and
   * hashed while the module loads: only the wait left after it is counted), and building them (weights
   * checked again by the module, plus the WebGPU self-test).
   */
  startup: { adapterMs: number; wasmFetchMs: number; wasmCompileMs: number; weightsFetchMs: number; engineMs: number };
  /** The WebGPU self-test's outcome; `null` when no GPU was tried (or, with `startOnCpu`, not yet). */
  selfTest: SelfTest | null;
  /**
   * Resolves once the backend is final (but for a lost GPU): at once, or with `startOnCpu` when the move to
   * WebGPU succeeded or failed.
   */
  backendSettled: Promise<{ backend: Backend; reason: string | null; selfTest: SelfTest | null }>;

  /** Faces in an encoded photo (JPEG, PNG, WebP). Needs `models: 'detector'`. */
  detectPhoto(photo: Blob): Promise<PhotoDetection>;
  /**
   * Faces in a frame. A `VideoFrame` or `ImageBitmap` is consumed (transferred or closed: do not reuse it);
   * other sources are wrapped in a `VideoFrame` (no copy) or, without VideoFrame support, copied.
   * Needs `models: 'detector'`.
   */
  detectFrame(source: ImageBitmapSource | VideoFrame): Promise<FrameDetection>;
  /** Every stage on the largest face of a photo, embedding included: a diagnostic, not the verification flow. */
  analyzePhoto(photo: Blob): Promise<PhotoAnalysis>;
  /**
   * Prepares the reference before the camera starts: an ID or profile photo (Blob, File or ImageBitmap),
   * decoded and embedded on this device, or `'challenge'` for the server's template in `challengeToken`.
   * Rejects with a `ReferenceError` (no face, several faces, unreadable or huge image) the page can show.
   * Pass the result to `startSession` as `reference`.
   */
  prepareReference(reference: Blob | ImageBitmap | 'challenge', options?: { challengeToken?: string }): Promise<PreparedReference>;
  /**
   * Starts a liveness session for the server's challenge token (`POST /v1/challenges` → `challenge`).
   * `reference`: an ID or profile photo (embedded on this device), or `'challenge'` for the 128-D template
   * the server put in the challenge. Needs `models: 'all'`.
   */
  startSession(options: { challengeToken: string; reference: Blob | ImageBitmap | 'challenge' | PreparedReference }): Promise<FaceProofSession>;
  /**
   * One frame of the liveness loop without a session (benchmarks, a framing preview). `'detect'` runs the
   * detector every call; `'track'` (default) skips it while the previous frame's mesh holds the face.
   */
  livenessFrame(source: ImageBitmapSource | VideoFrame, options?: { mode?: 'detect' | 'track' }): Promise<LivenessFrame>;
  /**
   * Destroys the WebGPU device in use, as a driver reset would (like `WEBGL_lose_context`), to test a
   * page's handling: the engine and any running session move to the CPU and fire `backend`.
   */
  simulateGpuDeviceLoss(): Promise<{ lost: { reason: string; message: string } }>;
  /** Terminates the worker; pending calls reject with `Closed`. */
  close(): void;

  addEventListener<K extends keyof FaceProofEventMap>(
    type: K,
    listener: (this: FaceProof, event: FaceProofEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof FaceProofEventMap>(
    type: K,
    listener: (this: FaceProof, event: FaceProofEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

// ---------------------------------------------------------------------------------------------------------
// Liveness session

/** A challenge action, in the order the server chose. */
export type Action = 'blink' | 'turn_left' | 'turn_right' | 'nod' | 'look_straight';

/** Stable instruction codes (never renamed, only added to): localise them in the page. */
export type InstructionCode =
  | 'position_face'
  | 'multiple_faces'
  | 'move_closer'
  | 'move_back'
  | 'center_face'
  | 'more_light'
  | 'less_light'
  | 'hold_still'
  | 'look_straight'
  | 'open_eyes'
  | 'keep_still'
  | 'blink'
  | 'turn_left'
  | 'turn_right'
  | 'nod'
  | 'return_to_center'
  | 'capturing'
  | 'done'
  | 'failed';

/** Parameters the UI may interpolate; absent ones are omitted. */
export interface InstructionParams {
  /** `multiple_faces`: how many faces are in view. */
  face_count?: number;
  /** `turn_left`, `turn_right`, `nod`: the angle to reach. */
  degrees?: number;
  /** 1-based index of the current action and how many there are. */
  action_index?: number;
  action_count?: number;
  /** Time left for the current step, ms. */
  remaining_ms?: number;
  /** `failed`: the failure code (`FailureReason['code']`). */
  reason?: FailureCode;
}

export interface Instruction {
  code: InstructionCode;
  params: InstructionParams;
}

/** Why a session failed: `{code, ...fields}`. */
export type FailureReason =
  | { code: 'no_frames' }
  | { code: 'incomplete'; state: string }
  | { code: 'action_timed_out'; action: Action; limit_ms: number }
  | { code: 'wrong_direction'; action: Action }
  | { code: 'session_timed_out'; limit_ms: number }
  | { code: 'challenge_expired' }
  | { code: 'identity_changed'; distance: number }
  | { code: 'track_jump'; displacement_widths: number; scale_change: number; elapsed_ms: number }
  | { code: 'timestamp_not_increasing' }
  | { code: 'frame_size_changed' }
  | { code: 'too_few_passive_samples'; samples: number }
  | { code: 'passive_liveness_low'; score: number; threshold: number }
  | { code: 'capture_timed_out'; limit_ms: number }
  | { code: 'probe_unavailable' };

export type FailureCode = FailureReason['code'];

/** Where the session is. */
export type SessionState =
  | { state: 'waiting_for_face' | 'aligning' | 'capturing_reference' | 'done' }
  | { state: 'action'; /** 0-based index into the challenge's actions. */ index: number; action: Action }
  | { state: 'failed'; reason: FailureReason };

export type SessionStateName = SessionState['state'];

/** What one frame produced (`pushFrame`'s resolution). Holds no pixels and no embedding. */
export interface FrameReport {
  feedback: {
    state: SessionState;
    instruction: Instruction;
    /** Overall progress in [0, 1]; never decreases. */
    progress: number;
  };
  measurement: {
    face_count: number;
    /** The largest face in engine conventions; `null` without a face. */
    primary: {
      /**
       * x, y, w, h in the frame as processed: frames larger than 1280 px on their long side are scaled down
       * to 1280 before they are read (a 640×480 or 1280×720 camera frame keeps its own pixels).
       */
      bbox: [number, number, number, number];
      detector_score: number;
      /** > 0: the subject turns to their own left. */
      yaw_deg: number;
      /** > 0: chin down. */
      pitch_deg: number;
      roll_deg: number;
      left_eye_openness: number;
      right_eye_openness: number;
    } | null;
    /** Mean luma 0..255. */
    brightness: number;
    /** Variance of the Laplacian of the face crop. */
    sharpness: number;
    live_score: number | null;
    /** Whether an embedding was sampled on this frame (it stays in the module). */
    embedded: boolean;
    timings: {
      detect_ms: number | null;
      landmarks_ms: number | null;
      antispoof_ms: number | null;
      embed_ms: number | null;
      image_stats_ms: number | null;
      total_ms: number | null;
    };
  };
}

export type Decision = 'match' | 'no_match' | 'not_live';
export type ReferenceKind = 'id_photo' | 'server_template';
export type TimingFlag = 'too_few_frames' | 'frame_rate_too_low' | 'frame_rate_too_high' | 'too_even_spacing' | 'long_gap';

/** One completed action; times in ms since the session's first frame. */
export interface ActionEvidence {
  action: Action;
  requested_ms: number;
  start_ms: number;
  end_ms: number;
  /** Turn/nod: peak angle (degrees). Blink: lowest openness / baseline. Look-straight: worst deviation. */
  peak: number;
}

/** The engine's typed result: decision, scores, evidence, timings. No pixels, no embedding. */
export interface SessionResult {
  /** The challenge's nonce, echoed. */
  nonce: string;
  decision: Decision;
  /** Set exactly when `decision` is `not_live`. */
  failure: FailureReason | null;
  reference_kind: ReferenceKind;
  /** L2 distance between the fused live probe and the reference (`null` if liveness failed first). */
  distance: number | null;
  /** Calibrated same-person probability in [0, 1]. */
  similarity: number | null;
  /** Match when `distance < threshold`. */
  threshold: number;
  probe_frames: number;
  liveness: {
    actions: ActionEvidence[];
    passive_score: number | null;
    passive_samples: number;
    frames: {
      total: number;
      with_one_face: number;
      without_face: number;
      with_several_faces: number;
      failed_quality: number;
      invalid: number;
    };
    continuity_samples: number;
    max_continuity_distance: number | null;
    track_restarts: number;
    eye_baseline: { left: number; right: number } | null;
    timing: {
      median_interval_ms: number | null;
      interval_std_ms: number | null;
      longest_gap_ms: number | null;
      mean_fps: number | null;
      flags: TimingFlag[];
    };
  };
  timings: {
    session_ms: number;
    face_found_ms: number | null;
    aligned_ms: number | null;
    actions_done_ms: number | null;
    capture_done_ms: number | null;
  };
}

/** `FaceProofSession.result()`: the input of the signed proof. */
export interface SessionSummary {
  /** Where the session's frames ran; `'webgpu+cpu'` when the GPU was lost mid-session. */
  backend: Backend | 'webgpu+cpu';
  /** The proof's `reference` claim: kind, base64url salt, base64url(SHA-256(salt ‖ reference bytes)). */
  reference: { kind: ReferenceKind; salt: string; digest: string };
  result: SessionResult;
  /** Hex SHA-256 of the wasm module. */
  wasmSha256: string;
  /** The wasm module's version. */
  version: string;
}

export interface FaceProofSessionEventMap {
  /** A new instruction (a new code, or new parameters besides `remaining_ms`). */
  instruction: CustomEvent<Instruction>;
  /** Progress in [0, 1], after every judged frame. */
  progress: CustomEvent<number>;
  /** The engine's state, after every judged frame. */
  state: CustomEvent<SessionState>;
  /** A frame failed (the camera keeps running). */
  error: CustomEvent<FaceProofError>;
  /** The GPU was lost; this session goes on on the CPU with its progress kept. */
  backend: CustomEvent<BackendChange>;
}

/** One challenge in progress. Frames are judged one at a time; a frame arriving meanwhile is skipped. */
export class FaceProofSession extends EventTarget {
  private constructor();
  readonly faceproof: FaceProof;
  /** The latest state; `null` before the first judged frame. */
  state: SessionState | null;
  framesSent: number;
  framesSkipped: number;

  /**
   * Judges one frame captured at `timestampMs` (monotonic ms, default `performance.now()`). A `VideoFrame`
   * or `ImageBitmap` is consumed (transferred or closed). Resolves to the engine's report, or `null` when skipped.
   */
  pushFrame(source: ImageBitmap | VideoFrame | HTMLVideoElement | HTMLCanvasElement | OffscreenCanvas, timestampMs?: number): Promise<FrameReport | null>;
  /** Feeds `video`'s frames until the session is done or failed, or `detach()`. */
  attachCamera(video: HTMLVideoElement): void;
  /** Stops feeding camera frames. */
  detach(): void;
  /** Resolves when the engine reaches `done` or `failed`. */
  whenFinished(): Promise<Extract<SessionState, { state: 'done' | 'failed' }>>;
  /** Ends the session (every live embedding is zeroized) and resolves to the decision and its evidence. */
  result(): Promise<SessionSummary>;
  /**
   * The signed match proof: a compact JWS (ES256, `typ` `faceproof-proof-v1+jwt`) signed by this device's
   * non-extractable key. POST `{challenge, proof}` to the verifier's `/v1/verifications`.
   */
  proof(options?: { /** Proof lifetime in seconds (default 120). */ ttlS?: number }): Promise<string>;

  addEventListener<K extends keyof FaceProofSessionEventMap>(
    type: K,
    listener: (this: FaceProofSession, event: FaceProofSessionEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof FaceProofSessionEventMap>(
    type: K,
    listener: (this: FaceProofSession, event: FaceProofSessionEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}
