//! Max-pooling for the generated networks (the converter routes their `MaxPool2d` calls here).
//!
//! Every pool in YuNet, FaceMesh and Iris is 2×2 with stride 2. burn-flex computes any max-pool through its
//! 3-D pool *with indices* and drops the indices (a quarter of YuNet's instructions under callgrind). A
//! reshape and two `max_dim`s was ~2× faster natively, but in wasm `max_dim` over a dimension of 2 was
//! still ~13 % of the worker's time (tests/browser/bench/cpu_frame_profile.sh). On flex the pool is now one
//! pass over the tensor's data (`examples/pool_bench.rs` times it against the other three). Other pools,
//! odd sizes and GPU devices (one pool kernel beats copying the data out) take burn's own path.

use burn::nn::PaddingConfig2d;
use burn::nn::pool::MaxPool2d;
use burn::prelude::*;
use burn::tensor::TensorData;

/// `pool.forward(input)`, through the 2×2 fast path where it gives the same result.
pub fn max_pool2d(pool: &MaxPool2d, input: Tensor<4>) -> Tensor<4> {
    let [batch, channels, height, width] = input.dims();
    let two_by_two = pool.kernel_size == [2, 2]
        && pool.stride == [2, 2]
        && pool.dilation == [1, 1]
        && matches!(pool.padding, PaddingConfig2d::Valid)
        && height % 2 == 0
        && width % 2 == 0
        && height > 0
        && width > 0;
    if two_by_two && crate::on_flex(&input) {
        let device = input.device();
        let data = input.into_data().convert::<f32>();
        return match data.as_slice::<f32>() {
            Ok(values) => Tensor::from_data(
                TensorData::new(max_2x2(values, height, width), [batch, channels, height / 2, width / 2]),
                &device,
            ),
            // Not reachable with f32 data; burn's path keeps the result right if it ever is.
            Err(_) => pool.forward(Tensor::from_data(data, &device)),
        };
    }
    pool.forward(input)
}

/// The maximum of each 2×2 block of every `height`×`width` plane in `values` (both even).
fn max_2x2(values: &[f32], height: usize, width: usize) -> Vec<f32> {
    // `if a > b` rather than `f32::max`: its NaN rule costs a compare-and-select chain per call in wasm.
    let larger = |a: f32, b: f32| if a > b { a } else { b };
    let mut pooled = vec![0f32; values.len() / 4];
    // The maximum down each column pair first (contiguous, so it vectorises), then across each pair.
    let mut columns = vec![0f32; width];
    for (out_row, row_pair) in pooled.chunks_exact_mut(width / 2).zip(values.chunks_exact(2 * width)) {
        let (top, bottom) = row_pair.split_at(width);
        for ((column, &top), &bottom) in columns.iter_mut().zip(top).zip(bottom) {
            *column = larger(top, bottom);
        }
        for (out, pair) in out_row.iter_mut().zip(columns.chunks_exact(2)) {
            *out = larger(pair[0], pair[1]);
        }
    }
    debug_assert_eq!(pooled.len() * 4, height * width * (values.len() / (height * width)));
    pooled
}

#[cfg(all(test, feature = "flex"))]
mod tests {
    use super::*;
    use burn::nn::pool::MaxPool2dConfig;
    use burn::tensor::Distribution;

    #[test]
    fn the_fast_path_equals_burns_pool() {
        let device = Device::flex();
        let pool = MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).with_padding(PaddingConfig2d::Valid).init();
        for shape in [[1, 16, 320, 320], [2, 3, 6, 4], [1, 1, 2, 2]] {
            let x = Tensor::<4>::random(shape, Distribution::Uniform(-1.0, 1.0), &device);
            let fast = max_pool2d(&pool, x.clone());
            assert_eq!(fast.dims(), [shape[0], shape[1], shape[2] / 2, shape[3] / 2]);
            fast.into_data().assert_eq(&pool.forward(x).into_data(), true);
        }
        // Odd sizes take burn's path (floor mode drops the last row and column).
        let odd = Tensor::<4>::random([1, 2, 5, 7], Distribution::Uniform(-1.0, 1.0), &device);
        assert_eq!(max_pool2d(&pool, odd).dims(), [1, 2, 2, 3]);
    }
}
