//! The whole pipeline in the browser: every network loaded from page-supplied bytes, liveness sessions
//! driven one camera frame at a time, and the reference the live face is compared with.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use burn::prelude::Device;
use faceproof_antispoof::AntiSpoof;
use faceproof_frame::Frame;
use faceproof_liveness::{
    Challenge, Embedding, LivenessConfig, ReferenceEmbedding, ReferenceKind, SessionResult,
};
use faceproof_models::minifasnet::{self, MiniFasNet};
use faceproof_models::{ModelError, WEIGHTS, WeightsSpec, dlib_resnet};
use faceproof_proof::challenge::decode_template;
use faceproof_proof::{
    BuildInfo, IssuedChallenge, Jwk, ModelDigest, ProofClaims, ReferenceInfo, assemble_proof,
    proof_signing_input,
};
use faceproof_session::{Clock, FaceSession, FaceTracker, Sampling, Stages, WarmUpStage};
use wasm_bindgen::prelude::*;
use zeroize::Zeroize;

use crate::{device_for, frame_from_rgba, js_error};

/// `performance.now()` of the current global (window or worker); `Date.now()` where there is none.
fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .ok()
        .and_then(|performance| {
            let now = js_sys::Reflect::get(&performance, &JsValue::from_str("now")).ok()?;
            let now: js_sys::Function = now.dyn_into().ok()?;
            now.call0(&performance).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

fn to_json(value: &impl serde::Serialize) -> Result<JsValue, JsValue> {
    serde_json::to_string(value).map(|json| JsValue::from_str(&json)).map_err(js_error)
}

/// The bytes of `spec.file` in the page's `{file name: Uint8Array}` object, `None` when it is not there.
fn supplied_weights(files: &js_sys::Object, spec: &WeightsSpec) -> Result<Option<Vec<u8>>, ModelError> {
    let invalid = |reason: &str| ModelError::WeightsFormat { model: spec.name, reason: format!("{}: {reason}", spec.file) };
    let value = js_sys::Reflect::get(files, &JsValue::from_str(spec.file)).map_err(|_| invalid("unreadable"))?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let bytes: js_sys::Uint8Array = value.dyn_into().map_err(|_| invalid("not a Uint8Array"))?;
    Ok(Some(bytes.to_vec()))
}

/// The bytes of `spec.file`, which must be supplied.
fn weights_from(files: &js_sys::Object, spec: &WeightsSpec) -> Result<Vec<u8>, ModelError> {
    supplied_weights(files, spec)?.ok_or_else(|| ModelError::WeightsFormat {
        model: spec.name,
        reason: format!("{}: not supplied (fetch every file of weightsManifest())", spec.file),
    })
}

/// The liveness networks from `files` onto `device`, and the embedding network too when `files` holds
/// its weights (otherwise [`FaceEngine::load_embedding`] adds it later).
fn load_stages(device: &Device, files: &js_sys::Object) -> Result<Stages, JsValue> {
    let stages = Stages::load_liveness(device, |spec| weights_from(files, spec)).map_err(js_error)?;
    if let Some(bytes) = supplied_weights(files, &dlib_resnet::WEIGHTS).map_err(js_error)? {
        stages.load_embedding(device, bytes).map_err(js_error)?;
    }
    Ok(stages)
}

/// Every network on one backend.
#[wasm_bindgen]
pub struct FaceEngine {
    stages: Arc<Stages>,
    /// Where `stages` run (the embedding network may be added later, onto the same device).
    device: Device,
    backend: &'static str,
    self_test: Option<String>,
    /// The face followed by [`FaceEngine::liveness_frame_rgba`] (sessions keep their own), and the frames
    /// it has seen (the detector runs on every `Sampling::detect_every`-th, as in a session).
    tracker: Rc<RefCell<(FaceTracker, u64)>>,
}

impl FaceEngine {
    fn new(stages: Stages, device: Device, backend: &'static str, self_test: Option<String>) -> Self {
        Self { stages: Arc::new(stages), device, backend, self_test, tracker: Rc::default() }
    }
}

#[wasm_bindgen]
impl FaceEngine {
    /// `backend`: "webgpu", "cpu" or "auto". `weights`: an object mapping each file of `weightsManifest()`
    /// to its bytes (Uint8Array). Every file's sha256 is checked before use; a wrong one rejects with a
    /// message naming the file. `dlib_resnet.bpk` may be left out and given later to `loadEmbedding`: the
    /// per-frame loop runs without it, sessions and reference photos wait for it.
    ///
    /// WebGPU is trusted only after a self-test: the anti-spoof networks run on a fixed input on the GPU
    /// and on burn's CPU backend and must agree within 1e-3. With "auto", a failing GPU falls back to the
    /// CPU (`selfTest` says why); with "webgpu" it is an error.
    pub async fn create(backend: String, weights: js_sys::Object) -> Result<FaceEngine, JsValue> {
        let requested = backend;
        let (device, backend) = device_for(&requested).await?;
        let stages = load_stages(&device, &weights)?;
        if backend != "webgpu" {
            return Ok(FaceEngine::new(stages, device, backend, None));
        }
        let reference = AntiSpoof::new(
            MiniFasNet::load(
                weights_from(&weights, &minifasnet::WEIGHTS_V2).map_err(js_error)?,
                weights_from(&weights, &minifasnet::WEIGHTS_V1SE).map_err(js_error)?,
                &Device::flex(),
            )
            .map_err(js_error)?,
        );
        let started = now_ms();
        let outcome = stages.self_test(&reference).await;
        let ms = now_ms() - started;
        let report = |passed: bool, max_abs_diff: Option<f32>, error: Option<String>, fell_back: bool| {
            serde_json::json!({ "tested": "webgpu", "passed": passed, "max_abs_diff": max_abs_diff,
                "error": error, "fell_back_to_cpu": fell_back, "ms": ms })
            .to_string()
        };
        let (failure, max_abs_diff) = match outcome {
            Ok(test) if test.passed => {
                let self_test = Some(report(true, Some(test.max_abs_diff), None, false));
                return Ok(FaceEngine::new(stages, device, backend, self_test));
            }
            Ok(test) => (format!("differs from the CPU by {} (max 1e-3)", test.max_abs_diff), Some(test.max_abs_diff)),
            Err(error) => (error.to_string(), None),
        };
        if requested == "webgpu" {
            return Err(js_error(format!("WebGPU failed its self-test: {failure}")));
        }
        drop(stages);
        let stages = load_stages(&Device::flex(), &weights)?;
        let self_test = Some(report(false, max_abs_diff, Some(failure), true));
        Ok(FaceEngine::new(stages, Device::flex(), "cpu", self_test))
    }

    /// Adds the embedding network (`dlib_resnet.bpk`'s bytes, sha256-checked) to an engine created
    /// without it. Rejects when it is already loaded.
    #[wasm_bindgen(js_name = loadEmbedding)]
    pub fn load_embedding(&self, bytes: Vec<u8>) -> Result<(), JsValue> {
        self.stages.load_embedding(&self.device, bytes).map_err(js_error)
    }

    /// Runs every loaded network once on a blank input shaped as a frame's (see `Stages::warm_up`), so that
    /// a GPU compiles its kernels now rather than during the first frames. `frame_width`×`frame_height` is
    /// the camera's frame size when known (the detector's input follows its aspect); 0 when not. Resolves to
    /// `{detect_ms, landmarks_ms, antispoof_ms, embedding_ms}` as JSON (`embedding_ms` null when the
    /// embedding network is not loaded).
    #[wasm_bindgen(js_name = warmUp)]
    pub fn warm_up(&self, frame_width: u32, frame_height: u32) -> js_sys::Promise {
        let stages = Arc::clone(&self.stages);
        let frame_size = (frame_width > 0 && frame_height > 0).then_some((frame_width, frame_height));
        wasm_bindgen_futures::future_to_promise(async move {
            let warm = stages.warm_up(now_ms, frame_size).await.map_err(js_error)?;
            to_json(&warm)
        })
    }

    /// Runs one stage of `warmUp` ('detect', 'landmarks', 'antispoof' or 'embedding') on a blank input, for a
    /// host warming the engine up step by step while it is idle (see `Stages::warm_up_stage`). Resolves to
    /// whether it ran (false for 'embedding' before that network is loaded); rejects an unknown stage name.
    #[wasm_bindgen(js_name = warmUpStage)]
    pub fn warm_up_stage(&self, stage: &str, frame_width: u32, frame_height: u32) -> js_sys::Promise {
        let stages = Arc::clone(&self.stages);
        let stage = WarmUpStage::from_name(stage);
        let frame_size = (frame_width > 0 && frame_height > 0).then_some((frame_width, frame_height));
        wasm_bindgen_futures::future_to_promise(async move {
            let ran = stages.warm_up_stage(stage.map_err(js_error)?, frame_size).await.map_err(js_error)?;
            Ok(JsValue::from_bool(ran))
        })
    }

    /// Whether the embedding network is loaded (sessions and reference photos need it).
    #[wasm_bindgen(getter, js_name = hasEmbedding)]
    pub fn has_embedding(&self) -> bool {
        self.stages.has_embedding()
    }

    /// Reloads every network on burn's CPU backend, from the same weight files as `create` (checked again):
    /// for a WebGPU device lost after start-up. Running sessions move with [`LiveSession::continue_on`].
    /// An engine that has its embedding network must be given its weights again.
    #[wasm_bindgen(js_name = switchToCpu)]
    pub fn switch_to_cpu(&mut self, weights: js_sys::Object) -> Result<(), JsValue> {
        let stages = load_stages(&Device::flex(), &weights)?;
        if self.stages.has_embedding() && !stages.has_embedding() {
            return Err(js_error(format!("switchToCpu: {} is needed again (the engine had the embedding network)", dlib_resnet::WEIGHTS.file)));
        }
        self.stages = Arc::new(stages);
        self.device = Device::flex();
        self.backend = "cpu";
        self.tracker = Rc::default();
        Ok(())
    }

    /// One frame of the per-frame liveness loop, for benchmarks and hosts that only want to follow a
    /// face: `mode` "detect" runs the detector, FaceMesh + Iris and both anti-spoof networks on this frame;
    /// "track" runs the detector and the anti-spoof pair only as a session does (the detector every
    /// `detect_every`-th frame, or when the previous frame's mesh lost the face, following the face from the
    /// previous mesh in between; anti-spoof every `antispoof_every`-th frame).
    /// Resolves to `{faces, tracked, live_probability, detect_ms, landmarks_ms, antispoof_ms}` (ms from
    /// `performance.now()`; no pixels, no landmarks).
    #[wasm_bindgen(js_name = livenessFrameRgba)]
    pub fn liveness_frame_rgba(&self, width: u32, height: u32, rgba: Vec<u8>, mode: String) -> js_sys::Promise {
        let stages = Arc::clone(&self.stages);
        let tracker = Rc::clone(&self.tracker);
        wasm_bindgen_futures::future_to_promise(async move {
            let detect = match mode.as_str() {
                "detect" => true,
                "track" => false,
                other => return Err(js_error(format!("mode must be \"detect\" or \"track\", not {other:?}"))),
            };
            let frame = frame_from_rgba(width, height, rgba)?;
            let mut tracker = tracker
                .try_borrow_mut()
                .map_err(|_| js_error("a frame is still being processed: await each livenessFrameRgba before the next"))?;
            let (tracker, frames) = &mut *tracker;
            // "track" follows a session's cadence for both sampled stages: the detector and the anti-spoof pair.
            let sampling = Sampling::default();
            let antispoof = detect || frames.is_multiple_of(u64::from(sampling.antispoof_every));
            let detect = detect || frames.is_multiple_of(u64::from(sampling.detect_every));
            *frames += 1;
            let step = tracker.step(&stages, &frame, detect, antispoof, Clock::host(now_ms)).await.map_err(js_error)?;
            drop(frame);
            to_json(&serde_json::json!({
                "faces": step.located.detections.len(),
                "tracked": step.located.tracked,
                "live_probability": step.live_probability,
                "detect_ms": step.located.detect_ms,
                "landmarks_ms": step.located.landmarks_ms,
                "antispoof_ms": step.antispoof_ms,
            }))
        })
    }

    /// The WebGPU self-test's outcome as JSON (`{tested, passed, max_abs_diff, error, fell_back_to_cpu, ms}`),
    /// or undefined when no GPU was tried.
    #[wasm_bindgen(getter, js_name = selfTest)]
    pub fn self_test(&self) -> Option<String> {
        self.self_test.clone()
    }

    /// "webgpu" or "cpu": the backend that actually runs.
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.backend.to_string()
    }

    /// Every stage on one encoded image (JPEG, PNG, WebP): detections, then mesh, anti-spoof softmaxes and
    /// embedding of the largest face, with per-stage ms. For parity and latency checks, not for the
    /// verification flow (it hands the embedding to the caller).
    #[wasm_bindgen(js_name = analyzeEncoded)]
    pub fn analyze_encoded(&self, bytes: Vec<u8>) -> js_sys::Promise {
        let stages = Arc::clone(&self.stages);
        wasm_bindgen_futures::future_to_promise(async move {
            let frame = Frame::decode(&bytes).map_err(js_error)?;
            drop(bytes);
            let analysis = stages.analyze(&frame, now_ms).await.map_err(js_error)?;
            drop(frame);
            to_json(&analysis)
        })
    }

    /// Embeds the largest face of an ID-document or profile photo (encoded bytes). The embedding stays in
    /// the module; the page holds an opaque [`Reference`].
    #[wasm_bindgen(js_name = referenceFromPhoto)]
    pub fn reference_from_photo(&self, bytes: Vec<u8>) -> js_sys::Promise {
        let stages = Arc::clone(&self.stages);
        wasm_bindgen_futures::future_to_promise(async move {
            let info = ReferenceInfo::new(ReferenceKind::IdPhoto, &random_salt()?, &bytes).map_err(js_error)?;
            let photo = Frame::decode(&bytes).map_err(js_error)?;
            drop(bytes);
            let embedding = stages.embed_reference_photo(&photo).await.map_err(js_error)?;
            drop(photo);
            Ok(Reference { embedding: ReferenceEmbedding { kind: ReferenceKind::IdPhoto, embedding }, info }.into())
        })
    }

    /// Starts a liveness session for the server's compact challenge token (its claims are read, not
    /// verified: the server verifies its own signature when the proof comes back). `now_unix_ms` is the
    /// page's clock (`Date.now()`); an expired or malformed challenge rejects.
    #[wasm_bindgen(js_name = startSession)]
    pub fn start_session(&self, challenge_token: String, now_unix_ms: f64) -> Result<LiveSession, JsValue> {
        let (issued, challenge) = decode_challenge(&challenge_token)?;
        let session = FaceSession::new(
            Arc::clone(&self.stages),
            challenge,
            LivenessConfig::default(),
            Sampling::default(),
            now_unix_ms as i64,
        )
        .map_err(js_error)?
        .with_clock(Clock::host(now_ms));
        Ok(LiveSession {
            session: Rc::new(RefCell::new(session)),
            backend: self.backend,
            challenge: issued,
            outcome: RefCell::new(None),
        })
    }
}

/// The server's challenge, parsed strictly (ES256 header, challenge `typ`, canonical claims) but not
/// verified: the page cannot judge the server's key; the server verifies its own signature when the proof
/// comes back. Also as the engine's `Challenge` (actions, limits, expiry).
fn decode_challenge(token: &str) -> Result<(IssuedChallenge, Challenge), JsValue> {
    let issued = IssuedChallenge::decode(token).map_err(js_error)?;
    let claims = serde_json::to_string(&issued.claims).map_err(js_error)?;
    let challenge = Challenge::from_json(&claims).map_err(js_error)?;
    Ok((issued, challenge))
}

/// 16 bytes from `crypto.getRandomValues`, for the reference digest's salt.
fn random_salt() -> Result<[u8; 16], JsValue> {
    let mut salt = [0u8; 16];
    getrandom_03::fill(&mut salt).map_err(|e| js_error(format!("no secure random source: {e}")))?;
    Ok(salt)
}

/// What the live face is compared with. Opaque to the page: only its kind and salted digest are readable.
#[wasm_bindgen]
pub struct Reference {
    embedding: ReferenceEmbedding,
    /// The proof's `reference` claim: kind, salt, base64url(SHA-256(salt ‖ reference bytes)).
    info: ReferenceInfo,
}

#[wasm_bindgen]
impl Reference {
    /// The 128-D template the server put in the challenge (`reference` claim). Rejects when the challenge
    /// carries none.
    #[wasm_bindgen(js_name = fromChallenge)]
    pub fn from_challenge(challenge_token: String) -> Result<Reference, JsValue> {
        let (issued, _) = decode_challenge(&challenge_token)?;
        let template = issued
            .claims
            .reference
            .as_ref()
            .ok_or_else(|| js_error("the challenge carries no reference template: use an ID photo"))?;
        let (mut bytes, mut values) =
            decode_template(template).ok_or_else(|| js_error("the challenge's reference template is malformed"))?;
        let embedding = Embedding::from_slice(&values).map_err(js_error);
        values.zeroize();
        bytes.zeroize();
        let info = ReferenceInfo::for_server_template(&random_salt()?, template).map_err(js_error)?;
        Ok(Reference { embedding: ReferenceEmbedding { kind: ReferenceKind::ServerTemplate, embedding: embedding? }, info })
    }

    /// "id_photo" or "server_template".
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        match self.embedding.kind {
            ReferenceKind::IdPhoto => "id_photo",
            ReferenceKind::ServerTemplate => "server_template",
        }
        .to_string()
    }

    /// base64url of the 16 random salt bytes.
    #[wasm_bindgen(getter)]
    pub fn salt(&self) -> String {
        self.info.salt.clone()
    }

    /// base64url(SHA-256(salt ‖ the photo's bytes, or the template's f32 little-endian bytes)).
    #[wasm_bindgen(getter)]
    pub fn digest(&self) -> String {
        self.info.digest.clone()
    }
}

