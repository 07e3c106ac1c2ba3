"""Reference for bloodbench partition-resnet18: seconds for shap.PartitionExplainer to explain one
224x224 image with 500 evaluations, masker "inpaint_telea", all 8 outputs, on the study's
ModelResNet18 (random weights, eval mode) wrapped as the study's model_predict (x / 255, softmax).

The image is a formula (a purple blob on a pale background with a ripple), computed the same way
by the Swift side, so both explain the same pixels.

Usage: python tools/bench/partition_resnet18.py --evals 500 --threads 2
Prints {"value": seconds} as its last line ({"missing": "<module>"} when one is not installed).
"""
import argparse
import json
import time

try:
    import numpy as np
    import shap
    import torch

    from resnet18_train import ModelResNet18
except ImportError as error:
    print(json.dumps({"missing": error.name or "shap"}))
    raise SystemExit(0)


def formula_image(size=224):
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    blob = np.exp(-((x - 112) ** 2 + (y - 100) ** 2) / (2 * 50.0 ** 2))
    r = 225 * (1 - blob) + 110 * blob + 10 * np.sin(x / 7)
    g = 195 * (1 - blob) + 60 * blob + 10 * np.sin(y / 9)
    b = 200 * (1 - blob) + 150 * blob
    return np.clip(np.floor(np.stack([r, g, b], -1) + 0.5), 0, 255).astype(np.uint8)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--evals", type=int, default=500)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    np.random.seed(0)
    model = ModelResNet18()
    model.eval()

    def model_predict(inputs):
        inputs = torch.tensor(inputs.transpose(0, 3, 1, 2).astype(np.float32) / 255.0)
        with torch.no_grad():
            return torch.softmax(model(inputs), dim=1).numpy()

    image = formula_image()
    model_predict(image[None])   # warm-up
    masker = shap.maskers.Image("inpaint_telea", image.shape)
    explainer = shap.PartitionExplainer(model_predict, masker)
    start = time.perf_counter()
    explainer(image[None], max_evals=args.evals, outputs=np.arange(8), silent=True)
    print(json.dumps({"value": time.perf_counter() - start}))


if __name__ == "__main__":
    main()
