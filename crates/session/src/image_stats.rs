//! Brightness and sharpness of the face region, the engine's image-quality inputs.
//!
//! Both work on the face box clamped to the frame, in BT.601 luma (0.299 R + 0.587 G + 0.114 B). Sharpness
//! is the variance of the 4-neighbour Laplacian (OpenCV's `Laplacian(ksize=1)` then `var()`), the usual
//! blur measure; it is computed at the frame's own resolution, so it is comparable between frames of one
//! session, which is what the engine's gate (≥ 20) needs.

use faceproof_frame::Frame;

/// Integer pixel rectangle `[x0, y0, x1, y1)` of `bbox` inside the frame; `None` when empty.
fn clamp_box(frame: &Frame, bbox: [f32; 4]) -> Option<(usize, usize, usize, usize)> {
    let [x, y, w, h] = bbox;
    if !(x.is_finite() && y.is_finite() && w.is_finite() && h.is_finite()) {
        return None;
    }
    let (fw, fh) = (frame.width() as f32, frame.height() as f32);
    let x0 = x.floor().clamp(0.0, fw) as usize;
    let y0 = y.floor().clamp(0.0, fh) as usize;
    let x1 = (x + w).ceil().clamp(0.0, fw) as usize;
    let y1 = (y + h).ceil().clamp(0.0, fh) as usize;
    (x1 > x0 && y1 > y0).then_some((x0, y0, x1, y1))
}

fn luma(rgb: &[u8]) -> f32 {
    match rgb {
        [r, g, b, ..] => 0.299 * f32::from(*r) + 0.587 * f32::from(*g) + 0.114 * f32::from(*b),
        _ => 0.0,
    }
}

/// Grey (luma) copy of the clamped box, row-major, with its width and height.
fn grey_crop(frame: &Frame, bbox: [f32; 4]) -> Option<(Vec<f32>, usize, usize)> {
    let (x0, y0, x1, y1) = clamp_box(frame, bbox)?;
    let step = frame.bytes_per_pixel();
    let stride = frame.width() as usize * step;
    let pixels = frame.pixels();
    let mut grey = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for y in y0..y1 {
        let row = pixels.get(y * stride + x0 * step..y * stride + x1 * step)?;
        grey.extend(row.chunks_exact(step).map(luma));
    }
    Some((grey, x1 - x0, y1 - y0))
}

/// Mean BT.601 luma of `bbox` (x, y, w, h in frame pixels, clamped to the frame), 0..255; 0 for an empty box.
pub fn face_brightness(frame: &Frame, bbox: [f32; 4]) -> f32 {
    match grey_crop(frame, bbox) {
        Some((grey, _, _)) if !grey.is_empty() => {
            let sum: f64 = grey.iter().map(|v| f64::from(*v)).sum();
            ((sum / grey.len() as f64) as f32).clamp(0.0, 255.0)
        }
        _ => 0.0,
    }
}

/// Variance of the 4-neighbour Laplacian of the grey `bbox` (interior pixels only); 0 when the box is
/// smaller than 3×3.
pub fn face_sharpness(frame: &Frame, bbox: [f32; 4]) -> f32 {
    let Some((grey, w, h)) = grey_crop(frame, bbox) else {
        return 0.0;
    };
    if w < 3 || h < 3 {
        return 0.0;
    }
    let (mut sum, mut sum_sq, mut n) = (0f64, 0f64, 0f64);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let at = |xx: usize, yy: usize| f64::from(grey[yy * w + xx]);
            let lap = at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y);
            sum += lap;
            sum_sq += lap * lap;
            n += 1.0;
        }
    }
    let mean = sum / n;
    ((sum_sq / n - mean * mean).max(0.0)) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(width: u32, height: u32, pixel: impl Fn(u32, u32) -> u8) -> Frame {
        let mut rgb = Vec::new();
        for y in 0..height {
            for x in 0..width {
                let v = pixel(x, y);
                rgb.extend([v, v, v]);
            }
        }
        Frame::from_rgb(width, height, rgb).unwrap()
    }

    #[test]
    fn brightness_is_mean_luma_of_the_clamped_box() {
        let f = frame(10, 10, |x, _| if x < 5 { 0 } else { 200 });
        assert!((face_brightness(&f, [5.0, 0.0, 5.0, 10.0]) - 200.0).abs() < 0.01);
        assert!((face_brightness(&f, [0.0, 0.0, 10.0, 10.0]) - 100.0).abs() < 0.01);
        // Partly outside: only the inside counts.
        assert!((face_brightness(&f, [-5.0, -5.0, 10.0, 10.0])).abs() < 0.01);
        assert_eq!(face_brightness(&f, [20.0, 20.0, 5.0, 5.0]), 0.0);
        assert_eq!(face_brightness(&f, [f32::NAN, 0.0, 5.0, 5.0]), 0.0);
    }

    #[test]
    fn rgba_frames_measure_like_rgb_frames() {
        let rgb = frame(12, 9, |x, y| ((x * 37 + y * 11) % 256) as u8);
        let rgba: Vec<u8> = rgb.pixels().chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 0]).collect();
        let rgba = Frame::from_rgba(12, 9, rgba).unwrap();
        let bbox = [1.0, 2.0, 9.0, 6.0];
        assert_eq!(face_brightness(&rgb, bbox), face_brightness(&rgba, bbox));
        assert_eq!(face_sharpness(&rgb, bbox), face_sharpness(&rgba, bbox));
    }

    #[test]
    fn sharpness_separates_flat_from_textured() {
        let flat = frame(20, 20, |_, _| 128);
        let checker = frame(20, 20, |x, y| if (x + y) % 2 == 0 { 0 } else { 255 });
        assert_eq!(face_sharpness(&flat, [0.0, 0.0, 20.0, 20.0]), 0.0);
        // A checkerboard's Laplacian is ±1020 everywhere: variance 1020².
        assert!((face_sharpness(&checker, [0.0, 0.0, 20.0, 20.0]) - 1020.0f32.powi(2)).abs() < 1.0);
        assert_eq!(face_sharpness(&checker, [0.0, 0.0, 2.0, 2.0]), 0.0);
    }
}
