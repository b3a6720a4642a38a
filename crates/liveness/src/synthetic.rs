//! Synthetic observation sequences for tests and the detection report.
//!
//! **Everything here is synthesised**, not recorded: a scripted head (pose, eye openness, box) sampled at a
//! jittered frame rate with Gaussian measurement noise and randomly dropped frames, plus synthetic
//! "identities" (128-D vectors ~0.9 apart, samples of one identity ~0.2 apart, like dlib's scale). It exists
//! because no licence-clean head-turn video is available and the embedding stage is not wired in yet.

use crate::observation::{EMBEDDING_DIM, Embedding, FaceObservation, FrameObservation};

/// Small deterministic PRNG (SplitMix64) so sequences are reproducible without a `rand` dependency.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-12);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// A synthetic person: a fixed point in embedding space.
#[derive(Clone)]
pub struct SyntheticIdentity {
    centre: Vec<f32>,
}

impl std::fmt::Debug for SyntheticIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SyntheticIdentity(..)")
    }
}

impl SyntheticIdentity {
    /// Identities share a common mean and differ by a random offset of norm 0.65 (pairwise L2 ≈ 0.92).
    pub fn new(seed: u64) -> Self {
        let mut shared = SplitMix64::new(0xFACE);
        let common: Vec<f64> = (0..EMBEDDING_DIM).map(|_| shared.normal() * 0.06).collect();
        let mut rng = SplitMix64::new(seed.wrapping_mul(0x2545_F491_4F6C_DD1D).wrapping_add(1));
        let offset: Vec<f64> = (0..EMBEDDING_DIM).map(|_| rng.normal()).collect();
        let norm = offset.iter().map(|v| v * v).sum::<f64>().sqrt().max(1e-9);
        let centre = common.iter().zip(&offset).map(|(c, o)| (c + 0.65 * o / norm) as f32).collect();
        SyntheticIdentity { centre }
    }

    /// One noisy sample (per-dimension σ so that two samples are ≈ 0.2 apart).
    pub fn sample(&self, rng: &mut SplitMix64) -> Embedding {
        let sigma = 0.2 / (2.0 * EMBEDDING_DIM as f64).sqrt();
        let mut values = Box::new([0.0f32; EMBEDDING_DIM]);
        for (value, centre) in values.iter_mut().zip(&self.centre) {
            *value = centre + (rng.normal() * sigma) as f32;
        }
        Embedding::from_boxed_array(values)
    }

    pub fn centre(&self) -> &[f32] {
        &self.centre
    }
}

/// The scripted true state of the head at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadState {
    pub yaw_deg: f32,
    pub pitch_deg: f32,
    pub roll_deg: f32,
    pub left_eye_openness: f32,
    pub right_eye_openness: f32,
    pub centre: [f32; 2],
    pub width: f32,
    /// Box height / width.
    pub aspect: f32,
}

impl Default for HeadState {
    fn default() -> Self {
        HeadState {
            yaw_deg: 0.0,
            pitch_deg: 0.0,
            roll_deg: 0.0,
            left_eye_openness: 0.30,
            right_eye_openness: 0.30,
            centre: [320.0, 240.0],
            width: 180.0,
            aspect: 1.15,
        }
    }
}

fn lerp_state(a: &HeadState, b: &HeadState, t: f32) -> HeadState {
    let l = |x: f32, y: f32| x + (y - x) * t;
    HeadState {
        yaw_deg: l(a.yaw_deg, b.yaw_deg),
        pitch_deg: l(a.pitch_deg, b.pitch_deg),
        roll_deg: l(a.roll_deg, b.roll_deg),
        left_eye_openness: l(a.left_eye_openness, b.left_eye_openness),
        right_eye_openness: l(a.right_eye_openness, b.right_eye_openness),
        centre: [l(a.centre[0], b.centre[0]), l(a.centre[1], b.centre[1])],
        width: l(a.width, b.width),
        aspect: l(a.aspect, b.aspect),
    }
}

/// Capture and measurement imperfections.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Noise {
    pub fps: f64,
    /// Uniform ± jitter on each frame interval, ms.
    pub interval_jitter_ms: f64,
    /// Probability that a frame is dropped (never delivered).
    pub drop_probability: f64,
    /// σ of the measured yaw/pitch/roll, degrees.
    pub pose_sigma_deg: f32,
    /// σ of the measured eye openness.
    pub eye_sigma: f32,
    /// σ of the box centre, pixels.
    pub box_sigma_px: f32,
}

impl Default for Noise {
    fn default() -> Self {
        Noise { fps: 30.0, interval_jitter_ms: 4.0, drop_probability: 0.05, pose_sigma_deg: 1.5, eye_sigma: 0.012, box_sigma_px: 1.5 }
    }
}

