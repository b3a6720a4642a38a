#!/usr/bin/env python3
"""Multiply-accumulates per frame of each benchmarked network, counted from the ONNX graphs, for ./x bench.

Conv: output elements x (input channels / groups) x kernel area; Gemm/MatMul: output elements x inner size.
Elementwise ops, pools and resizes are not counted (they are a small share of these networks). Shapes come
from onnx's shape inference at the inputs the benchmark runs: YuNet on IMAGE fitted to 640 and padded to
multiples of 32 (as crates/detect does), FaceMesh one 192² crop, Iris two 64² crops, each MiniFASNet one 80²
crop, the dlib ResNet one 150² chip. Prints JSON: {"yunet_input": [h, w], "macs": {stage: count}}.
Usage: model_macs.py SHARED BENCH_ONNX IMAGE   (BENCH_ONNX holds make_onnx.py's files)
"""
import json, sys
from pathlib import Path
import onnx
from onnx import shape_inference
from PIL import Image, ImageOps


def fixed_input(model: onnx.ModelProto, dims):
    """Pins the first input's shape (the others follow by shape inference)."""
    shape = model.graph.input[0].type.tensor_type.shape
    for dim, value in zip(shape.dim, dims):
        dim.Clear()
        dim.dim_value = value
    for output in model.graph.output:
        for dim in output.type.tensor_type.shape.dim:
            dim.Clear()
            dim.dim_param = "n"
    del model.graph.value_info[:]
    return shape_inference.infer_shapes(model)


def macs(path: Path, dims) -> int:
    model = fixed_input(onnx.load(path), dims)
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
              for v in list(model.graph.value_info) + list(model.graph.output) + list(model.graph.input)}
    shapes.update({i.name: list(i.dims) for i in model.graph.initializer})
    total = 0
    for node in model.graph.node:
        out = shapes.get(node.output[0])
        if node.op_type == "Conv":
            weight = shapes[node.input[1]]
            groups = next((a.i for a in node.attribute if a.name == "group"), 1)
            assert out and all(out), (path.name, node.name, out)
            per_output = weight[1] * weight[2] * weight[3]
            total += out[0] * out[1] * out[2] * out[3] * per_output
            assert weight[0] % groups == 0
        elif node.op_type in ("Gemm", "MatMul"):
            left = shapes[node.input[0]]
            assert out and all(out) and left and all(left), (path.name, node.name)
            inner = left[-1]
            count = 1
            for d in out:
                count *= d
            total += count * inner
    return total


def yunet_input(image: Path):
    width, height = ImageOps.exif_transpose(Image.open(image)).size
    scale = min(640 / width, 640 / height)
    pad = lambda side: -(-max(1, round(side * scale)) // 32) * 32
    return [pad(height), pad(width)]


def main():
    shared, bench_onnx, image = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    h, w = yunet_input(image)
    counts = {
        "detect": macs(bench_onnx / "yunet_any_size.onnx", [1, 3, h, w]),
        "mesh": macs(shared / "models/mediapipe-onnx/face_landmark.onnx", [1, 3, 192, 192]),
        "iris": macs(bench_onnx / "iris_landmark_batch.onnx", [2, 3, 64, 64]),
        "antispoof": macs(shared / "models/minifasnet/MiniFASNetV2.onnx", [1, 3, 80, 80])
        + macs(shared / "models/minifasnet/MiniFASNetV1SE.onnx", [1, 3, 80, 80]),
        "embed": macs(bench_onnx / "dlib_resnet.onnx", [1, 3, 150, 150]),
    }
    counts["landmarks"] = counts["mesh"] + counts["iris"]
    print(json.dumps({"yunet_input": [h, w], "macs": counts}))


if __name__ == "__main__":
    main()
