//! dlib's face-recognition ResNet (`dlib_face_recognition_resnet_model_v1`, CC0, Davis King), written by
//! hand in burn: 150×150 RGB aligned chip → 128-D embedding; same person when the L2 distance < 0.6.
//!
//! The weights come from the float `.dat` through `faceproof-convert` (crates/convert/src/dlib.rs). The
//! structure mirrors dlib's `anet_type` (dnn_face_recognition_ex.cpp):
//! `fc_no_bias<128, avg_pool_everything<alevel0..alevel4<max_pool<3,3,2,2, relu<affine<con<32,7,7,2,2>>>>>>>`
//! with `ares<N>` = relu(x + affine(con3x3(relu(affine(con3x3(x)))))) and `ares_down<N>` the same with the
//! first convolution at stride 2 and the shortcut `avg_pool<2,2,2,2>(x)`. dlib convolutions pad k/2 at
//! stride 1 and nothing when striding, so a down block's main path can be smaller than its shortcut (8→3
//! vs 8→4) and has more channels: dlib's `add_prev` sums into the larger shape, zero-filling whatever one
//! side lacks. [`add_zero_padded`] does exactly that.
//!
//! [`DlibResNet`] is that structure layer for layer (the weights file's layout). [`FaceEmbedder`] runs it
//! folded: every `affine` into the convolution before it, and the input normalisation into the stem.

