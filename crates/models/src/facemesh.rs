//! MediaPipe FaceMesh v1: 468 3-D landmarks and a face-presence logit from a 192×192 RGB crop in [0, 1].

use crate::{ModelError, WeightsSpec, generated::facemesh::Model};
use burn::prelude::*;

pub const INPUT_SIZE: usize = 192;
pub const LANDMARKS: usize = 468;
/// Values in the landmark output: 468 × (x, y, z).
pub const OUTPUT_VALUES: usize = LANDMARKS * 3;

pub const WEIGHTS: WeightsSpec = WeightsSpec {
    name: "facemesh",
    file: "facemesh.bpk",
    sha256: "a5489269c6e50ac006a606d8c2e504cbea05bd759f018800ce0170ebf381dbfc",
};

pub struct FaceMesh {
    model: Model,
    device: Device,
}

impl FaceMesh {
    pub fn load(bytes: Vec<u8>, device: &Device) -> Result<Self, ModelError> {
        let model = crate::load_verified(&WEIGHTS, Model::new(device), bytes)?;
        Ok(Self {
            model,
            device: device.clone(),
        })
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Landmarks and presence packed as [N, 1405]: 1404 coordinates in crop pixels (x, y, z per point),
    /// then the face-presence logit, so one readback fetches everything.
    pub fn forward_packed(&self, crops: Tensor<4>) -> Result<Tensor<2>, ModelError> {
        let dims = crops.dims();
        crate::check_image_batch("facemesh", dims, INPUT_SIZE)?;
        let batch = dims[0];
        let (points, presence) = self.model.forward(crops);
        let points = points.reshape([batch, OUTPUT_VALUES]);
        let presence = presence.reshape([batch, 1]);
        Ok(Tensor::cat(vec![points, presence], 1))
    }
}
