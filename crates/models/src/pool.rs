//! Max-pooling for the generated networks (the converter routes their `MaxPool2d` calls here).
//!
//! Every pool in YuNet, FaceMesh and Iris is 2×2 with stride 2. burn-flex computes any max-pool through its
//! 3-D pool *with indices* and drops the indices (a quarter of YuNet's instructions under callgrind); on
//! flex, the same 2×2 maximum as a reshape and two `max_dim`s is exact and ~2× faster
//! (`examples/pool_bench.rs`). Other pools, odd sizes and GPU devices (one pool kernel beats three
//! dispatches) take burn's own path.

use burn::nn::PaddingConfig2d;
use burn::nn::pool::MaxPool2d;
use burn::prelude::*;

/// `pool.forward(input)`, through the 2×2 fast path where it gives the same result.
pub fn max_pool2d(pool: &MaxPool2d, input: Tensor<4>) -> Tensor<4> {
    let [batch, channels, height, width] = input.dims();
    let two_by_two = pool.kernel_size == [2, 2]
        && pool.stride == [2, 2]
        && pool.dilation == [1, 1]
        && matches!(pool.padding, PaddingConfig2d::Valid)
        && height % 2 == 0
        && width % 2 == 0;
    if two_by_two && on_flex(&input) {
        return input
            .reshape([batch, channels, height / 2, 2, width / 2, 2])
            .max_dim(5)
            .max_dim(3)
            .reshape([batch, channels, height / 2, width / 2]);
    }
    pool.forward(input)
}

#[cfg(feature = "flex")]
fn on_flex(input: &Tensor<4>) -> bool {
    input.device() == Device::flex()
}

#[cfg(not(feature = "flex"))]
fn on_flex(_: &Tensor<4>) -> bool {
    false
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
