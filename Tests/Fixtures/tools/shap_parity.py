"""shap and OpenCV reference fixtures for the Explain module's tests (Tests/ExplainTests).

Makes Tests/Fixtures/explain/:
  model/<key>.npy, model/index.json: a tiny LightCNN (the study's, hidden_units 2, 8 classes) with
      random weights and random BatchNorm statistics, in eval mode; input 3x16x16.
  images.npy: 8 synthetic 16x16 "cells" (uint8, N, H, W, C): a pale background with a smooth
      purple blob and noise (no dataset image is copied).
  deep_background.npy (6, 3, 16, 16) and deep_images.npy (2, 3, 16, 16): images / 255 as float32;
      deep_values.npy (2, 8, 3, 16, 16) float32: shap.DeepExplainer(model, background).shap_values(images)
      moved to (image, class, C, H, W); deep_expected.npy (8).
  partition_<masker>_values.npy (H, W, C, 8) float32 and _base.npy (8): shap.PartitionExplainer on
      images[0] with shap.maskers.Image(<masker>, (16, 16, 3)), max_evals 200, outputs 0..7, the model
      being softmax(model(x / 255)) in float32 as the study's model_predict; maskers
      "blur(5,5)" and "inpaint_telea".
  blur_<kx>x<ky>.npy: cv2.blur(images[1], (kx, ky)) for (5, 5) and (4, 3).
  telea_src.npy (4, 24, 32, 3) uint8, telea_mask.npy (4, 24, 32) uint8, telea_out.npy:
      cv2.inpaint(src, mask, 3, cv2.INPAINT_TELEA); masks: a block, a block touching the border,
      scattered pixels, and the shap-like case of a large region.

Rerun (deterministic, CPU):
    .cache/refvenv/bin/python Tests/Fixtures/tools/shap_parity.py
"""
import json
import os
import sys

import cv2
import numpy as np
import shap
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from neural_parity import LightCNN, randomise_batchnorm, save_state  # noqa: E402

torch.set_num_threads(2)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "explain")


def synthetic_cells(rng, n, h, w):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    images = []
    for _ in range(n):
        cy, cx = rng.uniform(0.3 * h, 0.7 * h), rng.uniform(0.3 * w, 0.7 * w)
        r = rng.uniform(0.15, 0.3) * min(h, w)
        blob = np.exp(-(((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r)))
        background = np.array([225.0, 195.0, 200.0]) + rng.normal(0, 4, 3)
        nucleus = np.array([110.0, 60.0, 150.0]) + rng.normal(0, 8, 3)
        img = background * (1 - blob[..., None]) + nucleus * blob[..., None]
        img += 12 * np.sin(xx / 3.0 + rng.uniform(0, 6))[..., None] * 0.3
        img += rng.normal(0, 6, img.shape)
        images.append(np.clip(np.round(img), 0, 255).astype(np.uint8))
    return np.stack(images)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(11)
    images = synthetic_cells(rng, 8, 16, 16)
    as_float = torch.tensor(images.transpose(0, 3, 1, 2).astype(np.float32) / 255.0)
    # Random weights shrink the signal layer by layer until the logits hardly depend on the
    # image; so BatchNorm's running statistics are set from these images (one train-mode pass,
    # momentum 1, dropout off), keeping randomise_batchnorm's random affine weights.
    torch.manual_seed(11)
    model = LightCNN(3, 2, 8)
    randomise_batchnorm(model)
    dropouts = [(m, m.p) for m in model.modules() if isinstance(m, torch.nn.Dropout)]
    for m, _ in dropouts:
        m.p = 0.0
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = 1.0
    model.train()
    with torch.no_grad():
        model(as_float)
    for m, p in dropouts:
        m.p = p
    model.eval()
    keys = save_state(os.path.join(OUT, "model"), model)
    with open(os.path.join(OUT, "model", "index.json"), "w") as f:
        json.dump({"keys": keys, "config": {"seed": 11, "hidden_units": 2, "classes": 8, "input": [3, 16, 16]}}, f, indent=1)

    np.save(os.path.join(OUT, "images.npy"), images)

    # Deep explainer: 6 background images, 2 explained.
    background, explained = as_float[:6], as_float[6:8]
    np.save(os.path.join(OUT, "deep_background.npy"), background.numpy())
    np.save(os.path.join(OUT, "deep_images.npy"), explained.numpy())
    deep = shap.DeepExplainer(model, background)
    values = np.asarray(deep.shap_values(explained, check_additivity=True))  # (N, C, H, W, K)
    np.save(os.path.join(OUT, "deep_values.npy"), values.transpose(0, 4, 1, 2, 3).astype(np.float32))
    np.save(os.path.join(OUT, "deep_expected.npy"), np.asarray(deep.expected_value, dtype=np.float64))

    # Partition explainer on images[0], as the study's shap_partition.
    def model_predict(x):
        x = torch.tensor(x.transpose(0, 3, 1, 2).astype(np.float32) / 255.0)
        with torch.no_grad():
            return torch.softmax(model(x), dim=1).numpy()

    for name, value in [("blur", "blur(5,5)"), ("telea", "inpaint_telea")]:
        np.random.seed(0)
        masker = shap.maskers.Image(value, images[0].shape)
        explainer = shap.PartitionExplainer(model_predict, masker)
        explanation = explainer(images[0:1], max_evals=200, outputs=np.arange(8), silent=True)
        np.save(os.path.join(OUT, f"partition_{name}_values.npy"), np.asarray(explanation.values[0], dtype=np.float32))
        np.save(os.path.join(OUT, f"partition_{name}_base.npy"), np.asarray(explanation.base_values[0], dtype=np.float64))

    for kx, ky in [(5, 5), (4, 3)]:
        np.save(os.path.join(OUT, f"blur_{kx}x{ky}.npy"), cv2.blur(images[1], (kx, ky)))

    # Telea inpainting.
    h, w = 24, 32
    src = synthetic_cells(rng, 4, h, w)
    masks = np.zeros((4, h, w), np.uint8)
    masks[0, 8:15, 10:20] = 1
    masks[1, 0:9, 20:32] = 1
    masks[2] = (rng.uniform(size=(h, w)) < 0.08).astype(np.uint8)
    masks[3, :, 8:32] = 1
    masks[3, 18:24, 0:8] = 1
    out = np.stack([cv2.inpaint(src[i], masks[i], 3, cv2.INPAINT_TELEA) for i in range(4)])
    np.save(os.path.join(OUT, "telea_src.npy"), src)
    np.save(os.path.join(OUT, "telea_mask.npy"), masks)
    np.save(os.path.join(OUT, "telea_out.npy"), out)
    print("shap", shap.__version__, "cv2", cv2.__version__, "torch", torch.__version__)


if __name__ == "__main__":
    main()
