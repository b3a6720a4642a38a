//! The browser face of faceproof. Everything JavaScript-shaped lives here: promises, byte arrays, JSON
//! strings for results. The stages themselves (frame, detect, models, session) know nothing of the browser.
//!
//! Three handles:
//! - [`Detector`]: YuNet alone (the photo demo; one small weights file);
//! - [`FaceEngine`]: every network, for liveness sessions ([`LiveSession`]), reference photos
//!   ([`Reference`]) and whole-pipeline analysis of a still image (parity and latency checks);
//! - [`LiveSession`]: one server challenge judged frame by frame. Embeddings stay inside the module: the
//!   host gets instructions, progress and the final typed result, never a face vector.

mod live;

pub use live::{FaceEngine, LiveSession, Reference};

use burn::prelude::Device;
use faceproof_detect::{DetectorConfig, FaceDetector};
use faceproof_frame::Frame;
use faceproof_models::yunet::YuNet;
#[cfg(feature = "webgpu")]
use std::cell::OnceCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[cfg(feature = "webgpu")]
thread_local! {
    // burn registers its wgpu runtime once per page; keep the device so a second detector reuses it.
    static WEBGPU_DEVICE: OnceCell<Device> = const { OnceCell::new() };
}

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Version of this module, for the proof's claims and the page.
#[wasm_bindgen(js_name = moduleVersion)]
pub fn module_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The weights files this build accepts: `[{name, file, sha256}]` as JSON. The page fetches each file and
/// passes the bytes in; the module checks the sha256 itself before use.
#[wasm_bindgen(js_name = weightsManifest)]
pub fn weights_manifest() -> String {
    let entries: Vec<serde_json::Value> = faceproof_models::WEIGHTS
        .iter()
        .map(|w| serde_json::json!({ "name": w.name, "file": w.file, "sha256": w.sha256 }))
        .collect();
    serde_json::Value::Array(entries).to_string()
}

/// Which build this is: "webgpu" (WebGPU and the CPU backend) or "cpu" (the CPU backend alone).
#[wasm_bindgen(js_name = moduleFlavour)]
pub fn module_flavour() -> String {
    if cfg!(feature = "webgpu") { "webgpu" } else { "cpu" }.to_string()
}

/// The device for `backend` ("webgpu", "cpu" or "auto") and the name of the backend that will run.
async fn device_for(backend: &str) -> Result<(Device, &'static str), JsValue> {
    match backend {
        "webgpu" => Ok((webgpu_device().await.map_err(js_error)?, "webgpu")),
        "cpu" => Ok((Device::flex(), "cpu")),
        "auto" => Ok(match webgpu_device().await {
            Ok(device) => (device, "webgpu"),
            Err(_) => (Device::flex(), "cpu"),
        }),
        other => Err(js_error(format!("unknown backend {other:?}: use \"auto\", \"webgpu\" or \"cpu\""))),
    }
}

#[cfg(not(feature = "webgpu"))]
async fn webgpu_device() -> Result<Device, String> {
    Err("this is the CPU-only build of the module (faceproof_cpu): load faceproof_bg.wasm for WebGPU".into())
}

#[cfg(feature = "webgpu")]
async fn webgpu_device() -> Result<Device, String> {
    if let Some(device) = WEBGPU_DEVICE.with(|cell| cell.get().cloned()) {
        return Ok(device);
    }
    let device = Device::wgpu_options().init_async().await.map_err(|e| format!("WebGPU unavailable: {e}"))?;
    WEBGPU_DEVICE.with(|cell| {
        let _ = cell.set(device.clone());
    });
    Ok(device)
}

/// The page's packed RGBA as a [`Frame`] (no copy: the frame owns the module's copy of the page's pixels
/// and zeroizes it when dropped; a buffer of the wrong size is zeroized and refused).
pub(crate) fn frame_from_rgba(width: u32, height: u32, rgba: Vec<u8>) -> Result<Frame, JsValue> {
    Frame::from_rgba(width, height, rgba).map_err(js_error)
}

fn js_error(message: impl std::fmt::Display) -> JsValue {
    JsError::new(&message.to_string()).into()
}

/// A face detector bound to one backend.
#[wasm_bindgen]
pub struct Detector {
    detector: Rc<FaceDetector>,
    backend: &'static str,
}

#[wasm_bindgen]
impl Detector {
    /// `backend`: "webgpu", "cpu", or "auto" (WebGPU when an adapter exists, else CPU).
    /// `yunet_weights`: the bytes of `yunet.bpk`; a wrong sha256 rejects with a clear message.
    pub async fn create(backend: String, yunet_weights: Vec<u8>) -> Result<Detector, JsValue> {
        let (device, backend) = device_for(&backend).await?;
        let model = YuNet::load(yunet_weights, &device).map_err(js_error)?;
        Ok(Detector { detector: Rc::new(FaceDetector::new(model, DetectorConfig::default())), backend })
    }

    /// "webgpu" or "cpu": the backend that actually runs.
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.backend.to_string()
    }

    /// Detects faces in packed RGBA pixels (canvas `getImageData`, `VideoFrame.copyTo`). Resolves to a JSON
    /// array of `{bbox: [x, y, w, h], score, landmarks: [[x, y] × 5]}` in the frame's pixels.
    #[wasm_bindgen(js_name = detectRgba)]
    pub fn detect_rgba(&self, width: u32, height: u32, rgba: Vec<u8>) -> js_sys::Promise {
        let detector = Rc::clone(&self.detector);
        wasm_bindgen_futures::future_to_promise(async move {
            let frame = frame_from_rgba(width, height, rgba)?;
            detect_json(&detector, frame).await
        })
    }

    /// Detects faces in an encoded image (JPEG, PNG, WebP; EXIF orientation applied). Resolves to
    /// `{width, height, faces}` where width and height are of the upright image.
    #[wasm_bindgen(js_name = detectEncoded)]
    pub fn detect_encoded(&self, bytes: Vec<u8>) -> js_sys::Promise {
        let detector = Rc::clone(&self.detector);
        wasm_bindgen_futures::future_to_promise(async move {
            let frame = Frame::decode(&bytes).map_err(js_error)?;
            drop(bytes);
            let (width, height) = (frame.width(), frame.height());
            let faces = detect_json(&detector, frame).await?;
            let faces = faces.as_string().unwrap_or_default();
            Ok(JsValue::from_str(&format!("{{\"width\":{width},\"height\":{height},\"faces\":{faces}}}")))
        })
    }
}

async fn detect_json(detector: &FaceDetector, frame: Frame) -> Result<JsValue, JsValue> {
    let faces = detector.detect(&frame).await.map_err(js_error)?;
    drop(frame);
    let json = serde_json::to_string(&faces).map_err(js_error)?;
    Ok(JsValue::from_str(&json))
}
