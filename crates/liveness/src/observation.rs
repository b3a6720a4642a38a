//! What the per-frame model stages tell the engine about one camera frame.
//!
//! # Conventions (binding for every producer)
//! * Coordinates are pixels of the camera's **un-mirrored** frame (what the sensor delivers, not the selfie
//!   preview), origin top-left, x right, y down. `bbox` is `[x, y, width, height]`.
//! * `yaw_deg > 0`: the subject turns their head to **their own left** (in the un-mirrored image the nose moves
//!   towards the image's right).
//! * `pitch_deg > 0`: **chin down** (nodding down; the nose moves down in the image).
//! * `roll_deg > 0`: the head tilts towards the **subject's left shoulder** (on screen: clockwise, the eye
//!   line descends towards the image's right).
//! * Eye openness is the eye aspect ratio (EAR: lid distance over eye width), roughly 0.25–0.35 open and below
//!   0.15 closed. `left_eye_openness` is the **subject's own left eye** (on the image's right).
//! * `timestamp_ms` is a monotonic capture time in milliseconds (e.g. `VideoFrame.timestamp / 1000` or
//!   `performance.now()` at capture); only differences matter, it must strictly increase.
//!
//! `live_score` and `embedding` are expensive, so the host samples them (e.g. every 3rd–5th frame); `None` means
//! "not computed on this frame", never "failed".

use serde::Deserialize;
use zeroize::Zeroize;

/// Dimension of a dlib ResNet face embedding.
pub const EMBEDDING_DIM: usize = 128;

/// A 128-D face embedding (dlib ResNet, unnormalised; same person when L2 < 0.6).
///
/// Biometric data: boxed so moves do not leave copies behind, zeroized on drop, never printed by `Debug`,
/// not `Serialize` (so it cannot leak into a result or a log by accident), and not `Clone`.
pub struct Embedding {
    values: Box<[f32; EMBEDDING_DIM]>,
}

/// Why a vector is not a usable embedding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmbeddingError {
    #[error("embedding must have {EMBEDDING_DIM} values, got {0}")]
    WrongDimension(usize),
    #[error("embedding holds a non-finite value")]
    NonFinite,
}

impl Embedding {
    /// Copies `values` (which the caller should zeroize afterwards if it owns them).
    pub fn from_slice(values: &[f32]) -> Result<Self, EmbeddingError> {
        if values.len() != EMBEDDING_DIM {
            return Err(EmbeddingError::WrongDimension(values.len()));
        }
        if !values.iter().all(|v| v.is_finite()) {
            return Err(EmbeddingError::NonFinite);
        }
        let mut boxed = Box::new([0.0f32; EMBEDDING_DIM]);
        boxed.copy_from_slice(values);
        Ok(Embedding { values: boxed })
    }

    /// Wraps a boxed array; non-finite values are replaced by 0 (callers that need to reject them use
    /// `from_slice`).
    pub fn from_boxed_array(mut values: Box<[f32; EMBEDDING_DIM]>) -> Self {
        for value in values.iter_mut().filter(|v| !v.is_finite()) {
            *value = 0.0;
        }
        Embedding { values }
    }

    /// Takes ownership of `values` and zeroizes the vector it came in.
    pub fn from_vec(mut values: Vec<f32>) -> Result<Self, EmbeddingError> {
        let result = Self::from_slice(&values);
        values.zeroize();
        result
    }

    pub fn values(&self) -> &[f32; EMBEDDING_DIM] {
        &self.values
    }

    /// Euclidean distance (dlib's metric).
    pub fn l2_distance(&self, other: &Embedding) -> f32 {
        l2_distance(self.values.as_slice(), other.values.as_slice())
    }

    /// Mean of several embeddings (the fused probe); `None` for an empty list.
    pub fn mean(embeddings: &[&Embedding]) -> Option<Embedding> {
        if embeddings.is_empty() {
            return None;
        }
        let mut sum = EmbeddingSum::default();
        for embedding in embeddings {
            sum.add(embedding);
        }
        sum.mean()
    }
}

impl Drop for Embedding {
    fn drop(&mut self) {
        self.values.as_mut_slice().zeroize();
    }
}

impl std::fmt::Debug for Embedding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print values: Debug output ends up in logs and panic messages.
        write!(f, "Embedding({EMBEDDING_DIM}-D, redacted)")
    }
}

impl<'de> Deserialize<'de> for Embedding {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let values = Vec::<f32>::deserialize(deserializer)?;
        Embedding::from_vec(values).map_err(serde::de::Error::custom)
    }
}

pub(crate) fn l2_distance(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f32>().sqrt()
}

/// Running sum of embeddings (the session's continuity reference); zeroized on drop and on `clear`.
#[derive(Default)]
pub(crate) struct EmbeddingSum {
    sum: Option<Box<[f64; EMBEDDING_DIM]>>,
    count: u32,
}

