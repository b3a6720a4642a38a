//! One still image through every stage, with each stage's output in full: the detector's faces, then the
//! mesh, the anti-spoof softmaxes and the embedding of the largest face. For parity checks between
//! backends (native flex/wgpu vs the browser's WebGPU and flex-in-wasm) and for per-model latency; the
//! liveness flow itself never hands an embedding to its host ([`crate::FaceSession`] keeps them inside the
//! engine).

use faceproof_antispoof::FaceBox;
use faceproof_detect::Detection;
use faceproof_frame::Frame;
use faceproof_models::minifasnet::CLASSES;
use serde::Serialize;

use crate::{SessionError, Stages, largest_face, optional, optional_embed};

/// Everything the stages compute on one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaceAnalysis {
    pub width: u32,
    pub height: u32,
    pub faces: Vec<Detection>,
    /// The largest face (`None` when no face was found).
    pub primary: Option<PrimaryAnalysis>,
    /// Wall-clock ms per stage, from the host's clock.
    pub timings_ms: AnalysisTimings,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrimaryAnalysis {
    pub bbox: [f32; 4],
    /// 468 mesh points, image pixels (x, y, z).
    pub mesh: Vec<[f32; 3]>,
    pub mesh_presence: f32,
    /// Landmark-stage conventions (see the crate docs' table): yaw, pitch, roll in degrees.
    pub pose: [f32; 3],
    /// Eye openness of the subject's own right and left eye.
    pub eye_openness: [f32; 2],
    /// The two networks' softmaxes and the ensemble's live probability; `None` when the face is too small
    /// or too close to the border for the upstream crops.
    pub antispoof: Option<AntiSpoofAnalysis>,
    /// 128-D dlib embedding; `None` when the eyes are too close together for the chip.
    pub embedding: Option<Vec<f32>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AntiSpoofAnalysis {
    pub live_probability: f32,
    /// Softmax over the three classes; class 1 is live, 0 and 2 are upstream's two spoof classes.
    pub softmax_v2: [f32; CLASSES],
    pub softmax_v1se: [f32; CLASSES],
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AnalysisTimings {
    pub detect: f64,
    pub landmarks: f64,
    pub antispoof: f64,
    pub embed: f64,
}

impl Stages {
    /// Runs every stage on `frame` (borrowed; the caller drops it). `clock_ms` is the host's monotonic clock
    /// in ms (`Instant` natively, `performance.now()` in a browser, where `Instant` does not exist).
    pub async fn analyze(
        &self,
        frame: &Frame,
        clock_ms: impl Fn() -> f64,
    ) -> Result<FaceAnalysis, SessionError> {
        let mut timings_ms = AnalysisTimings::default();
        let start = clock_ms();
        let faces = self.detector.detect(frame).await?;
        timings_ms.detect = clock_ms() - start;
        let primary = match largest_face(&faces) {
            None => None,
            Some(face) => {
                let [right_eye, left_eye, ..] = face.landmarks;
                let start = clock_ms();
                let mesh = self.landmarks.run(frame, face.bbox, right_eye, left_eye).await?;
                timings_ms.landmarks = clock_ms() - start;

                let start = clock_ms();
                let antispoof = optional(self.antispoof.check(frame, &FaceBox::from_xywh(face.bbox)).await)?
                    .map(|liveness| AntiSpoofAnalysis {
                        live_probability: liveness.live_probability,
                        softmax_v2: liveness.softmax_v2,
                        softmax_v1se: liveness.softmax_v1se,
                    });
                timings_ms.antispoof = clock_ms() - start;

                let start = clock_ms();
                let embedding =
                    optional_embed(self.embedding()?.embed(frame, &face.landmarks).await)?.map(|e| e.0);
                timings_ms.embed = clock_ms() - start;

                Some(PrimaryAnalysis {
                    bbox: face.bbox,
                    mesh_presence: mesh.presence,
                    pose: [mesh.pose.yaw, mesh.pose.pitch, mesh.pose.roll],
                    eye_openness: [mesh.eyes.right, mesh.eyes.left],
                    mesh: mesh.points,
                    antispoof,
                    embedding,
                })
            }
        };
        Ok(FaceAnalysis { width: frame.width(), height: frame.height(), faces, primary, timings_ms })
    }
}
