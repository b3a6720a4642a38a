#!/usr/bin/env python3
"""Goldens for the FaceMesh parity test (crates/landmarks/src/tests.rs) and the landmark stage's mean shape.

For every image of faces-deepface with a face: the ROI from the reference face (face_reference.py) exactly as
crates/landmarks builds it (centre of the box, side 1.2 x max(w, h), rotated by the eye line), the 192x192
RGB [0,1] crop (bilinear, pixel centres at +0.5, edge pixels replicated: same arithmetic as
crates/landmarks/src/crop.rs, in float64), the ONNX model in onnxruntime, and
  * every one of the 1404 outputs for the first 4 images, every 13th for the others (all compared <= 1e-3),
  * the face-presence logit.
With --mean-shape it also writes crates/landmarks/src/mean_shape.rs: the canonical 3-D face used for head
pose, built from these meshes (generalised Procrustes, then axes fixed by the eye line and the
forehead-chin line). MediaPipe's canonical_face_model.obj is not in any registry package reachable here, so
the shape is derived from the model itself on these photos; see crates/landmarks/src/pose.rs.
Usage: python3 tests/parity/facemesh_goldens.py [--mean-shape] [SHARED_DIR]
"""
import json, math, sys
from pathlib import Path
import numpy as np
import onnxruntime as ort
from face_reference import ROOT, largest_face, load_rgb

args = [a for a in sys.argv[1:] if not a.startswith("--")]
SHARED = Path(args[0]) if args else ROOT.parent / "shared"
MODEL = SHARED / "models/mediapipe-onnx/face_landmark.onnx"
SIZE = 192
ROI_SCALE = 1.2
FULL_IMAGES = 4
SAMPLE_EVERY = 13


def roi_from_face(bbox, landmarks):
    x, y, w, h = [float(v) for v in bbox]
    (rx, ry), (lx, ly) = landmarks[0], landmarks[1]
    # MediaPipe DetectionsToRectsCalculator: rotation = target(0) - atan2(-(y1 - y0), x1 - x0).
    rotation = -math.atan2(-(ly - ry), lx - rx)
    return {"cx": x + w / 2, "cy": y + h / 2, "side": max(w, h) * ROI_SCALE, "rotation": rotation}


def crop(rgb, roi):
    height, width = rgb.shape[:2]
    grid = (np.arange(SIZE) + 0.5) / SIZE - 0.5
    u, v = np.meshgrid(grid, grid)
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


def to_image(points, roi):
    """Crop-pixel landmarks -> image pixels (z scaled like x)."""
    c, s = math.cos(roi["rotation"]), math.sin(roi["rotation"])
    u = points[:, 0] / SIZE - 0.5
    v = points[:, 1] / SIZE - 0.5
    x = roi["cx"] + roi["side"] * (u * c - v * s)
    y = roi["cy"] + roi["side"] * (u * s + v * c)
    return np.stack([x, y, points[:, 2] / SIZE * roi["side"]], 1)


def procrustes_mean(shapes):
    shapes = [p - p.mean(0) for p in shapes]
    shapes = [p / np.linalg.norm(p) for p in shapes]
    mean = shapes[0]
    for _ in range(10):
        aligned = []
        for p in shapes:
            u, _, vt = np.linalg.svd(p.T @ mean)
            d = np.sign(np.linalg.det(u @ vt))
            r = u @ np.diag([1, 1, d]) @ vt
            aligned.append(p @ r)
        mean = np.mean(aligned, 0)
        mean /= np.linalg.norm(mean)
    # Canonical axes: x along the eye line (right-eye outer corner 33 -> left-eye outer corner 263),
    # y from forehead (10) to chin (152) made orthogonal to x, z = x cross y (into the image).
    ex = mean[263] - mean[33]
    ex /= np.linalg.norm(ex)
    ey = mean[152] - mean[10]
    ey -= ex * (ey @ ex)
    ey /= np.linalg.norm(ey)
    ez = np.cross(ex, ey)
    canon = mean @ np.stack([ex, ey, ez], 1)
    # Scale to the inter-ocular-corner distance = 1 so the numbers are readable.
    return canon / np.linalg.norm(canon[263] - canon[33])


def main():
    session = ort.InferenceSession(str(MODEL), providers=["CPUExecutionProvider"])
    images = sorted((SHARED / "data/faces-deepface/images").iterdir(), key=lambda p: p.name)
    goldens = {"onnxruntime": ort.__version__, "roi_scale": ROI_SCALE, "images": []}
    meshes = []
    for path in images:
        rel = str(path.relative_to(SHARED))
        rgb = load_rgb(path)
        face = largest_face(SHARED, rgb)
        if face is None:
            print(f"{rel}: no face", file=sys.stderr)
            continue
        bbox, landmarks, _ = face
        roi = roi_from_face(bbox, landmarks)
        tensor = crop(rgb, roi).transpose(2, 0, 1)[None].astype(np.float32)
        points, presence = session.run(None, {"input_1": tensor})
        flat = points.reshape(-1)
        every = 1 if len(goldens["images"]) < FULL_IMAGES else SAMPLE_EVERY
        index = list(range(0, flat.size, every))
        goldens["images"].append({"file": rel, "bbox": bbox, "eyes": landmarks[:2], "roi": roi,
                                  "input_sum": float(tensor.astype(np.float64).sum()),
                                  "index": index, "value": [round(float(flat[i]), 5) for i in index],
                                  "presence_logit": float(presence.reshape(-1)[0])})
        meshes.append(to_image(points.reshape(468, 3).astype(np.float64), roi))
        print(f"{rel}: roi {roi['side']:.0f}px rot {math.degrees(roi['rotation']):.1f} presence {float(presence.reshape(-1)[0]):.2f}", file=sys.stderr)
    out = ROOT / "tests/parity/goldens/facemesh.json"
    out.write_text(json.dumps(goldens, separators=(",", ":")))
    print(f"wrote {out} ({out.stat().st_size} bytes)", file=sys.stderr)
    if "--mean-shape" in sys.argv:
        mean = procrustes_mean(meshes)
        rows = "\n".join(f"    [{x:.6f}, {y:.6f}, {z:.6f}]," for x, y, z in mean)
        code = ("//! Generated by tests/parity/facemesh_goldens.py --mean-shape. Do not edit.\n"
                f"//! Mean FaceMesh shape over {len(meshes)} faces-deepface photos (generalised Procrustes), axes: x along the\n"
                "//! eye line (33 -> 263), y forehead (10) -> chin (152), z = x cross y (away from the camera); unit =\n"
                "//! outer-eye-corner distance.\n\n"
                f"pub const MEAN_SHAPE: [[f32; 3]; 468] = [\n{rows}\n];\n")
        (ROOT / "crates/landmarks/src/mean_shape.rs").write_text(code)
        print("wrote crates/landmarks/src/mean_shape.rs", file=sys.stderr)


if __name__ == "__main__":
    main()
