//! The crop of minivision's Silent-Face-Anti-Spoofing (`src/generate_patches.py`, `CropImage`), reproduced
//! step by step so the networks see what they were trained on:
//!
//! 1. the scale is reduced so that the scaled box fits the image (`min((H-1)/h, (W-1)/w, scale)`);
//! 2. the box is scaled about its centre, then *shifted* (not clipped) back inside `[0, W-1] × [0, H-1]`;
//! 3. the corners are truncated to integers (Python `int()`, toward zero) and the inclusive rectangle is cut;
//! 4. `cv2.resize(..., (80, 80))` with its default INTER_LINEAR on 8-bit BGR.
//!
//! Step 4 follows OpenCV's fixed-point 8-bit bilinear path (11-bit coefficients, half-pixel centres, edge
//! replication; vertical pass as in its SSE/NEON `VResizeLinearVec_32s8u`, which is what runs for an
//! 80-pixel-wide 3-channel row), so the 8-bit pixels equal `cv2.resize`'s.

use crate::{AntiSpoofError, FaceBox};
use faceproof_frame::Frame;

/// Output side of both networks' crops.
pub const CROP_SIZE: usize = faceproof_models::minifasnet::INPUT_SIZE;

/// An inclusive pixel rectangle, as upstream's `_get_new_box` returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CropRect {
    pub left: u32,
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
}

/// Upstream `CropImage._get_new_box`, in f64 like the Python floats it was written with.
pub fn upstream_crop_rect(
    width: u32,
    height: u32,
    face: &FaceBox,
    scale: f64,
) -> Result<CropRect, AntiSpoofError> {
    face.validate(width, height)?;
    if !(scale.is_finite() && scale > 0.0) {
        return Err(AntiSpoofError::InvalidBox(format!(
            "crop scale {scale} must be positive"
        )));
    }
    let (src_w, src_h) = (f64::from(width), f64::from(height));
    let (x, y, box_w, box_h) = (
        f64::from(face.x),
        f64::from(face.y),
        f64::from(face.w),
        f64::from(face.h),
    );
    let scale = ((src_h - 1.0) / box_h).min(((src_w - 1.0) / box_w).min(scale));
    let (new_w, new_h) = (box_w * scale, box_h * scale);
    let (centre_x, centre_y) = (box_w / 2.0 + x, box_h / 2.0 + y);
    let mut left = centre_x - new_w / 2.0;
    let mut top = centre_y - new_h / 2.0;
    let mut right = centre_x + new_w / 2.0;
    let mut bottom = centre_y + new_h / 2.0;
    if left < 0.0 {
        right -= left;
        left = 0.0;
    }
    if top < 0.0 {
        bottom -= top;
        top = 0.0;
    }
    if right > src_w - 1.0 {
        left -= right - src_w + 1.0;
        right = src_w - 1.0;
    }
    if bottom > src_h - 1.0 {
        top -= bottom - src_h + 1.0;
        bottom = src_h - 1.0;
    }
    // Python's int() truncates toward zero; `as` does the same. The scale reduction above keeps every
    // corner inside the image, up to rounding, which truncation absorbs; the clamp is a guard, not a change.
    let clamp_x = |v: f64| (v.trunc().max(0.0) as u32).min(width - 1);
    let clamp_y = |v: f64| (v.trunc().max(0.0) as u32).min(height - 1);
    let rect = CropRect {
        left: clamp_x(left),
        top: clamp_y(top),
        right: clamp_x(right),
        bottom: clamp_y(bottom),
    };
    if rect.right < rect.left || rect.bottom < rect.top {
        return Err(AntiSpoofError::InvalidBox(format!("empty crop {rect:?}")));
    }
    Ok(rect)
}

const COEF_BITS: u32 = 11;
const COEF_SCALE: f32 = (1 << COEF_BITS) as f32;

/// OpenCV's per-output-coordinate source index and 11-bit weights for INTER_LINEAR.
fn linear_taps(src: usize, dst: usize) -> Vec<(usize, usize, i32, i32)> {
    let scale = src as f64 / dst as f64;
    (0..dst)
        .map(|d| {
            // OpenCV computes the coordinate in double and stores it as float before flooring.
            let f = ((d as f64 + 0.5) * scale - 0.5) as f32;
            let mut s = f.floor() as i64;
            let mut frac = f - s as f32;
            if s < 0 {
                s = 0;
                frac = 0.0;
            }
            if s >= src as i64 - 1 {
                s = src as i64 - 1;
                frac = 0.0;
            }
            let s = s as usize;
            let s1 = (s + 1).min(src - 1);
            // saturate_cast<short>(float) rounds half to even, like f32::round_ties_even.
            let w0 = ((1.0 - frac) * COEF_SCALE).round_ties_even() as i32;
            let w1 = (frac * COEF_SCALE).round_ties_even() as i32;
            (s, s1, w0, w1)
        })
        .collect()
}

/// Cuts `rect` out of `frame` and resizes it to 80×80 exactly as `cv2.resize(INTER_LINEAR)` does on
/// 8-bit BGR. Returns planar BGR f32 in 0..255, [3, 80, 80].
pub fn crop_resize_bgr(frame: &Frame, rect: CropRect) -> Vec<f32> {
    let width = frame.width() as usize;
    let pixels = frame.pixels();
    let step = frame.bytes_per_pixel();
    let (x0, y0) = (rect.left as usize, rect.top as usize);
    let src_w = (rect.right - rect.left + 1) as usize;
    let src_h = (rect.bottom - rect.top + 1) as usize;
    let xs = linear_taps(src_w, CROP_SIZE);
    let ys = linear_taps(src_h, CROP_SIZE);
    // Horizontal pass of each needed source row into 11-bit fixed point, per channel (OpenCV HResizeLinear).
    let hresize = |row: usize| -> Vec<[i32; 3]> {
        let base = (y0 + row) * width;
        xs.iter()
            .map(|&(s0, s1, w0, w1)| {
                let p0 = (base + x0 + s0) * step;
                let p1 = (base + x0 + s1) * step;
                let mut out = [0i32; 3];
                for (c, value) in out.iter_mut().enumerate() {
                    *value = i32::from(pixels[p0 + c]) * w0 + i32::from(pixels[p1 + c]) * w1;
                }
                out
            })
            .collect()
    };
    let mut out = vec![0f32; 3 * CROP_SIZE * CROP_SIZE];
    let plane = CROP_SIZE * CROP_SIZE;
    for (dy, &(r0, r1, b0, b1)) in ys.iter().enumerate() {
        let row0 = hresize(r0);
        let row1 = if r1 == r0 { row0.clone() } else { hresize(r1) };
        for dx in 0..CROP_SIZE {
            for rgb_c in 0..3 {
                let (s0, s1) = (row0[dx][rgb_c], row1[dx][rgb_c]);
                // VResizeLinearVec_32s8u: ((s0>>4)*b0 >> 16) + ((s1>>4)*b1 >> 16), then rounding >> 2.
                let t = (((s0 >> 4) * b0) >> 16) + (((s1 >> 4) * b1) >> 16);
                let value = ((t + 2) >> 2).clamp(0, 255);
                // BGR planes: blue is RGB channel 2.
                let bgr_c = 2 - rgb_c;
                out[bgr_c * plane + dy * CROP_SIZE + dx] = value as f32;
            }
        }
    }
    out
}
