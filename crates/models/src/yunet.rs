//! YuNet (libfacedetection, 2023mar "s" weights).
//!
//! The network is fully convolutional (its reshapes are `[1, -1, C]`, its upsamplings scale by 2), so it runs on
//! any input whose sides are multiples of 32, as OpenCV's `FaceDetectorYN` runs it: the frame scaled to fit
//! 640, padded only up to the next multiple of 32. A 4:3 frame costs 75 % of the 640×640 square the ONNX
//! file declares, a 16:9 one 60 %.

use crate::{ModelError, WeightsSpec, generated::yunet::Model};
use burn::prelude::*;

/// The input's longest side: the size the weights were exported at.
pub const MAX_INPUT_SIZE: usize = 640;
/// Both input sides must be multiples of this (the coarsest stride, so every upsampling lines up).
pub const SIZE_MULTIPLE: usize = 32;
pub const STRIDES: [usize; 3] = [8, 16, 32];
/// Values per anchor in [`YuNet::forward_packed`]: cls, obj, 4 box, 10 landmark.
pub const PACKED_WIDTH: usize = 16;

/// Anchors over all strides for a `height`×`width` input (8400 at 640×640: 80² + 40² + 20²).
pub fn anchors(height: usize, width: usize) -> usize {
    STRIDES.iter().map(|stride| (height / stride) * (width / stride)).sum()
}

pub const WEIGHTS: WeightsSpec = WeightsSpec {
    name: "yunet",
    file: "yunet.bpk",
    sha256: "3fd62828a016b20222b99242dfad9a087653460e8f368bb1689b096a8114bf14",
};

pub struct YuNet {
    model: Model,
    device: Device,
}

/// The 12 raw output tensors, in the ONNX graph's order: cls×3, obj×3, bbox×3, kps×3 (strides 8, 16, 32).
pub type RawOutputs = [Tensor<3>; 12];

impl YuNet {
    pub fn load(bytes: Vec<u8>, device: &Device) -> Result<Self, ModelError> {
        let model = crate::load_verified(&WEIGHTS, Model::new(device), bytes)?;
        Ok(Self { model, device: device.clone() })
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    fn check_input(input: &Tensor<4>) -> Result<(), ModelError> {
        let dims = input.dims();
        let side_ok = |side: usize| side > 0 && side <= MAX_INPUT_SIZE && side % SIZE_MULTIPLE == 0;
        if dims[..2] != [1, 3] || !side_ok(dims[2]) || !side_ok(dims[3]) {
            return Err(ModelError::Input {
                model: "yunet",
                reason: format!(
                    "expected [1, 3, H, W] with H and W multiples of {SIZE_MULTIPLE} up to {MAX_INPUT_SIZE}, got {dims:?}"
                ),
            });
        }
        Ok(())
    }

    /// The network's raw outputs, exactly as the ONNX graph names them (for parity tests).
    pub fn forward_raw(&self, input: Tensor<4>) -> Result<RawOutputs, ModelError> {
        Self::check_input(&input)?;
        let o = self.model.forward(input);
        Ok([o.0, o.1, o.2, o.3, o.4, o.5, o.6, o.7, o.8, o.9, o.10, o.11])
    }

    /// All outputs packed on the device as [1, anchors, 16] (cls, obj, bbox×4, kps×10 per anchor, strides
    /// 8, 16, 32 in order, each row-major over its grid), so a detection costs one small readback instead of twelve.
    pub fn forward_packed(&self, input: Tensor<4>) -> Result<Tensor<3>, ModelError> {
        let [c8, c16, c32, o8, o16, o32, b8, b16, b32, k8, k16, k32] = self.forward_raw(input)?;
        let per_stride = [
            Tensor::cat(vec![c8, o8, b8, k8], 2),
            Tensor::cat(vec![c16, o16, b16, k16], 2),
            Tensor::cat(vec![c32, o32, b32, k32], 2),
        ];
        Ok(Tensor::cat(per_stride.into(), 1))
    }
}