/// Builds a frame sequence from scripted segments.
pub struct SequenceBuilder {
    rng: SplitMix64,
    noise: Noise,
    head: HeadState,
    timestamp_ms: f64,
    frame_index: u64,
    identity: Option<SyntheticIdentity>,
    /// Every n-th delivered frame carries an embedding / a live score.
    pub embedding_every: u64,
    pub live_score_every: u64,
    /// Mean live score of this sequence (0.9 live, 0.1 spoof).
    pub live_score_mean: f32,
    /// A second face of comparable size is in view.
    pub second_face: bool,
    pub frame_width: u32,
    pub frame_height: u32,
    frames: Vec<FrameObservation>,
}

impl SequenceBuilder {
    pub fn new(seed: u64, noise: Noise) -> Self {
        SequenceBuilder {
            rng: SplitMix64::new(seed),
            noise,
            head: HeadState::default(),
            timestamp_ms: 1000.0 + (seed % 1000) as f64,
            frame_index: 0,
            identity: None,
            embedding_every: 3,
            live_score_every: 5,
            live_score_mean: 0.9,
            second_face: false,
            frame_width: 640,
            frame_height: 480,
            frames: Vec::new(),
        }
    }

    pub fn with_identity(mut self, identity: SyntheticIdentity) -> Self {
        self.identity = Some(identity);
        self
    }

    /// Switches the person in view from now on (a face swap).
    pub fn set_identity(&mut self, identity: SyntheticIdentity) {
        self.identity = Some(identity);
    }

    pub fn head(&self) -> HeadState {
        self.head
    }

    /// Sets the head state instantly (no frames emitted).
    pub fn set_head(&mut self, head: HeadState) {
        self.head = head;
    }

    /// Moves linearly to `target` over `duration_ms`, emitting frames.
    pub fn move_to(&mut self, duration_ms: f64, target: HeadState) -> &mut Self {
        self.animate(duration_ms, |start, t| lerp_state(start, &target, t));
        self.head = target;
        self
    }

    pub fn hold(&mut self, duration_ms: f64) -> &mut Self {
        let head = self.head;
        self.move_to(duration_ms, head)
    }

    /// Emits frames for `duration_ms` with the head given by `state_at(start, fraction)`.
    pub fn animate(&mut self, duration_ms: f64, mut state_at: impl FnMut(&HeadState, f32) -> HeadState) -> &mut Self {
        let start = self.head;
        let end_ms = self.timestamp_ms + duration_ms;
        while self.timestamp_ms < end_ms {
            let t = (1.0 - (end_ms - self.timestamp_ms) / duration_ms.max(1e-9)).clamp(0.0, 1.0) as f32;
            let head = state_at(&start, t);
            if self.rng.uniform() >= self.noise.drop_probability {
                self.emit(&head);
            }
            let jitter = (self.rng.uniform() * 2.0 - 1.0) * self.noise.interval_jitter_ms;
            self.timestamp_ms += (1000.0 / self.noise.fps + jitter).max(1.0);
        }
        self.head = state_at(&start, 1.0);
        self
    }

    /// A blink: both eyes to `depth` × open and back within `duration_ms` (40 % closing, 20 % closed,
    /// 40 % opening). `depth` 0.1 is a full blink, 0.7 a half-blink.
    pub fn blink(&mut self, duration_ms: f64, depth: f32) -> &mut Self {
        self.eyes(duration_ms, depth, depth)
    }

    /// Per-eye closure (a wink closes one).
    pub fn eyes(&mut self, duration_ms: f64, left_depth: f32, right_depth: f32) -> &mut Self {
        let open = self.head;
        let profile = |t: f32| if t < 0.4 { t / 0.4 } else if t < 0.6 { 1.0 } else { (1.0 - t) / 0.4 };
        self.animate(duration_ms, |_, t| {
            let closure = profile(t);
            HeadState {
                left_eye_openness: open.left_eye_openness * (1.0 - closure * (1.0 - left_depth)),
                right_eye_openness: open.right_eye_openness * (1.0 - closure * (1.0 - right_depth)),
                ..open
            }
        });
        self.head = open;
        self
    }

    /// Turn (yaw) or nod (pitch) out to the angle over `out_ms`, hold, and back over `back_ms`.
    pub fn head_excursion(&mut self, yaw_deg: f32, pitch_deg: f32, out_ms: f64, hold_ms: f64, back_ms: f64) -> &mut Self {
        let home = self.head;
        // The box centre follows the nose a little (a turning head shifts its box).
        let shifted = HeadState {
            yaw_deg,
            pitch_deg,
            centre: [home.centre[0] + yaw_deg * 0.8, home.centre[1] + pitch_deg * 0.8],
            ..home
        };
        self.move_to(out_ms, shifted);
        self.hold(hold_ms);
        self.move_to(back_ms, home);
        self
    }

