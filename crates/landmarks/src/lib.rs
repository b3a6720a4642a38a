//! Face landmarks: MediaPipe FaceMesh v1 on the ROI around a detected face, mapped back to image pixels,
//! with the face-presence score, head pose (a rigid fit of a canonical 3-D face to all 468 points) and
//! per-eye openness (eye aspect ratio from the eyelid points).

pub mod mean_shape;
pub mod pose;
pub mod roi;

use burn::prelude::*;
use burn::tensor::TensorData;
use faceproof_frame::Frame;
use faceproof_models::ModelError;
use faceproof_models::facemesh::{FaceMesh, INPUT_SIZE, LANDMARKS, OUTPUT_VALUES};

pub use pose::{HeadPose, head_pose};
pub use roi::{MIN_FACE_SIDE, ROI_SCALE, Roi, crop_rgb};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LandmarkError {
    #[error("the face input is unusable: {0}")]
    InvalidInput(String),
    #[error("the face is {side} px, smaller than the {min} px minimum")]
    FaceTooSmall { side: f32, min: f32 },
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("the landmark network returned non-finite values")]
    NonFinite,
}

/// The 6 eyelid/corner points of each eye for the eye aspect ratio (Soukupová & Čech 2016) on the
/// FaceMesh topology: outer corner, two upper-lid points, inner corner, two lower-lid points.
/// "Right" is the subject's right eye (on the image's left).
pub const RIGHT_EYE_EAR_POINTS: [usize; 6] = [33, 160, 158, 133, 153, 144];
pub const LEFT_EYE_EAR_POINTS: [usize; 6] = [263, 387, 385, 362, 380, 373];

/// Eye aspect ratio: mean lid opening over eye width. Open eyes are about 0.25–0.35, closed below ~0.15.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EyeOpenness {
    pub right: f32,
    pub left: f32,
}

fn eye_aspect_ratio(points: &[[f32; 3]], ids: [usize; 6]) -> f32 {
    let distance = |a: usize, b: usize| {
        let (p, q) = (points[ids[a]], points[ids[b]]);
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt()
    };
    let width = distance(0, 3);
    if width <= f32::EPSILON {
        return 0.0;
    }
    (distance(1, 5) + distance(2, 4)) / (2.0 * width)
}

pub fn eye_openness(points: &[[f32; 3]]) -> Option<EyeOpenness> {
    (points.len() == LANDMARKS).then(|| EyeOpenness {
        right: eye_aspect_ratio(points, RIGHT_EYE_EAR_POINTS),
        left: eye_aspect_ratio(points, LEFT_EYE_EAR_POINTS),
    })
}

/// Everything the stage knows about one face.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceLandmarks {
    /// 468 points in image pixels: x, y, and z (depth relative to the face centre, same scale as x,
    /// smaller = closer to the camera).
    pub points: Vec<[f32; 3]>,
    /// Probability that the crop holds a face (sigmoid of the network's presence logit).
    pub presence: f32,
    pub pose: HeadPose,
    pub eyes: EyeOpenness,
    pub roi: Roi,
}

/// Turns the network's raw output (1404 crop-pixel coordinates, then the presence logit) for `roi` into
/// landmarks in image pixels, pose and eye openness. Non-finite output is an error, never a pose.
pub fn landmarks_from_raw(raw: &[f32], roi: Roi) -> Result<FaceLandmarks, LandmarkError> {
    if raw.len() != OUTPUT_VALUES + 1 {
        return Err(LandmarkError::InvalidInput(format!(
            "{} raw values, expected {}",
            raw.len(),
            OUTPUT_VALUES + 1
        )));
    }
    if raw.iter().any(|v| !v.is_finite()) {
        return Err(LandmarkError::NonFinite);
    }
    let points: Vec<[f32; 3]> = raw[..OUTPUT_VALUES]
        .chunks_exact(3)
        .map(|p| roi.to_image([p[0], p[1], p[2]]))
        .collect();
    let pose = head_pose(&points).ok_or(LandmarkError::NonFinite)?;
    let eyes = eye_openness(&points).ok_or(LandmarkError::NonFinite)?;
    Ok(FaceLandmarks {
        points,
        presence: sigmoid(raw[OUTPUT_VALUES]),
        pose,
        eyes,
        roi,
    })
}

pub struct LandmarkStage {
    model: FaceMesh,
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl LandmarkStage {
    pub fn new(model: FaceMesh) -> Self {
        Self { model }
    }

    /// Landmarks for the face in `bbox` (x, y, w, h in image pixels), oriented by the detector's eye points
    /// (the subject's right eye, then left eye, as YuNet orders them).
    pub async fn run(
        &self,
        frame: &Frame,
        bbox: [f32; 4],
        right_eye: [f32; 2],
        left_eye: [f32; 2],
    ) -> Result<FaceLandmarks, LandmarkError> {
        let roi = Roi::from_detection(bbox, right_eye, left_eye)?;
        self.run_roi(frame, roi).await
    }

    /// Landmarks for an explicit ROI. One async readback of 1405 floats.
    pub async fn run_roi(&self, frame: &Frame, roi: Roi) -> Result<FaceLandmarks, LandmarkError> {
        let crop = crop_rgb(frame, &roi)?;
        let raw = self.raw_outputs(crop).await?;
        landmarks_from_raw(&raw, roi)
    }

    /// The network's 1404 crop-pixel coordinates followed by the presence logit, for a planar RGB [0, 1]
    /// crop of 3×192×192 values.
    pub async fn raw_outputs(&self, crop: Vec<f32>) -> Result<Vec<f32>, LandmarkError> {
        let expected = 3 * INPUT_SIZE * INPUT_SIZE;
        if crop.len() != expected {
            return Err(LandmarkError::InvalidInput(format!(
                "crop has {} values, expected {expected}",
                crop.len()
            )));
        }
        let input = Tensor::<4>::from_data(
            TensorData::new(crop, [1, 3, INPUT_SIZE, INPUT_SIZE]),
            self.model.device(),
        );
        let packed = self.model.forward_packed(input)?;
        let data = packed
            .into_data_async()
            .await
            .map_err(|e| ModelError::Readback {
                model: "facemesh",
                reason: format!("{e:?}"),
            })?;
        let values: Vec<f32> = data.try_to_vec().map_err(|e| ModelError::Readback {
            model: "facemesh",
            reason: format!("{e:?}"),
        })?;
        if values.len() != OUTPUT_VALUES + 1 {
            return Err(ModelError::Readback {
                model: "facemesh",
                reason: format!("{} values", values.len()),
            }
            .into());
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests;
