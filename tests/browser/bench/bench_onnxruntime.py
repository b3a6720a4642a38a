#!/usr/bin/env python3
"""onnxruntime (PyPI, CPU) on the ONNX models faceproof converts, for ./x bench. Prints JSON.

  detector SHARED BENCH_ONNX IMAGE ITERATIONS WARMUP   YuNet alone (letterbox + network)
  loop SHARED BENCH_ONNX IMAGE ITERATIONS WARMUP       the per-frame liveness loop, as tests/browser/bench/liveness.js
      does it in the browser: YuNet fitted to 640, padded to 32s (+ decode, NMS) -> FaceMesh (192x192 rotated face crop) -> Iris (both
      64x64 eye crops in one batch) -> MiniFASNet V2 + V1SE (80x80 crops at x2.7 and x4.0); then the dlib
      embedding (150x150 aligned chip). Crops are OpenCV warpAffine / resize (what a native user would call);
      the geometry follows tests/parity/*_goldens.py. BENCH_ONNX holds make_onnx.py's files.
"""
import time
STARTED = time.perf_counter()
import json, math, sys
from pathlib import Path
import numpy as np
import cv2
from PIL import Image, ImageOps
import onnxruntime as ort

SCORE_THRESHOLD, NMS_IOU = 0.87, 0.3          # crates/detect DetectorConfig::default()
MESH_SIZE, MESH_ROI_SCALE = 192, 1.2           # crates/landmarks ROI_SCALE
EYE_SIZE, EYE_ROI_SCALE = 64, 2.3
EYES = [((33, 133), False), ((362, 263), True)]  # the subject's left eye is mirrored
CHIP_TEMPLATE = np.array([[46.4, 44.94], [102.14, 45.12], [74.07, 78.11], [49.9, 100.76], [99.35, 100.93]])


def session(path):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def load_bgr(path):
    """The frame as OpenCV delivers camera frames: contiguous BGR8."""
    return np.ascontiguousarray(np.asarray(ImageOps.exif_transpose(Image.open(path)).convert("RGB"))[:, :, ::-1])


