//! Every network run once on a blank input of the shape a camera frame gives it, before the first frame
//! needs it. On a GPU backend the first run of a network compiles its kernels (and burn-fusion builds its
//! fused ones): seconds on a software adapter, and enough on a phone's GPU to stall the first frames. A
//! host that warms a GPU engine up in the background (while another backend serves the frames) moves to it
//! only once this has run.

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

impl Stages {
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
        let side = yunet::MAX_INPUT_SIZE as u32;
        let (width, height) = frame_size.unwrap_or((side, side));
        let letterbox = FaceDetector::letterbox(width, height);
        let shape = [letterbox.height as usize, letterbox.width as usize];
        self.detector.run_packed(vec![0.0; 3 * shape[0] * shape[1]], shape).await?;
        let detect_ms = lap();
        self.landmarks.raw_outputs(vec![0.0; 3 * facemesh::INPUT_SIZE * facemesh::INPUT_SIZE]).await?;
        self.landmarks.iris_raw_outputs(vec![0.0; 2 * 3 * iris::INPUT_SIZE * iris::INPUT_SIZE]).await?;
        let landmarks_ms = lap();
        let blank = vec![0.0; 3 * CROP_SIZE * CROP_SIZE];
        let rect = CropRect { left: 0, top: 0, right: CROP_SIZE as u32, bottom: CROP_SIZE as u32 };
        let crops = AntiSpoofCrops { v2: blank.clone(), v1se: blank, rect_v2: rect, rect_v1se: rect };
        self.antispoof.check_crops(&[crops]).await?;
        let antispoof_ms = lap();
        let embedding_ms = match self.embedding() {
            Ok(embed) => {
                embed.embed_chips(&[vec![0u8; 3 * dlib_resnet::INPUT_SIZE * dlib_resnet::INPUT_SIZE]]).await?;
                Some(lap())
            }
            Err(_) => None,
        };
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