/// One challenge, judged frame by frame.
#[wasm_bindgen]
pub struct LiveSession {
    session: Rc<RefCell<FaceSession>>,
    backend: &'static str,
    challenge: IssuedChallenge,
    /// Set by `finish`; the proof is built from it.
    outcome: RefCell<Option<Outcome>>,
}

struct Outcome {
    result: SessionResult,
    reference: ReferenceInfo,
    /// The claims whose signing input was handed out, kept to assemble the token with the signature.
    claims: Option<ProofClaims>,
}

#[wasm_bindgen]
impl LiveSession {
    /// Judges one camera frame (packed RGBA, the camera's un-mirrored image) captured at `timestamp_ms`
    /// (monotonic, e.g. `VideoFrame.timestamp / 1000`). Resolves to `{feedback: {state, instruction,
    /// progress}, measurement}`; rejects for a model failure or a frame the engine refuses (a timestamp
    /// going backwards or a resolution change also fails the session). One frame at a time: await each.
    #[wasm_bindgen(js_name = pushRgba)]
    pub fn push_rgba(&self, width: u32, height: u32, rgba: Vec<u8>, timestamp_ms: f64) -> js_sys::Promise {
        let session = Rc::clone(&self.session);
        wasm_bindgen_futures::future_to_promise(async move {
            let frame = frame_from_rgba(width, height, rgba)?;
            let mut session = session
                .try_borrow_mut()
                .map_err(|_| js_error("a frame is still being processed: await each pushRgba before the next"))?;
            let report = session.process_frame(frame, timestamp_ms).await.map_err(js_error)?;
            to_json(&report)
        })
    }

