#!/usr/bin/env python3
"""Goldens for the dlib ResNet embedding parity test (crates/embed/src/tests.rs), and the alignment template.

For every faces-deepface image with a face: the reference face's 5 YuNet points (face_reference.py), the
150x150 chip exactly as crates/embed/src/align.rs builds it (least-squares similarity from the 5 points to
YUNET_CHIP_TEMPLATE, k x k supersampled bilinear with k = ceil(image px per chip px), rounded to uint8),
and dlib's own embedding of that chip (PyPI dlib-bin, compute_face_descriptor on an aligned chip).
It also reports the pair accuracy of those reference embeddings on pairs_all_derived.csv.

--template re-derives YUNET_CHIP_TEMPLATE: where YuNet's 5 points (eye centres, nose tip, mouth corners)
fall, on average over these photos, in dlib's own chip (dlib's 5-point shape predictor + get_face_chip's
template at padding 0.25). It is the geometric relation between the two landmark conventions.
Usage: python3 tests/parity/dlib_goldens.py [--template] [SHARED_DIR]   (writes tests/parity/goldens/dlib_resnet.json)
"""
import csv, json, math, sys
from pathlib import Path
import numpy as np
import dlib
from face_reference import ROOT, largest_face, load_rgb

args = [a for a in sys.argv[1:] if not a.startswith("--")]
SHARED = Path(args[0]) if args else ROOT.parent / "shared"
CHIP = 150
PADDING = 0.25
# Keep in sync with crates/embed/src/align.rs.
YUNET_CHIP_TEMPLATE = np.array([[46.4, 44.94], [102.14, 45.12], [74.07, 78.11], [49.9, 100.76], [99.35, 100.93]])
# dlib get_face_chip_details' 5-point template (unit square), for --template.
DLIB_5_TEMPLATE = np.array([(0.8595674595992, 0.2134981538014), (0.6460604764104, 0.2289674387677),
                            (0.1205750620789, 0.2137274526848), (0.3340850613712, 0.2290642403174),
                            (0.4901123135679, 0.6277975316475)])


def similarity(src, dst):
    """Least-squares similarity (rotation, uniform scale, translation) mapping src points onto dst."""
    ms, md = src.mean(0), dst.mean(0)
    s, d = src - ms, dst - md
    norm = (s ** 2).sum()
    a = (s[:, 0] * d[:, 0] + s[:, 1] * d[:, 1]).sum() / norm
    b = (s[:, 0] * d[:, 1] - s[:, 1] * d[:, 0]).sum() / norm
    m = np.array([[a, -b], [b, a]])
    return m, md - m @ ms


def chip(rgb, landmarks):
    m, t = similarity(YUNET_CHIP_TEMPLATE, np.asarray(landmarks, np.float64))  # chip -> image
    scale = math.hypot(m[0, 0], m[1, 0])
    k = min(max(math.ceil(scale - 1e-9), 1), 8)
    height, width = rgb.shape[:2]
    grid = np.arange(CHIP, dtype=np.float64)
    acc = np.zeros((CHIP, CHIP, 3))
    for oy in range(k):
        for ox in range(k):
            cx, cy = np.meshgrid(grid + (ox + 0.5) / k - 0.5, grid + (oy + 0.5) / k - 0.5)
            # dlib convention: integer coordinates are pixel centres.
            x = m[0, 0] * cx + m[0, 1] * cy + t[0]
            y = m[1, 0] * cx + m[1, 1] * cy + t[1]
            x0, y0 = np.floor(x), np.floor(y)
            fx, fy = (x - x0)[..., None], (y - y0)[..., None]

            def pixel(yy, xx):
                return rgb[np.clip(yy, 0, height - 1).astype(np.int64), np.clip(xx, 0, width - 1).astype(np.int64)].astype(np.float64)

            top = pixel(y0, x0) * (1 - fx) + pixel(y0, x0 + 1) * fx
            bottom = pixel(y0 + 1, x0) * (1 - fx) + pixel(y0 + 1, x0 + 1) * fx
            acc += top * (1 - fy) + bottom * fy
    return np.clip(np.rint(acc / (k * k)), 0, 255).astype(np.uint8)


def main():
    facerec = dlib.face_recognition_model_v1(str(SHARED / "models/dlib-dat/dlib_face_recognition_resnet_model_v1.dat"))
    predictor = dlib.shape_predictor(str(SHARED / "models/dlib-dat/shape_predictor_5_face_landmarks.dat"))
    dlib_template = (PADDING + DLIB_5_TEMPLATE) / (2 * PADDING + 1) * CHIP
    goldens = {"dlib": dlib.__version__, "template": YUNET_CHIP_TEMPLATE.tolist(), "images": []}
    in_dlib_chip = []
    embeddings = {}
    for path in sorted((SHARED / "data/faces-deepface/images").iterdir(), key=lambda p: p.name):
        rel = str(path.relative_to(SHARED))
        rgb = load_rgb(path)
        face = largest_face(SHARED, rgb)
        if face is None:
            continue
        bbox, landmarks, _ = face
        if "--template" in sys.argv:
            x, y, w, h = bbox
            parts = predictor(rgb, dlib.rectangle(x, y, x + w, y + h)).parts()
            m, t = similarity(np.array([(p.x, p.y) for p in parts], np.float64), dlib_template)
            in_dlib_chip.append(np.asarray(landmarks) @ m.T + t)
        patch = chip(rgb, landmarks)
        embedding = np.array(facerec.compute_face_descriptor(patch))
        embeddings[path.name] = embedding
        goldens["images"].append({"file": rel, "landmarks": landmarks, "chip_sum": int(patch.astype(np.int64).sum()),
                                  "embedding": [round(float(v), 6) for v in embedding]})
    if in_dlib_chip:
        print("YUNET_CHIP_TEMPLATE =", np.round(np.mean(in_dlib_chip, 0), 2).tolist(), file=sys.stderr)
    out = ROOT / "tests/parity/goldens/dlib_resnet.json"
    out.write_text(json.dumps(goldens, separators=(",", ":")))
    print(f"wrote {out} ({out.stat().st_size} bytes, {len(goldens['images'])} faces)", file=sys.stderr)
    same, correct, total = [], 0, 0
    with open(SHARED / "data/faces-deepface/pairs_all_derived.csv") as f:
        for row in csv.DictReader(f):
            a, b = row[list(row)[0]], row[list(row)[1]]
            label = row[list(row)[2]]
            if a in embeddings and b in embeddings:
                distance = np.linalg.norm(embeddings[a] - embeddings[b])
                is_same = label.strip().lower() in ("1", "true", "yes", "same")
                correct += (distance < 0.6) == is_same
                total += 1
    print(f"reference dlib net on these chips: accuracy @0.6 {correct}/{total} = {100 * correct / max(total, 1):.2f}%", file=sys.stderr)


if __name__ == "__main__":
    main()
