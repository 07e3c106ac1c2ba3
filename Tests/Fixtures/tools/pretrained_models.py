"""Parity fixtures for Neural's pretrained-model builders (ResNet18, ViT, Hugging Face ViTModel).

Makes, in Tests/Fixtures/pretrained/ (all deterministic, torch.manual_seed(0), 2 threads):
  resnet18_w8.safetensors      state_dict of the study's ModelResNet18 (`base.*` + `block.*`) built on
                               torchvision's ResNet/BasicBlock with base width 8 (widths 8/16/32/64
                               instead of 64/128/256/512; same module names and topology), random
                               weights and non-trivial BatchNorm running statistics.
  resnet18_w8_io.safetensors   input (2, 3, 64, 64) and eval-mode logits (2, 8); for labels [3, 5],
                               gradients of the mean cross-entropy (eval mode, no dropout) as
                               grad.<name> for a few tensors and grad.input.
  vit_tv_small.safetensors     torchvision VisionTransformer(image 32, patch 8, 2 layers, 4 heads,
                               width 64, MLP 128, 8 classes), random weights (torchvision names).
  vit_tv_small_io.safetensors  input (2, 3, 32, 32), logits, class-token features (heads = Identity),
                               gradients of the mean cross-entropy for labels [1, 6] (grad.<name>, grad.input),
                               and, for the same weights resized with torchvision's
                               interpolate_embeddings to image 48: input48 (2, 3, 48, 48), logits48.
  vit_timm_small.safetensors   timm VisionTransformer with the same reduced config (timm names:
                               cls_token, pos_embed, blocks.N.attn.qkv, ...), 8 classes.
  vit_timm_small_io.safetensors  input (2, 3, 32, 32) and logits.
  vit_tv_small.pth             the same torchvision ViT state_dict written by torch.save (zip +
                               pickle), plus a Float16 copy and a transposed (strided) tensor:
                               keys "half.conv_proj.weight" and "strided.heads.head.weight".
  (timm's resnet18 has exactly torchvision's state_dict names; the script asserts it.)
  vit_hf_small.safetensors     transformers ViTModel with the same reduced config
                               (layer_norm_eps 1e-12, pooler included like the in21k checkpoint),
                               saved with the tensor names of the published google checkpoint
                               (transformers 4 layout: encoder.layer.N.attention.attention.query, ...);
                               transformers 5 renames them on load (conversion_mapping.py "ViTModel"),
                               which this script checks by reloading the file with from_pretrained.
  vit_hf_small_io.safetensors  input, last_hidden_state (2, 17, 64), mean features (2, 64), and
                               input48 / mean48 with interpolate_pos_encoding=True.

Rerun from the repository root:
  $BLOODSTUDY_REF_VENV/bin/python Tests/Fixtures/tools/pretrained_models.py
"""
import os

import torch
import torch.nn as nn
from safetensors.torch import save_file
from torchvision.models.resnet import BasicBlock, ResNet
from torchvision.models.vision_transformer import VisionTransformer, interpolate_embeddings
from transformers import ViTConfig, ViTModel

torch.manual_seed(0)
torch.set_num_threads(2)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pretrained")
os.makedirs(OUT, exist_ok=True)


def save(tensors, name):
    save_file({k: v.detach().contiguous().float() if v.is_floating_point() else v.contiguous()
               for k, v in tensors.items()}, os.path.join(OUT, name), metadata={"format": "pt"})


def randomize(module, scale=0.2):
    """Replaces every parameter by random values (weights around their usual magnitude)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("weight") and p.dim() == 1:          # norm scales around 1
                p.copy_(1 + scale * torch.randn_like(p))
            else:
                p.copy_(scale * torch.randn_like(p))


# --- ResNet18 topology with a configurable base width ------------------------------------------
class NarrowResNet(ResNet):
    """torchvision's ResNet with BasicBlock [2, 2, 2, 2], widths w, 2w, 4w, 8w instead of 64..512.

    Re-runs ResNet.__init__'s construction with a smaller `inplanes` so the attribute names (conv1,
    bn1, layer1..4, downsample.0/1, fc) and the forward (`_forward_impl`) are torchvision's own.
    """

    def __init__(self, width, num_classes=1000):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes, self.dilation, self.groups, self.base_width = width, 1, 1, 64
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(BasicBlock, width, 2)
        self.layer2 = self._make_layer(BasicBlock, 2 * width, 2, stride=2)
        self.layer3 = self._make_layer(BasicBlock, 4 * width, 2, stride=2)
        self.layer4 = self._make_layer(BasicBlock, 8 * width, 2, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(8 * width, num_classes)


class StudyResNet(nn.Module):
    """The study's ModelResNet18: base with fc = nn.Sequential(), head 8w-128-ReLU-Dropout(0.2)-8."""

    def __init__(self, width):
        super().__init__()
        self.base = NarrowResNet(width)
        self.block = nn.Sequential(nn.Linear(8 * width, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 8))
        self.base.fc = nn.Sequential()

    def forward(self, x):
        return self.block(self.base(x))


resnet = StudyResNet(8)
randomize(resnet, 0.3)
with torch.no_grad():
    for m in resnet.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(0.2 * torch.randn_like(m.running_mean))
            m.running_var.copy_(0.5 + torch.rand_like(m.running_var))
            m.num_batches_tracked.fill_(7)
resnet.eval()
x = torch.randn(2, 3, 64, 64)
with torch.no_grad():
    logits = resnet(x)


