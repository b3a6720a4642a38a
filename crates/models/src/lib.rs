//! The face networks, as burn modules generic over the runtime [`burn::prelude::Device`].
//!
//! Network code under `generated/` is produced by `./x models` (burn-onnx) from the sources listed in
//! `models/manifest.toml`. Weights are loaded from bytes only after their sha256 matches the pinned value,
//! so a wrong or tampered file is a typed error, never a silently different model.

use burn::module::Module;
use burn::prelude::Device;
use burn_store::{BurnpackStore, ModuleSnapshot};
use sha2::{Digest, Sha256};

pub mod dlib_resnet;
pub mod facemesh;
pub mod iris;
pub mod minifasnet;
pub mod yunet;
pub mod conv;
pub mod pool;

#[allow(clippy::all, unused)]
mod generated {
    pub mod facemesh;
    pub mod iris;
    pub mod minifasnet_v1se;
    pub mod minifasnet_v2;
    pub mod yunet;
}

/// Whether `input` lives on burn's CPU backend, where `conv` and `pool` take their own paths.
#[cfg(feature = "flex")]
pub(crate) fn on_flex(input: &burn::prelude::Tensor<4>) -> bool {
    input.device() == Device::flex()
}

#[cfg(not(feature = "flex"))]
pub(crate) fn on_flex(_: &burn::prelude::Tensor<4>) -> bool {
    false
}

/// A weights file the module accepts: its file name (under the models URL or `models/build/`) and sha256.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeightsSpec {
    pub name: &'static str,
    pub file: &'static str,
    pub sha256: &'static str,
}

/// Every weights file, pinned. Must equal `models/manifest.toml` (a test checks it).
pub const WEIGHTS: &[WeightsSpec] = &[
    yunet::WEIGHTS,
    minifasnet::WEIGHTS_V2,
    minifasnet::WEIGHTS_V1SE,
    facemesh::WEIGHTS,
    iris::WEIGHTS,
    dlib_resnet::WEIGHTS,
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    #[error("weights for {model} have sha256 {actual}, expected {expected}: wrong or corrupted file")]
    WeightsHash { model: &'static str, expected: &'static str, actual: String },
    #[error("weights for {model} could not be loaded: {reason}")]
    WeightsFormat { model: &'static str, reason: String },
    #[error("{model} input is invalid: {reason}")]
    Input { model: &'static str, reason: String },
    #[error("reading {model} results from the device failed: {reason}")]
    Readback { model: &'static str, reason: String },
}

/// Checks `bytes` against the pinned sha256 in `spec`.
pub fn verify_weights(spec: &WeightsSpec, bytes: &[u8]) -> Result<(), ModelError> {
    let actual = hex::encode(Sha256::digest(bytes));
    if actual != spec.sha256 {
        return Err(ModelError::WeightsHash { model: spec.name, expected: spec.sha256, actual });
    }
    Ok(())
}

/// Builds `module` on `device` and fills it from verified burnpack bytes. Every tensor must be present.
pub(crate) fn load_verified<M: Module + ModuleSnapshot>(
    spec: &WeightsSpec,
    mut module: M,
    bytes: Vec<u8>,
) -> Result<M, ModelError> {
    verify_weights(spec, &bytes)?;
    let mut store = BurnpackStore::from_bytes(Some(burn::tensor::Bytes::from_bytes_vec(bytes)));
    let result = module
        .load_from(&mut store)
        .map_err(|e| ModelError::WeightsFormat { model: spec.name, reason: e.to_string() })?;
    if !result.missing.is_empty() {
        return Err(ModelError::WeightsFormat {
            model: spec.name,
            reason: format!("missing tensors: {:?}", result.missing),
        });
    }
    Ok(module)
}

/// Where native code and tests find the converted weights: `$FACEPROOF_MODELS_DIR` or `models/build/`.
#[cfg(not(target_family = "wasm"))]
pub fn native_weights_dir() -> std::path::PathBuf {
    std::env::var_os("FACEPROOF_MODELS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/build"))
}

/// Reads a weights file from [`native_weights_dir`].
/// A batch of square RGB/BGR images for `model`: `[N >= 1, 3, side, side]`, else a typed error (the networks
/// would otherwise fail deep inside burn, or trap in wasm).
pub fn check_image_batch(model: &'static str, dims: [usize; 4], side: usize) -> Result<(), ModelError> {
    if dims[0] == 0 || dims[1..] != [3, side, side] {
        return Err(ModelError::Input {
            model,
            reason: format!("expected [N>=1, 3, {side}, {side}], got {dims:?}"),
        });
    }
    Ok(())
}

#[cfg(not(target_family = "wasm"))]
pub fn read_native_weights(spec: &WeightsSpec) -> Result<Vec<u8>, ModelError> {
    let path = native_weights_dir().join(spec.file);
    std::fs::read(&path).map_err(|e| ModelError::WeightsFormat {
        model: spec.name,
        reason: format!("{}: {e} (run ./x models)", path.display()),
    })
}

/// Keeps `Device` in the public signature explicit for callers that construct models.
pub type ModelDevice = Device;

#[cfg(test)]
mod tests;
