#!/usr/bin/env python3
"""Goldens for the YuNet parity test (crates/detect/src/tests.rs).

For each image: decode with the module's own decoder (crates/frame, via its dump_rgb example: JPEG
decoders differ by a level or two, and parity is about the network, not libjpeg), letterbox exactly as crates/detect/src/letterbox.rs does
(scaled to fit 640, top-left aligned on a canvas whose sides are rounded up to a multiple of 32, bilinear
with half-pixel centres, BGR, raw 0..255), run the ONNX model in onnxruntime (its declared 640x640 input
relaxed to any height and width: the graph is fully convolutional), and record
  * raw outputs: every value of the 64 best-scoring anchors plus every 211th value of each tensor,
  * decoded faces from OpenCV's own FaceDetectorYN (an independent decode + NMS) given the scaled image at
    its own size, which it pads to multiples of 32 itself, as the module does.
Usage: python3 tests/parity/yunet_goldens.py [SHARED_DIR]   (writes tests/parity/goldens/yunet.json)
"""
import json, sys, hashlib, os, subprocess, tempfile
from pathlib import Path
import numpy as np
from PIL import Image, ImageOps
import onnx
import onnxruntime as ort
import cv2
from onnx_shapes import free_spatial_input  # tests/parity/onnx_shapes.py

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
MODEL = SHARED / "models/yunet/yunet_s_640_640.onnx"
SIZE = 640
MULTIPLE = 32
IMAGES = [
    "data/faces-deepface/images/img1.jpg",
    "data/faces-deepface/images/img3.jpg",
    "data/faces-deepface/images/img47.jpg",          # WebP data named .jpg
    "data/faces-deepface/images/img49.jpg",          # 4352x2903
    "data/faces-deepface/images/couple.jpg",
    "data/faces-deepface/images/selfie-many-people.jpg",
    "data/faces-dlib-examples/2008_002470.jpg",      # six small faces
    "data/faces-dlib-examples/bald_guys.jpg",
    "data/faces-dlib-examples/dogs.jpg",             # no face
    "data/spoof-samples/image_F1.jpg",               # EXIF orientation 6
    "data/spoof-samples/image_T2.jpg",
]
NAMES = [f"{k}_{s}" for k in ("cls", "obj", "bbox", "kps") for s in (8, 16, 32)]
SAMPLE_EVERY = 211
TOP_ANCHORS = 64


