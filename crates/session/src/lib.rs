//! # faceproof-session: one camera frame in, one liveness step out
//!
//! The glue between the per-frame model stages and the liveness engine. For each [`Frame`] and capture
//! timestamp, [`FaceSession::process_frame`] runs
//!
//! 1. **detect** (YuNet) on the whole frame — or, on frames between detections, **track**: FaceMesh on the
//!    ROI the previous frame's mesh gives, as MediaPipe does ([`tracking`]; the detector runs at least every
//!    `detect_every`-th frame, on every embedding frame and whenever the mesh loses the face);
//! 2. **landmarks** (FaceMesh: head pose; then MediaPipe Iris on both eyes, one batched pass: per-eye
//!    openness from the lid contour) on the *largest* face (largest box width, the same rule the engine
//!    uses to pick its subject);
//! 3. **antispoof** (MiniFASNet live probability) on the largest face, every `antispoof_every`-th frame;
//! 4. **embed** (dlib 128-D) on the largest face, every `embed_every`-th frame;
//! 5. **brightness** (mean BT.601 luma of the face box) and **sharpness** (variance of the 4-neighbour
//!    Laplacian of the grey face box),
//!
//! fills a [`FrameObservation`] (every detection is listed in `faces`, so the engine can see a second face)
//! and pushes it into the [`LivenessSession`]. The frame is taken by value and dropped (its pixels are
//! zeroized by `Frame`'s `Drop`) before the call returns.
//!
//! ## Sign conventions (landmarks → liveness)
//! | quantity | `faceproof_landmarks::HeadPose` | `FrameObservation` | mapping |
//! |---|---|---|---|
//! | yaw | > 0: nose moves to the image's right | > 0: subject turns to their own left = nose to the image's right (un-mirrored) | `yaw_deg = pose.yaw` |
//! | pitch | > 0: face tilts up (nose up) | > 0: chin down (nose down) | `pitch_deg = -pose.pitch` |
//! | roll | > 0: clockwise on screen (eye line descends to the right) | > 0: towards the subject's left shoulder = clockwise on screen | `roll_deg = pose.roll` |
//! | eyes | `EyeOpenness { right, left }`, subject's own eyes | `left_eye_openness` = subject's own left | `left = eyes.left`, `right = eyes.right` |
//!
//! Frames must be the camera's **un-mirrored** image (what the sensor delivers). A host that feeds the
//! mirrored selfie preview would swap yaw/roll signs and the eyes.
//!
//! Faces other than the largest get no landmarks (cost): they carry pose 0 and eye openness 0 and the
//! engine only counts them (a second face ≥ 35 % of the largest's width pauses the session).

use std::sync::{Arc, OnceLock};

use burn::prelude::Device;
use faceproof_antispoof::{AntiSpoof, AntiSpoofError};
use faceproof_detect::{DetectError, Detection, DetectorConfig, FaceDetector};
use faceproof_embed::{EmbedError, EmbedStage};
use faceproof_frame::Frame;
use faceproof_landmarks::{FaceLandmarks, LandmarkError, LandmarkStage};
use faceproof_liveness::{
    Challenge, ChallengeError, Embedding, EmbeddingError, FaceObservation, FrameError,
    FrameFeedback, FrameObservation, LivenessConfig, LivenessSession, ReferenceEmbedding,
    SessionResult, SessionState,
};
use faceproof_models::{
    ModelError, WeightsSpec, dlib_resnet, facemesh, iris, minifasnet, yunet,
};
use zeroize::Zeroize;

pub mod analysis;
pub mod image_stats;
pub mod self_test;
pub mod tracking;
pub mod warm_up;

pub use analysis::{AnalysisTimings, AntiSpoofAnalysis, FaceAnalysis, PrimaryAnalysis};
pub use image_stats::{face_brightness, face_sharpness};
pub use self_test::{SELF_TEST_TOLERANCE, SelfTest};
pub use tracking::{FaceTracker, Located, LoopStep, TRACK_MIN_PRESENCE};
pub use warm_up::{WarmUp, WarmUpStage};

