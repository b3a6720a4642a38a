//! Per-frame quality gates.

use crate::config::QualityConfig;
use crate::instruction::InstructionCode;
use crate::observation::{FaceObservation, FrameObservation};

/// Which face (if any) the frame offers.
pub(crate) enum FaceSelection<'a> {
    None,
    /// Several faces of comparable size.
    Several(u32),
    One(&'a FaceObservation),
}

/// Picks the subject: faces under the detector threshold are ignored, and a second face counts only if it
/// is at least `competing_face_min_width_ratio` of the largest.
pub(crate) fn select_face<'a>(frame: &'a FrameObservation, config: &QualityConfig) -> FaceSelection<'a> {
    let confident: Vec<&FaceObservation> =
        frame.faces.iter().filter(|face| face.detector_score >= config.min_detector_score).collect();
    let Some(largest) = confident.iter().copied().max_by(|a, b| a.bbox[2].total_cmp(&b.bbox[2])) else {
        return FaceSelection::None;
    };
    let competing = confident
        .iter()
        .filter(|face| face.bbox[2] >= largest.bbox[2] * config.competing_face_min_width_ratio)
        .count() as u32;
    if competing > 1 { FaceSelection::Several(competing) } else { FaceSelection::One(largest) }
}

/// Result of the gates on the selected face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QualityVerdict {
    /// Size and framing fine: usable for action detection and tracking.
    pub geometry_ok: bool,
    /// Brightness and blur fine too.
    pub image_ok: bool,
    /// Frontal enough for an embedding / reference frame.
    pub frontal: bool,
    /// The first failing gate, in the order the user should fix them.
    pub problem: Option<InstructionCode>,
}

pub(crate) fn assess(frame: &FrameObservation, face: &FaceObservation, config: &QualityConfig) -> QualityVerdict {
    let width = frame.frame_width as f32;
    let height = frame.frame_height as f32;
    let [x, y, w, h] = face.bbox;
    let size_problem = if w < config.min_face_width_fraction * width {
        Some(InstructionCode::MoveCloser)
    } else if w > config.max_face_width_fraction * width {
        Some(InstructionCode::MoveBack)
    } else {
        None
    };
    let margin_x = config.inside_frame_margin_fraction * width;
    let margin_y = config.inside_frame_margin_fraction * height;
    let inside = x >= margin_x && y >= margin_y && x + w <= width - margin_x && y + h <= height - margin_y;
    let framing_problem = size_problem.or(if inside { None } else { Some(InstructionCode::CenterFace) });
    let image_problem = if frame.brightness < config.min_brightness {
        Some(InstructionCode::MoreLight)
    } else if frame.brightness > config.max_brightness {
        Some(InstructionCode::LessLight)
    } else if frame.sharpness < config.min_sharpness {
        Some(InstructionCode::HoldStill)
    } else {
        None
    };
    let frontal = face.yaw_deg.abs() <= config.frontal_max_yaw_deg
        && face.pitch_deg.abs() <= config.frontal_max_pitch_deg
        && face.roll_deg.abs() <= config.frontal_max_roll_deg;
    QualityVerdict {
        geometry_ok: framing_problem.is_none(),
        image_ok: image_problem.is_none(),
        frontal,
        problem: framing_problem.or(image_problem),
    }
}

/// A 0..1 ranking score for reference-frame selection: confident, sharp, frontal.
pub(crate) fn reference_frame_score(frame: &FrameObservation, face: &FaceObservation) -> f32 {
    let sharpness = (frame.sharpness / 200.0).min(1.0);
    let off_axis = (face.yaw_deg.abs() + face.pitch_deg.abs() + face.roll_deg.abs()) / 45.0;
    face.detector_score * (0.5 + 0.5 * sharpness) * (1.0 - off_axis.min(1.0))
}
