// Generated from ONNX "MiniFASNetV2.onnx" by burn-onnx 0.22.0 (faceproof-convert). Do not edit.
extern crate alloc;
use burn::prelude::*;
use burn::nn::BatchNorm;
use burn::nn::BatchNormConfig;
use burn::nn::Linear;
use burn::nn::LinearConfig;
use burn::nn::PRelu;
use burn::nn::PReluConfig;
use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2d;
use burn::nn::conv::Conv2dConfig;


#[derive(Module, Debug)]
pub struct Model {
    conv2d1: Conv2d,
    prelu1: PRelu,
    conv2d2: Conv2d,
    prelu2: PRelu,
    conv2d3: Conv2d,
    prelu3: PRelu,
    conv2d4: Conv2d,
    prelu4: PRelu,
    conv2d5: Conv2d,
    conv2d6: Conv2d,
    prelu5: PRelu,
    conv2d7: Conv2d,
    prelu6: PRelu,
    conv2d8: Conv2d,
    conv2d9: Conv2d,
    prelu7: PRelu,
    conv2d10: Conv2d,
    prelu8: PRelu,
    conv2d11: Conv2d,
    conv2d12: Conv2d,
    prelu9: PRelu,
    conv2d13: Conv2d,
    prelu10: PRelu,
    conv2d14: Conv2d,
    conv2d15: Conv2d,
    prelu11: PRelu,
    conv2d16: Conv2d,
    prelu12: PRelu,
    conv2d17: Conv2d,
    conv2d18: Conv2d,
    prelu13: PRelu,
    conv2d19: Conv2d,
    prelu14: PRelu,
    conv2d20: Conv2d,
    conv2d21: Conv2d,
    prelu15: PRelu,
    conv2d22: Conv2d,
    prelu16: PRelu,
    conv2d23: Conv2d,
    conv2d24: Conv2d,
    prelu17: PRelu,
    conv2d25: Conv2d,
    prelu18: PRelu,
    conv2d26: Conv2d,
    conv2d27: Conv2d,
    prelu19: PRelu,
    conv2d28: Conv2d,
    prelu20: PRelu,
    conv2d29: Conv2d,
    conv2d30: Conv2d,
    prelu21: PRelu,
    conv2d31: Conv2d,
    prelu22: PRelu,
    conv2d32: Conv2d,
    conv2d33: Conv2d,
    prelu23: PRelu,
    conv2d34: Conv2d,
    prelu24: PRelu,
    conv2d35: Conv2d,
    conv2d36: Conv2d,
    prelu25: PRelu,
    conv2d37: Conv2d,
    prelu26: PRelu,
    conv2d38: Conv2d,
    conv2d39: Conv2d,
    prelu27: PRelu,
    conv2d40: Conv2d,
    prelu28: PRelu,
    conv2d41: Conv2d,
    conv2d42: Conv2d,
    prelu29: PRelu,
    conv2d43: Conv2d,
    prelu30: PRelu,
    conv2d44: Conv2d,
    conv2d45: Conv2d,
    prelu31: PRelu,
    conv2d46: Conv2d,
    prelu32: PRelu,
    conv2d47: Conv2d,
    conv2d48: Conv2d,
    prelu33: PRelu,
    conv2d49: Conv2d,
    linear1: Linear,
    batchnormalization1: BatchNorm,
    linear2: Linear,
    #[module(skip)]
    device: Device,
}