    /// Moves the session to `engine`'s networks (after [`FaceEngine::switch_to_cpu`], when the GPU was
    /// lost): the liveness state and the challenge's progress are kept; frames from now on run there.
    /// The proof's `backend` then names both ("webgpu+cpu").
    #[wasm_bindgen(js_name = continueOn)]
    pub fn continue_on(&mut self, engine: &FaceEngine) -> Result<(), JsValue> {
        let mut session = self.session.try_borrow_mut().map_err(|_| js_error("a frame is still being processed"))?;
        session.replace_stages(Arc::clone(&engine.stages));
        // Only a move off the GPU changes the record; once "webgpu+cpu", always "webgpu+cpu".
        if (self.backend, engine.backend) == ("webgpu", "cpu") {
            self.backend = "webgpu+cpu";
        }
        Ok(())
    }

    /// The backend(s) this session's frames ran on: "webgpu", "cpu", or "webgpu+cpu" after a fallback.
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.backend.to_string()
    }

    /// The session's state as JSON (`{"state": "action", "index": 0, "action": "blink"}`, ...).
    pub fn state(&self) -> Result<String, JsValue> {
        let session = self.session.try_borrow().map_err(|_| js_error("a frame is still being processed"))?;
        serde_json::to_string(session.state()).map_err(js_error)
    }

    /// Ends the session and compares the fused live probe with `reference`. Resolves to
    /// `{backend, reference: {kind, salt, digest}, result}` where `result` is the engine's typed result
    /// (decision, scores, liveness evidence, timings; no pixels, no embedding). Every live-face embedding
    /// is zeroized before this returns.
    pub fn finish(&self, reference: &Reference) -> Result<String, JsValue> {
        let mut session =
            self.session.try_borrow_mut().map_err(|_| js_error("a frame is still being processed"))?;
        let result: SessionResult = session.finish(&reference.embedding);
        let summary = serde_json::json!({
            "backend": self.backend,
            "reference": &reference.info,
            "result": &result,
        });
        *self.outcome.borrow_mut() = Some(Outcome { result, reference: reference.info.clone(), claims: None });
        Ok(summary.to_string())
    }

    /// After `finish`: the exact bytes the device key signs (`crypto.subtle.sign({name: "ECDSA", hash:
    /// "SHA-256"}, key, bytes)`), i.e. the proof's header and claims built from the engine's result by
    /// `faceproof-proof` (deterministic encoding). `device_jwk`: the public key as JSON `{kty, crv, x, y}`;
    /// `wasm_sha256`: hex digest of this module's bytes as fetched; `now_unix_s`: the page's clock.
    #[wasm_bindgen(js_name = proofSigningInput)]
    pub fn proof_signing_input(&self, device_jwk: String, wasm_sha256: String, now_unix_s: f64, ttl_s: u32) -> Result<String, JsValue> {
        let mut outcome = self.outcome.borrow_mut();
        let outcome = outcome.as_mut().ok_or_else(|| js_error("finish the session before building its proof"))?;
        let jwk: Jwk = serde_json::from_str(&device_jwk).map_err(|e| js_error(format!("device key: {e}")))?;
        let build = BuildInfo {
            module_version: env!("CARGO_PKG_VERSION").to_string(),
            wasm_sha256,
            models: WEIGHTS
                .iter()
                .map(|w| ModelDigest { name: w.name.to_string(), sha256: w.sha256.to_string() })
                .collect(),
        };
        let claims = ProofClaims::from_session(
            &outcome.result,
            &self.challenge,
            outcome.reference.clone(),
            build,
            self.backend,
            jwk,
            now_unix_s as i64,
            i64::from(ttl_s),
        )
        .map_err(js_error)?;
        let input = proof_signing_input(&claims);
        outcome.claims = Some(claims);
        Ok(input)
    }

    /// The compact proof JWS from WebCrypto's raw 64-byte `r‖s` signature over `proofSigningInput`'s bytes.
    /// The token is verified against the device key before it is returned.
    #[wasm_bindgen(js_name = assembleProof)]
    pub fn assemble_proof(&self, signature: Vec<u8>) -> Result<String, JsValue> {
        let outcome = self.outcome.borrow();
        let claims = outcome
            .as_ref()
            .and_then(|o| o.claims.as_ref())
            .ok_or_else(|| js_error("call proofSigningInput first"))?;
        assemble_proof(claims, &signature).map_err(js_error)
    }
}
