//! # faceproof-liveness: the liveness and match engine
//!
//! Pure Rust, no models, no I/O. The host runs the model stages on each camera frame (YuNet detection,
//! FaceMesh pose and eye openness, MiniFASNet and the dlib embedding on sampled frames), turns their output
//! into a [`FrameObservation`] and feeds it to a [`LivenessSession`] built from the server's [`Challenge`].
//! After each frame it shows the returned [`Instruction`] and progress; when the state is `done` (or
//! `failed`) it calls [`LivenessSession::finish`] with the [`ReferenceEmbedding`] and gets a [`SessionResult`]
//! to sign. See [`observation`] for the exact input contract and sign conventions.
//!
//! ```text
//! waiting_for_face → aligning → action 1 → … → action n → capturing_reference → done
//!         any state ─────────────────────────────────────────────────────────→ failed(reason)
//! ```
//!
//! * **Aligning** collects this user's open-eye baseline (median eye aspect ratio of ≥ 8 frontal frames over
//!   ≥ 400 ms) and the first embedding for continuity.
//! * **Actions** run in the challenge's order, each against its own time limit; the whole session against
//!   `session_limit_ms` and the challenge expiry.
//! * **Capturing** keeps the best 3–5 frontal frames' embeddings (ranked by detector score, sharpness and
//!   frontality); their mean is the probe.
//! * **Continuity** fails the session when a sampled embedding is ≥ 0.6 (L2) from the running mean of the
//!   session's frontal embeddings, or when the face box moves or rescales faster than a head can.
//! * **Retention**: live embeddings are boxed, zeroized on drop, never `Debug`-printed or serialised, and
//!   all of them are dropped by `finish` ([`LivenessSession::retained_embedding_count`] is then 0). The
//!   result holds scores, counts and timings only.

pub mod actions;
pub mod challenge;
pub mod config;
pub mod instruction;
pub mod matching;
pub mod observation;
mod quality;
pub mod result;
pub mod session;
pub mod synthetic;
mod timing;

pub use challenge::{Action, Challenge, ChallengeAction, ChallengeError};
pub use config::LivenessConfig;
pub use instruction::{Instruction, InstructionCode, InstructionParams};
pub use matching::{MatchCalibration, MatchScore, ReferenceEmbedding, ReferenceKind};
pub use observation::{EMBEDDING_DIM, Embedding, EmbeddingError, FaceObservation, FrameObservation};
pub use result::{Decision, FailureReason, SessionResult};
pub use session::{FrameError, FrameFeedback, LivenessSession, SessionState};
