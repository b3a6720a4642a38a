//! Passive anti-spoof: is the face in a frame a live person or a re-captured photo/screen?
//!
//! minivision's Silent-Face-Anti-Spoofing ensemble: MiniFASNetV2 on the face box scaled 2.7× and
//! MiniFASNetV1SE on the box scaled 4.0×, each cropped and resized exactly as upstream ([`crop`]); the two
//! softmaxes are summed and halved; class 1 is "live". Upstream calls a face live when class 1 has the
//! largest averaged probability.

pub mod crop;

use burn::prelude::*;
use burn::tensor::TensorData;
use faceproof_frame::Frame;
use faceproof_models::ModelError;
use faceproof_models::minifasnet::{
    CLASSES, LIVE_CLASS, MiniFasNet, V1SE_CROP_SCALE, V2_CROP_SCALE,
};

pub use crop::{CROP_SIZE, CropRect, crop_resize_bgr, upstream_crop_rect};

/// Faces smaller than this (the box's shorter side, in pixels) are refused: the 80×80 crops would be
/// mostly upsampled blur and the networks' answer meaningless.
pub const MIN_FACE_SIDE: f32 = 40.0;

/// A face box in image pixels: top-left corner and size (the detector's `bbox`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceBox {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl FaceBox {
    pub fn from_xywh(bbox: [f32; 4]) -> Self {
        Self {
            x: bbox[0],
            y: bbox[1],
            w: bbox[2],
            h: bbox[3],
        }
    }

    /// A box is usable when it is finite, at least [`MIN_FACE_SIDE`] on its shorter side and its centre lies
    /// inside the image. A box partly outside the image is fine: upstream shifts the crop back inside.
    pub fn validate(&self, width: u32, height: u32) -> Result<(), AntiSpoofError> {
        let values = [self.x, self.y, self.w, self.h];
        if values.iter().any(|v| !v.is_finite()) {
            return Err(AntiSpoofError::InvalidBox(format!(
                "non-finite box {values:?}"
            )));
        }
        if self.w.min(self.h) < MIN_FACE_SIDE {
            return Err(AntiSpoofError::FaceTooSmall {
                side: self.w.min(self.h),
                min: MIN_FACE_SIDE,
            });
        }
        let (cx, cy) = (self.x + self.w / 2.0, self.y + self.h / 2.0);
        if !(0.0..width as f32).contains(&cx) || !(0.0..height as f32).contains(&cy) {
            return Err(AntiSpoofError::InvalidBox(format!(
                "box centre ({cx}, {cy}) lies outside the {width}×{height} image"
            )));
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AntiSpoofError {
    #[error("the face box is unusable: {0}")]
    InvalidBox(String),
    #[error("the face is {side} px, smaller than the {min} px minimum")]
    FaceTooSmall { side: f32, min: f32 },
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("the networks returned a non-finite probability")]
    NonFinite,
}

/// The ensemble's answer for one face.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Liveness {
    /// Mean of the two networks' class-1 probabilities, in [0, 1].
    pub live_probability: f32,
    /// Upstream's decision: class 1 has the largest averaged probability.
    pub is_live: bool,
    /// Each network's softmax (V2 at scale 2.7, V1SE at scale 4.0), for diagnostics and parity.
    pub softmax_v2: [f32; CLASSES],
    pub softmax_v1se: [f32; CLASSES],
}

impl Liveness {
    fn from_softmaxes(
        softmax_v2: [f32; CLASSES],
        softmax_v1se: [f32; CLASSES],
    ) -> Result<Self, AntiSpoofError> {
        let mean: Vec<f32> = (0..CLASSES)
            .map(|c| (softmax_v2[c] + softmax_v1se[c]) / 2.0)
            .collect();
        if mean.iter().any(|v| !v.is_finite()) {
            return Err(AntiSpoofError::NonFinite);
        }
        // argmax with numpy's tie rule (first index wins).
        let best = (0..CLASSES).fold(0, |best, c| if mean[c] > mean[best] { c } else { best });
        Ok(Self {
            live_probability: mean[LIVE_CLASS].clamp(0.0, 1.0),
            is_live: best == LIVE_CLASS,
            softmax_v2,
            softmax_v1se,
        })
    }
}

/// Both crops for one face, planar BGR 0..255 ([3, 80, 80] each): the networks' exact inputs.
pub struct AntiSpoofCrops {
    pub v2: Vec<f32>,
    pub v1se: Vec<f32>,
    pub rect_v2: CropRect,
    pub rect_v1se: CropRect,
}

/// Builds the upstream crops for `face` (scale 2.7 for V2, 4.0 for V1SE).
pub fn crops(frame: &Frame, face: &FaceBox) -> Result<AntiSpoofCrops, AntiSpoofError> {
    let rect_v2 = upstream_crop_rect(frame.width(), frame.height(), face, V2_CROP_SCALE)?;
    let rect_v1se = upstream_crop_rect(frame.width(), frame.height(), face, V1SE_CROP_SCALE)?;
    Ok(AntiSpoofCrops {
        v2: crop_resize_bgr(frame, rect_v2),
        v1se: crop_resize_bgr(frame, rect_v1se),
        rect_v2,
        rect_v1se,
    })
}

pub struct AntiSpoof {
    model: MiniFasNet,
}

impl AntiSpoof {
    pub fn new(model: MiniFasNet) -> Self {
        Self { model }
    }

    /// Liveness of one face. The only device readback is one async transfer of 6 floats.
    pub async fn check(&self, frame: &Frame, face: &FaceBox) -> Result<Liveness, AntiSpoofError> {
        let crops = crops(frame, face)?;
        Ok(self.check_crops(&[crops]).await?.remove(0))
    }

    /// Liveness for already-built crops, batched through each network (one readback for all faces).
    pub async fn check_crops(
        &self,
        faces: &[AntiSpoofCrops],
    ) -> Result<Vec<Liveness>, AntiSpoofError> {
        let n = faces.len();
        if n == 0 {
            return Ok(Vec::new());
        }
        let side = CROP_SIZE;
        let device = self.model.device();
        let stack = |pick: fn(&AntiSpoofCrops) -> &Vec<f32>| -> Tensor<4> {
            let data: Vec<f32> = faces.iter().flat_map(|f| pick(f).iter().copied()).collect();
            Tensor::from_data(TensorData::new(data, [n, 3, side, side]), device)
        };
        let softmaxes = self
            .model
            .forward_softmax(stack(|f| &f.v2), stack(|f| &f.v1se))?;
        let data = softmaxes
            .into_data_async()
            .await
            .map_err(|e| ModelError::Readback {
                model: "minifasnet",
                reason: format!("{e:?}"),
            })?;
        let values: Vec<f32> = data.try_to_vec().map_err(|e| ModelError::Readback {
            model: "minifasnet",
            reason: format!("{e:?}"),
        })?;
        if values.len() != n * 2 * CLASSES {
            return Err(ModelError::Readback {
                model: "minifasnet",
                reason: format!("{} values for {n} faces", values.len()),
            }
            .into());
        }
        values
            .chunks_exact(2 * CLASSES)
            .map(|face| {
                let mut v2 = [0f32; CLASSES];
                let mut v1se = [0f32; CLASSES];
                v2.copy_from_slice(&face[..CLASSES]);
                v1se.copy_from_slice(&face[CLASSES..]);
                Liveness::from_softmaxes(v2, v1se)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
