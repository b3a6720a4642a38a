//! Fitting an arbitrary frame into the detector's input without distorting it.

use faceproof_frame::Frame;

/// The frame is scaled by `scale` (aspect kept) so that its longer side fits `max_size`, into the top-left
/// of a `width`×`height` canvas whose sides are the scaled sides rounded up to a multiple of `multiple`;
/// the rest is zero. OpenCV's `FaceDetectorYN` pads the same way, so a 4:3 frame costs the network 480×640
/// pixels, not a 640² square of which a quarter is padding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Letterbox {
    pub source_width: u32,
    pub source_height: u32,
    /// The canvas: the network's input size.
    pub width: u32,
    pub height: u32,
    pub scale: f32,
    /// The scaled image's extent inside the canvas.
    pub content_width: u32,
    pub content_height: u32,
}

impl Letterbox {
    pub fn fit(source_width: u32, source_height: u32, max_size: u32, multiple: u32) -> Self {
        let scale = (max_size as f32 / source_width as f32).min(max_size as f32 / source_height as f32);
        let content_width = ((source_width as f32 * scale).round() as u32).clamp(1, max_size);
        let content_height = ((source_height as f32 * scale).round() as u32).clamp(1, max_size);
        let multiple = multiple.max(1);
        let width = content_width.div_ceil(multiple) * multiple;
        let height = content_height.div_ceil(multiple) * multiple;
        Self { source_width, source_height, width, height, scale, content_width, content_height }
    }

    /// Maps a point in canvas pixels back to source pixels.
    pub fn to_source(&self, x: f32, y: f32) -> [f32; 2] {
        [x / self.scale, y / self.scale]
    }

    /// NCHW [1, 3, height, width] f32 in BGR order, raw 0..255, bilinear with half-pixel centres (the same
    /// sampling as OpenCV's INTER_LINEAR and `tests/parity/yunet_goldens.py`).
    pub fn input_tensor(&self, frame: &Frame) -> Vec<f32> {
        let width = self.width as usize;
        let plane = width * self.height as usize;
        let mut out = vec![0.0f32; 3 * plane];
        let inverse_x = self.source_width as f32 / self.content_width as f32;
        let inverse_y = self.source_height as f32 / self.content_height as f32;
        let pixels = frame.pixels();
        let step = frame.bytes_per_pixel();
        let stride = frame.width() as usize * step;
        let max_x = frame.width() as usize - 1;
        let max_y = frame.height() as usize - 1;
        // Precompute the horizontal taps once per column.
        let columns: Vec<(usize, usize, f32)> = (0..self.content_width as usize)
            .map(|x| {
                let sx = ((x as f32 + 0.5) * inverse_x - 0.5).max(0.0);
                let x0 = (sx.floor() as usize).min(max_x);
                (x0, (x0 + 1).min(max_x), sx - x0 as f32)
            })
            .collect();
        for y in 0..self.content_height as usize {
            let sy = ((y as f32 + 0.5) * inverse_y - 0.5).max(0.0);
            let y0 = (sy.floor() as usize).min(max_y);
            let y1 = (y0 + 1).min(max_y);
            let fy = (sy - y0 as f32).min(1.0);
            let row0 = &pixels[y0 * stride..];
            let row1 = &pixels[y1 * stride..];
            for (x, &(x0, x1, fx)) in columns.iter().enumerate() {
                let fx = fx.min(1.0);
                for channel in 0..3 {
                    let p00 = f32::from(row0[x0 * step + channel]);
                    let p01 = f32::from(row0[x1 * step + channel]);
                    let p10 = f32::from(row1[x0 * step + channel]);
                    let p11 = f32::from(row1[x1 * step + channel]);
                    let top = p00 + (p01 - p00) * fx;
                    let bottom = p10 + (p11 - p10) * fx;
                    // RGB in, BGR planes out.
                    out[(2 - channel) * plane + y * width + x] = top + (bottom - top) * fy;
                }
            }
        }
        out
    }
}
