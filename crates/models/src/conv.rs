//! Convolutions for the networks (the converter routes the generated networks' `Conv2d` calls here).
//!
//! Two shapes take their own path on burn-flex (CPU); every other convolution, and every GPU device, takes
//! burn's. Both give burn's sums in another order (`examples/conv_bench.rs` checks and times them):
//! - A strided convolution over few input channels (every network's stem: YuNet's 3→16 3×3 stride 2 on
//!   640², FaceMesh's on 192²). burn-flex's small-channel path has a scalar inner loop when the stride is not
//!   1: a quarter of a single-threaded YuNet. Here: im2col (gathered in bands of output rows, so the columns
//!   stay small) times the weights through burn's matmul.
//! - A depthwise 3×3 convolution, stride 1, padding 1 (YuNet's and FaceMesh's backbones). burn-flex
//!   accumulates it one kernel tap at a time, reading and writing each output row nine times, then adds the
//!   bias in another pass: a tenth of a CPU frame in wasm. Here each output is summed in registers.

use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2d;
use burn::prelude::*;
use burn::tensor::TensorData;

/// Column-matrix elements per band (~256 KiB of f32): large enough that the matmul's per-call cost is
/// amortised, small enough to stay in cache while it is consumed.
const BAND_ELEMENTS: usize = 64 * 1024;

/// `conv.forward(input)`, through this module's own path for the two shapes above on burn-flex.
pub fn conv2d(conv: &Conv2d, input: Tensor<4>) -> Tensor<4> {
    if let Some(plan) = Im2col::plan(conv, &input) {
        return plan.forward(conv, input);
    }
    if depthwise_3x3(conv, &input) {
        return depthwise_3x3_forward(conv, input);
    }
    conv.forward(input)
}

/// Whether `conv` is a depthwise 3×3 convolution, stride 1, padding 1, on burn-flex.
fn depthwise_3x3(conv: &Conv2d, input: &Tensor<4>) -> bool {
    let [_, channels, height, width] = input.dims();
    let [channels_out, per_group, _, _] = conv.weight.dims();
    crate::on_flex(input)
        && conv.groups == channels
        && channels_out == channels
        && per_group == 1
        && conv.kernel_size == [3, 3]
        && conv.stride == [1, 1]
        && conv.dilation == [1, 1]
        && matches!(conv.padding, PaddingConfig2d::Explicit(1, 1, 1, 1))
        && height > 0
        && width >= 2
}

fn depthwise_3x3_forward(conv: &Conv2d, input: Tensor<4>) -> Tensor<4> {
    let [batch, channels, height, width] = input.dims();
    let device = input.device();
    let data = input.into_data().convert::<f32>();
    let weights = conv.weight.val().into_data().convert::<f32>();
    let bias = conv.bias.as_ref().map(|bias| bias.val().into_data().convert::<f32>());
    let bias = match &bias {
        Some(bias) => bias.as_slice::<f32>().ok(),
        None => Some(&[][..]),
    };
    match (data.as_slice::<f32>(), weights.as_slice::<f32>(), bias) {
        (Ok(pixels), Ok(weights), Some(bias)) => {
            let mut output = vec![0f32; pixels.len()];
            let plane = height * width;
            // The padding row above the first and below the last, shared by every plane.
            let zeros = vec![0f32; width];
            for (index, (out, pixels)) in output.chunks_exact_mut(plane).zip(pixels.chunks_exact(plane)).enumerate() {
                let channel = index % channels;
                let kernel: [f32; 9] = std::array::from_fn(|tap| weights[channel * 9 + tap]);
                depthwise_3x3_plane(pixels, out, &zeros, &kernel, bias.get(channel).copied().unwrap_or(0.0));
            }
            Tensor::from_data(TensorData::new(output, [batch, channels, height, width]), &device)
        }
        // Not reachable with f32 data; burn's path keeps the result right if it ever is.
        _ => conv.forward(Tensor::from_data(data, &device)),
    }
}

