"""Reference for bloodbench vit-b16-forward: inference throughput (images/s) of torchvision's
vit_b_16 (random weights, heads.head = Identity, eval, torch.no_grad) on the CPU at 224x224.

Usage: python tools/bench/vit_b16_forward.py --batch 8 --steps 3 --warmup 1 --threads 2
Prints {"value": images_per_second} as its last line ({"missing": "torch"} without torch).
"""
import argparse
import json
import time

try:
    import torch
    from torch import nn
    from torchvision import models
except ImportError as error:
    print(json.dumps({"missing": error.name or "torch"}))
    raise SystemExit(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = models.vit_b_16(weights=None)
    model.heads.head = nn.Identity()
    model.eval()
    x = torch.rand(args.batch, 3, 224, 224) * 4 - 2
    with torch.no_grad():
        for _ in range(args.warmup):
            model(x)
        start = time.perf_counter()
        for _ in range(args.steps):
            model(x)
        elapsed = time.perf_counter() - start
    print(json.dumps({"value": args.batch * args.steps / elapsed, "seconds_per_step": elapsed / args.steps}))


if __name__ == "__main__":
    main()
