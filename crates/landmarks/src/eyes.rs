//! Per-eye landmarks and openness from MediaPipe Iris.
//!
//! FaceMesh v1's own eyelid points barely move when the eyes close (its eye aspect ratio stays at
//! 0.86–0.94× the open value through real blinks), so, as MediaPipe itself does, each eye gets a second
//! network: the Iris model on a 64×64 crop around the eye, which returns a 71-point eye contour (lids,
//! halos, brow) and 5 iris points.
//!
//! The eye ROI is MediaPipe's `iris_landmark_landmarks_to_roi`: the two FaceMesh eye corners (33 → 133 for
//! the eye on the image's left, 362 → 263 for the eye on the image's right, both ordered left to right on
//! the image), centre = the centre of their axis-aligned box, square side = 2.3 × that box's longer side,
//! rotated by the corner line. MediaPipe's `iris_landmark_left_and_right` graph mirrors the eye on the
//! image's right (the subject's left eye) before the network and mirrors the points back after, so the
//! network always sees an eye whose outer corner is on the crop's left; the input is RGB in [0, 1]
//! (`iris_landmark_cpu`: `zero_center: false`).
//!
//! Contour layout (MediaPipe `update_face_landmarks_calculator.cc`; checked by plotting on deepface
//! photos and d13.mp4): 0 outer corner, 1–7 lower lid, 8 inner corner, 9–15 upper lid from outer to inner,
//! so upper point `8 + k` sits above lower point `k`.

use crate::LandmarkError;
use crate::roi::sample_square;
use faceproof_frame::Frame;
use faceproof_models::iris::{CONTOUR_POINTS, INPUT_SIZE, IRIS_POINTS, OUTPUT_VALUES};

/// Eye ROI side relative to the corners' box (MediaPipe `iris_landmark_landmarks_to_roi`: scale 2.3).
pub const EYE_ROI_SCALE: f32 = 2.3;
/// Eyes whose corner distance is below this (image pixels) are refused: the 64×64 crop would be all
/// interpolation and the lid contour meaningless.
pub const MIN_EYE_WIDTH: f32 = 4.0;

/// Contour indices of the outer and inner corners.
pub const OUTER_CORNER: usize = 0;
pub const INNER_CORNER: usize = 8;
/// Lower-lid points paired with the upper-lid point above them (`8 + k`) for the lid opening: the central
/// five of the seven pairs (the pairs next to the corners are short in every eye and only add noise).
pub const OPENING_PAIRS: [usize; 5] = [2, 3, 4, 5, 6];

/// One of the subject's own eyes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eye {
    /// The subject's right eye, on the image's left (FaceMesh corners 33, 133).
    Right,
    /// The subject's left eye, on the image's right (FaceMesh corners 362, 263).
    Left,
}

impl Eye {
    /// The FaceMesh corner points that define the ROI, ordered left to right on the image (MediaPipe's
    /// rotation vector runs from the first to the second).
    pub fn mesh_corners(self) -> [usize; 2] {
        match self {
            Eye::Right => [33, 133],
            Eye::Left => [362, 263],
        }
    }

    /// Whether the crop is mirrored before the network (MediaPipe: the eye on the image's right).
    pub fn mirrored(self) -> bool {
        self == Eye::Left
    }
}

impl std::fmt::Display for Eye {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Eye::Right => "right eye",
            Eye::Left => "left eye",
        })
    }
}

/// A square eye ROI in image pixels (same conventions as [`crate::Roi`]), plus whether its crop is
/// mirrored and the two corner points it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EyeRoi {
    pub eye: Eye,
    pub cx: f32,
    pub cy: f32,
    pub side: f32,
    pub rotation: f32,
    /// The FaceMesh corners (image pixels), left to right on the image.
    pub corners: [[f32; 2]; 2],
}

impl EyeRoi {
    /// The ROI of `eye` from FaceMesh's 468 points (image pixels).
    pub fn from_mesh(points: &[[f32; 3]], eye: Eye) -> Result<Self, LandmarkError> {
        let [a, b] = eye.mesh_corners();
        match (points.get(a), points.get(b)) {
            (Some(p), Some(q)) => Self::from_corners(eye, [p[0], p[1]], [q[0], q[1]]),
            _ => Err(LandmarkError::InvalidInput(format!(
                "{} mesh points, the {eye} needs points {a} and {b}",
                points.len()
            ))),
        }
    }

    /// MediaPipe's `iris_landmark_landmarks_to_roi` from the two corners (left to right on the image).
    pub fn from_corners(eye: Eye, start: [f32; 2], end: [f32; 2]) -> Result<Self, LandmarkError> {
        if start.iter().chain(&end).any(|v| !v.is_finite()) {
            return Err(LandmarkError::NonFinite);
        }
        // f64 like the golden script, so the same corners give the same f32 ROI on both sides.
        let [x0, y0, x1, y1] = [start[0], start[1], end[0], end[1]].map(f64::from);
        let width = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
        if width < f64::from(MIN_EYE_WIDTH) {
            return Err(LandmarkError::EyeTooSmall {
                eye,
                width: width as f32,
                min: MIN_EYE_WIDTH,
            });
        }
        // DetectionsToRectsCalculator: rotation = target (0) - atan2(-(y1 - y0), x1 - x0); the rect is the
        // keypoints' axis-aligned box, RectTransformationCalculator squares it on its long side × 2.3.
        let rotation = -(-(y1 - y0)).atan2(x1 - x0);
        let side = (x1 - x0).abs().max((y1 - y0).abs()) * f64::from(EYE_ROI_SCALE);
        Ok(Self {
            eye,
            cx: ((x0 + x1) / 2.0) as f32,
            cy: ((y0 + y1) / 2.0) as f32,
            side: side as f32,
            rotation: rotation as f32,
            corners: [start, end],
        })
    }