impl Model {
    #[allow(unused_variables)]
    pub fn new(device: &Device) -> Self {
        let conv2d1 = Conv2dConfig::new([3, 32], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu1 = PReluConfig::new().with_num_parameters(32).init(device);
        let conv2d2 = Conv2dConfig::new([32, 32], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(32)
            .with_bias(true)
            .init(device);
        let prelu2 = PReluConfig::new().with_num_parameters(32).init(device);
        let conv2d3 = Conv2dConfig::new([32, 103], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu3 = PReluConfig::new().with_num_parameters(103).init(device);
        let conv2d4 = Conv2dConfig::new([103, 103], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(103)
            .with_bias(true)
            .init(device);
        let prelu4 = PReluConfig::new().with_num_parameters(103).init(device);
        let conv2d5 = Conv2dConfig::new([103, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d6 = Conv2dConfig::new([64, 13], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu5 = PReluConfig::new().with_num_parameters(13).init(device);
        let conv2d7 = Conv2dConfig::new([13, 13], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(13)
            .with_bias(true)
            .init(device);
        let prelu6 = PReluConfig::new().with_num_parameters(13).init(device);
        let conv2d8 = Conv2dConfig::new([13, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d9 = Conv2dConfig::new([64, 13], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu7 = PReluConfig::new().with_num_parameters(13).init(device);
        let conv2d10 = Conv2dConfig::new([13, 13], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(13)
            .with_bias(true)
            .init(device);
        let prelu8 = PReluConfig::new().with_num_parameters(13).init(device);
        let conv2d11 = Conv2dConfig::new([13, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d12 = Conv2dConfig::new([64, 13], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu9 = PReluConfig::new().with_num_parameters(13).init(device);
        let conv2d13 = Conv2dConfig::new([13, 13], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(13)
            .with_bias(true)
            .init(device);
        let prelu10 = PReluConfig::new().with_num_parameters(13).init(device);
        let conv2d14 = Conv2dConfig::new([13, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d15 = Conv2dConfig::new([64, 13], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu11 = PReluConfig::new().with_num_parameters(13).init(device);
        let conv2d16 = Conv2dConfig::new([13, 13], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(13)
            .with_bias(true)
            .init(device);
        let prelu12 = PReluConfig::new().with_num_parameters(13).init(device);
        let conv2d17 = Conv2dConfig::new([13, 64], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d18 = Conv2dConfig::new([64, 231], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu13 = PReluConfig::new().with_num_parameters(231).init(device);
        let conv2d19 = Conv2dConfig::new([231, 231], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(231)
            .with_bias(true)
            .init(device);
        let prelu14 = PReluConfig::new().with_num_parameters(231).init(device);
        let conv2d20 = Conv2dConfig::new([231, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d21 = Conv2dConfig::new([128, 231], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu15 = PReluConfig::new().with_num_parameters(231).init(device);
        let conv2d22 = Conv2dConfig::new([231, 231], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(231)
            .with_bias(true)
            .init(device);
        let prelu16 = PReluConfig::new().with_num_parameters(231).init(device);
        let conv2d23 = Conv2dConfig::new([231, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d24 = Conv2dConfig::new([128, 52], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu17 = PReluConfig::new().with_num_parameters(52).init(device);
        let conv2d25 = Conv2dConfig::new([52, 52], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(52)
            .with_bias(true)
            .init(device);
        let prelu18 = PReluConfig::new().with_num_parameters(52).init(device);
        let conv2d26 = Conv2dConfig::new([52, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d27 = Conv2dConfig::new([128, 26], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu19 = PReluConfig::new().with_num_parameters(26).init(device);
        let conv2d28 = Conv2dConfig::new([26, 26], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(26)
            .with_bias(true)
            .init(device);
        let prelu20 = PReluConfig::new().with_num_parameters(26).init(device);
        let conv2d29 = Conv2dConfig::new([26, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d30 = Conv2dConfig::new([128, 77], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu21 = PReluConfig::new().with_num_parameters(77).init(device);
        let conv2d31 = Conv2dConfig::new([77, 77], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(77)
            .with_bias(true)
            .init(device);
        let prelu22 = PReluConfig::new().with_num_parameters(77).init(device);
        let conv2d32 = Conv2dConfig::new([77, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d33 = Conv2dConfig::new([128, 26], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu23 = PReluConfig::new().with_num_parameters(26).init(device);
        let conv2d34 = Conv2dConfig::new([26, 26], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(26)
            .with_bias(true)
            .init(device);
        let prelu24 = PReluConfig::new().with_num_parameters(26).init(device);
        let conv2d35 = Conv2dConfig::new([26, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d36 = Conv2dConfig::new([128, 26], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu25 = PReluConfig::new().with_num_parameters(26).init(device);
        let conv2d37 = Conv2dConfig::new([26, 26], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(26)
            .with_bias(true)
            .init(device);
        let prelu26 = PReluConfig::new().with_num_parameters(26).init(device);
        let conv2d38 = Conv2dConfig::new([26, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d39 = Conv2dConfig::new([128, 308], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu27 = PReluConfig::new().with_num_parameters(308).init(device);
        let conv2d40 = Conv2dConfig::new([308, 308], [3, 3])
            .with_stride([2, 2])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(308)
            .with_bias(true)
            .init(device);
        let prelu28 = PReluConfig::new().with_num_parameters(308).init(device);
        let conv2d41 = Conv2dConfig::new([308, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d42 = Conv2dConfig::new([128, 26], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu29 = PReluConfig::new().with_num_parameters(26).init(device);
        let conv2d43 = Conv2dConfig::new([26, 26], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(26)
            .with_bias(true)
            .init(device);
        let prelu30 = PReluConfig::new().with_num_parameters(26).init(device);
        let conv2d44 = Conv2dConfig::new([26, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d45 = Conv2dConfig::new([128, 26], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu31 = PReluConfig::new().with_num_parameters(26).init(device);
        let conv2d46 = Conv2dConfig::new([26, 26], [3, 3])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .with_dilation([1, 1])
            .with_groups(26)
            .with_bias(true)
            .init(device);
        let prelu32 = PReluConfig::new().with_num_parameters(26).init(device);
        let conv2d47 = Conv2dConfig::new([26, 128], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let conv2d48 = Conv2dConfig::new([128, 512], [1, 1])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(1)
            .with_bias(true)
            .init(device);
        let prelu33 = PReluConfig::new().with_num_parameters(512).init(device);
        let conv2d49 = Conv2dConfig::new([512, 512], [5, 5])
            .with_stride([1, 1])
            .with_padding(PaddingConfig2d::Valid)
            .with_dilation([1, 1])
            .with_groups(512)
            .with_bias(true)
            .init(device);
        let linear1 = LinearConfig::new(512, 128).with_bias(false).init(device);
        let batchnormalization1 = BatchNormConfig::new(128)
            .with_epsilon(0.000009999999747378752f64)
            .with_momentum(0.8999999761581421f64)
            .init(device);
        let linear2 = LinearConfig::new(128, 3).with_bias(false).init(device);
        Self {
            conv2d1,
            prelu1,
            conv2d2,
            prelu2,
            conv2d3,
            prelu3,
            conv2d4,
            prelu4,
            conv2d5,
            conv2d6,
            prelu5,
            conv2d7,
            prelu6,
            conv2d8,
            conv2d9,
            prelu7,
            conv2d10,
            prelu8,
            conv2d11,
            conv2d12,
            prelu9,
            conv2d13,
            prelu10,
            conv2d14,
            conv2d15,
            prelu11,
            conv2d16,
            prelu12,
            conv2d17,
            conv2d18,
            prelu13,
            conv2d19,
            prelu14,
            conv2d20,
            conv2d21,
            prelu15,
            conv2d22,
            prelu16,
            conv2d23,
            conv2d24,
            prelu17,
            conv2d25,
            prelu18,
            conv2d26,
            conv2d27,
            prelu19,
            conv2d28,
            prelu20,
            conv2d29,
            conv2d30,
            prelu21,
            conv2d31,
            prelu22,
            conv2d32,
            conv2d33,
            prelu23,
            conv2d34,
            prelu24,
            conv2d35,
            conv2d36,
            prelu25,
            conv2d37,
            prelu26,
            conv2d38,
            conv2d39,
            prelu27,
            conv2d40,
            prelu28,
            conv2d41,
            conv2d42,
            prelu29,
            conv2d43,
            prelu30,
            conv2d44,
            conv2d45,
            prelu31,
            conv2d46,
            prelu32,
            conv2d47,
            conv2d48,
            prelu33,
            conv2d49,
            linear1,
            batchnormalization1,
            linear2,
            device: device.clone(),
        }
    }

    #[allow(clippy::let_and_return, clippy::approx_constant)]
    pub fn forward(&self, input: Tensor<4>) -> Tensor<2> {
        let conv2d1_out1 = crate::conv::conv2d(&self.conv2d1, input);
        let prelu1_out1 = self.prelu1.forward(conv2d1_out1);
        let conv2d2_out1 = crate::conv::conv2d(&self.conv2d2, prelu1_out1);
        let prelu2_out1 = self.prelu2.forward(conv2d2_out1);
        let conv2d3_out1 = crate::conv::conv2d(&self.conv2d3, prelu2_out1);
        let prelu3_out1 = self.prelu3.forward(conv2d3_out1);
        let conv2d4_out1 = crate::conv::conv2d(&self.conv2d4, prelu3_out1);
        let prelu4_out1 = self.prelu4.forward(conv2d4_out1);
        let conv2d5_out1 = crate::conv::conv2d(&self.conv2d5, prelu4_out1);
        let conv2d6_out1 = crate::conv::conv2d(&self.conv2d6, conv2d5_out1.clone());
        let prelu5_out1 = self.prelu5.forward(conv2d6_out1);
        let conv2d7_out1 = crate::conv::conv2d(&self.conv2d7, prelu5_out1);
        let prelu6_out1 = self.prelu6.forward(conv2d7_out1);
        let conv2d8_out1 = crate::conv::conv2d(&self.conv2d8, prelu6_out1);
        let add1_out1 = conv2d8_out1.add(conv2d5_out1);
        let conv2d9_out1 = crate::conv::conv2d(&self.conv2d9, add1_out1.clone());
        let prelu7_out1 = self.prelu7.forward(conv2d9_out1);
        let conv2d10_out1 = crate::conv::conv2d(&self.conv2d10, prelu7_out1);
        let prelu8_out1 = self.prelu8.forward(conv2d10_out1);
        let conv2d11_out1 = crate::conv::conv2d(&self.conv2d11, prelu8_out1);
        let add2_out1 = conv2d11_out1.add(add1_out1);
        let conv2d12_out1 = crate::conv::conv2d(&self.conv2d12, add2_out1.clone());
        let prelu9_out1 = self.prelu9.forward(conv2d12_out1);
        let conv2d13_out1 = crate::conv::conv2d(&self.conv2d13, prelu9_out1);
        let prelu10_out1 = self.prelu10.forward(conv2d13_out1);
        let conv2d14_out1 = crate::conv::conv2d(&self.conv2d14, prelu10_out1);
        let add3_out1 = conv2d14_out1.add(add2_out1);
        let conv2d15_out1 = crate::conv::conv2d(&self.conv2d15, add3_out1.clone());
        let prelu11_out1 = self.prelu11.forward(conv2d15_out1);
        let conv2d16_out1 = crate::conv::conv2d(&self.conv2d16, prelu11_out1);
        let prelu12_out1 = self.prelu12.forward(conv2d16_out1);
        let conv2d17_out1 = crate::conv::conv2d(&self.conv2d17, prelu12_out1);
        let add4_out1 = conv2d17_out1.add(add3_out1);
        let conv2d18_out1 = crate::conv::conv2d(&self.conv2d18, add4_out1);
        let prelu13_out1 = self.prelu13.forward(conv2d18_out1);
        let conv2d19_out1 = crate::conv::conv2d(&self.conv2d19, prelu13_out1);
        let prelu14_out1 = self.prelu14.forward(conv2d19_out1);
        let conv2d20_out1 = crate::conv::conv2d(&self.conv2d20, prelu14_out1);
        let conv2d21_out1 = crate::conv::conv2d(&self.conv2d21, conv2d20_out1.clone());
        let prelu15_out1 = self.prelu15.forward(conv2d21_out1);
        let conv2d22_out1 = crate::conv::conv2d(&self.conv2d22, prelu15_out1);
        let prelu16_out1 = self.prelu16.forward(conv2d22_out1);
        let conv2d23_out1 = crate::conv::conv2d(&self.conv2d23, prelu16_out1);
        let add5_out1 = conv2d23_out1.add(conv2d20_out1);
        let conv2d24_out1 = crate::conv::conv2d(&self.conv2d24, add5_out1.clone());
        let prelu17_out1 = self.prelu17.forward(conv2d24_out1);
        let conv2d25_out1 = crate::conv::conv2d(&self.conv2d25, prelu17_out1);
        let prelu18_out1 = self.prelu18.forward(conv2d25_out1);
        let conv2d26_out1 = crate::conv::conv2d(&self.conv2d26, prelu18_out1);
        let add6_out1 = conv2d26_out1.add(add5_out1);
        let conv2d27_out1 = crate::conv::conv2d(&self.conv2d27, add6_out1.clone());
        let prelu19_out1 = self.prelu19.forward(conv2d27_out1);
        let conv2d28_out1 = crate::conv::conv2d(&self.conv2d28, prelu19_out1);
        let prelu20_out1 = self.prelu20.forward(conv2d28_out1);
        let conv2d29_out1 = crate::conv::conv2d(&self.conv2d29, prelu20_out1);
        let add7_out1 = conv2d29_out1.add(add6_out1);
        let conv2d30_out1 = crate::conv::conv2d(&self.conv2d30, add7_out1.clone());
        let prelu21_out1 = self.prelu21.forward(conv2d30_out1);
        let conv2d31_out1 = crate::conv::conv2d(&self.conv2d31, prelu21_out1);
        let prelu22_out1 = self.prelu22.forward(conv2d31_out1);
        let conv2d32_out1 = crate::conv::conv2d(&self.conv2d32, prelu22_out1);
        let add8_out1 = conv2d32_out1.add(add7_out1);
        let conv2d33_out1 = crate::conv::conv2d(&self.conv2d33, add8_out1.clone());
        let prelu23_out1 = self.prelu23.forward(conv2d33_out1);
        let conv2d34_out1 = crate::conv::conv2d(&self.conv2d34, prelu23_out1);
        let prelu24_out1 = self.prelu24.forward(conv2d34_out1);
        let conv2d35_out1 = crate::conv::conv2d(&self.conv2d35, prelu24_out1);
        let add9_out1 = conv2d35_out1.add(add8_out1);
        let conv2d36_out1 = crate::conv::conv2d(&self.conv2d36, add9_out1.clone());
        let prelu25_out1 = self.prelu25.forward(conv2d36_out1);
        let conv2d37_out1 = crate::conv::conv2d(&self.conv2d37, prelu25_out1);
        let prelu26_out1 = self.prelu26.forward(conv2d37_out1);
        let conv2d38_out1 = crate::conv::conv2d(&self.conv2d38, prelu26_out1);
        let add10_out1 = conv2d38_out1.add(add9_out1);
        let conv2d39_out1 = crate::conv::conv2d(&self.conv2d39, add10_out1);
        let prelu27_out1 = self.prelu27.forward(conv2d39_out1);
        let conv2d40_out1 = crate::conv::conv2d(&self.conv2d40, prelu27_out1);
        let prelu28_out1 = self.prelu28.forward(conv2d40_out1);
        let conv2d41_out1 = crate::conv::conv2d(&self.conv2d41, prelu28_out1);
        let conv2d42_out1 = crate::conv::conv2d(&self.conv2d42, conv2d41_out1.clone());
        let prelu29_out1 = self.prelu29.forward(conv2d42_out1);
        let conv2d43_out1 = crate::conv::conv2d(&self.conv2d43, prelu29_out1);
        let prelu30_out1 = self.prelu30.forward(conv2d43_out1);
        let conv2d44_out1 = crate::conv::conv2d(&self.conv2d44, prelu30_out1);
        let add11_out1 = conv2d44_out1.add(conv2d41_out1);
        let conv2d45_out1 = crate::conv::conv2d(&self.conv2d45, add11_out1.clone());
        let prelu31_out1 = self.prelu31.forward(conv2d45_out1);
        let conv2d46_out1 = crate::conv::conv2d(&self.conv2d46, prelu31_out1);
        let prelu32_out1 = self.prelu32.forward(conv2d46_out1);
        let conv2d47_out1 = crate::conv::conv2d(&self.conv2d47, prelu32_out1);
        let add12_out1 = conv2d47_out1.add(add11_out1);
        let conv2d48_out1 = crate::conv::conv2d(&self.conv2d48, add12_out1);
        let prelu33_out1 = self.prelu33.forward(conv2d48_out1);
        let conv2d49_out1 = crate::conv::conv2d(&self.conv2d49, prelu33_out1);
        let flatten1_out1 = {
            let leading_dim = conv2d49_out1.shape()[..1].iter().product::<usize>()
                as i32;
            conv2d49_out1.reshape::<2, _>([leading_dim, -1])
        };
        let linear1_out1 = self.linear1.forward(flatten1_out1);
        let batchnormalization1_out1 = self.batchnormalization1.forward(linear1_out1);
        let linear2_out1 = self.linear2.forward(batchnormalization1_out1);
        linear2_out1
    }
}
