//! MiniFASNetV2 (face crop ×2.7) and MiniFASNetV1SE (face crop ×4.0), the two passive anti-spoof networks
//! of minivision's Silent-Face-Anti-Spoofing, at their fixed 80×80 input.
//!
//! Both take BGR, raw 0..255, NCHW and produce 3 logits; class 1 is "live". The stage crate
//! (`faceproof-antispoof`) builds the crops and averages the two softmaxes, as upstream does.

use crate::{
    ModelError, WeightsSpec,
    generated::{minifasnet_v1se, minifasnet_v2},
};
use burn::prelude::*;
use burn::tensor::activation::softmax;

pub const INPUT_SIZE: usize = 80;
pub const CLASSES: usize = 3;
/// Index of the "live" class in the softmax.
pub const LIVE_CLASS: usize = 1;
/// The crop scale each network was trained with (upstream file names `2.7_80x80_…`, `4_0_0_80x80_…`). f64
/// because upstream does this arithmetic in Python floats: 2.7 as f32 shifts some crop corners by a pixel.
pub const V2_CROP_SCALE: f64 = 2.7;
pub const V1SE_CROP_SCALE: f64 = 4.0;

pub const WEIGHTS_V2: WeightsSpec = WeightsSpec {
    name: "minifasnet_v2",
    file: "minifasnet_v2.bpk",
    sha256: "02a0dfda40976276880417e28abedec47a65bf57c6070d2b0c7a2ad1d67cbeb5",
};
pub const WEIGHTS_V1SE: WeightsSpec = WeightsSpec {
    name: "minifasnet_v1se",
    file: "minifasnet_v1se.bpk",
    sha256: "64e78d456ffae93fbf7adb4b84d898cfa0b8532033f7ccb472dd11befda9cfc6",
};

/// The two networks, loaded together because the ensemble needs both.
pub struct MiniFasNet {
    v2: minifasnet_v2::Model,
    v1se: minifasnet_v1se::Model,
    device: Device,
}

fn check_input(model: &'static str, input: &Tensor<4>) -> Result<(), ModelError> {
    crate::check_image_batch(model, input.dims(), INPUT_SIZE)
}

impl MiniFasNet {
    pub fn load(
        v2_bytes: Vec<u8>,
        v1se_bytes: Vec<u8>,
        device: &Device,
    ) -> Result<Self, ModelError> {
        let v2 = crate::load_verified(&WEIGHTS_V2, minifasnet_v2::Model::new(device), v2_bytes)?;
        let v1se = crate::load_verified(
            &WEIGHTS_V1SE,
            minifasnet_v1se::Model::new(device),
            v1se_bytes,
        )?;
        Ok(Self {
            v2,
            v1se,
            device: device.clone(),
        })
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Raw logits [N, 3] of MiniFASNetV2 for crops at scale 2.7.
    pub fn forward_v2_logits(&self, crops: Tensor<4>) -> Result<Tensor<2>, ModelError> {
        check_input("minifasnet_v2", &crops)?;
        Ok(self.v2.forward(crops))
    }

    /// Raw logits [N, 3] of MiniFASNetV1SE for crops at scale 4.0.
    pub fn forward_v1se_logits(&self, crops: Tensor<4>) -> Result<Tensor<2>, ModelError> {
        check_input("minifasnet_v1se", &crops)?;
        Ok(self.v1se.forward(crops))
    }

    /// Both networks' softmaxes stacked on the device as [N, 2, 3] (model 0 = V2, model 1 = V1SE), so
    /// the caller reads both back in one transfer.
    pub fn forward_softmax(
        &self,
        crops_v2: Tensor<4>,
        crops_v1se: Tensor<4>,
    ) -> Result<Tensor<3>, ModelError> {
        if crops_v2.dims()[0] != crops_v1se.dims()[0] {
            return Err(ModelError::Input {
                model: "minifasnet",
                reason: format!(
                    "batch sizes differ: {} vs {}",
                    crops_v2.dims()[0],
                    crops_v1se.dims()[0]
                ),
            });
        }
        let v2 = softmax(self.forward_v2_logits(crops_v2)?, 1);
        let v1se = softmax(self.forward_v1se_logits(crops_v1se)?, 1);
        Ok(Tensor::stack(vec![v2, v1se], 1))
    }
}