use crate::{ModelError, WeightsSpec};
use burn::module::{Module, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{AvgPool2d, AvgPool2dConfig, MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::relu;
use burn::tensor::ops::PadMode;

pub const INPUT_SIZE: usize = 150;
pub const EMBEDDING_SIZE: usize = 128;
/// dlib's `input_rgb_image_sized<150>`: per-channel means (stored in the .dat), then divided by 256.
pub const CHANNEL_MEANS: [f32; 3] = [122.782, 117.001, 104.298];
pub const INPUT_DIVISOR: f32 = 256.0;
/// L2 distance below which dlib calls two faces the same person.
pub const SAME_PERSON_THRESHOLD: f32 = 0.6;

/// (input channels, output channels, stride) of the 14 residual blocks in forward order (alevel4 ×3,
/// alevel3 down+3, alevel2 down+2, alevel1 down+2, alevel0 down). Must match crates/convert/src/dlib.rs.
pub const BLOCKS: [(usize, usize, usize); 14] = [
    (32, 32, 1),
    (32, 32, 1),
    (32, 32, 1),
    (32, 64, 2),
    (64, 64, 1),
    (64, 64, 1),
    (64, 64, 1),
    (64, 128, 2),
    (128, 128, 1),
    (128, 128, 1),
    (128, 256, 2),
    (256, 256, 1),
    (256, 256, 1),
    (256, 256, 2),
];

pub const WEIGHTS: WeightsSpec = WeightsSpec {
    name: "dlib_resnet",
    file: "dlib_resnet.bpk",
    sha256: "886fbca08f6f3f4d65518b18f7580813c590d1c1410d954e2968a4dc84a97f03",
};

/// dlib's `affine_` layer (batch norm folded at training end): y = gamma · x + beta per channel.
#[derive(Module, Debug)]
pub struct Affine {
    gamma: Param<Tensor<1>>,
    beta: Param<Tensor<1>>,
}

impl Affine {
    fn new(channels: usize, device: &Device) -> Self {
        Self {
            gamma: Param::from_tensor(Tensor::ones([channels], device)),
            beta: Param::from_tensor(Tensor::zeros([channels], device)),
        }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let [channels] = self.gamma.dims();
        let gamma = self.gamma.val().reshape([1, channels, 1, 1]);
        let beta = self.beta.val().reshape([1, channels, 1, 1]);
        x * gamma + beta
    }
}

fn conv(inputs: usize, outputs: usize, kernel: usize, stride: usize, device: &Device) -> Conv2d {
    let padding = if stride == 1 { kernel / 2 } else { 0 };
    Conv2dConfig::new([inputs, outputs], [kernel, kernel])
        .with_stride([stride, stride])
        .with_padding(PaddingConfig2d::Explicit(
            padding, padding, padding, padding,
        ))
        .with_bias(true)
        .init(device)
}

#[derive(Module, Debug)]
pub struct ResBlock {
    conv_a: Conv2d,
    affine_a: Affine,
    conv_b: Conv2d,
    affine_b: Affine,
}

/// dlib `add_prev`: the sum over the larger of the two shapes, each side zero-filled where it is smaller.
pub fn add_zero_padded(a: Tensor<4>, b: Tensor<4>) -> Tensor<4> {
    let (da, db) = (a.dims(), b.dims());
    if da == db {
        return a + b;
    }
    let target: [usize; 4] = std::array::from_fn(|i| da[i].max(db[i]));
    let pad = |t: Tensor<4>, d: [usize; 4]| {
        if d == target {
            return t;
        }
        t.pad(
            [
                (0, target[0] - d[0]),
                (0, target[1] - d[1]),
                (0, target[2] - d[2]),
                (0, target[3] - d[3]),
            ],
            PadMode::Constant(0.0),
        )
    };
    pad(a, da) + pad(b, db)
}

#[derive(Module, Debug)]
pub struct DlibResNet {
    stem: Conv2d,
    stem_affine: Affine,
    stem_pool: MaxPool2d,
    blocks: Vec<ResBlock>,
    shortcut_pool: AvgPool2d,
    fc: Linear,
}

impl DlibResNet {
    pub fn new(device: &Device) -> Self {
        let blocks = BLOCKS
            .iter()
            .map(|&(inputs, outputs, stride)| ResBlock {
                conv_a: conv(inputs, outputs, 3, stride, device),
                affine_a: Affine::new(outputs, device),
                conv_b: conv(outputs, outputs, 3, 1, device),
                affine_b: Affine::new(outputs, device),
            })
            .collect();
        Self {
            stem: conv(3, 32, 7, 2, device),
            stem_affine: Affine::new(32, device),
            stem_pool: MaxPool2dConfig::new([3, 3])
                .with_strides([2, 2])
                .with_padding(PaddingConfig2d::Valid)
                .init(),
            blocks,
            shortcut_pool: AvgPool2dConfig::new([2, 2])
                .with_strides([2, 2])
                .with_padding(PaddingConfig2d::Valid)
                .init(),
            fc: LinearConfig::new(256, EMBEDDING_SIZE)
                .with_bias(false)
                .init(device),
        }
    }

    /// `chips`: [N, 3, 150, 150] RGB, raw 0..255. Returns [N, 128].
    pub fn forward(&self, chips: Tensor<4>) -> Tensor<2> {
        let device = chips.device();
        let means = Tensor::<1>::from_floats(CHANNEL_MEANS, &device).reshape([1, 3, 1, 1]);
        let x = (chips - means) / INPUT_DIVISOR;
        let x = relu(self.stem_affine.forward(crate::conv::conv2d(&self.stem, x)));
        let mut x = self.stem_pool.forward(x);
        for (block, &(_, _, stride)) in self.blocks.iter().zip(BLOCKS.iter()) {
            let main = relu(block.affine_a.forward(crate::conv::conv2d(&block.conv_a, x.clone())));
            let main = block.affine_b.forward(crate::conv::conv2d(&block.conv_b, main));
            let shortcut = if stride == 2 {
                self.shortcut_pool.forward(x)
            } else {
                x
            };
            x = relu(add_zero_padded(main, shortcut));
        }
        let [n, c, _, _] = x.dims();
        let pooled = x.mean_dim(3).mean_dim(2).reshape([n, c]);
        self.fc.forward(pooled)
    }
}

/// `affine(conv(x))` as one convolution: y = γ·(W∗x + b) + β = (γ·W)∗x + (γ·b + β), per output channel.
fn fold_affine(conv: &Conv2d, affine: &Affine) -> Conv2d {
    let [outputs] = affine.gamma.dims();
    let gamma = affine.gamma.val();
    let weight = conv.weight.val();
    let bias = match &conv.bias {
        Some(bias) => bias.val(),
        None => Tensor::zeros([outputs], &weight.device()),
    };
    let mut folded = conv.clone();
    folded.weight = Param::from_tensor(weight * gamma.clone().reshape([outputs, 1, 1, 1]));
    folded.bias = Some(Param::from_tensor(bias * gamma + affine.beta.val()));
    folded
}

/// `conv((x − means) / 256)` as one convolution on raw x: W/256, and b − Σ W·means/256. Exact only because
/// the stem pads nothing (dlib pads nothing when striding): a zero-padded tap would see −means/256.
fn fold_input_normalisation(stem: &Conv2d) -> Conv2d {
    let weight = stem.weight.val() / INPUT_DIVISOR;
    let [outputs, _, _, _] = weight.dims();
    let means = Tensor::<1>::from_floats(CHANNEL_MEANS, &weight.device()).reshape([1, 3, 1, 1]);
    let shift = (weight.clone() * means).sum_dim(3).sum_dim(2).sum_dim(1).reshape([outputs]);
    let bias = match &stem.bias {
        Some(bias) => bias.val() - shift,
        None => -shift,
    };
    let mut folded = stem.clone();
    folded.weight = Param::from_tensor(weight);
    folded.bias = Some(Param::from_tensor(bias));
    folded
}

/// [`DlibResNet`] with its 29 affines and its input normalisation folded into the convolutions at load: the
/// same function, without two broadcast passes over every feature map per affine (two GPU kernels each).
pub(crate) struct FoldedResNet {
    stem: Conv2d,
    stem_pool: MaxPool2d,
    /// (conv_a with affine_a, conv_b with affine_b, stride).
    blocks: Vec<(Conv2d, Conv2d, usize)>,
    shortcut_pool: AvgPool2d,
    fc: Linear,
}

impl FoldedResNet {
    pub(crate) fn new(model: &DlibResNet) -> Self {
        let stem = fold_affine(&fold_input_normalisation(&model.stem), &model.stem_affine);
        let blocks = model
            .blocks
            .iter()
            .zip(BLOCKS.iter())
            .map(|(block, &(_, _, stride))| {
                (fold_affine(&block.conv_a, &block.affine_a), fold_affine(&block.conv_b, &block.affine_b), stride)
            })
            .collect();
        Self {
            stem,
            stem_pool: model.stem_pool.clone(),
            blocks,
            shortcut_pool: model.shortcut_pool.clone(),
            fc: model.fc.clone(),
        }
    }

    /// Same contract as [`DlibResNet::forward`].
    pub(crate) fn forward(&self, chips: Tensor<4>) -> Tensor<2> {
        let x = relu(crate::conv::conv2d(&self.stem, chips));
        let mut x = self.stem_pool.forward(x);
        for (conv_a, conv_b, stride) in &self.blocks {
            let main = relu(crate::conv::conv2d(conv_a, x.clone()));
            let main = crate::conv::conv2d(conv_b, main);
            let shortcut = if *stride == 2 { self.shortcut_pool.forward(x) } else { x };
            x = relu(add_zero_padded(main, shortcut));
        }
        let [n, c, _, _] = x.dims();
        let pooled = x.mean_dim(3).mean_dim(2).reshape([n, c]);
        self.fc.forward(pooled)
    }
}

/// The embedding network with verified weights, folded for inference.
pub struct FaceEmbedder {
    model: FoldedResNet,
    device: Device,
}

impl FaceEmbedder {
    pub fn load(bytes: Vec<u8>, device: &Device) -> Result<Self, ModelError> {
        let layered = crate::load_verified(&WEIGHTS, DlibResNet::new(device), bytes)?;
        Ok(Self {
            model: FoldedResNet::new(&layered),
            device: device.clone(),
        })
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    /// [N, 3, 150, 150] RGB 0..255 chips → [N, 128] embeddings.
    pub fn forward(&self, chips: Tensor<4>) -> Result<Tensor<2>, ModelError> {
        crate::check_image_batch("dlib_resnet", chips.dims(), INPUT_SIZE)?;
        Ok(self.model.forward(chips))
    }
}
