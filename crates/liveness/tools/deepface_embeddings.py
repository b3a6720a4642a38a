#!/usr/bin/env python3
"""Real dlib embeddings of two deepface identities, for tests/continuity_real_embeddings.rs.

Stand-in until crates/embed lands: the Python dlib 20.0.1 pipeline that produced
dlib_reference_distances.csv (HOG detector with 1 upsample, largest face, shape_predictor_5,
resnet_model_v1, 1 jitter). Writes biometric templates of public figures, so the output goes to a cache
path, not into git:

    python3 crates/liveness/tools/deepface_embeddings.py [OUT.json]   # default ~/.cache/faceproof/deepface_embeddings.json
    FACEPROOF_REAL_EMBEDDINGS=~/.cache/faceproof/deepface_embeddings.json \
        cargo test -p faceproof-liveness --test continuity_real_embeddings -- --nocapture
"""
import csv, json, os, sys

import dlib
import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "../../../../shared"))
FACES = os.path.join(SHARED, "data/faces-deepface")
MODELS = os.path.join(SHARED, "models/dlib-dat")
IDENTITIES = ("id00", "id09")  # 8 images each in identities_derived.csv


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/faceproof/deepface_embeddings.json")
    detector = dlib.get_frontal_face_detector()
    shape = dlib.shape_predictor(os.path.join(MODELS, "shape_predictor_5_face_landmarks.dat"))
    net = dlib.face_recognition_model_v1(os.path.join(MODELS, "dlib_face_recognition_resnet_model_v1.dat"))
    with open(os.path.join(FACES, "identities_derived.csv")) as f:
        rows = list(csv.DictReader(f))
    vectors = {}
    for identity in IDENTITIES:
        vectors[identity] = []
        for row in rows:
            if row["identity"] != identity:
                continue
            image = np.asarray(Image.open(os.path.join(FACES, "images", row["file"])).convert("RGB"))
            faces = detector(image, 1)
            if not faces:
                print(f"{row['file']}: no face, skipped", file=sys.stderr)
                continue
            face = max(faces, key=lambda r: r.width() * r.height())
            embedding = net.compute_face_descriptor(image, shape(image, face), 1)
            vectors[identity].append([float(v) for v in embedding])
            print(f"{identity} {row['file']}: ok", file=sys.stderr)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump({"identity_a": IDENTITIES[0], "identity_b": IDENTITIES[1],
                   "a": vectors[IDENTITIES[0]], "b": vectors[IDENTITIES[1]]}, f)
    print(f"wrote {out}: {len(vectors[IDENTITIES[0]])} + {len(vectors[IDENTITIES[1]])} embeddings", file=sys.stderr)


if __name__ == "__main__":
    main()
