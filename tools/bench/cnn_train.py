"""Reference for bloodbench cnn-train-64 / cnn-train-224: training throughput (images/s) of the
study's CNNModel (hidden_units 64, 8 classes) in PyTorch on the CPU, batch 32, Adam lr 1e-4.

Usage: python tools/bench/cnn_train.py --size 64 --batch 32 --steps 5 --warmup 1 --threads 2
Prints {"value": images_per_second} as its last line ({"missing": "torch"} without torch).
"""
import argparse
import json

try:
    import torch
    from torch import nn

    from torch_training_timing import print_training_throughput
except ImportError:
    print(json.dumps({"missing": "torch"}))
    raise SystemExit(0)


def block(cin, cout, p):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
        nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(p))


class CNNModel(nn.Module):
    def __init__(self, input_channels, hidden_units, output_classes):
        super().__init__()
        h = hidden_units
        self.block_1 = block(input_channels, h, 0.2)
        self.block_2 = block(h, 2 * h, 0.3)
        self.block_3 = block(2 * h, 4 * h, 0.4)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(4 * h, 256), nn.ReLU(), nn.Dropout(0.5),
                                        nn.Linear(256, output_classes))

    def forward(self, x):
        return self.classifier(self.gap(self.block_3(self.block_2(self.block_1(x)))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = CNNModel(3, 64, 8)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    x = torch.rand(args.batch, 3, args.size, args.size)
    y = torch.randint(0, 8, (args.batch,))
    print_training_throughput(model, optimizer, x, y, args.warmup, args.steps)


if __name__ == "__main__":
    main()
