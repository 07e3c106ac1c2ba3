"""PyTorch reference fixtures for the Neural module's parity tests (Tests/NeuralTests/*Parity*).

Makes Tests/Fixtures/neural/<case>/ with one .npy per tensor (file name = PyTorch state_dict key
+ ".npy") and an index.json describing the case:
  simple_nn, light_cnn, cnn_model: small random-weight copies of the study's three networks with
      random BatchNorm running statistics; input.npy, eval_logits.npy (model.eval()) and, for the
      CNNs, train_logits.npy (model.train() with dropout p set to 0, so BatchNorm uses batch statistics).
  layers: single layers in configurations the study's networks do not use (Conv2d stride 2 padding 1
      without bias, MaxPool2d(3, 2, 1), AdaptiveAvgPool2d((3, 2)) on 9x7): input, outputs, and the
      gradients of sum(output * r) for a fixed random r with respect to the input and the conv weight.
  step_sgd, step_adam, step_adamw: a tiny CNNModel (hidden 4, 3x16x16 input, dropout p 0) trained two
      steps with SGD (momentum 0.9, nesterov, weight decay 1e-3), Adam (weight decay 1e-2, L2) and
      AdamW (two parameter groups with their own lr / weight decay, block_1.0.weight and the
      conv biases frozen);
      initial/<key>.npy, final/<key>.npy (parameters and buffers after the two steps), losses.

Rerun (deterministic, CPU, 2 threads):
    .cache/refvenv/bin/python Tests/Fixtures/tools/neural_parity.py
"""
import json
import os

import numpy as np
import torch
from torch import nn

torch.set_num_threads(2)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "neural")


class SimpleNN(nn.Module):
    def __init__(self, input_dimension, hidden_layer_units, output_dimension):
        super().__init__()
        self.model_architecture = nn.Sequential(
            nn.Flatten(), nn.Linear(input_dimension, hidden_layer_units), nn.ReLU(),
            nn.Linear(hidden_layer_units, output_dimension), nn.ReLU())

    def forward(self, x):
        return self.model_architecture(x)


def block(cin, cout, p):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
        nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(p))


class LightCNN(nn.Module):
    def __init__(self, input_shape, hidden_units, output_shape):
        super().__init__()
        h = hidden_units
        self.block_1 = block(input_shape, h, 0.2)
        self.block_2 = block(h, 2 * h, 0.2)
        self.block_3 = block(2 * h, 4 * h, 0.3)
        self.classifier = nn.Sequential(nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(4 * h, 512), nn.ReLU(),
                                        nn.Dropout(0.5), nn.Linear(512, output_shape))

    def forward(self, x):
        return self.classifier(self.block_3(self.block_2(self.block_1(x))))


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


def save_state(folder, model):
    os.makedirs(folder, exist_ok=True)
    keys = []
    for key, value in model.state_dict().items():
        np.save(os.path.join(folder, key + ".npy"), value.detach().numpy().astype(np.float32))
        keys.append(key)
    return keys


