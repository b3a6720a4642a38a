//! Reads dlib's binary serialization of `dlib_face_recognition_resnet_model_v1.dat` (the ResNet-29 face
//! embedding, CC0) into burnpack tensors named as `faceproof_models::dlib_resnet::DlibResNet` expects.
//!
//! dlib writes a network innermost layer first, each as its type tag string (`con_4`, `affine_`, `fc_2`,
//! …) followed by its fields; learned tensors are `int version(2), n, k, nr, nc` as dlib packed ints,
//! then `n·k·nr·nc` little-endian f32. Only three layer kinds carry weights here, and their order in the
//! file is the forward order, so the reader walks the file for those three tags and checks every shape
//! and count against the known architecture (a different file is an error, never a silently wrong net).
//!
//! Packed ints (dlib `pack_int`): one header byte, bit 7 = sign, low 4 bits = byte count, then the
//! magnitude little-endian.

/// One learned tensor: name in the burn module, shape, values.
pub struct NamedTensor {
    pub name: String,
    pub shape: Vec<usize>,
    pub values: Vec<f32>,
}

struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn int(&mut self) -> Result<i64, String> {
        let header = *self.data.get(self.pos).ok_or("truncated int")?;
        let len = usize::from(header & 0x0f);
        if len > 8 {
            return Err(format!("bad packed int header {header:#x} at {}", self.pos));
        }
        let bytes = self
            .data
            .get(self.pos + 1..self.pos + 1 + len)
            .ok_or("truncated int")?;
        let magnitude = bytes
            .iter()
            .rev()
            .fold(0i64, |acc, &b| (acc << 8) | i64::from(b));
        self.pos += 1 + len;
        Ok(if header & 0x80 != 0 {
            -magnitude
        } else {
            magnitude
        })
    }

    fn usize(&mut self) -> Result<usize, String> {
        usize::try_from(self.int()?).map_err(|e| format!("negative size at {}: {e}", self.pos))
    }

    /// A dlib tensor: version 2, then n, k, nr, nc and raw little-endian floats.
    fn tensor(&mut self) -> Result<(Vec<usize>, Vec<f32>), String> {
        let version = self.int()?;
        if version != 2 {
            return Err(format!(
                "tensor version {version} at {}, expected 2",
                self.pos
            ));
        }
        let shape = vec![self.usize()?, self.usize()?, self.usize()?, self.usize()?];
        let count: usize = shape.iter().product();
        let bytes = self
            .data
            .get(self.pos..self.pos + 4 * count)
            .ok_or("truncated tensor data")?;
        let values = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        self.pos += 4 * count;
        Ok((shape, values))
    }
}

/// dlib serializes a string as a packed length then the bytes; this is the byte pattern of a tag.
fn tag_pattern(tag: &str) -> Vec<u8> {
    let mut pattern = vec![1u8, tag.len() as u8];
    pattern.extend_from_slice(tag.as_bytes());
    pattern
}

enum Layer {
    Conv {
        filters: usize,
        kernel: usize,
        stride: usize,
        padding: usize,
        weights: Vec<f32>,
    },
    Affine {
        values: Vec<f32>,
    },
    Fc {
        inputs: usize,
        outputs: usize,
        weights: Vec<f32>,
    },
}

fn read_layers(data: &[u8]) -> Result<Vec<Layer>, String> {
    let patterns = [
        tag_pattern("con_4"),
        tag_pattern("affine_"),
        tag_pattern("fc_2"),
    ];
    let mut layers = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let Some((kind, _)) = patterns
            .iter()
            .enumerate()
            .find(|(_, p)| data[pos..].starts_with(p))
        else {
            pos += 1;
            continue;
        };
        let mut cursor = Cursor {
            data,
            pos: pos + patterns[kind].len(),
        };
        match kind {
            0 => {
                let (shape, weights) = cursor.tensor()?;
                // Fields after the params: num_filters, nr, nc, stride_y, stride_x, padding_y, padding_x.
                let fields = (0..7)
                    .map(|_| cursor.usize())
                    .collect::<Result<Vec<_>, _>>()?;
                let [
                    filters,
                    kernel_rows,
                    kernel_cols,
                    stride_y,
                    stride_x,
                    pad_y,
                    pad_x,
                ] = fields[..]
                else {
                    return Err("con_ fields".into());
                };
                if shape[1..] != [1, 1, 1]
                    || kernel_rows != kernel_cols
                    || stride_y != stride_x
                    || pad_y != pad_x
                {
                    return Err(format!(
                        "unexpected con_ layer at {pos}: params {shape:?}, kernel {kernel_rows}x{kernel_cols}, stride {stride_y}/{stride_x}, padding {pad_y}/{pad_x}"
                    ));
                }
                layers.push(Layer::Conv {
                    filters,
                    kernel: kernel_rows,
                    stride: stride_y,
                    padding: pad_y,
                    weights,
                });
            }
            1 => {
                let (shape, values) = cursor.tensor()?;
                if shape[1..] != [1, 1, 1] || shape[0] % 2 != 0 {
                    return Err(format!("unexpected affine_ params {shape:?} at {pos}"));
                }
                layers.push(Layer::Affine { values });
            }
            _ => {
                let outputs = cursor.usize()?;
                let inputs = cursor.usize()?;
                let (shape, weights) = cursor.tensor()?;
                if shape != [inputs, outputs, 1, 1] {
                    return Err(format!(
                        "unexpected fc_ params {shape:?} for {inputs}->{outputs}"
                    ));
                }
                layers.push(Layer::Fc {
                    inputs,
                    outputs,
                    weights,
                });
            }
        }
        pos = cursor.pos;
    }
    Ok(layers)
}

