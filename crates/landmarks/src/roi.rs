//! The region of interest FaceMesh sees, and the crop that feeds it.

use crate::LandmarkError;
use faceproof_frame::Frame;
use faceproof_models::facemesh::INPUT_SIZE;

/// Side of the ROI relative to the detector box's longer side. MediaPipe uses 1.5 around BlazeFace's
/// box (brows to mouth); YuNet's box runs forehead to chin, and 1.2 frames the mesh at about 2/3 of the
/// crop, as MediaPipe's own landmark-derived ROI does (measured: mesh spans 115–130 of 192 px).
pub const ROI_SCALE: f32 = 1.2;
/// Faces whose box is smaller than this (shorter side, pixels) are refused: the 192×192 crop would be
/// nearly all interpolation and the mesh unreliable.
pub const MIN_FACE_SIDE: f32 = 40.0;
/// Side of a tracking ROI relative to the mesh's bounding box: MediaPipe's value. The mesh fills about
/// 2/3 of the crop, as with a detector ROI (checked on real faces in the tests).
pub const TRACK_ROI_SCALE: f32 = 1.5;

/// A square ROI in image pixels: centre, side and rotation (radians, clockwise on screen since y points
/// down), so that rotating the image by `-rotation` about the centre makes the eye line horizontal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Roi {
    pub cx: f32,
    pub cy: f32,
    pub side: f32,
    pub rotation: f32,
}

impl Roi {
    /// MediaPipe's `face_detection_front_detection_to_roi`: centre of the box, square on its long side
    /// (scaled by [`ROI_SCALE`]), rotated by the line from the right eye (image left) to the left eye.
    pub fn from_detection(
        bbox: [f32; 4],
        right_eye: [f32; 2],
        left_eye: [f32; 2],
    ) -> Result<Self, LandmarkError> {
        let values = [
            bbox[0],
            bbox[1],
            bbox[2],
            bbox[3],
            right_eye[0],
            right_eye[1],
            left_eye[0],
            left_eye[1],
        ];
        if values.iter().any(|v| !v.is_finite()) {
            return Err(LandmarkError::InvalidInput(format!(
                "non-finite box or eye points {values:?}"
            )));
        }
        let [x, y, w, h] = bbox;
        if w.min(h) < MIN_FACE_SIDE {
            return Err(LandmarkError::FaceTooSmall {
                side: w.min(h),
                min: MIN_FACE_SIDE,
            });
        }
        let (dx, dy) = (
            f64::from(left_eye[0]) - f64::from(right_eye[0]),
            f64::from(left_eye[1]) - f64::from(right_eye[1]),
        );
        // MediaPipe: rotation = target_angle (0) - atan2(-(y1 - y0), x1 - x0).
        let rotation = -(-dy).atan2(dx);
        // f64 like the golden script, so the same box gives the same f32 ROI on both sides.
        let side = f64::from(w.max(h)) * f64::from(ROI_SCALE);
        Ok(Self {
            cx: x + w / 2.0,
            cy: y + h / 2.0,
            side: side as f32,
            rotation: rotation as f32,
        })
    }

    /// MediaPipe's `face_landmark_landmarks_to_roi`, for tracking: the ROI the next frame's FaceMesh sees,
    /// from this frame's 468 mesh points (image pixels). Centre and long side of the points' bounding box
    /// (side scaled by [`TRACK_ROI_SCALE`]), rotated by the line from the right eye's outer corner (33) to
    /// the left eye's (263).
    pub fn from_mesh(points: &[[f32; 3]]) -> Result<Self, LandmarkError> {
        let (Some(right_corner), Some(left_corner)) = (points.get(33), points.get(263)) else {
            return Err(LandmarkError::InvalidInput(format!("{} mesh points, expected 468", points.len())));
        };
        let mut min = [f32::INFINITY; 2];
        let mut max = [f32::NEG_INFINITY; 2];
        for point in points {
            if !(point[0].is_finite() && point[1].is_finite()) {
                return Err(LandmarkError::NonFinite);
            }
            for axis in 0..2 {
                min[axis] = min[axis].min(point[axis]);
                max[axis] = max[axis].max(point[axis]);
            }
        }
        let side = (max[0] - min[0]).max(max[1] - min[1]) * TRACK_ROI_SCALE;
        // The mesh of a face at the minimum detector size spans about MIN_FACE_SIDE / 1.2 * 1.5 px.
        if side < MIN_FACE_SIDE * ROI_SCALE {
            return Err(LandmarkError::FaceTooSmall { side: side / TRACK_ROI_SCALE, min: MIN_FACE_SIDE });
        }
        let (dx, dy) = (left_corner[0] - right_corner[0], left_corner[1] - right_corner[1]);
        Ok(Self {
            cx: (min[0] + max[0]) / 2.0,
            cy: (min[1] + max[1]) / 2.0,
            side,
            rotation: -(-dy).atan2(dx),
        })
    }