def letterbox(rgb: np.ndarray):
    h, w = rgb.shape[:2]
    scale = np.float32(min(np.float32(SIZE) / np.float32(w), np.float32(SIZE) / np.float32(h)))
    cw = int(min(max(round(float(np.float32(w) * scale)), 1), SIZE))
    ch = int(min(max(round(float(np.float32(h) * scale)), 1), SIZE))
    src = rgb.astype(np.float32)

    def taps(n_out, n_in):
        inv = np.float32(n_in) / np.float32(n_out)
        s = np.maximum((np.arange(n_out, dtype=np.float32) + np.float32(0.5)) * inv - np.float32(0.5), 0)
        i0 = np.minimum(np.floor(s).astype(np.int64), n_in - 1)
        i1 = np.minimum(i0 + 1, n_in - 1)
        return i0, i1, np.minimum(s - i0.astype(np.float32), 1).astype(np.float32)

    x0, x1, fx = taps(cw, w)
    y0, y1, fy = taps(ch, h)
    top = src[y0][:, x0] + (src[y0][:, x1] - src[y0][:, x0]) * fx[None, :, None]
    bottom = src[y1][:, x0] + (src[y1][:, x1] - src[y1][:, x0]) * fx[None, :, None]
    content = top + (bottom - top) * fy[:, None, None]
    canvas = np.zeros((-(-ch // MULTIPLE) * MULTIPLE, -(-cw // MULTIPLE) * MULTIPLE, 3), np.float32)
    canvas[:ch, :cw] = content
    bgr = canvas[:, :, ::-1]
    return np.ascontiguousarray(bgr.transpose(2, 0, 1)[None]), float(scale), (cw, ch)


def relaxed_model() -> bytes:
    return free_spatial_input(onnx.load(str(MODEL))).SerializeToString()


def module_decode(path: Path) -> np.ndarray:
    """The module's decoding of `path` (EXIF-upright RGB8), from `cargo run --example dump_rgb`."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rgb"
        subprocess.run(["cargo", "run", "--release", "-q", "-p", "faceproof-frame", "--example", "dump_rgb",
                        str(path), str(out)], cwd=ROOT, check=True)
        raw = out.read_bytes()
    header, pixels = raw.split(b"\n", 1)
    width, height = map(int, header.split())
    return np.frombuffer(pixels, np.uint8).reshape(height, width, 3)


def main():
    session = ort.InferenceSession(relaxed_model(), providers=["CPUExecutionProvider"])
    cv_detector = cv2.FaceDetectorYN.create(str(MODEL), "", (SIZE, SIZE), 0.87, 0.3, 5000)
    goldens = {"model_sha256": hashlib.sha256(MODEL.read_bytes()).hexdigest(),
               "onnxruntime": ort.__version__, "opencv": cv2.__version__, "images": []}
    for rel in IMAGES:
        rgb = module_decode(SHARED / rel)
        reference = np.asarray(ImageOps.exif_transpose(Image.open(SHARED / rel)).convert("RGB"))
        # The module's decoder must agree with libjpeg/libwebp to within rounding (same size, tiny mean diff).
        assert reference.shape == rgb.shape, (rel, reference.shape, rgb.shape)
        decoder_diff = float(np.abs(reference.astype(np.int16) - rgb.astype(np.int16)).mean())
        assert decoder_diff < 1.5, (rel, decoder_diff)
        tensor, scale, (cw, ch) = letterbox(rgb)
        outputs = dict(zip([o.name for o in session.get_outputs()], session.run(None, {"input": tensor})))
        score = np.sqrt(np.clip(np.concatenate([outputs[f"cls_{s}"].ravel() for s in (8, 16, 32)]), 0, 1)
                        * np.clip(np.concatenate([outputs[f"obj_{s}"].ravel() for s in (8, 16, 32)]), 0, 1))
        best = np.argsort(-score)[:TOP_ANCHORS]
        input_h, input_w = tensor.shape[2:]
        cells = {s: (input_h // s) * (input_w // s) for s in (8, 16, 32)}
        offsets = {8: 0, 16: cells[8], 32: cells[8] + cells[16]}
        samples = {}
        for name in NAMES:
            stride = int(name.split("_")[1])
            flat = outputs[name].reshape(-1)
            width = outputs[name].shape[-1]
            idx = set(range(0, flat.size, SAMPLE_EVERY))
            for a in best:
                if offsets[stride] <= a < offsets[stride] + flat.size // width:
                    local = int(a) - offsets[stride]
                    idx.update(range(local * width, (local + 1) * width))
            idx = sorted(idx)
            samples[name] = {"index": idx, "value": [float(flat[i]) for i in idx]}
        # OpenCV decodes on an 8-bit image; give it the same scaled content, rounded (it zero-pads to 32s).
        content = np.ascontiguousarray(np.clip(np.rint(tensor[0, :, :ch, :cw].transpose(1, 2, 0)), 0, 255).astype(np.uint8))
        cv_detector.setInputSize((cw, ch))
        _, faces = cv_detector.detect(content)
        faces = [] if faces is None else faces.tolist()
        decoded = [{"bbox": [v / scale for v in f[0:4]], "landmarks": [[f[4 + 2 * k] / scale, f[5 + 2 * k] / scale] for k in range(5)],
                    "score": f[14]} for f in faces]
        goldens["images"].append({"file": rel, "width": rgb.shape[1], "height": rgb.shape[0], "decoder_mean_abs_diff_vs_pillow": decoder_diff, "scale": scale,
                                  "input_shape": [int(input_h), int(input_w)], "input_sum": float(tensor.astype(np.float64).sum()),
                                  "outputs": samples, "faces": decoded})
        print(f"{rel}: {len(decoded)} faces, decoder mean |diff| vs Pillow {decoder_diff:.3f}", file=sys.stderr)
    out = ROOT / "tests/parity/goldens/yunet.json"
    out.write_text(json.dumps(goldens, separators=(",", ":")))
    print(f"wrote {out} ({out.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
