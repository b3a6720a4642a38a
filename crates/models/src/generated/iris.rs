// Generated from ONNX "iris_landmark.onnx" by burn-onnx 0.22.0 (faceproof-convert). Do not edit.
extern crate alloc;
use burn::prelude::*;
use burn::nn::PRelu;
use burn::nn::PReluConfig;
use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2d;
use burn::nn::conv::Conv2dConfig;
use burn::nn::pool::MaxPool2d;
use burn::nn::pool::MaxPool2dConfig;


#[derive(Module, Debug)]
pub struct Model {
    conv2d1: Conv2d,
    prelu1: PRelu,
    conv2d2: Conv2d,
    prelu2: PRelu,
    conv2d3: Conv2d,
    conv2d4: Conv2d,
    prelu3: PRelu,
    conv2d5: Conv2d,
    prelu4: PRelu,
    conv2d6: Conv2d,
    conv2d7: Conv2d,
    prelu5: PRelu,
    conv2d8: Conv2d,
    prelu6: PRelu,
    conv2d9: Conv2d,
    conv2d10: Conv2d,
    prelu7: PRelu,
    conv2d11: Conv2d,
    prelu8: PRelu,
    conv2d12: Conv2d,
    conv2d13: Conv2d,
    prelu9: PRelu,
    conv2d14: Conv2d,
    prelu10: PRelu,
    conv2d15: Conv2d,
    maxpool2d1: MaxPool2d,
    conv2d16: Conv2d,
    prelu11: PRelu,
    conv2d17: Conv2d,
    prelu12: PRelu,
    conv2d18: Conv2d,
    conv2d19: Conv2d,
    prelu13: PRelu,
    conv2d20: Conv2d,
    prelu14: PRelu,
    conv2d21: Conv2d,
    conv2d22: Conv2d,
    prelu15: PRelu,
    conv2d23: Conv2d,
    prelu16: PRelu,
    conv2d24: Conv2d,
    conv2d25: Conv2d,
    prelu17: PRelu,
    conv2d26: Conv2d,
    prelu18: PRelu,
    conv2d27: Conv2d,
    conv2d28: Conv2d,
    prelu19: PRelu,
    conv2d29: Conv2d,
    prelu20: PRelu,
    conv2d30: Conv2d,
    conv2d31: Conv2d,
    maxpool2d2: MaxPool2d,
    prelu21: PRelu,
    conv2d32: Conv2d,
    conv2d33: Conv2d,
    prelu22: PRelu,
    prelu23: PRelu,
    conv2d34: Conv2d,
    conv2d35: Conv2d,
    conv2d36: Conv2d,
    conv2d37: Conv2d,
    prelu24: PRelu,
    prelu25: PRelu,
    conv2d38: Conv2d,
    conv2d39: Conv2d,
    prelu26: PRelu,
    prelu27: PRelu,
    conv2d40: Conv2d,
    conv2d41: Conv2d,
    conv2d42: Conv2d,
    conv2d43: Conv2d,
    prelu28: PRelu,
    prelu29: PRelu,
    conv2d44: Conv2d,
    conv2d45: Conv2d,
    prelu30: PRelu,
    prelu31: PRelu,
    conv2d46: Conv2d,
    conv2d47: Conv2d,
    conv2d48: Conv2d,
    conv2d49: Conv2d,
    maxpool2d3: MaxPool2d,
    maxpool2d4: MaxPool2d,
    prelu32: PRelu,
    prelu33: PRelu,
    conv2d50: Conv2d,
    conv2d51: Conv2d,
    prelu34: PRelu,
    prelu35: PRelu,
    conv2d52: Conv2d,
    conv2d53: Conv2d,
    conv2d54: Conv2d,
    conv2d55: Conv2d,
    prelu36: PRelu,
    prelu37: PRelu,
    conv2d56: Conv2d,
    conv2d57: Conv2d,
    prelu38: PRelu,
    prelu39: PRelu,
    conv2d58: Conv2d,
    conv2d59: Conv2d,
    conv2d60: Conv2d,
    conv2d61: Conv2d,
    prelu40: PRelu,
    prelu41: PRelu,
    conv2d62: Conv2d,
    conv2d63: Conv2d,
    prelu42: PRelu,
    prelu43: PRelu,
    conv2d64: Conv2d,
    conv2d65: Conv2d,
    conv2d66: Conv2d,
    conv2d67: Conv2d,
    maxpool2d5: MaxPool2d,
    maxpool2d6: MaxPool2d,
    prelu44: PRelu,
    prelu45: PRelu,
    conv2d68: Conv2d,
    conv2d69: Conv2d,
    prelu46: PRelu,
    prelu47: PRelu,
    conv2d70: Conv2d,
    conv2d71: Conv2d,
    conv2d72: Conv2d,
    conv2d73: Conv2d,
    prelu48: PRelu,
    prelu49: PRelu,
    conv2d74: Conv2d,
    conv2d75: Conv2d,
    prelu50: PRelu,
    prelu51: PRelu,
    conv2d76: Conv2d,
    conv2d77: Conv2d,
    conv2d78: Conv2d,
    conv2d79: Conv2d,
    prelu52: PRelu,
    prelu53: PRelu,
    conv2d80: Conv2d,
    conv2d81: Conv2d,
    #[module(skip)]
    device: Device,
}