/// (input channels, output channels, stride) of the 14 residual blocks, in forward order; stride 2 marks
/// dlib's `ares_down` blocks. Must match `faceproof_models::dlib_resnet::BLOCKS`.
const BLOCKS: [(usize, usize, usize); 14] = [
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

/// Converts the .dat bytes into named tensors for the burn module.
pub fn convert(data: &[u8]) -> Result<Vec<NamedTensor>, String> {
    let layers = read_layers(data)?;
    let mut tensors = Vec::new();
    let mut layers = layers.into_iter();
    let mut conv = |name: &str,
                    inputs: usize,
                    outputs: usize,
                    kernel: usize,
                    stride: usize,
                    layer: Option<Layer>|
     -> Result<(), String> {
        let Some(Layer::Conv {
            filters,
            kernel: k,
            stride: s,
            padding,
            weights,
        }) = layer
        else {
            return Err(format!("{name}: expected a con_ layer"));
        };
        // dlib's default padding: half the kernel at stride 1, none when striding.
        let expected_padding = if stride == 1 { kernel / 2 } else { 0 };
        if (filters, k, s, padding, weights.len())
            != (
                outputs,
                kernel,
                stride,
                expected_padding,
                outputs * inputs * kernel * kernel + outputs,
            )
        {
            return Err(format!(
                "{name}: got {filters} filters {k}x{k} stride {s} padding {padding} ({} values)",
                weights.len()
            ));
        }
        let (filter_values, bias) = weights.split_at(outputs * inputs * kernel * kernel);
        tensors.push(NamedTensor {
            name: format!("{name}.weight"),
            shape: vec![outputs, inputs, kernel, kernel],
            values: filter_values.to_vec(),
        });
        tensors.push(NamedTensor {
            name: format!("{name}.bias"),
            shape: vec![outputs],
            values: bias.to_vec(),
        });
        Ok(())
    };
    let mut affines = Vec::new();
    let mut take_affine =
        |name: String, channels: usize, layer: Option<Layer>| -> Result<(), String> {
            let Some(Layer::Affine { values }) = layer else {
                return Err(format!("{name}: expected an affine_ layer"));
            };
            if values.len() != 2 * channels {
                return Err(format!(
                    "{name}: {} values for {channels} channels",
                    values.len()
                ));
            }
            affines.push(NamedTensor {
                name: format!("{name}.gamma"),
                shape: vec![channels],
                values: values[..channels].to_vec(),
            });
            affines.push(NamedTensor {
                name: format!("{name}.beta"),
                shape: vec![channels],
                values: values[channels..].to_vec(),
            });
            Ok(())
        };
    conv("stem", 3, 32, 7, 2, layers.next())?;
    take_affine("stem_affine".into(), 32, layers.next())?;
    for (i, &(inputs, outputs, stride)) in BLOCKS.iter().enumerate() {
        conv(
            &format!("blocks.{i}.conv_a"),
            inputs,
            outputs,
            3,
            stride,
            layers.next(),
        )?;
        take_affine(format!("blocks.{i}.affine_a"), outputs, layers.next())?;
        conv(
            &format!("blocks.{i}.conv_b"),
            outputs,
            outputs,
            3,
            1,
            layers.next(),
        )?;
        take_affine(format!("blocks.{i}.affine_b"), outputs, layers.next())?;
    }
    match layers.next() {
        Some(Layer::Fc {
            inputs: 256,
            outputs: 128,
            weights,
        }) => {
            tensors.push(NamedTensor {
                name: "fc.weight".into(),
                shape: vec![256, 128],
                values: weights,
            });
        }
        _ => return Err("expected the final fc_ layer 256 -> 128".into()),
    }
    if layers.next().is_some() {
        return Err("unexpected layers after the final fc_".into());
    }
    tensors.extend(affines);
    Ok(tensors)
}
