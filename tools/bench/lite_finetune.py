"""Reference for bloodbench lite-finetune: training throughput (images/s) of the two fine-tuning
recipes on EfficientNet-Lite (efficientnet_lite_pytorch 0.1.0, random weights) in PyTorch on the CPU.

--recipe full: ViT-B/16's recipe, the whole network trained: EfficientNet.from_name(variant,
  num_classes=8, image_size=size) in train mode (batch norms on batch statistics, the reference's
  drop connect), plain SGD lr 1e-3, on images (batch, 3, size, size).
--recipe tail: ResNet18's recipe on cached trunk features: the last stage, _conv_head, _bn1,
  ReLU6, average pooling and _fc = Sequential(Linear(1280, 128), ReLU, Dropout(0.2), Linear(128, 8)),
  train mode, AdamW (3e-5 for the stage and head convolution, 8e-4 for the classifier, weight decay
  0.01), on trunk features (batch, C, ceil(size/32), ceil(size/32)).

Usage: python tools/bench/lite_finetune.py --recipe full --variant efficientnet-lite0 --size 224 \
           --batch 32 --steps 3 --warmup 1 --threads 2
Prints {"value": images_per_second} as its last line ({"missing": ...} without torch or the package).
"""
import argparse
import json

try:
    import torch
    from torch import nn

    from torch_training_timing import print_training_throughput
    from efficientnet_lite_pytorch import EfficientNet
except ImportError as error:
    print(json.dumps({"missing": error.name or "torch"}))
    raise SystemExit(0)


class Tail(nn.Module):
    def __init__(self, model, first):
        super().__init__()
        self.stage = nn.ModuleList(model._blocks[first:])
        self.conv_head, self.bn1, self.act = model._conv_head, model._bn1, model._swish
        self.fc = nn.Sequential(nn.Linear(1280, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 8))

    def forward(self, x):
        for block in self.stage:
            x = block(x)
        x = self.act(self.bn1(self.conv_head(x)))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipe", choices=["full", "tail"], default="full")
    parser.add_argument("--variant", default="efficientnet-lite0")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    y = torch.randint(0, 8, (args.batch,))
    if args.recipe == "full":
        model = EfficientNet.from_name(args.variant, num_classes=8, image_size=args.size)
        model.train()
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
        x = torch.rand(args.batch, 3, args.size, args.size) * 4 - 2
    else:
        full = EfficientNet.from_name(args.variant)
        last_stage = full._blocks_args[-1]
        first = len(full._blocks) - last_stage.num_repeat
        model = Tail(full, first)
        model.train()
        stage = [p for m in (model.stage, model.conv_head, model.bn1) for p in m.parameters()]
        optimizer = torch.optim.AdamW([{"params": stage, "lr": 3e-5}, {"params": model.fc.parameters(), "lr": 8e-4}],
                                      weight_decay=0.01)
        side = -(-args.size // 32)
        channels = model.stage[0]._expand_conv.in_channels
        x = torch.rand(args.batch, channels, side, side) * 4 - 2
    print_training_throughput(model, optimizer, x, y, args.warmup, args.steps)


if __name__ == "__main__":
    main()
