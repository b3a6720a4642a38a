#!/usr/bin/env python3
"""onnxruntime (PyPI, CPU) on the same YuNet model and letterbox, for ./x bench. Prints JSON."""
import json, sys, time
import numpy as np
from PIL import Image, ImageOps
import onnxruntime as ort

model, image, iterations, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t0 = time.perf_counter()
session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
rgb = ImageOps.exif_transpose(Image.open(image)).convert("RGB")
scale = min(640 / rgb.width, 640 / rgb.height)

def run():
    resized = np.asarray(rgb.resize((round(rgb.width * scale), round(rgb.height * scale)), Image.BILINEAR), np.float32)
    canvas = np.zeros((640, 640, 3), np.float32)
    canvas[:resized.shape[0], :resized.shape[1]] = resized
    session.run(None, {"input": np.ascontiguousarray(canvas[:, :, ::-1].transpose(2, 0, 1)[None])})

run()
cold = (time.perf_counter() - t0) * 1e3
for _ in range(warmup):
    run()
samples = []
for _ in range(max(iterations, 1)):
    t = time.perf_counter(); run(); samples.append((time.perf_counter() - t) * 1e3)
samples.sort()
print(json.dumps({"runtime": f"onnxruntime {ort.__version__} native (CPU)", "coldStartMs": cold,
                  "detector": {"median": samples[len(samples) // 2], "min": samples[0], "max": samples[-1], "n": len(samples)}}))
