//! 2×2 max-pooling on burn's CPU backend: burn's `max_pool2d` against `faceproof_models::pool::max_pool2d`
//! (one pass over the data), a reshape and two `max_dim`s, and four strided slices with `max_pair`, on the
//! pool shapes of YuNet, FaceMesh and Iris. Checks all four agree exactly, then prints ms per call (mean of
//! 20 after one). Run it with RAYON_NUM_THREADS=1 to match the browser module's single thread.
//! Usage: cargo run --release -p faceproof-models --features flex --example pool_bench
mod timing;
use burn::nn::PaddingConfig2d;
use burn::nn::pool::MaxPool2dConfig;
use burn::prelude::*;
use burn::tensor::{Distribution, s};

fn by_slices(x: Tensor<4>) -> Tensor<4> {
    let a = x.clone().slice(s![.., .., 0..;2, 0..;2]);
    let b = x.clone().slice(s![.., .., 0..;2, 1..;2]);
    let c = x.clone().slice(s![.., .., 1..;2, 0..;2]);
    let d = x.slice(s![.., .., 1..;2, 1..;2]);
    a.max_pair(b).max_pair(c.max_pair(d))
}

fn by_reshape(x: Tensor<4>) -> Tensor<4> {
    let [batch, channels, height, width] = x.dims();
    x.reshape([batch, channels, height / 2, 2, width / 2, 2])
        .max_dim(5)
        .max_dim(3)
        .reshape([batch, channels, height / 2, width / 2])
}

fn main() {
    let device = Device::flex();
    let pool = MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).with_padding(PaddingConfig2d::Valid).init();
    for shape in [[1, 16, 320, 320], [1, 32, 160, 160], [1, 64, 80, 80], [1, 32, 96, 96], [2, 64, 32, 32]] {
        let x = Tensor::<4>::random(shape, Distribution::Uniform(-1.0, 1.0), &device);
        let reference = pool.forward(x.clone()).into_data();
        faceproof_models::pool::max_pool2d(&pool, x.clone()).into_data().assert_eq(&reference, true);
        by_slices(x.clone()).into_data().assert_eq(&reference, true);
        by_reshape(x.clone()).into_data().assert_eq(&reference, true);
        // Each call gets a tensor of its own, as in the networks (a shared one would be copied out first).
        let values = x.into_data();
        let fresh = || Tensor::<4>::from_data(values.clone(), &device);
        let burn = timing::ms_per_call(&|| pool.forward(fresh()));
        let one_pass = timing::ms_per_call(&|| faceproof_models::pool::max_pool2d(&pool, fresh()));
        let reshape = timing::ms_per_call(&|| by_reshape(fresh()));
        let slices = timing::ms_per_call(&|| by_slices(fresh()));
        println!("{shape:?}: burn max_pool2d {burn:.2} ms, one pass {one_pass:.2} ms, reshape + max_dim {reshape:.2} ms, strided slices {slices:.2} ms");
    }
}
