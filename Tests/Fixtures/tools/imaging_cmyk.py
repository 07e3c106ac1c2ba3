"""Makes the CMYK JPEG fixtures: small CMYK JPEGs as Pillow writes them, and the RGB pixels that
Pillow and OpenCV decode from them (Tests/ImagingTests/CMYKJPEGTests.swift compares against both).

What it writes to Tests/Fixtures/imaging/:
  cmyk_pillow.jpg       20x12 CMYK JPEG saved by Pillow (quality 95). Pillow writes an Adobe APP14
                        marker (transform 0) and stores the channels inverted, as Photoshop does.
  cmyk_pillow_pil.npy   (12, 20, 3) uint8: Image.open(...).convert("RGB")
  cmyk_pillow_cv.npy    (12, 20, 3) uint8: cv2.imread(..., IMREAD_COLOR) turned to RGB
  cmyk_pillow_raw.npy   (12, 20, 4) uint8: the CMYK values Pillow reads back (its "CMYK;I" raw mode)

Rerun (from the repository root):
  $BLOODSTUDY_REF_VENV/bin/python Tests/Fixtures/tools/imaging_cmyk.py
Deterministic: the CMYK values are smooth functions of the pixel position, no randomness.
"""
import os

import PIL
import cv2
import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "imaging")


def cmyk_pattern(h=12, w=20):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    c = 255 * x / (w - 1)                 # cyan rises left to right
    m = 255 * y / (h - 1)                 # magenta top to bottom
    yel = 128 + 100 * np.sin(x / 3.0)     # yellow waves
    k = 40 + 60 * ((x + y) % 4 < 2)       # two levels of black, in stripes
    return np.clip(np.round(np.stack([c, m, yel, k], axis=-1)), 0, 255).astype(np.uint8)


def main():
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "cmyk_pillow.jpg")
    Image.fromarray(cmyk_pattern(), "CMYK").save(path, "JPEG", quality=95)
    data = open(path, "rb").read()
    assert b"Adobe" in data, "Pillow no longer writes an Adobe marker; the fixture's premise changed"
    with Image.open(path) as im:
        np.save(os.path.join(OUT, "cmyk_pillow_raw.npy"), np.asarray(im))
        np.save(os.path.join(OUT, "cmyk_pillow_pil.npy"), np.asarray(im.convert("RGB")))
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    np.save(os.path.join(OUT, "cmyk_pillow_cv.npy"), np.ascontiguousarray(bgr[:, :, ::-1]))
    print("wrote", path, "and its decodes; Pillow", PIL.__version__, "OpenCV", cv2.__version__)


if __name__ == "__main__":
    main()
