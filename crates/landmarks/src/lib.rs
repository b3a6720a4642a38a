//! Face landmarks: MediaPipe FaceMesh v1 on the ROI around a detected face, mapped back to image pixels,
//! with the face-presence score and head pose (a rigid fit of a canonical 3-D face to all 468 points); then
//! MediaPipe Iris on both eyes (one batched forward pass) for per-eye openness from the lid contour
//! (see [`eyes`]).

pub mod eyes;
pub mod mean_shape;
pub mod pose;
pub mod roi;

use burn::prelude::*;
use burn::tensor::TensorData;
use faceproof_frame::Frame;
use faceproof_models::ModelError;
use faceproof_models::facemesh::{FaceMesh, INPUT_SIZE, LANDMARKS, OUTPUT_VALUES};
use faceproof_models::iris::{self, Iris};

pub use eyes::{
    EYE_ROI_SCALE, Eye, EyeLandmarks, EyeRoi, MIN_EYE_WIDTH, contour_openness, crop_eye,
    eye_from_raw,
};
pub use pose::{HeadPose, head_pose};
pub use roi::{MIN_FACE_SIDE, ROI_SCALE, Roi, TRACK_ROI_SCALE, crop_rgb};

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
    #[error("the {eye} is {width} px wide, smaller than the {min} px minimum")]
    EyeTooSmall { eye: Eye, width: f32, min: f32 },
    #[error("the {eye} lies (partly) outside the frame")]
    EyeOutsideFrame { eye: Eye },
}

/// The 6 eyelid/corner points of each eye for FaceMesh's own eye aspect ratio (Soukupová & Čech 2016; kept
/// as [`MeshLandmarks::ear`] for diagnostics: it does not follow real blinks) on the FaceMesh topology: outer corner, two upper-lid points, inner corner, two lower-lid points.
/// "Right" is the subject's right eye (on the image's left).
pub const RIGHT_EYE_EAR_POINTS: [usize; 6] = [33, 160, 158, 133, 153, 144];
pub const LEFT_EYE_EAR_POINTS: [usize; 6] = [263, 387, 385, 362, 380, 373];

/// Per-eye openness, the subject's own eyes: lid opening over eye width. In [`FaceLandmarks::eyes`] it comes
/// from the Iris contour ([`contour_openness`]: open about 0.2–0.35, closed about 0.03–0.12); in
/// [`MeshLandmarks::ear`] it is FaceMesh's eye aspect ratio.
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
    /// Per-eye openness from the Iris lid contour (`right_eye.openness`, `left_eye.openness`).
    pub eyes: EyeOpenness,
    /// The subject's right eye (image left) and left eye (image right): ROI, contour, iris.
    pub right_eye: EyeLandmarks,
    pub left_eye: EyeLandmarks,
    /// FaceMesh's own eye aspect ratio (diagnostics only).
    pub mesh_ear: EyeOpenness,
    pub roi: Roi,
}

impl FaceLandmarks {
    pub fn from_parts(
        mesh: MeshLandmarks,
        right_eye: EyeLandmarks,
        left_eye: EyeLandmarks,
    ) -> Self {
        Self {
            points: mesh.points,
            presence: mesh.presence,
            pose: mesh.pose,
            eyes: EyeOpenness {
                right: right_eye.openness,
                left: left_eye.openness,
            },
            right_eye,
            left_eye,
            mesh_ear: mesh.ear,
            roi: mesh.roi,
        }
    }
}

/// What FaceMesh alone gives: the 468 points, presence, pose and the mesh's eye aspect ratio.
#[derive(Debug, Clone, PartialEq)]
pub struct MeshLandmarks {
    pub points: Vec<[f32; 3]>,
    pub presence: f32,
    pub pose: HeadPose,
    pub ear: EyeOpenness,
    pub roi: Roi,
}

