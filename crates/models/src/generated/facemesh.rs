// Generated from ONNX "face_landmark.onnx" by burn-onnx 0.22.0 (faceproof-convert). Do not edit.
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
    conv2d3: Conv2d,
    prelu2: PRelu,
    conv2d4: Conv2d,
    conv2d5: Conv2d,
    prelu3: PRelu,
    conv2d6: Conv2d,
    maxpool2d1: MaxPool2d,
    conv2d7: Conv2d,
    prelu4: PRelu,
    conv2d8: Conv2d,
    conv2d9: Conv2d,
    prelu5: PRelu,
    conv2d10: Conv2d,
    conv2d11: Conv2d,
    prelu6: PRelu,
    conv2d12: Conv2d,
    maxpool2d2: MaxPool2d,
    conv2d13: Conv2d,
    prelu7: PRelu,
    conv2d14: Conv2d,
    conv2d15: Conv2d,
    prelu8: PRelu,
    conv2d16: Conv2d,
    conv2d17: Conv2d,
    prelu9: PRelu,
    conv2d18: Conv2d,
    maxpool2d3: MaxPool2d,
    conv2d19: Conv2d,
    prelu10: PRelu,
    conv2d20: Conv2d,
    conv2d21: Conv2d,
    prelu11: PRelu,
    conv2d22: Conv2d,
    conv2d23: Conv2d,
    prelu12: PRelu,
    conv2d24: Conv2d,
    conv2d25: Conv2d,
    maxpool2d4: MaxPool2d,
    prelu13: PRelu,
    conv2d26: Conv2d,
    conv2d27: Conv2d,
    prelu14: PRelu,
    conv2d28: Conv2d,
    conv2d29: Conv2d,
    prelu15: PRelu,
    conv2d30: Conv2d,
    conv2d31: Conv2d,
    maxpool2d5: MaxPool2d,
    prelu16: PRelu,
    conv2d32: Conv2d,
    conv2d33: Conv2d,
    prelu17: PRelu,
    conv2d34: Conv2d,
    conv2d35: Conv2d,
    conv2d36: Conv2d,
    conv2d37: Conv2d,
    prelu18: PRelu,
    prelu19: PRelu,
    conv2d38: Conv2d,
    conv2d39: Conv2d,
    prelu20: PRelu,
    prelu21: PRelu,
    conv2d40: Conv2d,
    conv2d41: Conv2d,
    conv2d42: Conv2d,
    conv2d43: Conv2d,
    prelu22: PRelu,
    prelu23: PRelu,
    conv2d44: Conv2d,
    conv2d45: Conv2d,
    #[module(skip)]
    device: Device,
}

