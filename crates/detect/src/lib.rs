//! The detect stage: a [`Frame`] in, face [`Detection`]s in the frame's own pixel coordinates out.
//!
//! The frame is letterboxed into YuNet's input (fit to 640, sides padded up to a multiple of 32) on the CPU
//! (one pass, straight to f32), the network runs on whatever burn `Device` the model was loaded on, its
//! twelve outputs are packed on the device and read back once, asynchronously (a blocking read would deadlock WebGPU), then decoded and
//! de-duplicated with NMS here.

use burn::prelude::*;
use faceproof_frame::Frame;
use faceproof_models::{ModelError, yunet};
use zeroize::Zeroize;

mod decode;
mod letterbox;

pub use decode::{decode, non_max_suppression};
pub use letterbox::Letterbox;

/// One face, in the input frame's pixels.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Detection {
    /// Left, top, width, height.
    pub bbox: [f32; 4],
    /// sqrt(classification × objectness), in [0, 1].
    pub score: f32,
    /// Right eye, left eye, nose tip, right mouth corner, left mouth corner (the subject's right/left).
    pub landmarks: [[f32; 2]; 5],
}

impl Detection {
    pub fn area(&self) -> f32 {
        self.bbox[2].max(0.0) * self.bbox[3].max(0.0)
    }

    pub fn iou(&self, other: &Detection) -> f32 {
        iou(self.bbox, other.bbox)
    }
}

/// Intersection over union of two (x, y, w, h) boxes.
pub fn iou(a: [f32; 4], b: [f32; 4]) -> f32 {
    let ix = (a[0] + a[2]).min(b[0] + b[2]) - a[0].max(b[0]);
    let iy = (a[1] + a[3]).min(b[1] + b[3]) - a[1].max(b[1]);
    let intersection = ix.max(0.0) * iy.max(0.0);
    let union = a[2].max(0.0) * a[3].max(0.0) + b[2].max(0.0) * b[3].max(0.0) - intersection;
    if union > 0.0 { intersection / union } else { 0.0 }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DetectorConfig {
    /// Minimum score to keep a candidate. On ../shared the lowest true face scores 0.889 (a 37 px PASCAL face)
    /// and the highest non-face 0.847 (a dog): 0.87 sits between them (see the recall tests).
    pub score_threshold: f32,
    /// Candidates overlapping a better one by more than this IoU are dropped.
    pub nms_iou: f32,
    /// At most this many faces are returned, best first.
    pub max_faces: usize,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        Self { score_threshold: 0.87, nms_iou: 0.3, max_faces: 50 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("the detector produced {actual} values, expected {expected}")]
    OutputShape { expected: usize, actual: usize },
}

pub struct FaceDetector {
    model: yunet::YuNet,
    config: DetectorConfig,
}

impl FaceDetector {
    pub fn new(model: yunet::YuNet, config: DetectorConfig) -> Self {
        Self { model, config }
    }

    pub fn config(&self) -> &DetectorConfig {
        &self.config
    }

    pub fn device(&self) -> &Device {
        self.model.device()
    }

    /// How a `width`×`height` frame is fitted into the network's input.
    pub fn letterbox(width: u32, height: u32) -> Letterbox {
        Letterbox::fit(width, height, yunet::MAX_INPUT_SIZE as u32, yunet::SIZE_MULTIPLE as u32)
    }

    /// Detects faces in `frame`, best score first.
    pub async fn detect(&self, frame: &Frame) -> Result<Vec<Detection>, DetectError> {
        let letterbox = Self::letterbox(frame.width(), frame.height());
        let shape = [letterbox.height as usize, letterbox.width as usize];
        let packed = self.run_packed(letterbox.input_tensor(frame), shape).await?;
        let detections = decode(&packed, &letterbox, &self.config);
        Ok(detections)
    }

    /// Runs the network on a prepared [1, 3, height, width] input and reads back the packed outputs.
    pub async fn run_packed(&self, mut input: Vec<f32>, [height, width]: [usize; 2]) -> Result<Vec<f32>, DetectError> {
        let expected_input = 3 * height * width;
        if input.len() != expected_input {
            input.zeroize();
            return Err(ModelError::Input {
                model: "yunet",
                reason: format!("{} input values for a {height}×{width} input, expected {expected_input}", input.len()),
            }
            .into());
        }
        let tensor = Tensor::<4>::from_data(TensorData::new(input.clone(), [1, 3, height, width]), self.model.device());
        // The letterboxed pixels are face data: wipe the host copy as soon as it is on the device.
        input.zeroize();
        let packed = self.model.forward_packed(tensor)?;
        let data = packed
            .into_data_async()
            .await
            .map_err(|e| ModelError::Readback { model: "yunet", reason: format!("{e:?}") })?;
        let values = data
            .try_into_vec::<f32>()
            .map_err(|e| ModelError::Readback { model: "yunet", reason: format!("{e:?}") })?;
        let expected = yunet::anchors(height, width) * yunet::PACKED_WIDTH;
        if values.len() != expected {
            return Err(DetectError::OutputShape { expected, actual: values.len() });
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests;