/// Turns the network's raw output (1404 crop-pixel coordinates, then the presence logit) for `roi` into
/// landmarks in image pixels, pose and the mesh EAR. Non-finite output is an error, never a pose.
pub fn mesh_from_raw(raw: &[f32], roi: Roi) -> Result<MeshLandmarks, LandmarkError> {
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
    let ear = eye_openness(&points).ok_or(LandmarkError::NonFinite)?;
    Ok(MeshLandmarks {
        points,
        presence: sigmoid(raw[OUTPUT_VALUES]),
        pose,
        ear,
        roi,
    })
}

pub struct LandmarkStage {
    model: FaceMesh,
    iris: Iris,
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl LandmarkStage {
    pub fn new(model: FaceMesh, iris: Iris) -> Self {
        Self { model, iris }
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

    /// Landmarks for an explicit ROI: FaceMesh (one readback of 1405 floats), then Iris on both eyes (one
    /// batched forward pass, one readback of 2 × 228 floats).
    pub async fn run_roi(&self, frame: &Frame, roi: Roi) -> Result<FaceLandmarks, LandmarkError> {
        let mesh = self.run_mesh(frame, roi).await?;
        let [right_eye, left_eye] = self.run_eyes(frame, &mesh.points).await?;
        Ok(FaceLandmarks::from_parts(mesh, right_eye, left_eye))
    }

    /// FaceMesh alone on `roi`.
    pub async fn run_mesh(&self, frame: &Frame, roi: Roi) -> Result<MeshLandmarks, LandmarkError> {
        let crop = crop_rgb(frame, &roi)?;
        let raw = self.raw_outputs(crop).await?;
        mesh_from_raw(&raw, roi)
    }

    /// Iris on both eyes of a face whose 468 mesh points (image pixels) are `points`: right eye, left eye.
    pub async fn run_eyes(
        &self,
        frame: &Frame,
        points: &[[f32; 3]],
    ) -> Result<[EyeLandmarks; 2], LandmarkError> {
        let rois = [
            EyeRoi::from_mesh(points, Eye::Right)?,
            EyeRoi::from_mesh(points, Eye::Left)?,
        ];
        let per_eye = 3 * iris::INPUT_SIZE * iris::INPUT_SIZE;
        let mut crops = vec![0f32; 2 * per_eye];
        for (roi, out) in rois.iter().zip(crops.chunks_exact_mut(per_eye)) {
            eyes::crop_eye_into(frame, roi, out)?;
        }
        let raw = self.iris_raw_outputs(crops).await?;
        let (right, left) = raw.split_at(iris::OUTPUT_VALUES);
        Ok([eye_from_raw(right, rois[0])?, eye_from_raw(left, rois[1])?])
    }

    /// The Iris network's outputs for N planar RGB [0, 1] crops of 3×64×64 values each (concatenated):
    /// per crop 213 contour values then 15 iris values, crop pixels of the crop as given.
    pub async fn iris_raw_outputs(&self, crops: Vec<f32>) -> Result<Vec<f32>, LandmarkError> {
        let per_eye = 3 * iris::INPUT_SIZE * iris::INPUT_SIZE;
        if crops.is_empty() || crops.len() % per_eye != 0 {
            return Err(LandmarkError::InvalidInput(format!(
                "eye crops have {} values, expected a positive multiple of {per_eye}",
                crops.len()
            )));
        }
        let batch = crops.len() / per_eye;
        let input = Tensor::<4>::from_data(
            TensorData::new(crops, [batch, 3, iris::INPUT_SIZE, iris::INPUT_SIZE]),
            self.iris.device(),
        );
        let packed = self.iris.forward_packed(input)?;
        let data = packed
            .into_data_async()
            .await
            .map_err(|e| ModelError::Readback {
                model: "iris",
                reason: format!("{e:?}"),
            })?;
        let values: Vec<f32> = data.try_to_vec().map_err(|e| ModelError::Readback {
            model: "iris",
            reason: format!("{e:?}"),
        })?;
        if values.len() != batch * iris::OUTPUT_VALUES {
            return Err(ModelError::Readback {
                model: "iris",
                reason: format!("{} values", values.len()),
            }
            .into());
        }
        Ok(values)
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
mod eye_tests;
#[cfg(test)]
mod tests;