/// Why a frame (or a reference photo) could not be turned into an observation.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("loading a model failed: {0}")]
    Model(#[from] ModelError),
    #[error("face detection failed: {0}")]
    Detect(#[from] DetectError),
    #[error("landmarks failed on the largest face: {0}")]
    Landmarks(#[from] LandmarkError),
    #[error("anti-spoof failed: {0}")]
    AntiSpoof(#[from] AntiSpoofError),
    #[error("embedding failed: {0}")]
    Embed(#[from] EmbedError),
    #[error("the embedding is unusable: {0}")]
    Embedding(#[from] EmbeddingError),
    #[error("the challenge was refused: {0}")]
    Challenge(#[from] ChallengeError),
    #[error("the liveness engine refused the frame: {0}")]
    Frame(#[from] FrameError),
    #[error("no face found in the reference photo")]
    NoFaceInReference,
    #[error("the reference photo shows {count} faces of similar size: use a photo of the ID holder alone")]
    SeveralFacesInReference { count: usize },
    #[error("sampling periods must be at least 1 ({0:?})")]
    Sampling(Sampling),
    #[error("the embedding network is not loaded yet (Stages::load_embedding)")]
    EmbeddingNotLoaded,
    #[error("the embedding network is already loaded")]
    EmbeddingAlreadyLoaded,
    #[error("unknown warm-up stage {name:?}: expected one of {expected:?}")]
    UnknownWarmUpStage { name: String, expected: [&'static str; 4] },
}

/// The four networks, loaded once and shared by sessions (and by [`Stages::embed_reference_photo`]).
///
/// The embedding network (dlib's ResNet, 72 % of the weights' bytes) may arrive after the others
/// ([`Stages::load_liveness`] then [`Stages::load_embedding`]): the per-frame loop does not need it, so a
/// browser can start following the face before those 22 MB are fetched, hashed and built.
pub struct Stages {
    pub detector: FaceDetector,
    pub landmarks: LandmarkStage,
    pub antispoof: AntiSpoof,
    embed: OnceLock<EmbedStage>,
}

impl Stages {
    pub fn new(
        detector: FaceDetector,
        landmarks: LandmarkStage,
        antispoof: AntiSpoof,
        embed: EmbedStage,
    ) -> Self {
        let stages = Self::without_embedding(detector, landmarks, antispoof);
        let _ = stages.embed.set(embed);
        stages
    }

    /// The liveness networks alone; [`Stages::set_embedding`] adds the embedding network later.
    pub fn without_embedding(detector: FaceDetector, landmarks: LandmarkStage, antispoof: AntiSpoof) -> Self {
        Self { detector, landmarks, antispoof, embed: OnceLock::new() }
    }

    /// Loads every network onto `device`, asking `weights` for each file's bytes. Every model checks the
    /// bytes' sha256 against its pinned [`faceproof_models::WeightsSpec`] before use, so `weights` may be
    /// any source (files natively, `fetch` in a browser).
    pub fn load(
        device: &Device,
        mut weights: impl FnMut(&WeightsSpec) -> Result<Vec<u8>, ModelError>,
    ) -> Result<Self, SessionError> {
        let stages = Self::load_liveness(device, &mut weights)?;
        stages.load_embedding(device, weights(&dlib_resnet::WEIGHTS)?)?;
        Ok(stages)
    }

    /// The per-frame networks (detector, FaceMesh + Iris, MiniFASNet ×2) without the embedding network.
    pub fn load_liveness(
        device: &Device,
        mut weights: impl FnMut(&WeightsSpec) -> Result<Vec<u8>, ModelError>,
    ) -> Result<Self, SessionError> {
        let detector = FaceDetector::new(
            yunet::YuNet::load(weights(&yunet::WEIGHTS)?, device)?,
            DetectorConfig::default(),
        );
        let landmarks = LandmarkStage::new(
            facemesh::FaceMesh::load(weights(&facemesh::WEIGHTS)?, device)?,
            iris::Iris::load(weights(&iris::WEIGHTS)?, device)?,
        );
        let antispoof = AntiSpoof::new(minifasnet::MiniFasNet::load(
            weights(&minifasnet::WEIGHTS_V2)?,
            weights(&minifasnet::WEIGHTS_V1SE)?,
            device,
        )?);
        Ok(Self::without_embedding(detector, landmarks, antispoof))
    }

    /// Builds the embedding network from `dlib_resnet.bpk`'s bytes (sha256-checked) onto `device`.
    pub fn load_embedding(&self, device: &Device, bytes: Vec<u8>) -> Result<(), SessionError> {
        let stage = EmbedStage::new(dlib_resnet::FaceEmbedder::load(bytes, device)?);
        self.set_embedding(stage)
    }

    /// Adds the embedding network; refused when one is already there (sessions may be using it).
    pub fn set_embedding(&self, stage: EmbedStage) -> Result<(), SessionError> {
        self.embed.set(stage).map_err(|_| SessionError::EmbeddingAlreadyLoaded)
    }

    /// The embedding network, or [`SessionError::EmbeddingNotLoaded`] while it is still on its way.
    pub fn embedding(&self) -> Result<&EmbedStage, SessionError> {
        self.embed.get().ok_or(SessionError::EmbeddingNotLoaded)
    }

    pub fn has_embedding(&self) -> bool {
        self.embed.get().is_some()
    }

    /// [`Stages::load`] from the native weight files (`models/build/*.bpk`, see
    /// [`faceproof_models::native_weights_dir`]).
    #[cfg(not(target_family = "wasm"))]
    pub fn load_native(device: &Device) -> Result<Self, SessionError> {
        Self::load(device, faceproof_models::read_native_weights)
    }

    /// Embedding of the largest face of a still photo (an ID or profile picture), for
    /// [`FaceSession::finish`]'s reference. The photo is only borrowed: the caller drops it.
    pub async fn embed_reference_photo(&self, photo: &Frame) -> Result<Embedding, SessionError> {
        let embed = self.embedding()?;
        let detections = self.detector.detect(photo).await?;
        let largest = largest_face(&detections).ok_or(SessionError::NoFaceInReference)?;
        // An ID document may carry a small "ghost" copy of the portrait; a second face of comparable size
        // means the photo is not of one person and the match would be ambiguous.
        let comparable = detections
            .iter()
            .filter(|d| d.bbox[2] >= REFERENCE_SECOND_FACE_RATIO * largest.bbox[2])
            .count();
        if comparable > 1 {
            return Err(SessionError::SeveralFacesInReference { count: comparable });
        }
        let embedding = embed.embed(photo, &largest.landmarks).await?;
        // from_vec zeroizes the stage's vector once it is copied into the boxed engine type.
        Ok(Embedding::from_vec(embedding.0)?)
    }
}

/// A second face at least this fraction of the largest face's width makes a reference photo ambiguous.
pub const REFERENCE_SECOND_FACE_RATIO: f32 = 0.5;

/// How often the expensive stages run (1 = every frame). Counted over all processed frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sampling {
    pub antispoof_every: u32,
    pub embed_every: u32,
    /// The detector runs at least every `detect_every`-th frame (and on every embedding frame, and whenever
    /// the track is lost); in between, FaceMesh follows the face from the previous frame's landmarks.
    /// 1 = detect on every frame.
    pub detect_every: u32,
}

impl Default for Sampling {
    /// The engine's documented rates: live score every 5th frame, embedding every 3rd, the detector at
    /// least every 3rd (so at most every embedding frame: 1 frame in 3 while the face is tracked).
    fn default() -> Self {
        Self {
            antispoof_every: 5,
            embed_every: 3,
            detect_every: 3,
        }
    }
}

impl Sampling {
    /// Every stage on every frame (no tracking): the reference behaviour, for comparisons.
    pub const EVERY_FRAME: Sampling = Sampling { antispoof_every: 1, embed_every: 1, detect_every: 1 };
}

/// Wall-clock time of each stage on one frame, ms, from the session's [`Clock`] (`None` for a stage that did
/// not run, and everywhere when there is no clock).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct StageTimings {
    pub detect_ms: Option<f64>,
    pub landmarks_ms: Option<f64>,
    pub antispoof_ms: Option<f64>,
    pub embed_ms: Option<f64>,
    /// Brightness + sharpness.
    pub image_stats_ms: Option<f64>,
    pub total_ms: Option<f64>,
    /// The detector was skipped: FaceMesh followed the face from the previous frame.
    pub tracked: bool,
}

/// What one frame produced, for the host's UI and for diagnostics. Holds no pixels and no embedding.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FrameReport {
    pub feedback: FrameFeedback,
    pub measurement: Measurement,
}

/// What the stages measured on one frame (engine conventions).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Measurement {
    pub face_count: usize,
    /// What was measured on the largest face (`None` when no face was found).
    pub primary: Option<PrimaryFace>,
    pub brightness: f32,
    pub sharpness: f32,
    pub live_score: Option<f32>,
    pub embedded: bool,
    pub timings: StageTimings,
}

/// The engine-convention measurements of the largest face.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PrimaryFace {
    pub bbox: [f32; 4],
    pub detector_score: f32,
    pub yaw_deg: f32,
    pub pitch_deg: f32,
    pub roll_deg: f32,
    pub left_eye_openness: f32,
    pub right_eye_openness: f32,
}

/// One liveness session driven by camera frames.
pub struct FaceSession {
    stages: Arc<Stages>,
    engine: LivenessSession,
    sampling: Sampling,
    frames_seen: u64,
    tracker: FaceTracker,
    clock: Clock,
}

impl FaceSession {
    /// Starts a session for `challenge` (refused when expired at `now_unix_ms`, when a sampling period is 0 or
    /// while the embedding network is not loaded).
    pub fn new(
        stages: Arc<Stages>,
        challenge: Challenge,
        config: LivenessConfig,
        sampling: Sampling,
        now_unix_ms: i64,
    ) -> Result<Self, SessionError> {
        if sampling.antispoof_every == 0 || sampling.embed_every == 0 || sampling.detect_every == 0 {
            return Err(SessionError::Sampling(sampling));
        }
        // Every embed_every-th frame needs it: refuse now rather than fail mid-session.
        stages.embedding()?;
        let engine = LivenessSession::new(challenge, config, now_unix_ms)?;
        Ok(Self {
            stages,
            engine,
            sampling,
            frames_seen: 0,
            tracker: FaceTracker::new(),
            clock: Clock::default(),
        })
    }

    /// Stage timings from the host's clock (in a browser, `performance.now()`).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Runs the following frames on `stages` (e.g. the CPU's, after the GPU was lost). The liveness state
    /// is kept; the face is re-detected on the next frame.
    pub fn replace_stages(&mut self, stages: Arc<Stages>) {
        self.stages = stages;
        self.tracker = FaceTracker::new();
    }

    pub fn state(&self) -> &SessionState {
        self.engine.state()
    }

    pub fn stages(&self) -> &Stages {
        &self.stages
    }

    /// Runs the stages on `frame` (captured at `timestamp_ms`, monotonic), pushes the observation into the
    /// engine and returns its feedback. The frame is consumed and zeroized before this returns, also on error.
    ///
    /// A model error on this frame is returned and nothing is pushed (the engine never sees a half-measured
    /// face); the engine's own refusals come back as [`SessionError::Frame`].
    pub async fn process_frame(
        &mut self,
        frame: Frame,
        timestamp_ms: f64,
    ) -> Result<FrameReport, SessionError> {
        let observed = self.observe(&frame, timestamp_ms).await;
        // Pixels are not needed past this point: drop (= zeroize) them before the engine runs.
        drop(frame);
        let (observation, measurement) = observed?;
        let feedback = self.engine.push_frame(observation)?;
        Ok(FrameReport {
            feedback,
            measurement,
        })
    }

    /// Embedding of the largest face in a reference photo (see [`Stages::embed_reference_photo`]).
    pub async fn embed_reference_photo(&self, photo: &Frame) -> Result<Embedding, SessionError> {
        self.stages.embed_reference_photo(photo).await
    }

    /// Ends the session and compares its fused probe with `reference`. Drops every retained embedding.
    pub fn finish(&mut self, reference: &ReferenceEmbedding) -> SessionResult {
        self.engine.finish(reference)
    }

    /// Embeddings the engine still holds (0 after [`FaceSession::finish`]).
    pub fn retained_embedding_count(&self) -> usize {
        self.engine.retained_embedding_count()
    }

    async fn observe(
        &mut self,
        frame: &Frame,
        timestamp_ms: f64,
    ) -> Result<(FrameObservation, Measurement), SessionError> {
        let index = self.frames_seen;
        self.frames_seen += 1;
        let clock = self.clock;
        let total = clock.now();
        let embed_now = index.is_multiple_of(u64::from(self.sampling.embed_every));
        // The embedding aligns on the detector's own five points: its frames always run the detector.
        let detect_now = embed_now || index.is_multiple_of(u64::from(self.sampling.detect_every));
        let antispoof_now = index.is_multiple_of(u64::from(self.sampling.antispoof_every));
        let step = self.tracker.step(&self.stages, frame, detect_now, antispoof_now, clock).await?;
        let located = step.located;
        let mut timings = StageTimings {
            detect_ms: located.detect_ms,
            landmarks_ms: located.landmarks_ms,
            antispoof_ms: step.antispoof_ms,
            tracked: located.tracked,
            ..StageTimings::default()
        };
        let mut faces: Vec<FaceObservation> = located.detections.iter().map(unmeasured_face).collect();
        let primary = located.primary.and_then(|(i, landmarks)| Some((located.detections.get(i)?, faces.get_mut(i)?, landmarks)));

        let start = clock.now();
        let (brightness, sharpness) = match &primary {
            Some((detection, _, _)) => (
                face_brightness(frame, detection.bbox),
                face_sharpness(frame, detection.bbox),
            ),
            // No face: brightness of the whole frame (so "more light" can still be told); sharpness is moot.
            None => (
                face_brightness(
                    frame,
                    [0.0, 0.0, frame.width() as f32, frame.height() as f32],
                ),
                0.0,
            ),
        };
        timings.image_stats_ms = clock.since(start);

        let mut report_primary = None;
        let mut embedded = false;
        if let Some((detection, face, landmarks)) = primary {
            apply_landmarks(face, &landmarks);
            face.live_score = step.live_probability;
            if embed_now && !located.tracked {
                let start = clock.now();
                if let Some(mut embedding) =
                    optional_embed(self.stages.embedding()?.embed(frame, &detection.landmarks).await)?
                {
                    let values = std::mem::take(&mut embedding.0);
                    face.embedding = Some(Embedding::from_vec(values)?);
                    embedding.0.zeroize();
                    embedded = true;
                }
                timings.embed_ms = clock.since(start);
            }
            report_primary = Some(PrimaryFace {
                bbox: face.bbox,
                detector_score: face.detector_score,
                yaw_deg: face.yaw_deg,
                pitch_deg: face.pitch_deg,
                roll_deg: face.roll_deg,
                left_eye_openness: face.left_eye_openness,
                right_eye_openness: face.right_eye_openness,
            });
        }
        timings.total_ms = clock.since(total);

        let observation = FrameObservation {
            timestamp_ms,
            frame_width: frame.width(),
            frame_height: frame.height(),
            brightness,
            sharpness,
            faces: std::mem::take(&mut faces),
        };
        let measurement = Measurement {
            face_count: observation.faces.len(),
            primary: report_primary,
            brightness,
            sharpness,
            live_score: step.live_probability,
            embedded,
            timings,
        };
        Ok((observation, measurement))
    }
}

/// The face the engine will pick: the widest (ties: the last, as `Iterator::max_by` does in the engine).
fn largest_face_index(detections: &[Detection]) -> Option<usize> {
    detections
        .iter()
        .enumerate()
        .max_by(|(_, a), (_, b)| a.bbox[2].total_cmp(&b.bbox[2]))
        .map(|(i, _)| i)
}

fn largest_face(detections: &[Detection]) -> Option<&Detection> {
    largest_face_index(detections).and_then(|i| detections.get(i))
}

/// A detection without landmarks: the engine only counts such faces.
fn unmeasured_face(detection: &Detection) -> FaceObservation {
    FaceObservation {
        bbox: detection.bbox,
        detector_score: detection.score.clamp(0.0, 1.0),
        yaw_deg: 0.0,
        pitch_deg: 0.0,
        roll_deg: 0.0,
        left_eye_openness: 0.0,
        right_eye_openness: 0.0,
        live_score: None,
        embedding: None,
    }
}

/// Landmark-stage conventions → engine conventions (see the crate docs' table).
fn apply_landmarks(face: &mut FaceObservation, landmarks: &FaceLandmarks) {
    face.yaw_deg = landmarks.pose.yaw;
    // landmarks: pitch > 0 = face tilts up; engine: pitch > 0 = chin down.
    face.pitch_deg = -landmarks.pose.pitch;
    face.roll_deg = landmarks.pose.roll;
    face.left_eye_openness = landmarks.eyes.left;
    face.right_eye_openness = landmarks.eyes.right;
}

/// A face too small or too close to the border for the anti-spoof crops is "not sampled", not a failure.
fn optional<T>(result: Result<T, AntiSpoofError>) -> Result<Option<T>, SessionError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(AntiSpoofError::FaceTooSmall { .. } | AntiSpoofError::InvalidBox(_)) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Same for the embedding: eyes too close together for dlib's chip means "not sampled".
fn optional_embed<T>(result: Result<T, EmbedError>) -> Result<Option<T>, SessionError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(EmbedError::FaceTooSmall { .. } | EmbedError::InvalidLandmarks(_)) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// The host's monotonic clock in ms for stage timings: `Instant` natively; on wasm32 (where `Instant::now`
/// panics) none unless the host supplies one (`performance.now()`), and timings stay `None`.
#[derive(Debug, Clone, Copy)]
pub struct Clock(Option<fn() -> f64>);

impl Clock {
    /// No timings.
    pub const NONE: Clock = Clock(None);

    /// The host's clock.
    pub fn host(now_ms: fn() -> f64) -> Self {
        Self(Some(now_ms))
    }

    pub fn now(&self) -> Option<f64> {
        self.0.map(|now| now())
    }

    /// Ms since `start` (a [`Clock::now`] reading).
    pub fn since(&self, start: Option<f64>) -> Option<f64> {
        Some(self.now()? - start?)
    }
}

impl Default for Clock {
    fn default() -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        {
            fn instant_ms() -> f64 {
                static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
                ORIGIN.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
            }
            Self::host(instant_ms)
        }
        #[cfg(target_arch = "wasm32")]
        {
            Self::NONE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detection(width: f32) -> Detection {
        Detection {
            bbox: [0.0, 0.0, width, width],
            score: 0.9,
            landmarks: [[0.0; 2]; 5],
        }
    }

    #[test]
    fn largest_face_is_the_widest() {
        assert_eq!(largest_face_index(&[]), None);
        assert_eq!(
            largest_face_index(&[detection(50.0), detection(120.0), detection(80.0)]),
            Some(1)
        );
    }
}