def gradients(model, x, labels, names):
    """Mean cross-entropy gradients of `names` (all tensors trainable) and of the input."""
    for p in model.parameters():
        p.requires_grad_(True)
    model.zero_grad()
    x = x.clone().requires_grad_(True)
    nn.functional.cross_entropy(model(x), torch.tensor(labels)).backward()
    params = dict(model.named_parameters())
    out = {f"grad.{n}": params[n].grad for n in names}
    out["grad.input"] = x.grad
    return out


resnet_grads = gradients(resnet, x, [3, 5], ["base.conv1.weight", "base.bn1.weight", "base.layer2.0.downsample.0.weight",
                                             "base.layer4.1.conv2.weight", "block.0.weight", "block.3.bias"])
save(resnet.state_dict(), "resnet18_w8.safetensors")
save({"input": x, "logits": logits, **resnet_grads}, "resnet18_w8_io.safetensors")

# --- torchvision ViT, reduced --------------------------------------------------------------------
cfg = dict(patch_size=8, num_layers=2, num_heads=4, hidden_dim=64, mlp_dim=128, num_classes=8)
vit = VisionTransformer(image_size=32, **cfg)
randomize(vit, 0.2)
vit.eval()
x = torch.randn(2, 3, 32, 32)
x48 = torch.randn(2, 3, 48, 48)
with torch.no_grad():
    logits = vit(x)
    head, vit.heads.head = vit.heads.head, nn.Identity()
    features = vit(x)
    vit.heads.head = head
    vit48 = VisionTransformer(image_size=48, **cfg)
    vit48.load_state_dict(interpolate_embeddings(48, 8, vit.state_dict()))
    vit48.eval()
    logits48 = vit48(x48)
vit_grads = gradients(vit, x, [1, 6], ["class_token", "conv_proj.weight", "encoder.pos_embedding",
                                       "encoder.layers.encoder_layer_0.self_attention.in_proj_weight",
                                       "encoder.layers.encoder_layer_0.ln_1.weight",
                                       "encoder.layers.encoder_layer_1.mlp.0.weight", "encoder.ln.bias", "heads.head.weight"])
save(vit.state_dict(), "vit_tv_small.safetensors")
pth_state = dict(vit.state_dict())
pth_state["half.conv_proj.weight"] = vit.state_dict()["conv_proj.weight"].half()
pth_state["strided.heads.head.weight"] = vit.state_dict()["heads.head.weight"].t()
torch.save(pth_state, os.path.join(OUT, "vit_tv_small.pth"))
save({"input": x, "logits": logits, "features": features, "input48": x48, "logits48": logits48, **vit_grads},
     "vit_tv_small_io.safetensors")

# --- timm ViT, same reduced config ---------------------------------------------------------------
import timm  # noqa: E402
from timm.models.vision_transformer import VisionTransformer as TimmViT  # noqa: E402
from torchvision.models import resnet18  # noqa: E402

# timm's resnet18 (resnet18.tv_in1k) loads with the torchvision convention: same names.
assert set(timm.create_model("resnet18").state_dict()) == set(resnet18().state_dict()), "timm resnet18 names differ"
timm_vit = TimmViT(img_size=32, patch_size=8, embed_dim=64, depth=2, num_heads=4, mlp_ratio=2, num_classes=8)
randomize(timm_vit, 0.2)
timm_vit.eval()
with torch.no_grad():
    timm_logits = timm_vit(x)
save(timm_vit.state_dict(), "vit_timm_small.safetensors")
save({"input": x, "logits": timm_logits}, "vit_timm_small_io.safetensors")

# --- Hugging Face ViTModel, same reduced config --------------------------------------------------
hf_cfg = ViTConfig(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                   image_size=32, patch_size=8, num_channels=3, hidden_act="gelu", layer_norm_eps=1e-12,
                   hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, qkv_bias=True)
hf_cfg._attn_implementation = "eager"
hf = ViTModel(hf_cfg, add_pooling_layer=True)
randomize(hf, 0.2)
hf.eval()
with torch.no_grad():
    hidden = hf(pixel_values=x).last_hidden_state
    hidden48 = hf(pixel_values=x48, interpolate_pos_encoding=True).last_hidden_state


def published_hf_name(name):
    """transformers 5 module names -> the names in google/vit-base-patch16-224-in21k's file."""
    for new, old in [("layers.", "encoder.layer."), ("attention.q_proj", "attention.attention.query"),
                     ("attention.k_proj", "attention.attention.key"), ("attention.v_proj", "attention.attention.value"),
                     ("attention.o_proj", "attention.output.dense"), ("mlp.fc1", "intermediate.dense"),
                     ("mlp.fc2", "output.dense")]:
        if name.startswith(new) or f".{new}" in name:
            name = name.replace(new, old, 1)
    return name


published = {published_hf_name(k): v for k, v in hf.state_dict().items()}
save(published, "vit_hf_small.safetensors")
# The published layout must load back into transformers' ViTModel to the same outputs.
import shutil
import tempfile
with tempfile.TemporaryDirectory() as tmp:
    hf_cfg.save_pretrained(tmp)
    shutil.copy(os.path.join(OUT, "vit_hf_small.safetensors"), os.path.join(tmp, "model.safetensors"))
    reloaded = ViTModel.from_pretrained(tmp, attn_implementation="eager").eval()
    with torch.no_grad():
        assert torch.equal(reloaded(pixel_values=x).last_hidden_state, hidden), "published-name round trip failed"
save({"input": x, "last_hidden_state": hidden, "mean": hidden.mean(dim=1), "input48": x48,
      "mean48": hidden48.mean(dim=1)}, "vit_hf_small_io.safetensors")

for name in sorted(os.listdir(OUT)):
    print(f"{name:32s} {os.path.getsize(os.path.join(OUT, name)):>9d} bytes")