impl Model {
    #[allow(unused_variables)]
    pub fn new(device: &Device) -> Self {
        let conv2d1 = Conv2dConfig::new([3, 16], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(0, 0, 1, 1))
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu1 = PReluConfig::new().with_num_parameters(16).init(device);
        let conv2d2 = Conv2dConfig::new([16, 16], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(16)
            .with_bias(true)
            .init(device);
        let conv2d3 = Conv2dConfig::new([16, 16], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu2 = PReluConfig::new().with_num_parameters(16).init(device);
        let conv2d4 = Conv2dConfig::new([16, 16], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(16)
            .with_bias(true)
            .init(device);
        let conv2d5 = Conv2dConfig::new([16, 16], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu3 = PReluConfig::new().with_num_parameters(16).init(device);
        let conv2d6 = Conv2dConfig::new([16, 16], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(0, 0, 1, 1))
            .with_dilation([1, 1])
            .with_groups(16)
            .with_bias(true)
            .init(device);
        let maxpool2d1 = MaxPool2dConfig::new([2, 2])
            .with_strides([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_ceil_mode(false)
            .init();
        let conv2d7 = Conv2dConfig::new([16, 32], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu4 = PReluConfig::new().with_num_parameters(32).init(device);
        let conv2d8 = Conv2dConfig::new([32, 32], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(32)
            .with_bias(true)
            .init(device);
        let conv2d9 = Conv2dConfig::new([32, 32], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu5 = PReluConfig::new().with_num_parameters(32).init(device);
        let conv2d10 = Conv2dConfig::new([32, 32], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(32)
            .with_bias(true)
            .init(device);
        let conv2d11 = Conv2dConfig::new([32, 32], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu6 = PReluConfig::new().with_num_parameters(32).init(device);
        let conv2d12 = Conv2dConfig::new([32, 32], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(0, 0, 1, 1))
            .with_dilation([1, 1])
            .with_groups(32)
            .with_bias(true)
            .init(device);
        let maxpool2d2 = MaxPool2dConfig::new([2, 2])
            .with_strides([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_ceil_mode(false)
            .init();
        let conv2d13 = Conv2dConfig::new([32, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu7 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d14 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d15 = Conv2dConfig::new([64, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu8 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d16 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let conv2d17 = Conv2dConfig::new([64, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu9 = PReluConfig::new().with_num_parameters(64).init(device);
        let conv2d18 = Conv2dConfig::new([64, 64], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(0, 0, 1, 1))
            .with_dilation([1, 1])
            .with_groups(64)
            .with_bias(true)
            .init(device);
        let maxpool2d3 = MaxPool2dConfig::new([2, 2])
            .with_strides([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_ceil_mode(false)
            .init();
        let conv2d19 = Conv2dConfig::new([64, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu10 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d20 = Conv2dConfig::new([128, 128], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(128)
            .with_bias(true)
            .init(device);
        let conv2d21 = Conv2dConfig::new([128, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu11 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d22 = Conv2dConfig::new([128, 128], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(128)
            .with_bias(true)
            .init(device);
        let conv2d23 = Conv2dConfig::new([128, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu12 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d24 = Conv2dConfig::new([128, 128], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(0, 0, 1, 1))
            .with_dilation([1, 1])
            .with_groups(128)
            .with_bias(true)
            .init(device);
        let conv2d25 = Conv2dConfig::new([128, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let maxpool2d4 = MaxPool2dConfig::new([2, 2])
            .with_strides([2, 2])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_ceil_mode(false)
            .init();
        let prelu13 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d26 = Conv2dConfig::new([128, 128], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(128)
            .with_bias(true)
            .init(device);
        let conv2d27 = Conv2dConfig::new([128, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu14 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d28 = Conv2dConfig::new([128, 128], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(128)
            .with_bias(true)
            .init(device);
        let conv2d29 = Conv2dConfig::new([128, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu15 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d30 = Conv2dConfig::new([128, 128], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(0, 0, 1, 1))
            .with_dilation([1, 1])
            .with_groups(128)
            .with_bias(true)
            .init(device);
        let conv2d31 = Conv2dConfig::new([128, 128], [1, 1])
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
        let prelu16 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d32 = Conv2dConfig::new([128, 128], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(128)
            .with_bias(true)
            .init(device);
        let conv2d33 = Conv2dConfig::new([128, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu17 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d34 = Conv2dConfig::new([128, 128], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(0, 0, 1, 1))
            .with_dilation([1, 1])
            .with_groups(128)
            .with_bias(true)
            .init(device);
        let conv2d35 = Conv2dConfig::new([128, 128], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(128)
            .with_bias(true)
            .init(device);
        let conv2d36 = Conv2dConfig::new([128, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d37 = Conv2dConfig::new([128, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu18 = PReluConfig::new().with_num_parameters(128).init(device);
        let prelu19 = PReluConfig::new().with_num_parameters(128).init(device);
        let conv2d38 = Conv2dConfig::new([128, 32], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d39 = Conv2dConfig::new([128, 32], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu20 = PReluConfig::new().with_num_parameters(32).init(device);
        let prelu21 = PReluConfig::new().with_num_parameters(32).init(device);
        let conv2d40 = Conv2dConfig::new([32, 32], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(32)
            .with_bias(true)
            .init(device);
        let conv2d41 = Conv2dConfig::new([32, 32], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(32)
            .with_bias(true)
            .init(device);
        let conv2d42 = Conv2dConfig::new([32, 32], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d43 = Conv2dConfig::new([32, 32], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu22 = PReluConfig::new().with_num_parameters(32).init(device);
        let prelu23 = PReluConfig::new().with_num_parameters(32).init(device);
        let conv2d44 = Conv2dConfig::new([32, 1], [3, 3])
            .with_stride([3, 3])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d45 = Conv2dConfig::new([32, 1404], [3, 3])
            .with_stride([3, 3])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        Self {
            conv2d1,
            prelu1,
            conv2d2,
            conv2d3,
            prelu2,
            conv2d4,
            conv2d5,
            prelu3,
            conv2d6,
            maxpool2d1,
            conv2d7,
            prelu4,
            conv2d8,
            conv2d9,
            prelu5,
            conv2d10,
            conv2d11,
            prelu6,
            conv2d12,
            maxpool2d2,
            conv2d13,
            prelu7,
            conv2d14,
            conv2d15,
            prelu8,
            conv2d16,
            conv2d17,
            prelu9,
            conv2d18,
            maxpool2d3,
            conv2d19,
            prelu10,
            conv2d20,
            conv2d21,
            prelu11,
            conv2d22,
            conv2d23,
            prelu12,
            conv2d24,
            conv2d25,
            maxpool2d4,
            prelu13,
            conv2d26,
            conv2d27,
            prelu14,
            conv2d28,
            conv2d29,
            prelu15,
            conv2d30,
            conv2d31,
            maxpool2d5,
            prelu16,
            conv2d32,
            conv2d33,
            prelu17,
            conv2d34,
            conv2d35,
            conv2d36,
            conv2d37,
            prelu18,
            prelu19,
            conv2d38,
            conv2d39,
            prelu20,
            prelu21,
            conv2d40,
            conv2d41,
            conv2d42,
            conv2d43,
            prelu22,
            prelu23,
            conv2d44,
            conv2d45,
            device: device.clone(),
        }
    }

    #[allow(clippy::let_and_return, clippy::approx_constant)]
    pub fn forward(&self, input_1: Tensor<4>) -> (Tensor<4>, Tensor<4>) {
        let conv2d1_out1 = crate::conv::conv2d(&self.conv2d1, input_1);
        let prelu1_out1 = self.prelu1.forward(conv2d1_out1);
        let conv2d2_out1 = crate::conv::conv2d(&self.conv2d2, prelu1_out1.clone());
        let conv2d3_out1 = crate::conv::conv2d(&self.conv2d3, conv2d2_out1);
        let add1_out1 = prelu1_out1.add(conv2d3_out1);
        let prelu2_out1 = self.prelu2.forward(add1_out1);
        let conv2d4_out1 = crate::conv::conv2d(&self.conv2d4, prelu2_out1.clone());
        let conv2d5_out1 = crate::conv::conv2d(&self.conv2d5, conv2d4_out1);
        let add2_out1 = prelu2_out1.add(conv2d5_out1);
        let prelu3_out1 = self.prelu3.forward(add2_out1);
        let conv2d6_out1 = crate::conv::conv2d(&self.conv2d6, prelu3_out1.clone());
        let maxpool2d1_out1 = crate::pool::max_pool2d(&self.maxpool2d1, prelu3_out1);
        let conv2d7_out1 = crate::conv::conv2d(&self.conv2d7, conv2d6_out1);
        let pad1_out1 = maxpool2d1_out1
            .pad(
                [
                    (0usize, 0usize),
                    (0usize, 16usize),
                    (0usize, 0usize),
                    (0usize, 0usize),
                ],
                burn::tensor::ops::PadMode::Constant(0f32),
            );
        let add3_out1 = pad1_out1.add(conv2d7_out1);
        let prelu4_out1 = self.prelu4.forward(add3_out1);
        let conv2d8_out1 = crate::conv::conv2d(&self.conv2d8, prelu4_out1.clone());
        let conv2d9_out1 = crate::conv::conv2d(&self.conv2d9, conv2d8_out1);
        let add4_out1 = prelu4_out1.add(conv2d9_out1);
        let prelu5_out1 = self.prelu5.forward(add4_out1);
        let conv2d10_out1 = crate::conv::conv2d(&self.conv2d10, prelu5_out1.clone());
        let conv2d11_out1 = crate::conv::conv2d(&self.conv2d11, conv2d10_out1);
        let add5_out1 = prelu5_out1.add(conv2d11_out1);
        let prelu6_out1 = self.prelu6.forward(add5_out1);
        let conv2d12_out1 = crate::conv::conv2d(&self.conv2d12, prelu6_out1.clone());
        let maxpool2d2_out1 = crate::pool::max_pool2d(&self.maxpool2d2, prelu6_out1);
        let conv2d13_out1 = crate::conv::conv2d(&self.conv2d13, conv2d12_out1);
        let pad2_out1 = maxpool2d2_out1
            .pad(
                [
                    (0usize, 0usize),
                    (0usize, 32usize),
                    (0usize, 0usize),
                    (0usize, 0usize),
                ],
                burn::tensor::ops::PadMode::Constant(0f32),
            );
        let add6_out1 = pad2_out1.add(conv2d13_out1);
        let prelu7_out1 = self.prelu7.forward(add6_out1);
        let conv2d14_out1 = crate::conv::conv2d(&self.conv2d14, prelu7_out1.clone());
        let conv2d15_out1 = crate::conv::conv2d(&self.conv2d15, conv2d14_out1);
        let add7_out1 = prelu7_out1.add(conv2d15_out1);
        let prelu8_out1 = self.prelu8.forward(add7_out1);
        let conv2d16_out1 = crate::conv::conv2d(&self.conv2d16, prelu8_out1.clone());
        let conv2d17_out1 = crate::conv::conv2d(&self.conv2d17, conv2d16_out1);
        let add8_out1 = prelu8_out1.add(conv2d17_out1);
        let prelu9_out1 = self.prelu9.forward(add8_out1);
        let conv2d18_out1 = crate::conv::conv2d(&self.conv2d18, prelu9_out1.clone());
        let maxpool2d3_out1 = crate::pool::max_pool2d(&self.maxpool2d3, prelu9_out1);
        let conv2d19_out1 = crate::conv::conv2d(&self.conv2d19, conv2d18_out1);
        let pad3_out1 = maxpool2d3_out1
            .pad(
                [
                    (0usize, 0usize),
                    (0usize, 64usize),
                    (0usize, 0usize),
                    (0usize, 0usize),
                ],
                burn::tensor::ops::PadMode::Constant(0f32),
            );
        let add9_out1 = pad3_out1.add(conv2d19_out1);
        let prelu10_out1 = self.prelu10.forward(add9_out1);
        let conv2d20_out1 = crate::conv::conv2d(&self.conv2d20, prelu10_out1.clone());
        let conv2d21_out1 = crate::conv::conv2d(&self.conv2d21, conv2d20_out1);
        let add10_out1 = prelu10_out1.add(conv2d21_out1);
        let prelu11_out1 = self.prelu11.forward(add10_out1);
        let conv2d22_out1 = crate::conv::conv2d(&self.conv2d22, prelu11_out1.clone());
        let conv2d23_out1 = crate::conv::conv2d(&self.conv2d23, conv2d22_out1);
        let add11_out1 = prelu11_out1.add(conv2d23_out1);
        let prelu12_out1 = self.prelu12.forward(add11_out1);
        let conv2d24_out1 = crate::conv::conv2d(&self.conv2d24, prelu12_out1.clone());
        let conv2d25_out1 = crate::conv::conv2d(&self.conv2d25, conv2d24_out1);
        let maxpool2d4_out1 = crate::pool::max_pool2d(&self.maxpool2d4, prelu12_out1);
        let add12_out1 = maxpool2d4_out1.add(conv2d25_out1);
        let prelu13_out1 = self.prelu13.forward(add12_out1);
        let conv2d26_out1 = crate::conv::conv2d(&self.conv2d26, prelu13_out1.clone());
        let conv2d27_out1 = crate::conv::conv2d(&self.conv2d27, conv2d26_out1);
        let add13_out1 = prelu13_out1.add(conv2d27_out1);
        let prelu14_out1 = self.prelu14.forward(add13_out1);
        let conv2d28_out1 = crate::conv::conv2d(&self.conv2d28, prelu14_out1.clone());
        let conv2d29_out1 = crate::conv::conv2d(&self.conv2d29, conv2d28_out1);
        let add14_out1 = prelu14_out1.add(conv2d29_out1);
        let prelu15_out1 = self.prelu15.forward(add14_out1);
        let conv2d30_out1 = crate::conv::conv2d(&self.conv2d30, prelu15_out1.clone());
        let conv2d31_out1 = crate::conv::conv2d(&self.conv2d31, conv2d30_out1);
        let maxpool2d5_out1 = crate::pool::max_pool2d(&self.maxpool2d5, prelu15_out1.clone());
        let add15_out1 = maxpool2d5_out1.clone().add(conv2d31_out1);
        let prelu16_out1 = self.prelu16.forward(add15_out1);
        let conv2d32_out1 = crate::conv::conv2d(&self.conv2d32, prelu16_out1.clone());
        let conv2d33_out1 = crate::conv::conv2d(&self.conv2d33, conv2d32_out1);
        let add16_out1 = prelu16_out1.add(conv2d33_out1);
        let prelu17_out1 = self.prelu17.forward(add16_out1);
        let conv2d34_out1 = crate::conv::conv2d(&self.conv2d34, prelu15_out1);
        let conv2d35_out1 = crate::conv::conv2d(&self.conv2d35, prelu17_out1.clone());
        let conv2d36_out1 = crate::conv::conv2d(&self.conv2d36, conv2d34_out1);
        let conv2d37_out1 = crate::conv::conv2d(&self.conv2d37, conv2d35_out1);
        let add17_out1 = maxpool2d5_out1.add(conv2d36_out1);
        let add18_out1 = prelu17_out1.add(conv2d37_out1);
        let prelu18_out1 = self.prelu18.forward(add17_out1);
        let prelu19_out1 = self.prelu19.forward(add18_out1);
        let conv2d38_out1 = crate::conv::conv2d(&self.conv2d38, prelu18_out1);
        let conv2d39_out1 = crate::conv::conv2d(&self.conv2d39, prelu19_out1);
        let prelu20_out1 = self.prelu20.forward(conv2d38_out1);
        let prelu21_out1 = self.prelu21.forward(conv2d39_out1);
        let conv2d40_out1 = crate::conv::conv2d(&self.conv2d40, prelu20_out1.clone());
        let conv2d41_out1 = crate::conv::conv2d(&self.conv2d41, prelu21_out1.clone());
        let conv2d42_out1 = crate::conv::conv2d(&self.conv2d42, conv2d40_out1);
        let conv2d43_out1 = crate::conv::conv2d(&self.conv2d43, conv2d41_out1);
        let add19_out1 = prelu20_out1.add(conv2d42_out1);
        let add20_out1 = prelu21_out1.add(conv2d43_out1);
        let prelu22_out1 = self.prelu22.forward(add19_out1);
        let prelu23_out1 = self.prelu23.forward(add20_out1);
        let conv2d44_out1 = crate::conv::conv2d(&self.conv2d44, prelu22_out1);
        let conv2d45_out1 = crate::conv::conv2d(&self.conv2d45, prelu23_out1);
        (conv2d45_out1, conv2d44_out1)
    }
}