    /// Maps a point given in crop pixels (0..192) back to image pixels; z is scaled like x.
    pub fn to_image(&self, point: [f32; 3]) -> [f32; 3] {
        let size = INPUT_SIZE as f32;
        let (s, c) = self.rotation.sin_cos();
        let u = point[0] / size - 0.5;
        let v = point[1] / size - 0.5;
        [
            self.cx + self.side * (u * c - v * s),
            self.cy + self.side * (u * s + v * c),
            point[2] / size * self.side,
        ]
    }

    /// Whether any part of the ROI overlaps the image (a ROI entirely outside has nothing to look at).
    fn overlaps(&self, width: u32, height: u32) -> bool {
        let reach = self.side * std::f32::consts::FRAC_1_SQRT_2;
        self.cx + reach > 0.0
            && self.cy + reach > 0.0
            && self.cx - reach < width as f32
            && self.cy - reach < height as f32
    }
}

/// The 192×192 RGB crop of `roi`, planar [3, 192, 192], values in [0, 1]. Bilinear sampling with pixel
/// centres at +0.5; outside the image the edge pixels are replicated (MediaPipe's ImageToTensor default),
/// so a ROI partly outside the image is a defined crop, not an error.
pub fn crop_rgb(frame: &Frame, roi: &Roi) -> Result<Vec<f32>, LandmarkError> {
    if !roi.overlaps(frame.width(), frame.height()) {
        return Err(LandmarkError::InvalidInput(format!(
            "ROI {roi:?} lies outside the {frame:?}"
        )));
    }
    let mut out = vec![0f32; 3 * INPUT_SIZE * INPUT_SIZE];
    sample_square(
        frame,
        [roi.cx, roi.cy, roi.side, roi.rotation],
        INPUT_SIZE,
        false,
        &mut out,
    );
    Ok(out)
}

/// Samples the rotated square `[cx, cy, side, rotation]` (image pixels, radians) into `out`, planar
/// [3, size, size] RGB in [0, 1], bilinear with pixel centres at +0.5 and edge pixels replicated. With
/// `mirror` the crop is flipped horizontally (column `c` shows what column `size - 1 - c` would).
/// Arithmetic in f64 so the samples equal the golden scripts' float64 ones.
pub(crate) fn sample_square(
    frame: &Frame,
    square: [f32; 4],
    size: usize,
    mirror: bool,
    out: &mut [f32],
) {
    let plane = size * size;
    debug_assert_eq!(out.len(), 3 * plane);
    let [cx, cy, side, rotation] = square.map(f64::from);
    let (s, c) = rotation.sin_cos();
    for row in 0..size {
        let v = (row as f64 + 0.5) / size as f64 - 0.5;
        for col in 0..size {
            let u = (col as f64 + 0.5) / size as f64 - 0.5;
            let u = if mirror { -u } else { u };
            let sx = cx + side * (u * c - v * s) - 0.5;
            let sy = cy + side * (u * s + v * c) - 0.5;
            let (x0, y0) = (sx.floor(), sy.floor());
            let (fx, fy) = (sx - x0, sy - y0);
            let (x0, y0) = (x0 as i64, y0 as i64);
            let p00 = frame.pixel_clamped(x0, y0);
            let p01 = frame.pixel_clamped(x0 + 1, y0);
            let p10 = frame.pixel_clamped(x0, y0 + 1);
            let p11 = frame.pixel_clamped(x0 + 1, y0 + 1);
            for ch in 0..3 {
                let top = f64::from(p00[ch]) * (1.0 - fx) + f64::from(p01[ch]) * fx;
                let bottom = f64::from(p10[ch]) * (1.0 - fx) + f64::from(p11[ch]) * fx;
                out[ch * plane + row * size + col] =
                    ((top * (1.0 - fy) + bottom * fy) / 255.0) as f32;
            }
        }
    }
}