/// One plane of a depthwise 3×3 convolution with zero padding 1: `out = bias + Σ kernel · pixels`;
/// `zeros` is a row of the plane's width.
fn depthwise_3x3_plane(pixels: &[f32], out: &mut [f32], zeros: &[f32], kernel: &[f32; 9], bias: f32) {
    let width = zeros.len();
    let height = pixels.len() / width;
    let row = |y: usize| -> &[f32] { if y < height { &pixels[y * width..(y + 1) * width] } else { zeros } };
    for (y, out_row) in out.chunks_exact_mut(width).enumerate() {
        // Rows above the first and below the last are the zero padding.
        let rows = [if y == 0 { zeros } else { row(y - 1) }, row(y), row(y + 1)];
        // Interior columns: equal-length slices, so the loop has no bounds checks and vectorises.
        let inner = width - 2;
        let mut taps = [[&[][..]; 3]; 3];
        for (ky, source) in rows.iter().enumerate() {
            for (kx, tap) in taps[ky].iter_mut().enumerate() {
                *tap = &source[kx..kx + inner];
            }
        }
        let [[a0, a1, a2], [b0, b1, b2], [c0, c1, c2]] = taps;
        let k = kernel;
        for (i, out) in out_row[1..width - 1].iter_mut().enumerate() {
            *out = bias
                + k[0] * a0[i] + k[1] * a1[i] + k[2] * a2[i]
                + k[3] * b0[i] + k[4] * b1[i] + k[5] * b2[i]
                + k[6] * c0[i] + k[7] * c1[i] + k[8] * c2[i];
        }
        // The first and last columns, whose left or right neighbour is padding.
        let last = width - 1;
        let [top, middle, bottom] = rows;
        out_row[0] = bias
            + k[1] * top[0] + k[2] * top[1]
            + k[4] * middle[0] + k[5] * middle[1]
            + k[7] * bottom[0] + k[8] * bottom[1];
        out_row[last] = bias
            + k[0] * top[last - 1] + k[1] * top[last]
            + k[3] * middle[last - 1] + k[4] * middle[last]
            + k[6] * bottom[last - 1] + k[7] * bottom[last];
    }
}

/// The shapes of one im2col convolution.
#[derive(Debug, Clone, Copy)]
struct Im2col {
    batch: usize,
    channels_in: usize,
    channels_out: usize,
    in_height: usize,
    in_width: usize,
    kernel: [usize; 2],
    stride: [usize; 2],
    dilation: [usize; 2],
    /// (top, left)
    padding: [usize; 2],
    out_height: usize,
    out_width: usize,
}

impl Im2col {
    /// Some(plan) where this path is taken: burn-flex, no groups, a stride other than 1, and at most as many
    /// input channels as flex's small-channel path takes (4).
    fn plan(conv: &Conv2d, input: &Tensor<4>) -> Option<Self> {
        const SMALL_CHANNEL_IN: usize = 4;
        let [batch, channels_in, in_height, in_width] = input.dims();
        let [channels_out, weight_in, _, _] = conv.weight.dims();
        if !crate::on_flex(input) || conv.groups != 1 || conv.stride == [1, 1] || channels_in > SMALL_CHANNEL_IN {
            return None;
        }
        if weight_in != channels_in || channels_in == 0 {
            return None; // burn's path reports a mismatch; no channels means no taps to gather
        }
        let (top, left, bottom, right) = match conv.padding {
            PaddingConfig2d::Valid => (0, 0, 0, 0),
            PaddingConfig2d::Explicit(top, left, bottom, right) => (top, left, bottom, right),
            PaddingConfig2d::Same => return None,
        };
        let extent = |size: usize, before: usize, after: usize, kernel: usize, stride: usize, dilation: usize| {
            let span = dilation * (kernel - 1) + 1;
            (size + before + after).checked_sub(span).map(|room| room / stride + 1)
        };
        let [kernel_h, kernel_w] = conv.kernel_size;
        let out_height = extent(in_height, top, bottom, kernel_h, conv.stride[0], conv.dilation[0])?;
        let out_width = extent(in_width, left, right, kernel_w, conv.stride[1], conv.dilation[1])?;
        Some(Self {
            batch,
            channels_in,
            channels_out,
            in_height,
            in_width,
            kernel: conv.kernel_size,
            stride: conv.stride,
            dilation: conv.dilation,
            padding: [top, left],
            out_height,
            out_width,
        })
    }

    fn forward(self, conv: &Conv2d, input: Tensor<4>) -> Tensor<4> {
        let device = input.device();
        let data = input.into_data().convert::<f32>();
        match data.as_slice::<f32>().ok().and_then(|pixels| self.convolve(conv, pixels, &device)) {
            Some(output) => Tensor::from_data(
                TensorData::new(output, [self.batch, self.channels_out, self.out_height, self.out_width]),
                &device,
            ),
            // Not reachable with f32 data; burn's path keeps the result right if it ever is.
            None => conv.forward(Tensor::from_data(data, &device)),
        }
    }

