//! What the host should show after each frame: a stable code plus parameters, for the UI to localise.

use serde::{Deserialize, Serialize};

use crate::challenge::Action;

/// Stable instruction codes (serialised in snake_case; never renamed, only added to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstructionCode {
    /// No face in view.
    PositionFace,
    /// Two or more faces of comparable size: the session is paused until only one remains.
    MultipleFaces,
    MoveCloser,
    MoveBack,
    /// The face touches the frame edge.
    CenterFace,
    MoreLight,
    LessLight,
    /// Too blurry.
    HoldStill,
    /// Face the camera (aligning, capture, or before a head movement).
    LookStraight,
    /// Eyes look closed while the open-eye baseline is collected.
    OpenEyes,
    /// Aligning: stay frontal while the baseline is collected.
    KeepStill,
    Blink,
    TurnLeft,
    TurnRight,
    Nod,
    /// After reaching a turn or nod: come back to frontal.
    ReturnToCenter,
    /// Capturing the reference frames: stay frontal.
    Capturing,
    /// All steps done; the host should call `finish`.
    Done,
    /// The session failed; `params.reason` says why.
    Failed,
}

impl InstructionCode {
    pub(crate) fn for_action(action: Action) -> InstructionCode {
        match action {
            Action::Blink => InstructionCode::Blink,
            Action::TurnLeft => InstructionCode::TurnLeft,
            Action::TurnRight => InstructionCode::TurnRight,
            Action::Nod => InstructionCode::Nod,
            Action::LookStraight => InstructionCode::LookStraight,
        }
    }
}

/// Parameters the UI may interpolate; absent ones are omitted from JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InstructionParams {
    /// Number of faces seen (`multiple_faces`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub face_count: Option<u32>,
    /// Angle to reach (`turn_left`, `turn_right`, `nod`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degrees: Option<f32>,
    /// 1-based index of the current action and how many there are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_index: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_count: Option<u32>,
    /// Time left for the current step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_ms: Option<u32>,
    /// Stable failure code (`failed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instruction {
    pub code: InstructionCode,
    pub params: InstructionParams,
}

impl Instruction {
    pub(crate) fn plain(code: InstructionCode) -> Instruction {
        Instruction { code, params: InstructionParams::default() }
    }
}
