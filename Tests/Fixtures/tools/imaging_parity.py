"""Makes the Imaging parity fixtures: OpenCV and Pillow outputs that Tests/ImagingTests compare against.

What it writes to Tests/Fixtures/imaging/:
  synthetic_rgb.npy          (121, 120, 3) uint8: a seeded smooth+noise RGB image (the shared input)
  synthetic_gray_cv.npy      cv2.cvtColor(BGR of it, COLOR_BGR2GRAY)
  synthetic_cv_<W>x<H>_<g|rgb>.npy     cv2.resize(..., (W, H)) INTER_LINEAR of the grey / RGB image
  synthetic_pil_<W>x<H>_<g|rgb>.npy    PIL Image.resize((W, H), BILINEAR) (antialiased) of the grey / RGB image
  synthetic_cv_area2x_rgb.npy          cv2.resize of the top-left 120x120 RGB to 60x60 (OpenCV uses INTER_AREA)
  real.json                  for three images of the shared PBC dataset (never committed): their size,
                             SHA-256 of cv2.imread (as RGB) and of PIL's decode, SHA-256 of the study's
                             HOG input (imread -> BGR2GRAY -> resize 360x360), SHA-256 of PIL's 224x224
                             bilinear resize, and small crops (16x16) of each for reporting differences.

Rerun (from the repository root):
  $BLOODSTUDY_REF_VENV/bin/python Tests/Fixtures/tools/imaging_parity.py \
      [--data PATH]   (default $BLOODSTUDY_DATA, else ../shared/data/pbc/PBC_dataset_normal_DIB)
Deterministic: the synthetic image comes from numpy's seeded generator; the real images are fixed paths.
"""
import argparse
import hashlib
import json
import os

import cv2
import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "imaging")
SIZES = [(97, 130), (40, 30), (120, 120), (121, 119), (60, 61)]
LARGE_GREY = (360, 360)   # the HOG input size, grey only to keep fixtures small
REAL = ["basophil/BA_100102.jpg", "basophil/BA_127671.jpg", "ig/IG_168188.jpg"]


def synthetic():
    rng = np.random.default_rng(20261126)
    h, w = 121, 120
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    base = np.stack([128 + 100 * np.sin(x / 9.0 + c) * np.cos(y / 13.0 - c) for c in range(3)], axis=-1)
    noise = rng.normal(0, 30, size=(h, w, 3))
    img = np.clip(np.round(base + noise), 0, 255).astype(np.uint8)
    img[0:6, 0:6] = 0      # saturated corners test clamping
    img[-6:, -6:] = 255
    return img


def sha(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def crop(a):
    h, w = a.shape[:2]
    y0, x0 = h // 2 - 8, w // 2 - 8
    return np.ascontiguousarray(a[y0:y0 + 16, x0:x0 + 16]).flatten().tolist()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=os.environ.get("BLOODSTUDY_DATA", "../shared/data/pbc/PBC_dataset_normal_DIB"))
    args = p.parse_args()
    os.makedirs(OUT, exist_ok=True)

    rgb = synthetic()
    np.save(os.path.join(OUT, "synthetic_rgb.npy"), rgb)
    bgr = rgb[:, :, ::-1].copy()
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    np.save(os.path.join(OUT, "synthetic_gray_cv.npy"), gray)
    for (w, h) in SIZES:
        np.save(os.path.join(OUT, f"synthetic_cv_{w}x{h}_g.npy"), cv2.resize(gray, (w, h)))
        np.save(os.path.join(OUT, f"synthetic_cv_{w}x{h}_rgb.npy"), cv2.resize(bgr, (w, h))[:, :, ::-1].copy())
        np.save(os.path.join(OUT, f"synthetic_pil_{w}x{h}_g.npy"),
                np.asarray(Image.fromarray(gray).resize((w, h), Image.BILINEAR)))
        np.save(os.path.join(OUT, f"synthetic_pil_{w}x{h}_rgb.npy"),
                np.asarray(Image.fromarray(rgb).resize((w, h), Image.BILINEAR)))
    # An exact 2x reduction, where OpenCV's INTER_LINEAR switches to INTER_AREA.
    np.save(os.path.join(OUT, "synthetic_cv_area2x_rgb.npy"), cv2.resize(bgr[:120, :120], (60, 60))[:, :, ::-1].copy())
    w, h = LARGE_GREY
    np.save(os.path.join(OUT, f"synthetic_cv_{w}x{h}_g.npy"), cv2.resize(gray, (w, h)))
    np.save(os.path.join(OUT, f"synthetic_pil_{w}x{h}_g.npy"), np.asarray(Image.fromarray(gray).resize((w, h), Image.BILINEAR)))

    real = []
    for rel in REAL:
        path = os.path.join(args.data, rel)
        cv_rgb = cv2.imread(path)[:, :, ::-1].copy()
        pil = Image.open(path).convert("RGB")
        pil_rgb = np.asarray(pil)
        grey360 = cv2.resize(cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2GRAY), (360, 360))
        pil224 = np.asarray(pil.resize((224, 224), Image.BILINEAR))
        real.append({
            "path": rel, "width": int(cv_rgb.shape[1]), "height": int(cv_rgb.shape[0]),
            "decode_sha256_cv": sha(cv_rgb), "decode_sha256_pil": sha(pil_rgb),
            "decode_crop": crop(cv_rgb),
            "grey360_sha256": sha(grey360), "grey360_crop": crop(grey360),
            "pil224_sha256": sha(pil224), "pil224_crop": crop(pil224),
        })
    with open(os.path.join(OUT, "real.json"), "w") as f:
        json.dump({"opencv": cv2.__version__, "pillow": Image.__version__, "images": real}, f)


if __name__ == "__main__":
    main()
