//! Every network run once on a blank input of the shape a camera frame gives it, before the first frame
//! needs it. On a GPU backend the first run of a network compiles its kernels (and burn-fusion builds its
//! fused ones): seconds on a software adapter, and enough on a phone's GPU to stall the first frames. A
//! host that warms a GPU engine up in the background (while another backend serves the frames) moves to it
//! only once this has run. On the CPU in a browser the first run is where V8 compiles each wasm function it
//! calls and starts optimising the hot ones: a host runs the stages one by one ([`Stages::warm_up_stage`])
//! while it is idle after start-up (a page is usually opening its camera), stopping when frames come.

use faceproof_antispoof::{AntiSpoofCrops, CROP_SIZE, CropRect};
use faceproof_detect::FaceDetector;
use faceproof_models::{dlib_resnet, facemesh, iris, yunet};

use crate::{SessionError, Stages};

/// How long each network's first run took, in ms (`embedding_ms` is `None` when the embedding network is not
/// loaded yet).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct WarmUp {
    pub detect_ms: f64,
    pub landmarks_ms: f64,
    pub antispoof_ms: f64,
    pub embedding_ms: Option<f64>,
}

/// One network (or pair of them) of [`Stages::warm_up`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarmUpStage {
    Detect,
    Landmarks,
    AntiSpoof,
    Embedding,
}

impl WarmUpStage {
    /// In the order frames run them.
    pub const ALL: [WarmUpStage; 4] = [Self::Detect, Self::Landmarks, Self::AntiSpoof, Self::Embedding];

    pub fn name(self) -> &'static str {
        match self {
            Self::Detect => "detect",
            Self::Landmarks => "landmarks",
            Self::AntiSpoof => "antispoof",
            Self::Embedding => "embedding",
        }
    }

    /// The stage called `name` ([`WarmUpStage::name`]), or a typed error naming the valid ones.
    pub fn from_name(name: &str) -> Result<Self, SessionError> {
        Self::ALL.into_iter().find(|stage| stage.name() == name).ok_or_else(|| SessionError::UnknownWarmUpStage {
            name: name.to_owned(),
            expected: Self::ALL.map(Self::name),
        })
    }
}

impl Stages {
    /// Runs one stage of [`Stages::warm_up`] on zeros. Returns false (and runs nothing) for the embedding
    /// network when it is not loaded.
    pub async fn warm_up_stage(
        &self,
        stage: WarmUpStage,
        frame_size: Option<(u32, u32)>,
    ) -> Result<bool, SessionError> {
        match stage {
            WarmUpStage::Detect => {
                let side = yunet::MAX_INPUT_SIZE as u32;
                let (width, height) = frame_size.unwrap_or((side, side));
                let letterbox = FaceDetector::letterbox(width, height);
                let shape = [letterbox.height as usize, letterbox.width as usize];
                self.detector.run_packed(vec![0.0; 3 * shape[0] * shape[1]], shape).await?;
            }
            WarmUpStage::Landmarks => {
                self.landmarks.raw_outputs(vec![0.0; 3 * facemesh::INPUT_SIZE * facemesh::INPUT_SIZE]).await?;
                self.landmarks.iris_raw_outputs(vec![0.0; 2 * 3 * iris::INPUT_SIZE * iris::INPUT_SIZE]).await?;
            }
            WarmUpStage::AntiSpoof => {
                let blank = vec![0.0; 3 * CROP_SIZE * CROP_SIZE];
                let rect = CropRect { left: 0, top: 0, right: CROP_SIZE as u32, bottom: CROP_SIZE as u32 };
                let crops = AntiSpoofCrops { v2: blank.clone(), v1se: blank, rect_v2: rect, rect_v1se: rect };
                self.antispoof.check_crops(&[crops]).await?;
            }
            WarmUpStage::Embedding => match self.embedding() {
                Ok(embed) => {
                    embed.embed_chips(&[vec![0u8; 3 * dlib_resnet::INPUT_SIZE * dlib_resnet::INPUT_SIZE]]).await?;
                }
                Err(_) => return Ok(false),
            },
        }
        Ok(true)
    }

    /// Runs the detector (one letterbox of a `frame_size` frame, 640² when the size is not known yet),
    /// FaceMesh (one 192² crop), Iris (both eyes in one batch), the anti-spoof pair (one face) and, when
    /// loaded, the embedding network (one chip) on zeros: the batch sizes and shapes of a frame with one face,
    /// so that the kernels they compile are the ones frames use.
    /// `now_ms` is the host's monotonic clock.
    pub async fn warm_up(&self, now_ms: fn() -> f64, frame_size: Option<(u32, u32)>) -> Result<WarmUp, SessionError> {
        let mut mark = now_ms();
        let mut lap = || {
            let now = now_ms();
            let ms = now - mark;
            mark = now;
            ms
        };
        self.warm_up_stage(WarmUpStage::Detect, frame_size).await?;
        let detect_ms = lap();
        self.warm_up_stage(WarmUpStage::Landmarks, frame_size).await?;
        let landmarks_ms = lap();
        self.warm_up_stage(WarmUpStage::AntiSpoof, frame_size).await?;
        let antispoof_ms = lap();
        let embedding_ms = self.warm_up_stage(WarmUpStage::Embedding, frame_size).await?.then(lap);
        Ok(WarmUp { detect_ms, landmarks_ms, antispoof_ms, embedding_ms })
    }
}

#[cfg(all(test, feature = "flex"))]
mod tests {
    use burn::prelude::Device;

    use crate::Stages;

    fn now_ms() -> f64 {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
    }

    #[test]
    fn stages_run_one_by_one_and_unknown_names_are_typed_errors() {
        use crate::{SessionError, WarmUpStage};
        let stages = Stages::load_native(&Device::flex()).expect("run ./x models");
        for stage in WarmUpStage::ALL {
            assert_eq!(WarmUpStage::from_name(stage.name()).unwrap(), stage);
            assert!(pollster::block_on(stages.warm_up_stage(stage, Some((640, 480)))).unwrap(), "{stage:?}");
        }
        let without = Stages::load_liveness(&Device::flex(), faceproof_models::read_native_weights).unwrap();
        let ran = pollster::block_on(without.warm_up_stage(WarmUpStage::Embedding, None)).unwrap();
        assert!(!ran, "no embedding network loaded: nothing to run");
        let err = WarmUpStage::from_name("detector").unwrap_err();
        assert!(matches!(err, SessionError::UnknownWarmUpStage { .. }), "{err}");
        assert!(err.to_string().contains("\"detect\""), "the message names the valid stages: {err}");
    }

    #[test]
    fn every_network_runs_once_and_reports_its_time() {
        let stages = Stages::load_native(&Device::flex()).expect("run ./x models");
        // A 4:3 camera frame's size (the detector warms on 480×640), then an unknown size (640²).
        for frame_size in [Some((1280, 960)), None] {
            let warm = pollster::block_on(stages.warm_up(now_ms, frame_size)).expect("warm-up");
            assert!(warm.detect_ms >= 0.0 && warm.landmarks_ms >= 0.0 && warm.antispoof_ms >= 0.0);
            assert!(warm.embedding_ms.is_some(), "load_native loads the embedding network, so it is warmed too");
        }
    }
}
