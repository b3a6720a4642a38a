//! Known input → known output on a backend before it is trusted. A browser's WebGPU adapter can be
//! present and still compute wrongly (driver bugs, software fallbacks with missing features); the host runs
//! the anti-spoof networks (convolutions, batch norm, PReLU, pooling, linear, softmax: most of what the
//! other networks use) on a fixed input on the device under test and on a reference (burn's CPU backend),
//! and uses the device only when they agree.

use faceproof_antispoof::{AntiSpoof, AntiSpoofCrops, CROP_SIZE, CropRect};

use crate::{SessionError, Stages};

/// Largest softmax difference the device may show against the reference (the models' own parity bound).
pub const SELF_TEST_TOLERANCE: f32 = 1e-3;

/// What the self-test measured.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SelfTest {
    pub max_abs_diff: f32,
    pub passed: bool,
}

/// A fixed, face-like-busy input for both networks: planar BGR 0..255, a smooth gradient per channel with a
/// fine checker on top (so every filter sees structure, not a constant).
fn test_crops() -> AntiSpoofCrops {
    let side = CROP_SIZE;
    let plane = |channel: usize, phase: usize| -> Vec<f32> {
        (0..side * side)
            .map(|i| {
                let (y, x) = (i / side, i % side);
                let gradient = ((x * 3 + y * 2 + channel * 40 + phase * 17) % 256) as f32;
                let checker = if (x / 4 + y / 4 + phase) % 2 == 0 { 24.0 } else { -24.0 };
                (gradient + checker).clamp(0.0, 255.0)
            })
            .collect()
    };
    let crop = |phase: usize| (0..3).flat_map(|c| plane(c, phase)).collect();
    let rect = CropRect { left: 0, top: 0, right: side as u32, bottom: side as u32 };
    AntiSpoofCrops { v2: crop(0), v1se: crop(1), rect_v2: rect, rect_v1se: rect }
}

impl Stages {
    /// Runs the fixed input through this device's anti-spoof networks and through `reference` (the same
    /// weights on burn's CPU backend) and compares every softmax value.
    pub async fn self_test(&self, reference: &AntiSpoof) -> Result<SelfTest, SessionError> {
        let crops = [test_crops()];
        let on_device = self.antispoof.check_crops(&crops).await?;
        let expected = reference.check_crops(&crops).await?;
        let max_abs_diff = on_device
            .iter()
            .zip(&expected)
            .flat_map(|(got, want)| {
                let got = got.softmax_v2.iter().chain(&got.softmax_v1se);
                let want = want.softmax_v2.iter().chain(&want.softmax_v1se);
                got.zip(want).map(|(a, b)| (a - b).abs()).collect::<Vec<_>>()
            })
            // NaN must fail the test: fold with a comparison that keeps it.
            .fold(0.0f32, |worst, d| if d.is_nan() || worst.is_nan() { f32::NAN } else { worst.max(d) });
        let passed = on_device.len() == expected.len() && max_abs_diff <= SELF_TEST_TOLERANCE;
        Ok(SelfTest { max_abs_diff, passed })
    }
}
