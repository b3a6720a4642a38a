//! Face embedding: the face aligned to dlib's 150×150 chip from the detector's 5 points, then dlib's
//! ResNet (128-D). Two faces are the same person when the L2 distance of their embeddings is below 0.6.

pub mod align;

use burn::prelude::*;
use burn::tensor::TensorData;
use faceproof_frame::Frame;
use faceproof_models::ModelError;
use faceproof_models::dlib_resnet::{EMBEDDING_SIZE, FaceEmbedder, INPUT_SIZE};

pub use align::{ChipTransform, MIN_EYE_DISTANCE, YUNET_CHIP_TEMPLATE, chip_rgb};
pub use faceproof_models::dlib_resnet::SAME_PERSON_THRESHOLD;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EmbedError {
    #[error("the face landmarks are unusable: {0}")]
    InvalidLandmarks(String),
    #[error("the face is too small: eyes {eye_distance} px apart, minimum {min}")]
    FaceTooSmall { eye_distance: f32, min: f32 },
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("the embedding network returned non-finite values")]
    NonFinite,
}

/// A 128-D face embedding.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding(pub Vec<f32>);

impl Embedding {
    pub fn distance(&self, other: &Embedding) -> f32 {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a - b).powi(2))
            .sum::<f32>()
            .sqrt()
    }

    pub fn same_person(&self, other: &Embedding) -> bool {
        self.distance(other) < SAME_PERSON_THRESHOLD
    }
}

pub struct EmbedStage {
    model: FaceEmbedder,
}

impl EmbedStage {
    pub fn new(model: FaceEmbedder) -> Self {
        Self { model }
    }

    /// Embedding of the face whose 5 detector points (right eye, left eye, nose tip, right and left mouth
    /// corner) are `landmarks`, in image pixels.
    pub async fn embed(
        &self,
        frame: &Frame,
        landmarks: &[[f32; 2]; 5],
    ) -> Result<Embedding, EmbedError> {
        let chip = chip_rgb(frame, &ChipTransform::from_landmarks(landmarks)?)?;
        Ok(self.embed_chips(&[chip]).await?.remove(0))
    }

    /// Embeddings of already aligned chips (150×150 RGB HWC u8 each), batched, one readback.
    pub async fn embed_chips(&self, chips: &[Vec<u8>]) -> Result<Vec<Embedding>, EmbedError> {
        let n = chips.len();
        if n == 0 {
            return Ok(Vec::new());
        }
        let plane = INPUT_SIZE * INPUT_SIZE;
        let mut planar = vec![0f32; n * 3 * plane];
        for (i, chip) in chips.iter().enumerate() {
            if chip.len() != 3 * plane {
                return Err(EmbedError::InvalidLandmarks(format!(
                    "chip {i} has {} bytes, expected {}",
                    chip.len(),
                    3 * plane
                )));
            }
            for (p, rgb) in chip.chunks_exact(3).enumerate() {
                for c in 0..3 {
                    planar[(i * 3 + c) * plane + p] = f32::from(rgb[c]);
                }
            }
        }
        let input = Tensor::<4>::from_data(
            TensorData::new(planar, [n, 3, INPUT_SIZE, INPUT_SIZE]),
            self.model.device(),
        );
        let output = self.model.forward(input)?;
        let data = output
            .into_data_async()
            .await
            .map_err(|e| ModelError::Readback {
                model: "dlib_resnet",
                reason: format!("{e:?}"),
            })?;
        let values: Vec<f32> = data.try_to_vec().map_err(|e| ModelError::Readback {
            model: "dlib_resnet",
            reason: format!("{e:?}"),
        })?;
        if values.len() != n * EMBEDDING_SIZE {
            return Err(ModelError::Readback {
                model: "dlib_resnet",
                reason: format!("{} values for {n} chips", values.len()),
            }
            .into());
        }
        if values.iter().any(|v| !v.is_finite()) {
            return Err(EmbedError::NonFinite);
        }
        Ok(values
            .chunks_exact(EMBEDDING_SIZE)
            .map(|e| Embedding(e.to_vec()))
            .collect())
    }
}

#[cfg(test)]
mod tests;
