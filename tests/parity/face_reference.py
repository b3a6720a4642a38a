"""Shared helpers for the face-model golden scripts: image decoding and a reference face for each image.

The reference face comes from OpenCV's own YuNet wrapper (cv2.FaceDetectorYN) on a 640x640 top-left letterbox
(cv2.resize INTER_LINEAR), mapped back to image pixels; the subject is the largest face. Boxes are rounded
to integers, as upstream Silent-Face-Anti-Spoofing's detector returns them, so that Rust (f32) and Python
(f64) do the same arithmetic on them. These faces are only *inputs* to the goldens: the Rust tests read
them from the JSON, so detector differences never enter a parity figure.
"""
import json, os, subprocess
from pathlib import Path
import numpy as np
from PIL import Image, ImageOps
import cv2

ROOT = Path(__file__).resolve().parents[2]
YUNET_SIZE = 640


_DECODER = []


def _decoder() -> str:
    """The decode_rgb example binary: $FACEPROOF_DECODE_RGB, or built once with cargo."""
    if not _DECODER:
        path = os.environ.get("FACEPROOF_DECODE_RGB")
        if not path:
            out = subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "faceproof-antispoof", "--example",
                                  "decode_rgb", "--message-format=json"], cwd=ROOT, check=True, capture_output=True).stdout
            for line in out.decode().splitlines():
                message = json.loads(line)
                if message.get("target", {}).get("name") == "decode_rgb" and message.get("executable"):
                    path = message["executable"]
        _DECODER.append(path)
    return _DECODER[0]


def load_rgb(path: Path) -> np.ndarray:
    """EXIF-upright RGB8 exactly as faceproof_frame::Frame::decode produces it (the decode_rgb example), so
    the reference runtimes get the pixels the Rust pipeline gets. JPEG decoders differ by a level or two
    (zune-jpeg vs libjpeg-turbo); that is decoder noise, not a network difference. Set
    FACEPROOF_PARITY_DECODER=pil to decode with Pillow instead (to measure that noise)."""
    if os.environ.get("FACEPROOF_PARITY_DECODER") == "pil":
        return np.asarray(ImageOps.exif_transpose(Image.open(path)).convert("RGB"))
    ppm = subprocess.run([_decoder(), str(path)], check=True, capture_output=True).stdout
    magic, size, maxval, pixels = ppm.split(b"\n", 3)
    width, height = map(int, size.split())
    assert magic == b"P6" and maxval == b"255"
    return np.frombuffer(pixels, np.uint8).reshape(height, width, 3)


def largest_face(shared: Path, rgb: np.ndarray):
    """(bbox [x,y,w,h] ints, landmarks [[x,y]]*5 floats, score) of the largest face, or None."""
    h, w = rgb.shape[:2]
    scale = min(YUNET_SIZE / w, YUNET_SIZE / h)
    cw, ch = max(1, round(w * scale)), max(1, round(h * scale))
    canvas = np.zeros((YUNET_SIZE, YUNET_SIZE, 3), np.uint8)
    canvas[:ch, :cw] = cv2.resize(rgb[:, :, ::-1], (cw, ch), interpolation=cv2.INTER_LINEAR)
    detector = cv2.FaceDetectorYN.create(str(shared / "models/yunet/yunet_s_640_640.onnx"), "",
                                         (YUNET_SIZE, YUNET_SIZE), 0.8, 0.3, 5000)
    _, faces = detector.detect(canvas)
    if faces is None or len(faces) == 0:
        return None
    face = max(faces.tolist(), key=lambda f: f[2] * f[3])
    sx, sy = w / cw, h / ch
    bbox = [int(round(face[0] * sx)), int(round(face[1] * sy)), int(round(face[2] * sx)), int(round(face[3] * sy))]
    landmarks = [[face[4 + 2 * k] * sx, face[5 + 2 * k] * sy] for k in range(5)]
    return bbox, landmarks, float(face[14])


DEEPFACE_20 = [f"data/faces-deepface/images/img{i}.jpg" for i in
               (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 47)]
SPOOF_SAMPLES = [f"data/spoof-samples/image_{n}.jpg" for n in ("T1", "T2", "F1", "F2")]
