//! Skipping detection on frames the previous landmarks can follow, as MediaPipe's face mesh does: FaceMesh
//! runs on the ROI the previous frame's mesh gives ([`Roi::from_mesh`]), and YuNet runs only when the track
//! is lost, on the first frame, or when a stage needs the detector's own five points (the embedding's
//! alignment, every `detect_every`-th frame).

use faceproof_antispoof::FaceBox;
use faceproof_detect::Detection;
use faceproof_frame::Frame;
use faceproof_landmarks::{FaceLandmarks, LandmarkError, Roi};

use crate::{Clock, SessionError, Stages, largest_face_index, optional};

/// Below this FaceMesh presence the tracked ROI no longer holds the face and the detector runs
/// (MediaPipe's `min_tracking_confidence` default).
pub const TRACK_MIN_PRESENCE: f32 = 0.5;

/// The face followed from frame to frame.
#[derive(Debug, Clone, Default)]
pub struct FaceTracker {
    track: Option<Track>,
}

#[derive(Debug, Clone)]
struct Track {
    /// The detector's result on the frame the track started (or was last re-anchored) on.
    detection: Detection,
    /// The mesh-derived ROI on that frame: moving it to `next` moves `detection` with the face.
    anchor: Roi,
    /// The ROI the next frame's mesh runs on: derived from the latest mesh.
    next: Roi,
}

impl Track {
    /// The anchor detection moved and scaled as the face moved from `anchor` to `roi` (rotation ignored:
    /// boxes are axis-aligned), scored by the lower of the detector's score and the mesh's presence.
    fn detection_at(&self, roi: &Roi, presence: f32) -> Detection {
        let scale = roi.side / self.anchor.side;
        let moved = |[x, y]: [f32; 2]| [roi.cx + (x - self.anchor.cx) * scale, roi.cy + (y - self.anchor.cy) * scale];
        let [x, y, w, h] = self.detection.bbox;
        let [cx, cy] = moved([x + w / 2.0, y + h / 2.0]);
        let (w, h) = (w * scale, h * scale);
        Detection {
            bbox: [cx - w / 2.0, cy - h / 2.0, w, h],
            score: self.detection.score.min(presence),
            landmarks: self.detection.landmarks.map(moved),
        }
    }
}

/// Where the faces are on one frame and the largest one's landmarks.
#[derive(Debug)]
pub struct Located {
    /// Every face the detector found, or on a tracked frame the tracked face alone.
    pub detections: Vec<Detection>,
    /// Index into `detections` of the largest face, with its landmarks.
    pub primary: Option<(usize, FaceLandmarks)>,
    /// Whether the detector was skipped.
    pub tracked: bool,
    pub detect_ms: Option<f64>,
    pub landmarks_ms: Option<f64>,
}

/// One frame of the per-frame liveness loop: located face, and when asked the anti-spoof live probability.
#[derive(Debug)]
pub struct LoopStep {
    pub located: Located,
    pub live_probability: Option<f32>,
    pub antispoof_ms: Option<f64>,
}