    /// Maps a network output point (crop pixels, 0..64, of the possibly mirrored crop) to image pixels;
    /// z is scaled like x.
    pub fn to_image(&self, point: [f32; 3]) -> [f32; 3] {
        let size = INPUT_SIZE as f32;
        let x = if self.eye.mirrored() {
            size - point[0]
        } else {
            point[0]
        };
        let (s, c) = self.rotation.sin_cos();
        let u = x / size - 0.5;
        let v = point[1] / size - 0.5;
        [
            self.cx + self.side * (u * c - v * s),
            self.cy + self.side * (u * s + v * c),
            point[2] / size * self.side,
        ]
    }
}

/// The 64×64 crop of `roi` (mirrored for the subject's left eye), planar [3, 64, 64] RGB in [0, 1],
/// written into `out`. Both corners must lie inside the frame: an eye cut by the border has no
/// measurable opening.
pub fn crop_eye_into(frame: &Frame, roi: &EyeRoi, out: &mut [f32]) -> Result<(), LandmarkError> {
    let (width, height) = (frame.width() as f32, frame.height() as f32);
    let inside = |p: &[f32; 2]| p[0] >= 0.0 && p[1] >= 0.0 && p[0] <= width && p[1] <= height;
    if !roi.corners.iter().all(inside) {
        return Err(LandmarkError::EyeOutsideFrame { eye: roi.eye });
    }
    if out.len() != 3 * INPUT_SIZE * INPUT_SIZE {
        return Err(LandmarkError::InvalidInput(format!(
            "eye crop buffer has {} values, expected {}",
            out.len(),
            3 * INPUT_SIZE * INPUT_SIZE
        )));
    }
    sample_square(
        frame,
        [roi.cx, roi.cy, roi.side, roi.rotation],
        INPUT_SIZE,
        roi.eye.mirrored(),
        out,
    );
    Ok(())
}

/// [`crop_eye_into`] into a new vector.
pub fn crop_eye(frame: &Frame, roi: &EyeRoi) -> Result<Vec<f32>, LandmarkError> {
    let mut out = vec![0f32; 3 * INPUT_SIZE * INPUT_SIZE];
    crop_eye_into(frame, roi, &mut out)?;
    Ok(out)
}

/// What the Iris model found for one eye, in image pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct EyeLandmarks {
    pub roi: EyeRoi,
    /// 71 points (x, y, z): lids, halos and brow; layout in the module docs.
    pub contour: Vec<[f32; 3]>,
    /// Iris centre, then 4 points on its boundary.
    pub iris: [[f32; 3]; IRIS_POINTS],
    /// Lid opening over eye width (see [`contour_openness`]).
    pub openness: f32,
}

/// Lid opening over eye width from the contour (image pixels): the mean distance, across the eye line,
/// between each lower-lid point of [`OPENING_PAIRS`] and the upper-lid point above it, divided by the
/// corner-to-corner distance. About 0.2–0.35 for open eyes; a closed eye keeps a thin contour (the lash
/// line), so closed is about 0.03–0.12 rather than 0.
pub fn contour_openness(contour: &[[f32; 3]]) -> Option<f32> {
    if contour.len() < 16 {
        return None;
    }
    let (outer, inner) = (contour[OUTER_CORNER], contour[INNER_CORNER]);
    let (dx, dy) = (inner[0] - outer[0], inner[1] - outer[1]);
    let width = (dx * dx + dy * dy).sqrt();
    if width.is_nan() || width <= f32::EPSILON {
        return None;
    }
    // Unit normal of the eye line; the lid gap is measured along it (rotation- and mirror-invariant).
    let (nx, ny) = (-dy / width, dx / width);
    let gap: f32 = OPENING_PAIRS
        .iter()
        .map(|&k| {
            let (lower, upper) = (contour[k], contour[8 + k]);
            ((lower[0] - upper[0]) * nx + (lower[1] - upper[1]) * ny).abs()
        })
        .sum::<f32>()
        / OPENING_PAIRS.len() as f32;
    let openness = gap / width;
    openness.is_finite().then_some(openness)
}

/// One eye's raw network output (213 contour values, then 15 iris values, crop pixels) → landmarks in
/// image pixels and openness. Non-finite output is an error.
pub fn eye_from_raw(raw: &[f32], roi: EyeRoi) -> Result<EyeLandmarks, LandmarkError> {
    if raw.len() != OUTPUT_VALUES {
        return Err(LandmarkError::InvalidInput(format!(
            "{} raw eye values, expected {OUTPUT_VALUES}",
            raw.len()
        )));
    }
    if raw.iter().any(|v| !v.is_finite()) {
        return Err(LandmarkError::NonFinite);
    }
    let (contour_raw, iris_raw) = raw.split_at(CONTOUR_POINTS * 3);
    let contour: Vec<[f32; 3]> = contour_raw
        .chunks_exact(3)
        .map(|p| roi.to_image([p[0], p[1], p[2]]))
        .collect();
    let mut iris = [[0f32; 3]; IRIS_POINTS];
    for (slot, p) in iris.iter_mut().zip(iris_raw.chunks_exact(3)) {
        *slot = roi.to_image([p[0], p[1], p[2]]);
    }
    let openness = contour_openness(&contour).ok_or(LandmarkError::NonFinite)?;
    Ok(EyeLandmarks {
        roi,
        contour,
        iris,
        openness,
    })
}
