"""Makes Tests/Fixtures/dataset/stats.json: the audit's per-image measurements of the synthetic
image Tests/Fixtures/imaging/synthetic_rgb.npy computed with the reference tools, for
Tests/DatasetTests/ImageStatisticsTests.swift.

  mean_rgb    numpy mean of each channel
  sharpness   cv2.Laplacian(cv2.cvtColor(BGR, COLOR_BGR2GRAY), cv2.CV_64F).var()
  noise_rgb   Immerkaer (1996): sqrt(pi/2) / (6 (W-2) (H-2)) * sum |convolve2d(channel, M, 'valid')|,
              M = [[1,-2,1],[-2,4,-2],[1,-2,1]] (scipy.signal)

Rerun from the repository root:
  $BLOODSTUDY_REF_VENV/bin/python Tests/Fixtures/tools/dataset_stats.py
Deterministic (no randomness; reads the committed .npy).
"""
import json
import math
import os

import cv2
import numpy as np
from scipy.signal import convolve2d

HERE = os.path.dirname(os.path.abspath(__file__))
rgb = np.load(os.path.join(HERE, "..", "imaging", "synthetic_rgb.npy"))
h, w, _ = rgb.shape
grey = cv2.cvtColor(rgb[:, :, ::-1].copy(), cv2.COLOR_BGR2GRAY)
M = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], dtype=np.float64)
noise = [float(math.sqrt(math.pi / 2) * np.abs(convolve2d(rgb[:, :, c].astype(np.float64), M, "valid")).sum()
               / (6 * (w - 2) * (h - 2))) for c in range(3)]
out = {
    "mean_rgb": [float(rgb[:, :, c].mean()) for c in range(3)],
    "sharpness": float(cv2.Laplacian(grey, cv2.CV_64F).var()),
    "noise_rgb": noise,
}
os.makedirs(os.path.join(HERE, "..", "dataset"), exist_ok=True)
with open(os.path.join(HERE, "..", "dataset", "stats.json"), "w") as f:
    json.dump(out, f, indent=1)
print(out)
