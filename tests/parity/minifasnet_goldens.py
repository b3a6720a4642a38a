#!/usr/bin/env python3
"""Goldens for the MiniFASNet parity and accuracy tests (crates/antispoof/src/tests.rs).

For the 4 spoof samples and 20 deepface faces: the largest face (face_reference.py), the crops exactly as
upstream Silent-Face-Anti-Spoofing builds them (CropImage._get_new_box + cv2.resize, BGR uint8), both
networks in onnxruntime, and each softmax. The crops are recorded by sha256 and pixel sum so the Rust test
can prove it fed the networks the same input.
Usage: python3 tests/parity/minifasnet_goldens.py [SHARED_DIR]   (writes tests/parity/goldens/minifasnet.json)
"""
import hashlib, json, sys
from pathlib import Path
import numpy as np
import onnxruntime as ort
import cv2
from face_reference import ROOT, DEEPFACE_20, SPOOF_SAMPLES, largest_face, load_rgb

SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
MODELS = {"v2": ("minifasnet/MiniFASNetV2.onnx", 2.7), "v1se": ("minifasnet/MiniFASNetV1SE.onnx", 4.0)}


def get_new_box(src_w, src_h, bbox, scale):
    """Silent-Face-Anti-Spoofing src/generate_patches.py CropImage._get_new_box, verbatim logic."""
    x, y, box_w, box_h = bbox
    scale = min((src_h - 1) / box_h, min((src_w - 1) / box_w, scale))
    new_width, new_height = box_w * scale, box_h * scale
    center_x, center_y = box_w / 2 + x, box_h / 2 + y
    left_top_x, left_top_y = center_x - new_width / 2, center_y - new_height / 2
    right_bottom_x, right_bottom_y = center_x + new_width / 2, center_y + new_height / 2
    if left_top_x < 0:
        right_bottom_x -= left_top_x
        left_top_x = 0
    if left_top_y < 0:
        right_bottom_y -= left_top_y
        left_top_y = 0
    if right_bottom_x > src_w - 1:
        left_top_x -= right_bottom_x - src_w + 1
        right_bottom_x = src_w - 1
    if right_bottom_y > src_h - 1:
        left_top_y -= right_bottom_y - src_h + 1
        right_bottom_y = src_h - 1
    return int(left_top_x), int(left_top_y), int(right_bottom_x), int(right_bottom_y)


def crop(bgr, bbox, scale):
    src_h, src_w = bgr.shape[:2]
    l, t, r, b = get_new_box(src_w, src_h, bbox, scale)
    return cv2.resize(bgr[t:b + 1, l:r + 1], (80, 80)), [l, t, r, b]


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def main():
    sessions = {k: ort.InferenceSession(str(SHARED / "models" / f), providers=["CPUExecutionProvider"])
                for k, (f, _) in MODELS.items()}
    goldens = {"onnxruntime": ort.__version__, "opencv": cv2.__version__, "images": []}
    for rel in SPOOF_SAMPLES + DEEPFACE_20:
        rgb = load_rgb(SHARED / rel)
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        face = largest_face(SHARED, rgb)
        if face is None:
            print(f"{rel}: no face", file=sys.stderr)
            continue
        bbox = face[0]
        entry = {"file": rel, "bbox": bbox}
        total = np.zeros(3)
        for key, (_, scale) in MODELS.items():
            patch, rect = crop(bgr, bbox, scale)
            tensor = patch.transpose(2, 0, 1)[None].astype(np.float32)
            logits = sessions[key].run(None, {"input": tensor})[0][0]
            probs = softmax(logits.astype(np.float64))
            total += probs
            entry[key] = {"rect": rect, "crop_sha256": hashlib.sha256(patch.tobytes()).hexdigest(),
                          "crop_sum": int(patch.astype(np.int64).sum()), "softmax": probs.tolist()}
        entry["live_probability"] = total[1] / 2
        entry["is_live"] = bool(np.argmax(total) == 1)
        goldens["images"].append(entry)
        print(f"{rel}: box {bbox} live {entry['live_probability']:.4f} {entry['is_live']}", file=sys.stderr)
    out = ROOT / "tests/parity/goldens/minifasnet.json"
    out.write_text(json.dumps(goldens, indent=1))
    print(f"wrote {out} ({out.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