    /// The output, [batch][out channel][out rows × out width]: each band of rows is a matmul of the
    /// weights ([out][in × kh × kw]) with the band's column matrix, plus the bias.
    fn convolve(&self, conv: &Conv2d, pixels: &[f32], device: &Device) -> Option<Vec<f32>> {
        let taps = self.channels_in * self.kernel[0] * self.kernel[1];
        // [out, in, kh, kw] flattened is the column order `gather` writes.
        let weights = conv.weight.val().reshape([1, self.channels_out, taps]);
        let bias = conv.bias.as_ref().map(|bias| bias.val().reshape([1, self.channels_out, 1]));
        let image_len = self.channels_in * self.in_height * self.in_width;
        let plane = self.out_height * self.out_width;
        let mut output = vec![0f32; self.batch * self.channels_out * plane];
        let band_rows = (BAND_ELEMENTS / (taps * self.out_width)).clamp(1, self.out_height);
        for (image, image_pixels) in pixels.chunks_exact(image_len).enumerate() {
            for first_row in (0..self.out_height).step_by(band_rows) {
                let rows = band_rows.min(self.out_height - first_row);
                let band = rows * self.out_width;
                let mut columns = vec![0f32; taps * band];
                self.gather(image_pixels, first_row, rows, &mut columns);
                let columns = Tensor::<3>::from_data(TensorData::new(columns, [1, taps, band]), device);
                let products = weights.clone().matmul(columns);
                let products = match &bias {
                    Some(bias) => products + bias.clone(),
                    None => products,
                };
                let products = products.into_data().convert::<f32>();
                for (channel, sums) in products.as_slice::<f32>().ok()?.chunks_exact(band).enumerate() {
                    let start = (image * self.channels_out + channel) * plane + first_row * self.out_width;
                    output[start..start + band].copy_from_slice(sums);
                }
            }
        }
        Some(output)
    }

