#!/usr/bin/env python3
"""The ONNX files the peers need for the benchmark and ../shared lacks, written to OUT_DIR (a cache):

* yunet_any_size.onnx: YuNet with its declared 640x640 input (and output shapes) left free, so the peers run
  the detector on the same input faceproof does: the frame fitted to 640 on a canvas padded only up to
  multiples of 32 (480x640 for a 3:4 portrait), as OpenCV's FaceDetectorYN does. The graph is unchanged.
* iris_landmark_batch.onnx: MediaPipe Iris with a dynamic batch (the shared conversion reshapes to [1, -1]),
  so onnxruntime runs both eyes in one call, as faceproof does.
* dlib_resnet.onnx: dlib's face-recognition ResNet from the float .dat (the weights faceproof converts), with
  dlib's input normalisation (channel means, /256) in the graph: [N,3,150,150] RGB 0..255 -> [N,128]. The
  reader and the architecture mirror crates/convert/src/dlib.rs and crates/models/src/dlib_resnet.rs;
  `--check` compares it with dlib's own compute_face_descriptor on a chip.
Usage: make_onnx.py SHARED_DIR OUT_DIR [--check]
"""
import struct, sys
from pathlib import Path
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "parity"))
from onnx_shapes import free_spatial_input  # noqa: E402  (tests/parity/onnx_shapes.py)

BLOCKS = [(32, 32, 1), (32, 32, 1), (32, 32, 1), (32, 64, 2), (64, 64, 1), (64, 64, 1), (64, 64, 1),
          (64, 128, 2), (128, 128, 1), (128, 128, 1), (128, 256, 2), (256, 256, 1), (256, 256, 1), (256, 256, 2)]
CHANNEL_MEANS = [122.782, 117.001, 104.298]


def yunet_any_size(src: Path, out: Path):
    onnx.save(free_spatial_input(onnx.load(src)), out)


def iris_batch(src: Path, out: Path):
    model = onnx.load(src)
    for value in list(model.graph.input) + list(model.graph.output):
        value.type.tensor_type.shape.dim[0].dim_param = "N"
    del model.graph.value_info[:]
    for init in model.graph.initializer:
        if init.name == "TFLITE2ONNX_Vector_int64_[_1_-1]":
            # 0 = keep the input's batch dimension.
            init.CopyFrom(numpy_helper.from_array(np.array([0, -1], np.int64), init.name))
    onnx.save(model, out)


class Cursor:
    def __init__(self, data, pos):
        self.data, self.pos = data, pos

    def int(self):
        header = self.data[self.pos]
        n = header & 0x0F
        value = int.from_bytes(self.data[self.pos + 1:self.pos + 1 + n], "little")
        self.pos += 1 + n
        return -value if header & 0x80 else value

    def tensor(self):
        assert self.int() == 2, "dlib tensor version"
        shape = [self.int() for _ in range(4)]
        count = int(np.prod(shape))
        values = np.frombuffer(self.data, "<f4", count, self.pos).copy()
        self.pos += 4 * count
        return shape, values


def dlib_layers(data: bytes):
    """(kind, fields) for every con_4 / affine_ / fc_2 layer, in file (= forward) order."""
    tags = {kind: bytes([1, len(kind)]) + kind.encode() for kind in ("con_4", "affine_", "fc_2")}
    layers, pos = [], 0
    while True:
        found = [(data.find(tag, pos), kind) for kind, tag in tags.items()]
        found = [f for f in found if f[0] >= 0]
        if not found:
            return layers
        at, kind = min(found)
        cursor = Cursor(data, at + len(tags[kind]))
        if kind == "con_4":
            _, params = cursor.tensor()
            filters, rows, _, stride, _, pad, _ = [cursor.int() for _ in range(7)]
            layers.append(("conv", dict(filters=filters, kernel=rows, stride=stride, pad=pad, params=params)))
        elif kind == "affine_":
            _, params = cursor.tensor()
            layers.append(("affine", params))
        else:
            outputs, inputs = cursor.int(), cursor.int()
            _, params = cursor.tensor()
            layers.append(("fc", params.reshape(inputs, outputs)))
        pos = cursor.pos