impl EmbeddingSum {
    pub(crate) fn add(&mut self, embedding: &Embedding) {
        let sum = self.sum.get_or_insert_with(|| Box::new([0.0; EMBEDDING_DIM]));
        for (acc, v) in sum.iter_mut().zip(embedding.values.iter()) {
            *acc += f64::from(*v);
        }
        self.count += 1;
    }

    pub(crate) fn count(&self) -> u32 {
        self.count
    }

    pub(crate) fn mean(&self) -> Option<Embedding> {
        let sum = self.sum.as_ref()?;
        if self.count == 0 {
            return None;
        }
        let mut mean = Box::new([0.0f32; EMBEDDING_DIM]);
        for (m, s) in mean.iter_mut().zip(sum.iter()) {
            *m = (*s / f64::from(self.count)) as f32;
        }
        Some(Embedding { values: mean })
    }

    /// L2 distance of `embedding` to the running mean, without materialising the mean.
    pub(crate) fn distance_to_mean(&self, embedding: &Embedding) -> Option<f32> {
        let sum = self.sum.as_ref()?;
        if self.count == 0 {
            return None;
        }
        let n = f64::from(self.count);
        let squared: f64 = sum.iter().zip(embedding.values.iter()).map(|(s, v)| (s / n - f64::from(*v)).powi(2)).sum();
        Some(squared.sqrt() as f32)
    }

    pub(crate) fn clear(&mut self) {
        if let Some(sum) = self.sum.as_mut() {
            sum.as_mut_slice().zeroize();
        }
        self.sum = None;
        self.count = 0;
    }
}

impl Drop for EmbeddingSum {
    fn drop(&mut self) {
        self.clear();
    }
}

/// One detected face and what the model stages measured on it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaceObservation {
    /// `[x, y, width, height]` in frame pixels (detector box).
    pub bbox: [f32; 4],
    /// Detector confidence in [0, 1].
    pub detector_score: f32,
    /// Head pose in degrees; see the module docs for the signs.
    pub yaw_deg: f32,
    pub pitch_deg: f32,
    pub roll_deg: f32,
    /// Eye aspect ratio of the subject's own left / right eye.
    pub left_eye_openness: f32,
    pub right_eye_openness: f32,
    /// MiniFASNet live probability in [0, 1] (sampled frames only).
    #[serde(default)]
    pub live_score: Option<f32>,
    /// dlib 128-D embedding of the aligned face chip (sampled frames only).
    #[serde(default)]
    pub embedding: Option<Embedding>,
}

/// Everything the engine learns about one frame. The pixels themselves never reach the engine.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameObservation {
    /// Monotonic capture time, ms.
    pub timestamp_ms: f64,
    pub frame_width: u32,
    pub frame_height: u32,
    /// Mean luma (BT.601) of the frame or face region, 0..255.
    pub brightness: f32,
    /// Variance of the Laplacian of the grey face crop (higher = sharper).
    pub sharpness: f32,
    /// All faces the detector kept after NMS, any order.
    pub faces: Vec<FaceObservation>,
}

/// A field that is out of its documented range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("observation field `{0}` is non-finite or out of range")]
pub struct InvalidField(pub &'static str);

impl FaceObservation {
    pub(crate) fn validate(&self) -> Result<(), InvalidField> {
        let [x, y, w, h] = self.bbox;
        if !(x.is_finite() && y.is_finite() && w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
            return Err(InvalidField("bbox"));
        }
        if !(0.0..=1.0).contains(&self.detector_score) {
            return Err(InvalidField("detector_score"));
        }
        for (name, angle) in [("yaw_deg", self.yaw_deg), ("pitch_deg", self.pitch_deg), ("roll_deg", self.roll_deg)] {
            if !(-180.0..=180.0).contains(&angle) {
                return Err(InvalidField(name));
            }
        }
        for (name, ear) in [("left_eye_openness", self.left_eye_openness), ("right_eye_openness", self.right_eye_openness)] {
            if !(0.0..=2.0).contains(&ear) {
                return Err(InvalidField(name));
            }
        }
        if let Some(score) = self.live_score
            && !(0.0..=1.0).contains(&score) {
                return Err(InvalidField("live_score"));
            }
        Ok(())
    }

    pub(crate) fn centre(&self) -> [f32; 2] {
        [self.bbox[0] + self.bbox[2] / 2.0, self.bbox[1] + self.bbox[3] / 2.0]
    }
}

impl FrameObservation {
    pub(crate) fn validate(&self) -> Result<(), InvalidField> {
        if !self.timestamp_ms.is_finite() {
            return Err(InvalidField("timestamp_ms"));
        }
        if self.frame_width == 0 {
            return Err(InvalidField("frame_width"));
        }
        if self.frame_height == 0 {
            return Err(InvalidField("frame_height"));
        }
        if !(0.0..=255.0).contains(&self.brightness) {
            return Err(InvalidField("brightness"));
        }
        if !(self.sharpness.is_finite() && self.sharpness >= 0.0) {
            return Err(InvalidField("sharpness"));
        }
        self.faces.iter().try_for_each(FaceObservation::validate)
    }
}