def randomise_batchnorm(model):
    """Non-trivial affine parameters and running statistics, so eval mode is really tested."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(3)


def no_dropout(model):
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.p = 0.0


def forward_case(name, model, input_shape, config):
    folder = os.path.join(OUT, name)
    randomise_batchnorm(model)
    keys = save_state(folder, model)
    x = torch.rand(*input_shape)
    np.save(os.path.join(folder, "input.npy"), x.numpy())
    model.eval()
    with torch.no_grad():
        np.save(os.path.join(folder, "eval_logits.npy"), model(x).numpy())
    if config.get("kind") != "simple_nn":
        no_dropout(model)
        model.train()
        with torch.no_grad():
            np.save(os.path.join(folder, "train_logits.npy"), model(x).numpy())
    with open(os.path.join(folder, "index.json"), "w") as f:
        json.dump({"config": config, "keys": keys, "input_shape": list(input_shape)}, f, indent=1)


def step_case(name, make_optimizer, frozen=()):
    torch.manual_seed(7)
    model = CNNModel(3, 4, 8)
    no_dropout(model)
    folder = os.path.join(OUT, name)
    keys = save_state(os.path.join(folder, "initial"), model)
    for key, p in model.named_parameters():
        if key in frozen:
            p.requires_grad_(False)
    optimizer = make_optimizer(model)
    x = torch.rand(6, 3, 16, 16)
    y = torch.tensor([0, 3, 7, 1, 3, 5])
    np.save(os.path.join(folder, "input.npy"), x.numpy())
    np.save(os.path.join(folder, "labels.npy"), y.numpy().astype(np.int64))
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    losses = []
    for _ in range(2):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    save_state(os.path.join(folder, "final"), model)
    with open(os.path.join(folder, "index.json"), "w") as f:
        json.dump({"keys": keys, "losses": losses, "frozen": list(frozen)}, f, indent=1)


def layers_case():
    torch.manual_seed(3)
    folder = os.path.join(OUT, "layers")
    os.makedirs(folder, exist_ok=True)
    x = torch.randn(2, 3, 9, 7, requires_grad=True)
    conv = nn.Conv2d(3, 4, 3, stride=2, padding=1, bias=False)
    layers = {"conv": conv, "maxpool": nn.MaxPool2d(3, 2, 1), "adaptive": nn.AdaptiveAvgPool2d((3, 2))}
    np.save(os.path.join(folder, "input.npy"), x.detach().numpy())
    np.save(os.path.join(folder, "conv.weight.npy"), conv.weight.detach().numpy())
    for name, layer in layers.items():
        x.grad = None
        conv.weight.grad = None
        y = layer(x)
        r = torch.randn_like(y)
        (y * r).sum().backward()
        np.save(os.path.join(folder, f"{name}_output.npy"), y.detach().numpy())
        np.save(os.path.join(folder, f"{name}_r.npy"), r.numpy())
        np.save(os.path.join(folder, f"{name}_input_grad.npy"), x.grad.numpy())
        if name == "conv":
            np.save(os.path.join(folder, "conv_weight_grad.npy"), conv.weight.grad.numpy())
    with open(os.path.join(folder, "index.json"), "w") as f:
        json.dump({"keys": ["conv.weight"]}, f, indent=1)


def main():
    layers_case()
    torch.manual_seed(0)
    forward_case("simple_nn", SimpleNN(3 * 8 * 8, 10, 8), (4, 3, 8, 8),
                 {"kind": "simple_nn", "input_dimension": 192, "hidden": 10, "classes": 8})
    torch.manual_seed(1)
    forward_case("light_cnn", LightCNN(3, 10, 8), (2, 3, 32, 32), {"kind": "light_cnn", "hidden": 10, "classes": 8})
    torch.manual_seed(2)
    forward_case("cnn_model", CNNModel(3, 8, 8), (2, 3, 32, 32), {"kind": "cnn_model", "hidden": 8, "classes": 8})

    step_case("step_sgd", lambda m: torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3, nesterov=True))
    step_case("step_adam", lambda m: torch.optim.Adam(m.parameters(), lr=1e-2, weight_decay=1e-2))

    def adamw(m):
        features = [p for k, p in m.named_parameters() if k.startswith("block_")]
        head = [p for k, p in m.named_parameters() if k.startswith("classifier")]
        return torch.optim.AdamW([{"params": features, "lr": 1e-2},
                                  {"params": head, "lr": 3e-3, "weight_decay": 0.05}], lr=1e-3)
    # Frozen: block_1.0.weight (the frozen-tensor case) and every conv bias. A conv bias followed by
    # training-mode BatchNorm has a true gradient of exactly zero, so its computed gradient is rounding
    # noise, which AdamW's m / sqrt(v) would turn into +-lr steps of random sign on either side.
    conv_biases = tuple(f"block_{b}.{i}.bias" for b in (1, 2, 3) for i in (0, 3))
    step_case("step_adamw", adamw, frozen=("block_1.0.weight",) + conv_biases)


if __name__ == "__main__":
    main()