impl FaceTracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the next frame can skip the detector.
    pub fn is_tracking(&self) -> bool {
        self.track.is_some()
    }

    /// Finds the faces on `frame`: FaceMesh on the tracked ROI when there is a track and `detect` is false,
    /// else (or when the mesh loses the face) the detector, then the landmarks of its largest face, which
    /// start a new track. Model failures are errors; a lost track is not.
    pub async fn locate(
        &mut self,
        stages: &Stages,
        frame: &Frame,
        detect: bool,
        clock: Clock,
    ) -> Result<Located, SessionError> {
        let mut landmarks_ms = None;
        if !detect && let Some(track) = self.track.take() {
            let start = clock.now();
            let tracked = follow(stages, frame, &track).await?;
            landmarks_ms = clock.since(start);
            if let Some((landmarks, next)) = tracked {
                let detection = track.detection_at(&next, landmarks.presence);
                self.track = Some(Track { next, ..track });
                return Ok(Located {
                    detections: vec![detection],
                    primary: Some((0, landmarks)),
                    tracked: true,
                    detect_ms: None,
                    landmarks_ms,
                });
            }
        }
        let start = clock.now();
        let detections = stages.detector.detect(frame).await?;
        let detect_ms = clock.since(start);
        let mut primary = None;
        if let Some(index) = largest_face_index(&detections)
            && let Some(detection) = detections.get(index)
        {
            let start = clock.now();
            let [right_eye, left_eye, ..] = detection.landmarks;
            let landmarks = stages.landmarks.run(frame, detection.bbox, right_eye, left_eye).await?;
            // Time spent on a lost track counts too: it is part of this frame's cost.
            landmarks_ms = match (landmarks_ms, clock.since(start)) {
                (Some(lost), Some(detected)) => Some(lost + detected),
                (lost, detected) => lost.or(detected),
            };
            self.track = Roi::from_mesh(&landmarks.points)
                .ok()
                .map(|anchor| Track { detection: detection.clone(), anchor, next: anchor });
            primary = Some((index, landmarks));
        } else {
            self.track = None;
        }
        Ok(Located { detections, primary, tracked: false, detect_ms, landmarks_ms })
    }

    /// The liveness loop's per-frame work: [`FaceTracker::locate`], then (when `antispoof`) MiniFASNet's two
    /// networks on the largest face. A face too small or too close to the border for the anti-spoof crops
    /// gives no live probability, not an error.
    pub async fn step(
        &mut self,
        stages: &Stages,
        frame: &Frame,
        detect: bool,
        antispoof: bool,
        clock: Clock,
    ) -> Result<LoopStep, SessionError> {
        let located = self.locate(stages, frame, detect, clock).await?;
        let mut live_probability = None;
        let mut antispoof_ms = None;
        if antispoof && let Some(detection) = located.primary.as_ref().and_then(|(i, _)| located.detections.get(*i)) {
            let start = clock.now();
            live_probability = optional(stages.antispoof.check(frame, &FaceBox::from_xywh(detection.bbox)).await)?
                .map(|liveness| liveness.live_probability);
            antispoof_ms = clock.since(start);
        }
        Ok(LoopStep { located, live_probability, antispoof_ms })
    }
}

/// FaceMesh + Iris on the tracked ROI: the landmarks and the next ROI, or `None` when the face is lost
/// (low presence, or a ROI/eye the stages refuse).
async fn follow(
    stages: &Stages,
    frame: &Frame,
    track: &Track,
) -> Result<Option<(FaceLandmarks, Roi)>, SessionError> {
    match stages.landmarks.run_roi(frame, track.next).await {
        Ok(landmarks) if landmarks.presence >= TRACK_MIN_PRESENCE => {
            Ok(Roi::from_mesh(&landmarks.points).ok().map(|next| (landmarks, next)))
        }
        Ok(_)
        | Err(
            LandmarkError::InvalidInput(_)
            | LandmarkError::FaceTooSmall { .. }
            | LandmarkError::EyeTooSmall { .. }
            | LandmarkError::EyeOutsideFrame { .. }
            | LandmarkError::NonFinite,
        ) => Ok(None),
        Err(error @ LandmarkError::Model(_)) => Err(error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anchor_detection_moves_and_scales_with_the_face() {
        let anchor = Roi { cx: 100.0, cy: 100.0, side: 150.0, rotation: 0.0 };
        let track = Track {
            detection: Detection {
                bbox: [60.0, 50.0, 80.0, 100.0],
                score: 0.9,
                landmarks: [[80.0, 90.0], [120.0, 90.0], [100.0, 110.0], [85.0, 130.0], [115.0, 130.0]],
            },
            anchor,
            next: anchor,
        };
        let same = track.detection_at(&anchor, 0.99);
        assert_eq!(same.bbox, track.detection.bbox);
        assert_eq!(same.landmarks, track.detection.landmarks);
        assert_eq!(same.score, 0.9);
        let moved = track.detection_at(&Roi { cx: 130.0, cy: 90.0, side: 300.0, rotation: 0.1 }, 0.6);
        // Centre (100, 100) → (130, 90); size doubled; landmarks follow.
        assert_eq!(moved.bbox, [50.0, -10.0, 160.0, 200.0]);
        assert_eq!(moved.landmarks[0], [90.0, 70.0]);
        assert_eq!(moved.score, 0.6);
    }
}
