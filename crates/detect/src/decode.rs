//! YuNet's anchor-free decode (as OpenCV's FaceDetectorYN does it) and greedy NMS.

use crate::{Detection, DetectorConfig, Letterbox, iou};
use faceproof_models::yunet::{PACKED_WIDTH, STRIDES};

/// Decodes packed [anchors × 16] outputs (anchors of the letterbox's canvas) into detections in source
/// pixels, NMS applied, best first.
pub fn decode(packed: &[f32], letterbox: &Letterbox, config: &DetectorConfig) -> Vec<Detection> {
    let mut candidates = Vec::new();
    let mut anchor = 0usize;
    for stride in STRIDES {
        let (rows, cols) = (letterbox.height as usize / stride, letterbox.width as usize / stride);
        let s = stride as f32;
        for row in 0..rows {
            for col in 0..cols {
                let Some(v) = packed.get(anchor * PACKED_WIDTH..(anchor + 1) * PACKED_WIDTH) else {
                    return Vec::new();
                };
                anchor += 1;
                let score = (v[0].clamp(0.0, 1.0) * v[1].clamp(0.0, 1.0)).sqrt();
                // NaN fails this comparison too, so a corrupted output yields no face.
                if !(score >= config.score_threshold) {
                    continue;
                }
                let (gx, gy) = (col as f32, row as f32);
                let cx = (gx + v[2]) * s;
                let cy = (gy + v[3]) * s;
                let w = v[4].exp() * s;
                let h = v[5].exp() * s;
                let [x0, y0] = letterbox.to_source(cx - w / 2.0, cy - h / 2.0);
                let [x1, y1] = letterbox.to_source(cx + w / 2.0, cy + h / 2.0);
                let mut landmarks = [[0.0f32; 2]; 5];
                for (k, point) in landmarks.iter_mut().enumerate() {
                    *point = letterbox.to_source((gx + v[6 + 2 * k]) * s, (gy + v[7 + 2 * k]) * s);
                }
                if [x0, y0, x1, y1].iter().all(|c| c.is_finite()) {
                    candidates.push(Detection { bbox: [x0, y0, x1 - x0, y1 - y0], score, landmarks });
                }
            }
        }
    }
    non_max_suppression(candidates, config.nms_iou, config.max_faces)
}

/// Greedy NMS: best score first, dropping any candidate that overlaps a kept one by more than `max_iou`.
pub fn non_max_suppression(mut candidates: Vec<Detection>, max_iou: f32, max_keep: usize) -> Vec<Detection> {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Detection> = Vec::new();
    for candidate in candidates {
        if kept.len() == max_keep {
            break;
        }
        if kept.iter().all(|k| iou(k.bbox, candidate.bbox) <= max_iou) {
            kept.push(candidate);
        }
    }
    kept
}
