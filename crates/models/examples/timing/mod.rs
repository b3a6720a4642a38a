//! Shared by the examples that time burn against this crate's paths.
use burn::prelude::*;
use std::time::Instant;

/// Mean ms per call of `call` over 20 calls after one, each result read back.
pub fn ms_per_call(call: &dyn Fn() -> Tensor<4>) -> f64 {
    let _ = call().into_data();
    let start = Instant::now();
    for _ in 0..20 {
        let _ = call().into_data();
    }
    start.elapsed().as_secs_f64() * 1e3 / 20.0
}
