"""Reference for bloodbench resnet18-train: training throughput (images/s) of the study's
ModelResNet18 in PyTorch on the CPU: torchvision resnet18 (random weights), the study's freezing
(`list(base.parameters())[:-15]` frozen while fc exists), fc replaced by nn.Sequential(), head
Linear(512,128)-ReLU-Dropout(0.2)-Linear(128,8), AdamW groups base 3e-5 / block 8e-4.

Usage: python tools/bench/resnet18_train.py --size 224 --batch 32 --steps 3 --warmup 1 --threads 2
Prints {"value": images_per_second} as its last line ({"missing": "torch"} without torch).
"""
import argparse
import json

try:
    import torch
    from torch import nn

    from torch_training_timing import print_training_throughput
    from torchvision import models
except ImportError as error:
    print(json.dumps({"missing": error.name or "torch"}))
    raise SystemExit(0)


class ModelResNet18(nn.Module):
    def __init__(self, num_classes=8):
        super().__init__()
        self.base = models.resnet18(weights=None)
        for param in list(self.base.parameters())[:-15]:
            param.requires_grad = False
        self.block = nn.Sequential(nn.Linear(512, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, num_classes))
        self.base.fc = nn.Sequential()

    def forward(self, x):
        return self.block(self.base(x))


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
    model = ModelResNet18()
    model.train()
    optimizer = torch.optim.AdamW([{"params": model.base.parameters(), "lr": 3e-5},
                                   {"params": model.block.parameters(), "lr": 8e-4}])
    x = torch.rand(args.batch, 3, args.size, args.size) * 4 - 2
    y = torch.randint(0, 8, (args.batch,))
    print_training_throughput(model, optimizer, x, y, args.warmup, args.steps)


if __name__ == "__main__":
    main()