def letterbox(bgr):
    h, w = bgr.shape[:2]
    scale = min(640 / w, 640 / h)
    # Fitted to 640, padded up to multiples of 32 (yunet_any_size.onnx), as crates/detect does.
    cw, ch = round(w * scale), round(h * scale)
    canvas = np.zeros((-(-ch // 32) * 32, -(-cw // 32) * 32, 3), np.float32)
    resized = cv2.resize(bgr, (cw, ch), interpolation=cv2.INTER_LINEAR)
    canvas[:resized.shape[0], :resized.shape[1]] = resized
    return np.ascontiguousarray(canvas.transpose(2, 0, 1)[None]), scale


def detect(yunet, bgr):
    tensor, scale = letterbox(bgr)
    out = dict(zip([o.name for o in yunet.get_outputs()], yunet.run(None, {"input": tensor})))
    boxes, scores, points = [], [], []
    for stride in (8, 16, 32):
        cols = tensor.shape[3] // stride
        score = np.sqrt(np.clip(out[f"cls_{stride}"][0, :, 0], 0, 1) * np.clip(out[f"obj_{stride}"][0, :, 0], 0, 1))
        keep = np.nonzero(score >= SCORE_THRESHOLD)[0]
        grid = np.stack([keep % cols, keep // cols], 1).astype(np.float32)
        bbox = out[f"bbox_{stride}"][0, keep]
        centre = (grid + bbox[:, :2]) * stride
        size = np.exp(bbox[:, 2:]) * stride
        boxes.append(np.concatenate([centre - size / 2, size], 1) / scale)
        points.append(((grid[:, None, :] + out[f"kps_{stride}"][0, keep].reshape(-1, 5, 2)) * stride) / scale)
        scores.append(score[keep])
    boxes, scores, points = np.concatenate(boxes), np.concatenate(scores), np.concatenate(points)
    kept = cv2.dnn.NMSBoxes(boxes.tolist(), scores.tolist(), SCORE_THRESHOLD, NMS_IOU)
    return [(boxes[i], points[i], scores[i]) for i in np.asarray(kept).reshape(-1)]


def roi_crop(bgr, cx, cy, side, rotation, size, mirror=False):
    """Square ROI -> size x size RGB [0,1] NCHW: crop pixel centres mapped into the image (replicated edges)."""
    c, s = math.cos(rotation), math.sin(rotation)
    u = np.array([1 / size, 0, 0.5 / size - 0.5]) * (-1 if mirror else 1)
    v = np.array([0, 1 / size, 0.5 / size - 0.5])
    m = np.stack([side * (c * u - s * v), side * (s * u + c * v)]) + np.array([[0, 0, cx - 0.5], [0, 0, cy - 0.5]])
    crop = cv2.warpAffine(bgr, m, (size, size), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)
    return crop[:, :, ::-1].transpose(2, 0, 1).astype(np.float32) / 255.0


def spoof_box(src_w, src_h, bbox, scale):
    """Silent-Face-Anti-Spoofing CropImage._get_new_box (as tests/parity/minifasnet_goldens.py)."""
    x, y, box_w, box_h = bbox
    scale = min((src_h - 1) / box_h, min((src_w - 1) / box_w, scale))
    nw, nh = box_w * scale, box_h * scale
    l, t, r, b = x + box_w / 2 - nw / 2, y + box_h / 2 - nh / 2, x + box_w / 2 + nw / 2, y + box_h / 2 + nh / 2
    if l < 0: r, l = r - l, 0
    if t < 0: b, t = b - t, 0
    if r > src_w - 1: l, r = l - (r - src_w + 1), src_w - 1
    if b > src_h - 1: t, b = t - (b - src_h + 1), src_h - 1
    return int(l), int(t), int(r), int(b)


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def liveness_frame(models, bgr):
    stages, t = {}, time.perf_counter()

    def lap(name):
        nonlocal t
        now = time.perf_counter()
        stages[name], t = (now - t) * 1e3, now

    faces = detect(models["yunet"], bgr)
    lap("detect")
    if not faces:
        return stages, None
    bbox, points, _ = max(faces, key=lambda f: f[0][2] * f[0][3])
    (rx, ry), (lx, ly) = points[0], points[1]
    x, y, w, h = bbox
    roi = (x + w / 2, y + h / 2, max(w, h) * MESH_ROI_SCALE, -math.atan2(-(ly - ry), lx - rx))
    raw = models["facemesh"].run(None, {"input_1": roi_crop(bgr, *roi, MESH_SIZE)[None]})[0].reshape(468, 3)
    cx, cy, side, rotation = roi
    c, s = math.cos(rotation), math.sin(rotation)
    u, v = raw[:, 0] / MESH_SIZE - 0.5, raw[:, 1] / MESH_SIZE - 0.5
    mesh = np.stack([cx + side * (u * c - v * s), cy + side * (u * s + v * c)], 1)
    lap("mesh")
    eyes = []
    for (a, b), mirror in EYES:
        (x0, y0), (x1, y1) = mesh[a], mesh[b]
        eyes.append(roi_crop(bgr, (x0 + x1) / 2, (y0 + y1) / 2, max(abs(x1 - x0), abs(y1 - y0)) * EYE_ROI_SCALE,
                             -math.atan2(-(y1 - y0), x1 - x0), EYE_SIZE, mirror))
    models["iris"].run(None, {"input_1": np.stack(eyes)})
    lap("iris")
    live = []
    for name, factor in (("minifasnet_v2", 2.7), ("minifasnet_v1se", 4.0)):
        l, t_, r, b = spoof_box(bgr.shape[1], bgr.shape[0], bbox, factor)
        patch = cv2.resize(bgr[t_:b + 1, l:r + 1], (80, 80))
        live.append(softmax(models[name].run(None, {"input": patch.transpose(2, 0, 1)[None].astype(np.float32)})[0][0]))
    lap("antispoof")
    inside = np.mean((mesh[:, 0] > x - 0.2 * w) & (mesh[:, 0] < x + 1.2 * w) & (mesh[:, 1] > y - 0.3 * h) & (mesh[:, 1] < y + 1.2 * h))
    return stages, {"points": points, "mesh_on_face": float(inside), "live_probability": float((live[0][1] + live[1][1]) / 2)}


def embed(model, bgr, points):
    """dlib chip: least-squares similarity template -> the 5 points (crates/embed align.rs), then the net."""
    ms, md = CHIP_TEMPLATE.mean(0), points.mean(0)
    sc, dc = CHIP_TEMPLATE - ms, points - md
    norm = (sc ** 2).sum()
    a = (sc * dc).sum() / norm
    b = (sc[:, 0] * dc[:, 1] - sc[:, 1] * dc[:, 0]).sum() / norm
    m = np.array([[a, -b], [b, a]])
    affine = np.concatenate([m, (md - m @ ms)[:, None]], 1)
    chip = cv2.warpAffine(bgr, affine, (150, 150), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    return model.run(None, {"chips": chip[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32)})[0]


def stats(samples):
    samples = sorted(samples)
    n = len(samples)
    median = samples[n // 2] if n % 2 else (samples[n // 2 - 1] + samples[n // 2]) / 2
    return {"median": median, "min": samples[0], "max": samples[-1], "n": n}


def timed(fn, iterations, warmup):
    for _ in range(warmup):
        fn()
    samples, values = [], []
    for _ in range(max(iterations, 1)):
        t = time.perf_counter()
        values.append(fn())
        samples.append((time.perf_counter() - t) * 1e3)
    return stats(samples), values


def main():
    mode, shared = sys.argv[1], Path(sys.argv[2])
    runtime = f"onnxruntime {ort.__version__} native (CPU)"
    bench_onnx, image, iterations, warmup = Path(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
    if mode == "detector":
        yunet = session(bench_onnx / "yunet_any_size.onnx")
        bgr = load_bgr(image)
        detect(yunet, bgr)
        cold = (time.perf_counter() - STARTED) * 1e3
        detector, _ = timed(lambda: detect(yunet, bgr), iterations, warmup)
        print(json.dumps({"runtime": runtime, "coldStartMs": cold, "detector": detector}))
        return
    models = {name: session(path) for name, path in {
        "yunet": bench_onnx / "yunet_any_size.onnx", "facemesh": shared / "models/mediapipe-onnx/face_landmark.onnx",
        "iris": bench_onnx / "iris_landmark_batch.onnx", "minifasnet_v2": shared / "models/minifasnet/MiniFASNetV2.onnx",
        "minifasnet_v1se": shared / "models/minifasnet/MiniFASNetV1SE.onnx"}.items()}
    bgr = load_bgr(image)
    _, first = liveness_frame(models, bgr)
    cold = (time.perf_counter() - STARTED) * 1e3    # process start -> first loop result
    if first is None or first["mesh_on_face"] < 0.9:
        raise SystemExit(f"implausible loop result: {first}")
    loop, records = timed(lambda: liveness_frame(models, bgr)[0], iterations, warmup)
    stages = {name: stats([r[name] for r in records]) for name in records[0]}
    dlib = session(bench_onnx / "dlib_resnet.onnx")
    stages["embed"], _ = timed(lambda: embed(dlib, bgr, first["points"]), iterations, warmup)
    print(json.dumps({"runtime": runtime, "coldStartMs": cold, "loop": loop, "stages": stages,
                      "faces": 1, "liveProbability": first["live_probability"]}))


if __name__ == "__main__":
    main()