def dlib_resnet(src: Path, out: Path):
    layers = iter(dlib_layers(src.read_bytes()))
    nodes, inits = [], []

    def const(name, array):
        inits.append(numpy_helper.from_array(np.asarray(array, np.float32 if np.asarray(array).dtype.kind == "f" else np.int64), name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def conv(x, name, cin, cout, k, stride):
        kind, layer = next(layers)
        assert kind == "conv" and layer["filters"] == cout and layer["kernel"] == k and layer["stride"] == stride, name
        weights, bias = np.split(layer["params"], [cout * cin * k * k])
        pad = layer["pad"]
        return node("Conv", [x, const(f"{name}.w", weights.reshape(cout, cin, k, k)), const(f"{name}.b", bias)], name,
                    kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4)

    def affine(x, name, channels):
        kind, params = next(layers)
        assert kind == "affine" and params.size == 2 * channels, name
        x = node("Mul", [x, const(f"{name}.g", params[:channels].reshape(1, channels, 1, 1))], f"{name}.mul")
        return node("Add", [x, const(f"{name}.b", params[channels:].reshape(1, channels, 1, 1))], name)

    def pad_to(x, name, shape, target):
        if shape == target:
            return x
        pads = [0, 0, 0, 0, 0] + [t - s for s, t in zip(shape, target)]  # begins, then ends (N, C, H, W)
        return node("Pad", [x, const(f"{name}.pads", np.array(pads, np.int64))], name)

    x = node("Sub", ["chips", const("means", np.array(CHANNEL_MEANS).reshape(1, 3, 1, 1))], "centred")
    x = node("Mul", [x, const("inv256", np.array(1 / 256))], "scaled")
    x = node("Relu", [affine(conv(x, "stem", 3, 32, 7, 2), "stem_affine", 32)], "stem_relu")
    x = node("MaxPool", [x], "stem_pool", kernel_shape=[3, 3], strides=[2, 2])
    size = ((150 - 7) // 2 + 1 - 3) // 2 + 1
    for i, (cin, cout, stride) in enumerate(BLOCKS):
        main = node("Relu", [affine(conv(x, f"b{i}.conv_a", cin, cout, 3, stride), f"b{i}.affine_a", cout)], f"b{i}.relu_a")
        main = affine(conv(main, f"b{i}.conv_b", cout, cout, 3, 1), f"b{i}.affine_b", cout)
        shortcut, main_size, short_size = x, size, size
        if stride == 2:
            shortcut = node("AveragePool", [x], f"b{i}.pool", kernel_shape=[2, 2], strides=[2, 2])
            main_size, short_size = (size - 3) // 2 + 1, size // 2
        # dlib add_prev: sum over the larger shape, each side zero-filled where smaller.
        target = [max(cout, cin), max(main_size, short_size), max(main_size, short_size)]
        main = pad_to(main, f"b{i}.pad_main", [cout, main_size, main_size], target)
        shortcut = pad_to(shortcut, f"b{i}.pad_short", [cin, short_size, short_size], target)
        x = node("Relu", [node("Add", [main, shortcut], f"b{i}.add")], f"b{i}.out")
        size = target[1]
    x = node("ReduceMean", [x], "pooled", axes=[2, 3], keepdims=0)
    kind, fc = next(layers)
    assert kind == "fc" and fc.shape == (256, 128)
    node("MatMul", [x, const("fc.w", fc)], "embedding")
    graph = helper.make_graph(nodes, "dlib_resnet", [helper.make_tensor_value_info("chips", TensorProto.FLOAT, ["N", 3, 150, 150])],
                              [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["N", 128])], inits)
    # IR 8: what onnxruntime 1.20 (native and web) reads.
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
    onnx.checker.check_model(model)
    onnx.save(model, out)


def check(shared: Path, out: Path):
    import dlib, onnxruntime as ort
    from PIL import Image
    chip = np.asarray(Image.open(shared / "data/faces-deepface/images/img1.jpg").convert("RGB").resize((150, 150)))
    reference = np.array(dlib.face_recognition_model_v1(str(shared / "models/dlib-dat/dlib_face_recognition_resnet_model_v1.dat"))
                         .compute_face_descriptor(chip))
    session = ort.InferenceSession(str(out / "dlib_resnet.onnx"), providers=["CPUExecutionProvider"])
    ours = session.run(None, {"chips": chip.transpose(2, 0, 1)[None].astype(np.float32)})[0][0]
    print(f"dlib_resnet.onnx vs dlib: max abs diff {np.abs(ours - reference).max():.2e}", file=sys.stderr)


def main():
    shared, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    yunet_any_size(shared / "models/yunet/yunet_s_640_640.onnx", out / "yunet_any_size.onnx")
    iris_batch(shared / "models/mediapipe-onnx/iris_landmark.onnx", out / "iris_landmark_batch.onnx")
    dlib_resnet(shared / "models/dlib-dat/dlib_face_recognition_resnet_model_v1.dat", out / "dlib_resnet.onnx")
    if "--check" in sys.argv:
        check(shared, out)


if __name__ == "__main__":
    main()
