#!/usr/bin/env python3
"""Goldens for the Iris parity test (crates/landmarks/src/eye_tests.rs).

For every image of faces-deepface with a face: the FaceMesh ROI and mesh exactly as facemesh_goldens.py
builds them (onnxruntime), then for each eye the ROI of crates/landmarks/src/eyes.rs (MediaPipe
iris_landmark_landmarks_to_roi: centre of the two mesh corners 33/133 and 362/263, side 2.3 x the corners'
axis-aligned box's longer side, rotated by the corner line), the 64x64 RGB [0,1] crop (bilinear, pixel centres
at +0.5, edge pixels replicated, the subject's left eye mirrored: the same float64 arithmetic as
crates/landmarks/src/roi.rs sample_square), and the Iris ONNX model in onnxruntime. It stores the corners,
the ROI, the crop's sum and all 228 outputs (213 contour values, 15 iris values, crop pixels) per eye.
The Rust test rebuilds the ROI from the stored corners and crops the same decoded pixels itself, so the
comparison is about the crop and the network, not about FaceMesh's last digits.
Usage: python3 tests/parity/iris_goldens.py [SHARED_DIR]
"""
import json, math, sys
from pathlib import Path
import numpy as np
import onnxruntime as ort
from face_reference import ROOT, largest_face, load_rgb
from facemesh_goldens import crop as crop_face, roi_from_face, to_image

args = [a for a in sys.argv[1:] if not a.startswith("--")]
SHARED = Path(args[0]) if args else ROOT.parent / "shared"
MESH_MODEL = SHARED / "models/mediapipe-onnx/face_landmark.onnx"
IRIS_MODEL = SHARED / "models/mediapipe-onnx/iris_landmark.onnx"
SIZE = 64
EYE_ROI_SCALE = 2.3
# (name, mesh corners left to right on the image, mirrored before the network)
EYES = [("right", (33, 133), False), ("left", (362, 263), True)]


def eye_roi(start, end):
    x0, y0, x1, y1 = float(start[0]), float(start[1]), float(end[0]), float(end[1])
    rotation = -math.atan2(-(y1 - y0), x1 - x0)
    side = max(abs(x1 - x0), abs(y1 - y0)) * EYE_ROI_SCALE
    return {"cx": (x0 + x1) / 2, "cy": (y0 + y1) / 2, "side": side, "rotation": rotation}


def crop_eye(rgb, roi, mirror):
    height, width = rgb.shape[:2]
    grid = (np.arange(SIZE) + 0.5) / SIZE - 0.5
    u, v = np.meshgrid(grid, grid)
    if mirror:
        u = -u
    c, s = math.cos(roi["rotation"]), math.sin(roi["rotation"])
    sx = roi["cx"] + roi["side"] * (u * c - v * s) - 0.5
    sy = roi["cy"] + roi["side"] * (u * s + v * c) - 0.5
    x0, y0 = np.floor(sx), np.floor(sy)
    fx, fy = (sx - x0)[..., None], (sy - y0)[..., None]

    def pixel(yy, xx):
        return rgb[np.clip(yy, 0, height - 1).astype(np.int64), np.clip(xx, 0, width - 1).astype(np.int64)].astype(np.float64)

    top = pixel(y0, x0) * (1 - fx) + pixel(y0, x0 + 1) * fx
    bottom = pixel(y0 + 1, x0) * (1 - fx) + pixel(y0 + 1, x0 + 1) * fx
    return (top * (1 - fy) + bottom * fy) / 255.0


def main():
    mesh = ort.InferenceSession(str(MESH_MODEL), providers=["CPUExecutionProvider"])
    iris = ort.InferenceSession(str(IRIS_MODEL), providers=["CPUExecutionProvider"])
    images = sorted((SHARED / "data/faces-deepface/images").iterdir(), key=lambda p: p.name)
    goldens = {"onnxruntime": ort.__version__, "eye_roi_scale": EYE_ROI_SCALE, "images": []}
    for path in images:
        rel = str(path.relative_to(SHARED))
        rgb = load_rgb(path)
        face = largest_face(SHARED, rgb)
        if face is None:
            print(f"{rel}: no face", file=sys.stderr)
            continue
        bbox, landmarks, _ = face
        roi = roi_from_face(bbox, landmarks)
        tensor = crop_face(rgb, roi).transpose(2, 0, 1)[None].astype(np.float32)
        points, _ = mesh.run(None, {"input_1": tensor})
        points = to_image(points.reshape(468, 3).astype(np.float64), roi)
        entry = {"file": rel, "eyes": []}
        for name, (a, b), mirror in EYES:
            # f32 corners, as the Rust stage holds them.
            start = [float(np.float32(v)) for v in points[a, :2]]
            end = [float(np.float32(v)) for v in points[b, :2]]
            eroi = eye_roi(start, end)
            crop = crop_eye(rgb, eroi, mirror).transpose(2, 0, 1)[None].astype(np.float32)
            contour, iris_points = iris.run(None, {"input_1": crop})
            values = np.concatenate([contour.reshape(-1), iris_points.reshape(-1)])
            entry["eyes"].append({"eye": name, "corners": [start, end], "roi": eroi, "mirrored": mirror,
                                  "input_sum": float(crop.astype(np.float64).sum()),
                                  "value": [round(float(v), 5) for v in values]})
        goldens["images"].append(entry)
        print(f"{rel}: eye sides {entry['eyes'][0]['roi']['side']:.0f}/{entry['eyes'][1]['roi']['side']:.0f} px", file=sys.stderr)
    out = ROOT / "tests/parity/goldens/iris.json"
    out.write_text(json.dumps(goldens, separators=(",", ":")))
    print(f"wrote {out} ({out.stat().st_size} bytes, {len(goldens['images'])} images)", file=sys.stderr)


if __name__ == "__main__":
    main()
