//! MediaPipe Iris: 71 eye-contour/brow points and 5 iris points from a 64×64 RGB eye crop in [0, 1].
//!
//! Point layout of the contour output (MediaPipe `update_face_landmarks_calculator.cc`, for an eye as the
//! network sees it, i.e. the image-left eye unflipped or the image-right eye flipped): 0–8 the lower lid
//! from the outer corner (0) to the inner corner (8), 9–15 the upper lid from outer to inner (9 above 1 …
//! 15 above 7), 16–70 outer halos and the brow. The iris output is the iris centre then 4 boundary points.

use crate::{ModelError, WeightsSpec, generated::iris::Model};
use burn::prelude::*;

pub const INPUT_SIZE: usize = 64;
pub const CONTOUR_POINTS: usize = 71;
pub const IRIS_POINTS: usize = 5;
/// Values per eye in [`Iris::forward_packed`]: 71 × (x, y, z) contour, then 5 × (x, y, z) iris.
pub const OUTPUT_VALUES: usize = (CONTOUR_POINTS + IRIS_POINTS) * 3;

pub const WEIGHTS: WeightsSpec = WeightsSpec {
    name: "iris",
    file: "iris.bpk",
    sha256: "145be2cbc34a5fedfb5902f29f85f56884080919f8a76147936b90d310cba23b",
};

pub struct Iris {
    model: Model,
    device: Device,
}

impl Iris {
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

    /// Contour and iris points packed as [N, 228] (213 contour values, then 15 iris values, crop pixels),
    /// so one readback fetches both eyes.
    pub fn forward_packed(&self, crops: Tensor<4>) -> Result<Tensor<2>, ModelError> {
        let dims = crops.dims();
        crate::check_image_batch("iris", dims, INPUT_SIZE)?;
        let batch = dims[0];
        // The ONNX graph flattens to [1, -1] (its batch was 1): rows are still per image, so reshape back.
        let (contour, iris) = self.model.forward(crops);
        let contour = contour.reshape([batch, CONTOUR_POINTS * 3]);
        let iris = iris.reshape([batch, IRIS_POINTS * 3]);
        Ok(Tensor::cat(vec![contour, iris], 1))
    }
}