    /// Writes the column matrix of output rows `first_row..first_row + rows` into `columns`
    /// ([taps][rows × out_width], taps in (channel, ky, kx) order; padding stays 0).
    fn gather(&self, pixels: &[f32], first_row: usize, rows: usize, columns: &mut [f32]) {
        let band = rows * self.out_width;
        let [kernel_h, kernel_w] = self.kernel;
        let mut tap = 0;
        for channel in 0..self.channels_in {
            let plane = &pixels[channel * self.in_height * self.in_width..][..self.in_height * self.in_width];
            for ky in 0..kernel_h {
                for kx in 0..kernel_w {
                    let column = &mut columns[tap * band..(tap + 1) * band];
                    tap += 1;
                    let x_offset = kx * self.dilation[1];
                    for (row_in_band, out_row) in column.chunks_exact_mut(self.out_width).enumerate() {
                        let y = (first_row + row_in_band) * self.stride[0] + ky * self.dilation[0];
                        let Some(y) = y.checked_sub(self.padding[0]).filter(|&y| y < self.in_height) else {
                            continue;
                        };
                        let in_row = &plane[y * self.in_width..(y + 1) * self.in_width];
                        for (ox, out) in out_row.iter_mut().enumerate() {
                            let x = ox * self.stride[1] + x_offset;
                            if let Some(&value) = x.checked_sub(self.padding[1]).and_then(|x| in_row.get(x)) {
                                *out = value;
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(all(test, feature = "flex"))]
mod tests {
    use super::*;
    use burn::nn::conv::Conv2dConfig;
    use burn::tensor::{Distribution, Tolerance};

    /// (input shape, output channels, kernel, stride, padding (top, left, bottom, right), dilation)
    type Case = ([usize; 4], usize, [usize; 2], [usize; 2], (usize, usize, usize, usize), [usize; 2]);

    #[test]
    fn im2col_equals_burns_convolution() {
        let device = Device::flex();
        let cases: [Case; 6] = [
            ([1, 3, 64, 48], 16, [3, 3], [2, 2], (1, 1, 1, 1), [1, 1]), // a stem, as YuNet's and FaceMesh's
            ([2, 3, 31, 29], 8, [3, 3], [2, 2], (1, 1, 1, 1), [1, 1]),  // odd sizes, a batch
            ([1, 1, 20, 20], 4, [2, 3], [3, 2], (0, 2, 1, 0), [1, 1]),  // asymmetric kernel, stride, padding
            ([1, 4, 17, 17], 5, [3, 3], [2, 2], (0, 0, 0, 0), [2, 2]),  // dilation, no padding
            ([1, 3, 150, 150], 32, [7, 7], [2, 2], (0, 0, 0, 0), [1, 1]), // dlib's stem shape
            ([1, 2, 3, 3], 2, [3, 3], [2, 2], (3, 3, 3, 3), [1, 1]),    // padding wider than the image
        ];
        for (shape, channels_out, kernel, stride, (top, left, bottom, right), dilation) in cases {
            let conv = Conv2dConfig::new([shape[1], channels_out], kernel)
                .with_stride(stride)
                .with_dilation(dilation)
                .with_padding(PaddingConfig2d::Explicit(top, left, bottom, right))
                .init(&device);
            let x = Tensor::<4>::random(shape, Distribution::Uniform(-1.0, 1.0), &device);
            assert!(Im2col::plan(&conv, &x).is_some(), "{shape:?} should take the im2col path");
            let expected = conv.forward(x.clone()).into_data();
            let actual = conv2d(&conv, x).into_data();
            assert_eq!(actual.shape(), expected.shape(), "{shape:?}");
            actual.assert_approx_eq::<f32>(&expected, Tolerance::absolute(1e-5));
        }
    }

    #[test]
    fn depthwise_3x3_equals_burns_convolution() {
        let device = Device::flex();
        for (shape, bias) in [([1, 16, 40, 32], true), ([2, 3, 5, 7], true), ([1, 4, 1, 2], false), ([1, 8, 3, 2], true)] {
            let channels = shape[1];
            let conv = Conv2dConfig::new([channels, channels], [3, 3])
                .with_groups(channels)
                .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                .with_bias(bias)
                .init(&device);
            let x = Tensor::<4>::random(shape, Distribution::Uniform(-1.0, 1.0), &device);
            assert!(depthwise_3x3(&conv, &x), "{shape:?}");
            let expected = conv.forward(x.clone()).into_data();
            let actual = conv2d(&conv, x).into_data();
            assert_eq!(actual.shape(), expected.shape(), "{shape:?}");
            actual.assert_approx_eq::<f32>(&expected, Tolerance::absolute(1e-5));
        }
        // Stride 2, other padding or a one-column image take burn's path.
        let x = Tensor::<4>::random([1, 4, 8, 8], Distribution::Uniform(-1.0, 1.0), &device);
        let strided = Conv2dConfig::new([4, 4], [3, 3]).with_groups(4).with_stride([2, 2]).init(&device);
        let unpadded = Conv2dConfig::new([4, 4], [3, 3]).with_groups(4).init(&device);
        assert!(!depthwise_3x3(&strided, &x) && !depthwise_3x3(&unpadded, &x));
        let padded = Conv2dConfig::new([4, 4], [3, 3]).with_groups(4).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1)).init(&device);
        assert!(!depthwise_3x3(&padded, &Tensor::<4>::zeros([1, 4, 8, 1], &device)));
    }

    #[test]
    fn other_convolutions_take_burns_path() {
        let device = Device::flex();
        let x = Tensor::<4>::random([1, 8, 16, 16], Distribution::Uniform(-1.0, 1.0), &device);
        let unstrided = Conv2dConfig::new([8, 8], [3, 3]).init(&device);
        let grouped = Conv2dConfig::new([8, 8], [3, 3]).with_stride([2, 2]).with_groups(8).init(&device);
        let wide = Conv2dConfig::new([8, 8], [3, 3]).with_stride([2, 2]).init(&device);
        for conv in [&unstrided, &grouped, &wide] {
            assert!(Im2col::plan(conv, &x).is_none());
        }
        let no_bias = Conv2dConfig::new([3, 4], [3, 3]).with_stride([2, 2]).with_bias(false).init(&device);
        let x = Tensor::<4>::random([1, 3, 9, 9], Distribution::Uniform(-1.0, 1.0), &device);
        conv2d(&no_bias, x.clone()).into_data().assert_approx_eq::<f32>(&no_bias.forward(x).into_data(), Tolerance::absolute(1e-5));
    }
}