impl Model {
    #[allow(unused_variables)]
    pub fn new(device: &Device) -> Self {
        let conv2d1 = Conv2dConfig::new([3, 64], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(0, 0, 1, 1))
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu1 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d2 = Conv2dConfig::new([64, 32], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu2 = PReluConfig::new().with_num_parameters(32).init(device);
        let conv2d3 = Conv2dConfig::new([32, 32], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(32)
            .with_bias(true)
            .init(device);
        let conv2d4 = Conv2dConfig::new([32, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu3 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d5 = Conv2dConfig::new([64, 32], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu4 = PReluConfig::new().with_num_parameters(32).init(device);
        let conv2d6 = Conv2dConfig::new([32, 32], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(32)
            .with_bias(true)
            .init(device);
        let conv2d7 = Conv2dConfig::new([32, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu5 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d8 = Conv2dConfig::new([64, 32], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu6 = PReluConfig::new().with_num_parameters(32).init(device);
        let conv2d9 = Conv2dConfig::new([32, 32], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(32)
            .with_bias(true)
            .init(device);
        let conv2d10 = Conv2dConfig::new([32, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu7 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d11 = Conv2dConfig::new([64, 32], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu8 = PReluConfig::new().with_num_parameters(32).init(device);
        let conv2d12 = Conv2dConfig::new([32, 32], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(32)
            .with_bias(true)
            .init(device);
        let conv2d13 = Conv2dConfig::new([32, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu9 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d14 = Conv2dConfig::new([64, 64], [2, 2])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu10 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d15 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let maxpool2d1 = MaxPool2dConfig::new([2, 2])
            .with_strides([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_ceil_mode(false)
            .init();
        let conv2d16 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu11 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d17 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu12 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d18 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d19 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu13 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d20 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu14 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d21 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d22 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu15 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d23 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu16 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d24 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d25 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu17 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d26 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu18 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d27 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d28 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu19 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d29 = Conv2dConfig::new([128, 64], [2, 2])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu20 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d30 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d31 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let maxpool2d2 = MaxPool2dConfig::new([2, 2])
            .with_strides([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_ceil_mode(false)
            .init();
        let prelu21 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d32 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d33 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu22 = PReluConfig::new().with_num_parameters(64).init(device);
        let prelu23 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d34 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d35 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d36 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d37 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu24 = PReluConfig::new().with_num_parameters(128).init(device);
        let prelu25 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d38 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d39 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu26 = PReluConfig::new().with_num_parameters(64).init(device);
        let prelu27 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d40 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d41 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d42 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d43 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu28 = PReluConfig::new().with_num_parameters(128).init(device);
        let prelu29 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d44 = Conv2dConfig::new([128, 64], [2, 2])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d45 = Conv2dConfig::new([128, 64], [2, 2])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu30 = PReluConfig::new().with_num_parameters(64).init(device);
        let prelu31 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d46 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d47 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d48 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d49 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let maxpool2d3 = MaxPool2dConfig::new([2, 2])
            .with_strides([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_ceil_mode(false)
            .init();
        let maxpool2d4 = MaxPool2dConfig::new([2, 2])
            .with_strides([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_ceil_mode(false)
            .init();
        let prelu32 = PReluConfig::new().with_num_parameters(128).init(device);
        let prelu33 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d50 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d51 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu34 = PReluConfig::new().with_num_parameters(64).init(device);
        let prelu35 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d52 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d53 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d54 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d55 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu36 = PReluConfig::new().with_num_parameters(128).init(device);
        let prelu37 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d56 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d57 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu38 = PReluConfig::new().with_num_parameters(64).init(device);
        let prelu39 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d58 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d59 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d60 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d61 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu40 = PReluConfig::new().with_num_parameters(128).init(device);
        let prelu41 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d62 = Conv2dConfig::new([128, 64], [2, 2])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d63 = Conv2dConfig::new([128, 64], [2, 2])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu42 = PReluConfig::new().with_num_parameters(64).init(device);
        let prelu43 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d64 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d65 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d66 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d67 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let maxpool2d5 = MaxPool2dConfig::new([2, 2])
            .with_strides([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_ceil_mode(false)
            .init();
        let maxpool2d6 = MaxPool2dConfig::new([2, 2])
            .with_strides([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_ceil_mode(false)
            .init();
        let prelu44 = PReluConfig::new().with_num_parameters(128).init(device);
        let prelu45 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d68 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d69 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu46 = PReluConfig::new().with_num_parameters(64).init(device);
        let prelu47 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d70 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d71 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d72 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d73 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu48 = PReluConfig::new().with_num_parameters(128).init(device);
        let prelu49 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d74 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d75 = Conv2dConfig::new([128, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu50 = PReluConfig::new().with_num_parameters(64).init(device);
        let prelu51 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d76 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d77 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d78 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d79 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu52 = PReluConfig::new().with_num_parameters(128).init(device);
        let prelu53 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d80 = Conv2dConfig::new([128, 213], [2, 2])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d81 = Conv2dConfig::new([128, 15], [2, 2])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        Self {
            conv2d1,
            prelu1,
            conv2d2,
            prelu2,
            conv2d3,
            conv2d4,
            prelu3,
            conv2d5,
            prelu4,
            conv2d6,
            conv2d7,
            prelu5,
            conv2d8,
            prelu6,
            conv2d9,
            conv2d10,
            prelu7,
            conv2d11,
            prelu8,
            conv2d12,
            conv2d13,
            prelu9,
            conv2d14,
            prelu10,
            conv2d15,
            maxpool2d1,
            conv2d16,
            prelu11,
            conv2d17,
            prelu12,
            conv2d18,
            conv2d19,
            prelu13,
            conv2d20,
            prelu14,
            conv2d21,
            conv2d22,
            prelu15,
            conv2d23,
            prelu16,
            conv2d24,
            conv2d25,
            prelu17,
            conv2d26,
            prelu18,
            conv2d27,
            conv2d28,
            prelu19,
            conv2d29,
            prelu20,
            conv2d30,
            conv2d31,
            maxpool2d2,
            prelu21,
            conv2d32,
            conv2d33,
            prelu22,
            prelu23,
            conv2d34,
            conv2d35,
            conv2d36,
            conv2d37,
            prelu24,
            prelu25,
            conv2d38,
            conv2d39,
            prelu26,
            prelu27,
            conv2d40,
            conv2d41,
            conv2d42,
            conv2d43,
            prelu28,
            prelu29,
            conv2d44,
            conv2d45,
            prelu30,
            prelu31,
            conv2d46,
            conv2d47,
            conv2d48,
            conv2d49,
            maxpool2d3,
            maxpool2d4,
            prelu32,
            prelu33,
            conv2d50,
            conv2d51,
            prelu34,
            prelu35,
            conv2d52,
            conv2d53,
            conv2d54,
            conv2d55,
            prelu36,
            prelu37,
            conv2d56,
            conv2d57,
            prelu38,
            prelu39,
            conv2d58,
            conv2d59,
            conv2d60,
            conv2d61,
            prelu40,
            prelu41,
            conv2d62,
            conv2d63,
            prelu42,
            prelu43,
            conv2d64,
            conv2d65,
            conv2d66,
            conv2d67,
            maxpool2d5,
            maxpool2d6,
            prelu44,
            prelu45,
            conv2d68,
            conv2d69,
            prelu46,
            prelu47,
            conv2d70,
            conv2d71,
            conv2d72,
            conv2d73,
            prelu48,
            prelu49,
            conv2d74,
            conv2d75,
            prelu50,
            prelu51,
            conv2d76,
            conv2d77,
            conv2d78,
            conv2d79,
            prelu52,
            prelu53,
            conv2d80,
            conv2d81,
            device: device.clone(),
        }
    }

    #[allow(clippy::let_and_return, clippy::approx_constant)]
    pub fn forward(&self, input_1: Tensor<4>) -> (Tensor<2>, Tensor<2>) {
        let conv2d1_out1 = crate::conv::conv2d(&self.conv2d1, input_1);
        let prelu1_out1 = self.prelu1.forward(conv2d1_out1);
        let conv2d2_out1 = crate::conv::conv2d(&self.conv2d2, prelu1_out1.clone());
        let prelu2_out1 = self.prelu2.forward(conv2d2_out1);
        let conv2d3_out1 = crate::conv::conv2d(&self.conv2d3, prelu2_out1);
        let conv2d4_out1 = crate::conv::conv2d(&self.conv2d4, conv2d3_out1);
        let add1_out1 = prelu1_out1.add(conv2d4_out1);
        let prelu3_out1 = self.prelu3.forward(add1_out1);
        let conv2d5_out1 = crate::conv::conv2d(&self.conv2d5, prelu3_out1.clone());
        let prelu4_out1 = self.prelu4.forward(conv2d5_out1);
        let conv2d6_out1 = crate::conv::conv2d(&self.conv2d6, prelu4_out1);
        let conv2d7_out1 = crate::conv::conv2d(&self.conv2d7, conv2d6_out1);
        let add2_out1 = prelu3_out1.add(conv2d7_out1);
        let prelu5_out1 = self.prelu5.forward(add2_out1);
        let conv2d8_out1 = crate::conv::conv2d(&self.conv2d8, prelu5_out1.clone());
        let prelu6_out1 = self.prelu6.forward(conv2d8_out1);
        let conv2d9_out1 = crate::conv::conv2d(&self.conv2d9, prelu6_out1);
        let conv2d10_out1 = crate::conv::conv2d(&self.conv2d10, conv2d9_out1);
        let add3_out1 = prelu5_out1.add(conv2d10_out1);
        let prelu7_out1 = self.prelu7.forward(add3_out1);
        let conv2d11_out1 = crate::conv::conv2d(&self.conv2d11, prelu7_out1.clone());
        let prelu8_out1 = self.prelu8.forward(conv2d11_out1);
        let conv2d12_out1 = crate::conv::conv2d(&self.conv2d12, prelu8_out1);
        let conv2d13_out1 = crate::conv::conv2d(&self.conv2d13, conv2d12_out1);
        let add4_out1 = prelu7_out1.add(conv2d13_out1);
        let prelu9_out1 = self.prelu9.forward(add4_out1);
        let conv2d14_out1 = crate::conv::conv2d(&self.conv2d14, prelu9_out1.clone());
        let prelu10_out1 = self.prelu10.forward(conv2d14_out1);
        let conv2d15_out1 = crate::conv::conv2d(&self.conv2d15, prelu10_out1);
        let maxpool2d1_out1 = crate::pool::max_pool2d(&self.maxpool2d1, prelu9_out1);
        let conv2d16_out1 = crate::conv::conv2d(&self.conv2d16, conv2d15_out1);
        let pad1_out1 = maxpool2d1_out1
            .pad(
                [
                    (0usize, 0usize),
                    (0usize, 64usize),
                    (0usize, 0usize),
                    (0usize, 0usize),
                ],
                burn::tensor::ops::PadMode::Constant(0f32),
            );
        let add5_out1 = pad1_out1.add(conv2d16_out1);
        let prelu11_out1 = self.prelu11.forward(add5_out1);
        let conv2d17_out1 = crate::conv::conv2d(&self.conv2d17, prelu11_out1.clone());
        let prelu12_out1 = self.prelu12.forward(conv2d17_out1);
        let conv2d18_out1 = crate::conv::conv2d(&self.conv2d18, prelu12_out1);
        let conv2d19_out1 = crate::conv::conv2d(&self.conv2d19, conv2d18_out1);
        let add6_out1 = prelu11_out1.add(conv2d19_out1);
        let prelu13_out1 = self.prelu13.forward(add6_out1);
        let conv2d20_out1 = crate::conv::conv2d(&self.conv2d20, prelu13_out1.clone());
        let prelu14_out1 = self.prelu14.forward(conv2d20_out1);
        let conv2d21_out1 = crate::conv::conv2d(&self.conv2d21, prelu14_out1);
        let conv2d22_out1 = crate::conv::conv2d(&self.conv2d22, conv2d21_out1);
        let add7_out1 = prelu13_out1.add(conv2d22_out1);
        let prelu15_out1 = self.prelu15.forward(add7_out1);
        let conv2d23_out1 = crate::conv::conv2d(&self.conv2d23, prelu15_out1.clone());
        let prelu16_out1 = self.prelu16.forward(conv2d23_out1);
        let conv2d24_out1 = crate::conv::conv2d(&self.conv2d24, prelu16_out1);
        let conv2d25_out1 = crate::conv::conv2d(&self.conv2d25, conv2d24_out1);
        let add8_out1 = prelu15_out1.add(conv2d25_out1);
        let prelu17_out1 = self.prelu17.forward(add8_out1);
        let conv2d26_out1 = crate::conv::conv2d(&self.conv2d26, prelu17_out1.clone());
        let prelu18_out1 = self.prelu18.forward(conv2d26_out1);
        let conv2d27_out1 = crate::conv::conv2d(&self.conv2d27, prelu18_out1);
        let conv2d28_out1 = crate::conv::conv2d(&self.conv2d28, conv2d27_out1);
        let add9_out1 = prelu17_out1.add(conv2d28_out1);
        let prelu19_out1 = self.prelu19.forward(add9_out1);
        let conv2d29_out1 = crate::conv::conv2d(&self.conv2d29, prelu19_out1.clone());
        let prelu20_out1 = self.prelu20.forward(conv2d29_out1);
        let conv2d30_out1 = crate::conv::conv2d(&self.conv2d30, prelu20_out1);
        let conv2d31_out1 = crate::conv::conv2d(&self.conv2d31, conv2d30_out1);
        let maxpool2d2_out1 = crate::pool::max_pool2d(&self.maxpool2d2, prelu19_out1);
        let add10_out1 = maxpool2d2_out1.add(conv2d31_out1);
        let prelu21_out1 = self.prelu21.forward(add10_out1);
        let conv2d32_out1 = crate::conv::conv2d(&self.conv2d32, prelu21_out1.clone());
        let conv2d33_out1 = crate::conv::conv2d(&self.conv2d33, prelu21_out1.clone());
        let prelu22_out1 = self.prelu22.forward(conv2d32_out1);
        let prelu23_out1 = self.prelu23.forward(conv2d33_out1);
        let conv2d34_out1 = crate::conv::conv2d(&self.conv2d34, prelu22_out1);
        let conv2d35_out1 = crate::conv::conv2d(&self.conv2d35, prelu23_out1);
        let conv2d36_out1 = crate::conv::conv2d(&self.conv2d36, conv2d34_out1);
        let conv2d37_out1 = crate::conv::conv2d(&self.conv2d37, conv2d35_out1);
        let add11_out1 = prelu21_out1.clone().add(conv2d36_out1);
        let add12_out1 = prelu21_out1.add(conv2d37_out1);
        let prelu24_out1 = self.prelu24.forward(add11_out1);
        let prelu25_out1 = self.prelu25.forward(add12_out1);
        let conv2d38_out1 = crate::conv::conv2d(&self.conv2d38, prelu24_out1.clone());
        let conv2d39_out1 = crate::conv::conv2d(&self.conv2d39, prelu25_out1.clone());
        let prelu26_out1 = self.prelu26.forward(conv2d38_out1);
        let prelu27_out1 = self.prelu27.forward(conv2d39_out1);
        let conv2d40_out1 = crate::conv::conv2d(&self.conv2d40, prelu26_out1);
        let conv2d41_out1 = crate::conv::conv2d(&self.conv2d41, prelu27_out1);
        let conv2d42_out1 = crate::conv::conv2d(&self.conv2d42, conv2d40_out1);
        let conv2d43_out1 = crate::conv::conv2d(&self.conv2d43, conv2d41_out1);
        let add13_out1 = prelu24_out1.add(conv2d42_out1);
        let add14_out1 = prelu25_out1.add(conv2d43_out1);
        let prelu28_out1 = self.prelu28.forward(add13_out1);
        let prelu29_out1 = self.prelu29.forward(add14_out1);
        let conv2d44_out1 = crate::conv::conv2d(&self.conv2d44, prelu28_out1.clone());
        let conv2d45_out1 = crate::conv::conv2d(&self.conv2d45, prelu29_out1.clone());
        let prelu30_out1 = self.prelu30.forward(conv2d44_out1);
        let prelu31_out1 = self.prelu31.forward(conv2d45_out1);
        let conv2d46_out1 = crate::conv::conv2d(&self.conv2d46, prelu30_out1);
        let conv2d47_out1 = crate::conv::conv2d(&self.conv2d47, prelu31_out1);
        let conv2d48_out1 = crate::conv::conv2d(&self.conv2d48, conv2d46_out1);
        let conv2d49_out1 = crate::conv::conv2d(&self.conv2d49, conv2d47_out1);
        let maxpool2d3_out1 = crate::pool::max_pool2d(&self.maxpool2d3, prelu28_out1);
        let maxpool2d4_out1 = crate::pool::max_pool2d(&self.maxpool2d4, prelu29_out1);
        let add15_out1 = maxpool2d3_out1.add(conv2d48_out1);
        let add16_out1 = maxpool2d4_out1.add(conv2d49_out1);
        let prelu32_out1 = self.prelu32.forward(add15_out1);
        let prelu33_out1 = self.prelu33.forward(add16_out1);
        let conv2d50_out1 = crate::conv::conv2d(&self.conv2d50, prelu32_out1.clone());
        let conv2d51_out1 = crate::conv::conv2d(&self.conv2d51, prelu33_out1.clone());
        let prelu34_out1 = self.prelu34.forward(conv2d50_out1);
        let prelu35_out1 = self.prelu35.forward(conv2d51_out1);
        let conv2d52_out1 = crate::conv::conv2d(&self.conv2d52, prelu34_out1);
        let conv2d53_out1 = crate::conv::conv2d(&self.conv2d53, prelu35_out1);
        let conv2d54_out1 = crate::conv::conv2d(&self.conv2d54, conv2d52_out1);
        let conv2d55_out1 = crate::conv::conv2d(&self.conv2d55, conv2d53_out1);
        let add17_out1 = prelu32_out1.add(conv2d54_out1);
        let add18_out1 = prelu33_out1.add(conv2d55_out1);
        let prelu36_out1 = self.prelu36.forward(add17_out1);
        let prelu37_out1 = self.prelu37.forward(add18_out1);
        let conv2d56_out1 = crate::conv::conv2d(&self.conv2d56, prelu36_out1.clone());
        let conv2d57_out1 = crate::conv::conv2d(&self.conv2d57, prelu37_out1.clone());
        let prelu38_out1 = self.prelu38.forward(conv2d56_out1);
        let prelu39_out1 = self.prelu39.forward(conv2d57_out1);
        let conv2d58_out1 = crate::conv::conv2d(&self.conv2d58, prelu38_out1);
        let conv2d59_out1 = crate::conv::conv2d(&self.conv2d59, prelu39_out1);
        let conv2d60_out1 = crate::conv::conv2d(&self.conv2d60, conv2d58_out1);
        let conv2d61_out1 = crate::conv::conv2d(&self.conv2d61, conv2d59_out1);
        let add19_out1 = prelu36_out1.add(conv2d60_out1);
        let add20_out1 = prelu37_out1.add(conv2d61_out1);
        let prelu40_out1 = self.prelu40.forward(add19_out1);
        let prelu41_out1 = self.prelu41.forward(add20_out1);
        let conv2d62_out1 = crate::conv::conv2d(&self.conv2d62, prelu40_out1.clone());
        let conv2d63_out1 = crate::conv::conv2d(&self.conv2d63, prelu41_out1.clone());
        let prelu42_out1 = self.prelu42.forward(conv2d62_out1);
        let prelu43_out1 = self.prelu43.forward(conv2d63_out1);
        let conv2d64_out1 = crate::conv::conv2d(&self.conv2d64, prelu42_out1);
        let conv2d65_out1 = crate::conv::conv2d(&self.conv2d65, prelu43_out1);
        let conv2d66_out1 = crate::conv::conv2d(&self.conv2d66, conv2d64_out1);
        let conv2d67_out1 = crate::conv::conv2d(&self.conv2d67, conv2d65_out1);
        let maxpool2d5_out1 = crate::pool::max_pool2d(&self.maxpool2d5, prelu40_out1);
        let maxpool2d6_out1 = crate::pool::max_pool2d(&self.maxpool2d6, prelu41_out1);
        let add21_out1 = maxpool2d5_out1.add(conv2d66_out1);
        let add22_out1 = maxpool2d6_out1.add(conv2d67_out1);
        let prelu44_out1 = self.prelu44.forward(add21_out1);
        let prelu45_out1 = self.prelu45.forward(add22_out1);
        let conv2d68_out1 = crate::conv::conv2d(&self.conv2d68, prelu44_out1.clone());
        let conv2d69_out1 = crate::conv::conv2d(&self.conv2d69, prelu45_out1.clone());
        let prelu46_out1 = self.prelu46.forward(conv2d68_out1);
        let prelu47_out1 = self.prelu47.forward(conv2d69_out1);
        let conv2d70_out1 = crate::conv::conv2d(&self.conv2d70, prelu46_out1);
        let conv2d71_out1 = crate::conv::conv2d(&self.conv2d71, prelu47_out1);
        let conv2d72_out1 = crate::conv::conv2d(&self.conv2d72, conv2d70_out1);
        let conv2d73_out1 = crate::conv::conv2d(&self.conv2d73, conv2d71_out1);
        let add23_out1 = prelu44_out1.add(conv2d72_out1);
        let add24_out1 = prelu45_out1.add(conv2d73_out1);
        let prelu48_out1 = self.prelu48.forward(add23_out1);
        let prelu49_out1 = self.prelu49.forward(add24_out1);
        let conv2d74_out1 = crate::conv::conv2d(&self.conv2d74, prelu48_out1.clone());
        let conv2d75_out1 = crate::conv::conv2d(&self.conv2d75, prelu49_out1.clone());
        let prelu50_out1 = self.prelu50.forward(conv2d74_out1);
        let prelu51_out1 = self.prelu51.forward(conv2d75_out1);
        let conv2d76_out1 = crate::conv::conv2d(&self.conv2d76, prelu50_out1);
        let conv2d77_out1 = crate::conv::conv2d(&self.conv2d77, prelu51_out1);
        let conv2d78_out1 = crate::conv::conv2d(&self.conv2d78, conv2d76_out1);
        let conv2d79_out1 = crate::conv::conv2d(&self.conv2d79, conv2d77_out1);
        let add25_out1 = prelu48_out1.add(conv2d78_out1);
        let add26_out1 = prelu49_out1.add(conv2d79_out1);
        let prelu52_out1 = self.prelu52.forward(add25_out1);
        let prelu53_out1 = self.prelu53.forward(add26_out1);
        let conv2d80_out1 = crate::conv::conv2d(&self.conv2d80, prelu52_out1);
        let conv2d81_out1 = crate::conv::conv2d(&self.conv2d81, prelu53_out1);
        let transpose1_out1 = conv2d80_out1.permute([0, 2, 3, 1]);
        let reshape1_out1 = transpose1_out1.reshape([1, -1]);
        let transpose2_out1 = conv2d81_out1.permute([0, 2, 3, 1]);
        let reshape2_out1 = transpose2_out1.reshape([1, -1]);
        (reshape1_out1, reshape2_out1)
    }
}
