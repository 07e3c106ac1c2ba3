"""Reference for bloodbench lite0-features: feature-extraction throughput (images/s) of
EfficientNet-Lite0 (efficientnet_lite_pytorch 0.1.0, EfficientNet.from_name('efficientnet-lite0'),
random weights: speed does not depend on them; eval, torch.no_grad,
extract_features(x).mean((2, 3))) on the CPU.

Usage: python tools/bench/lite0_features.py --size 224 --batch 32 --steps 3 --warmup 1 --threads 2
Prints {"value": images_per_second} as its last line ({"missing": "..."} without the packages).
"""
import argparse
import json
import time

try:
    import torch
    from efficientnet_lite_pytorch import EfficientNet
except ImportError as error:
    print(json.dumps({"missing": error.name or "efficientnet_lite_pytorch"}))
    raise SystemExit(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = EfficientNet.from_name("efficientnet-lite0")
    model.eval()
    x = torch.rand(args.batch, 3, args.size, args.size) * 4 - 2
    with torch.no_grad():
        for _ in range(args.warmup):
            model.extract_features(x).mean((2, 3))
        start = time.perf_counter()
        for _ in range(args.steps):
            model.extract_features(x).mean((2, 3))
        elapsed = time.perf_counter() - start
    print(json.dumps({"value": args.batch * args.steps / elapsed, "seconds_per_step": elapsed / args.steps}))


if __name__ == "__main__":
    main()
