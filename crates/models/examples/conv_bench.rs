//! The convolutions `faceproof_models::conv::conv2d` takes its own path for, on burn's CPU backend: the
//! networks' strided stems (im2col and burn's matmul) and YuNet's depthwise 3×3 shapes, against burn's
//! `Conv2d::forward`. Checks both agree within 1e-5, then prints ms per call (mean of 20 after one). Run it
//! single-threaded, as the browser module runs:
//! RAYON_NUM_THREADS=1 cargo run --release -p faceproof-models --features flex --example conv_bench
mod timing;
use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2dConfig;
use burn::prelude::*;
use burn::tensor::{Distribution, Tolerance};

fn main() {
    let device = Device::flex();
    // (network, input shape, output channels, kernel, padding (top, left, bottom, right))
    let stems = [
        ("YuNet", [1, 3, 640, 640], 16, 3, (1, 1, 1, 1)),
        ("FaceMesh", [1, 3, 192, 192], 16, 3, (0, 0, 1, 1)),
        ("Iris (2 eyes)", [2, 3, 64, 64], 64, 3, (0, 0, 1, 1)),
        ("MiniFASNet (each)", [1, 3, 80, 80], 32, 3, (1, 1, 1, 1)),
        ("dlib ResNet", [1, 3, 150, 150], 32, 7, (0, 0, 0, 0)),
    ];
    let depthwise = [[1, 16, 320, 320], [1, 32, 160, 160], [1, 64, 80, 80], [1, 64, 20, 20]];
    let cases = stems.into_iter().map(|(network, shape, out, kernel, padding)| (network, shape, out, kernel, padding, 2, 1));
    let cases = cases.chain(depthwise.into_iter().map(|shape| ("depthwise", shape, shape[1], 3, (1, 1, 1, 1), 1, shape[1])));
    for (network, shape, channels_out, kernel, (top, left, bottom, right), stride, groups) in cases {
        let conv = Conv2dConfig::new([shape[1], channels_out], [kernel, kernel])
            .with_stride([stride, stride])
            .with_groups(groups)
            .with_padding(PaddingConfig2d::Explicit(top, left, bottom, right))
            .init(&device);
        let x = Tensor::<4>::random(shape, Distribution::Uniform(0.0, 1.0), &device);
        let reference = conv.forward(x.clone()).into_data();
        faceproof_models::conv::conv2d(&conv, x.clone()).into_data().assert_approx_eq::<f32>(&reference, Tolerance::absolute(1e-5));
        // Each call gets a tensor of its own, as in the networks (a shared one would be copied out first).
        let pixels = x.into_data();
        let fresh = || Tensor::<4>::from_data(pixels.clone(), &device);
        let burn = timing::ms_per_call(&|| conv.forward(fresh()));
        let ours = timing::ms_per_call(&|| faceproof_models::conv::conv2d(&conv, fresh()));
        println!("{network} {shape:?} → {channels_out}, {kernel}×{kernel} stride {stride}: burn {burn:.2} ms, faceproof_models::conv {ours:.2} ms");
    }
}
