"""Makes the HOG parity fixtures in Tests/Fixtures/hog/ with scikit-image.

What it writes (all deterministic):
  grey_<k>.npy      (360, 360) uint8   grey images: cv2.imread -> COLOR_BGR2GRAY -> resize (360, 360)
                                       (INTER_LINEAR), as the study's load_preprocess_image; k = 0..4,
                                       one dataset image of each of five classes (names in hog_manifest.json)
  hog_<k>.npy       (44100,) float32   skimage.feature.hog(grey, 9, (10, 10), (2, 2), 'L2-Hys')
  vis_0.npy         (360, 360) float32 the visualize=True image of grey_0 (before rescale_intensity)
  small.npy         (37, 45) uint8     a synthetic odd-sized image (seeded noise plus a disc)
  small_hog.npy     float32            hog(small, 12, (8, 6), (3, 2), 'L2-Hys') -- exercises odd cell
                                       sizes, partial cells at the border and another bin count
  small_hog_l1.npy  float32            same with block_norm='L1'
  hog_manifest.json                    the source files and parameters

Rerun (from the repository root, needs the dataset and the reference venv):
  $BLOODSTUDY_REF_VENV/bin/python Tests/Fixtures/tools/make_hog_fixtures.py \
      [--data ../shared/data/pbc/PBC_dataset_normal_DIB]
"""
import argparse
import json
import os

import cv2
import numpy as np
import skimage
from skimage import exposure
from skimage.feature import hog

SOURCES = [
    "basophil/BA_100102.jpg",
    "eosinophil/EO_100213.jpg",
    "lymphocyte/LY_100275.jpg",
    "neutrophil/BNE_100878.jpg",
    "platelet/PLATELET_100161.jpg",
]


def grey360(path):
    img = cv2.imread(path)
    if img is None:
        raise SystemExit(f"cannot read {path}")
    img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    return cv2.resize(img, (360, 360))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.environ.get("BLOODSTUDY_DATA", "../shared/data/pbc/PBC_dataset_normal_DIB"))
    parser.add_argument("--out", default="Tests/Fixtures/hog")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    params = dict(orientations=9, pixels_per_cell=(10, 10), cells_per_block=(2, 2), block_norm="L2-Hys")
    for k, rel in enumerate(SOURCES):
        grey = grey360(os.path.join(args.data, rel))
        np.save(os.path.join(args.out, f"grey_{k}.npy"), grey)
        if k == 0:
            features, vis = hog(grey, visualize=True, **params)
            np.save(os.path.join(args.out, "vis_0.npy"), vis.astype(np.float32))
            # The study shows exposure.rescale_intensity(vis, in_range=(0, 10)); for a float
            # image that is clip(vis, 0, 10) / 10, which the record below states and the test checks.
            rescaled = exposure.rescale_intensity(vis, in_range=(0, 10))
            assert np.array_equal(rescaled, np.clip(vis, 0, 10) / 10)
        else:
            features = hog(grey, **params)
        assert features.shape == (44100,)
        np.save(os.path.join(args.out, f"hog_{k}.npy"), features.astype(np.float32))

    rng = np.random.default_rng(7)
    small = rng.integers(0, 256, size=(37, 45)).astype(np.float64)
    yy, xx = np.mgrid[0:37, 0:45]
    small = np.where((yy - 18) ** 2 + (xx - 20) ** 2 < 120, small * 0.3 + 150, small * 0.5)
    small = small.astype(np.uint8)
    np.save(os.path.join(args.out, "small.npy"), small)
    small_params = dict(orientations=12, pixels_per_cell=(8, 6), cells_per_block=(3, 2))
    np.save(os.path.join(args.out, "small_hog.npy"),
            hog(small, block_norm="L2-Hys", **small_params).astype(np.float32))
    np.save(os.path.join(args.out, "small_hog_l1.npy"),
            hog(small, block_norm="L1", **small_params).astype(np.float32))

    with open(os.path.join(args.out, "hog_manifest.json"), "w") as f:
        json.dump({"tool": "Tests/Fixtures/tools/make_hog_fixtures.py",
                   "skimage": skimage.__version__, "opencv": cv2.__version__,
                   "sources": SOURCES, "params": {k: list(v) if isinstance(v, tuple) else v
                                                  for k, v in params.items()},
                   "small_params": {k: list(v) if isinstance(v, tuple) else v
                                    for k, v in small_params.items()}}, f, indent=1)


if __name__ == "__main__":
    main()