    /// A printed photo moved, scaled and rotated in the image plane: eye openness constant, pose only roll.
    pub fn photo_in_plane_motion(&mut self, duration_ms: f64, seed: u64) -> &mut Self {
        let mut rng = SplitMix64::new(seed);
        let amplitude_x = 20.0 + rng.uniform() as f32 * 60.0;
        let amplitude_y = 10.0 + rng.uniform() as f32 * 40.0;
        let scale_amplitude = 0.1 + rng.uniform() as f32 * 0.25;
        let roll_amplitude = 5.0 + rng.uniform() as f32 * 25.0;
        let cycles = 1.0 + rng.uniform() as f32 * 3.0;
        self.animate(duration_ms, |start, t| {
            let phase = t * cycles * std::f32::consts::TAU;
            HeadState {
                centre: [start.centre[0] + amplitude_x * phase.sin(), start.centre[1] + amplitude_y * (1.3 * phase).sin()],
                width: start.width * (1.0 + scale_amplitude * (0.7 * phase).sin()),
                roll_deg: roll_amplitude * (0.9 * phase).sin(),
                ..*start
            }
        })
    }

    /// A printed photo tilted about its horizontal axis to `tilt_deg` and back: the eyes and the box
    /// foreshorten by cos(tilt) together and the pose estimator reports part of it as pitch.
    pub fn photo_tilt(&mut self, duration_ms: f64, tilt_deg: f32) -> &mut Self {
        self.animate(duration_ms, |start, t| {
            let angle = tilt_deg * (t * std::f32::consts::PI).sin();
            let squash = angle.to_radians().cos();
            HeadState {
                left_eye_openness: start.left_eye_openness * squash,
                right_eye_openness: start.right_eye_openness * squash,
                aspect: start.aspect * squash,
                pitch_deg: start.pitch_deg + 0.5 * angle,
                ..*start
            }
        })
    }

    fn emit(&mut self, head: &HeadState) {
        let noise = self.noise;
        let rng = &mut self.rng;
        let mut gauss = |sigma: f32| (rng.normal() as f32) * sigma;
        let width = head.width * (1.0 + gauss(0.01));
        // Box height has its own detector noise (the blink guard watches the aspect ratio).
        let height = width * head.aspect * (1.0 + gauss(0.01));
        let centre = [head.centre[0] + gauss(noise.box_sigma_px), head.centre[1] + gauss(noise.box_sigma_px)];
        let bbox = [centre[0] - width / 2.0, centre[1] - height / 2.0, width, height];
        let mut face = FaceObservation {
            bbox,
            detector_score: (0.92 + gauss(0.02)).clamp(0.0, 1.0),
            yaw_deg: (head.yaw_deg + gauss(noise.pose_sigma_deg)).clamp(-90.0, 90.0),
            pitch_deg: (head.pitch_deg + gauss(noise.pose_sigma_deg)).clamp(-90.0, 90.0),
            roll_deg: (head.roll_deg + gauss(noise.pose_sigma_deg)).clamp(-90.0, 90.0),
            left_eye_openness: (head.left_eye_openness + gauss(noise.eye_sigma)).clamp(0.0, 1.0),
            right_eye_openness: (head.right_eye_openness + gauss(noise.eye_sigma)).clamp(0.0, 1.0),
            live_score: None,
            embedding: None,
        };
        if self.frame_index.is_multiple_of(self.live_score_every.max(1)) {
            face.live_score = Some((self.live_score_mean + gauss(0.05)).clamp(0.0, 1.0));
        }
        if self.frame_index.is_multiple_of(self.embedding_every.max(1))
            && let Some(identity) = &self.identity {
                face.embedding = Some(identity.sample(&mut self.rng));
            }
        let mut faces = vec![face];
        if self.second_face {
            faces.push(FaceObservation {
                bbox: [20.0, 40.0, head.width * 0.8, head.width * 0.8 * head.aspect],
                detector_score: 0.9,
                yaw_deg: 0.0,
                pitch_deg: 0.0,
                roll_deg: 0.0,
                left_eye_openness: 0.3,
                right_eye_openness: 0.3,
                live_score: None,
                embedding: None,
            });
        }
        let brightness = 120.0 + (self.rng.normal() as f32) * 3.0;
        let sharpness = 150.0 + (self.rng.normal() as f32) * 10.0;
        self.frames.push(FrameObservation {
            timestamp_ms: self.timestamp_ms,
            frame_width: self.frame_width,
            frame_height: self.frame_height,
            brightness,
            sharpness: sharpness.max(0.0),
            faces,
        });
        self.frame_index += 1;
    }

    /// The frames emitted so far (the builder keeps going afterwards).
    pub fn take_frames(&mut self) -> Vec<FrameObservation> {
        std::mem::take(&mut self.frames)
    }
}
