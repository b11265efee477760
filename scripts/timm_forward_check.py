#!/usr/bin/env python3
"""Cross-checks an exported encoder against timm's VisionTransformer forward, in PyTorch.

usage: /usr/bin/python3 scripts/timm_forward_check.py ENCODER.safetensors IO.safetensors

ENCODER.safetensors and its ENCODER.json come from can-export (or the core_export test,
which also writes IO.safetensors = {"x": images, "features": our C++ features} beside it, in
$CAN_TEST_TMP/export/). timm itself is not installed here, so this script re-states
timm's VisionTransformer(global_pool="avg", fc_norm=False, num_classes=0) forward from
timm's source, op for op: Conv2d patch embedding, class token, + pos_embed, pre-norm
blocks (fused qkv reshaped (B, N, 3, heads, head_dim)), final norm, mean of the patch tokens.
It loads the weights by name with strict key matching and prints the largest difference
from our features. Exit code 0 when they agree to 1e-4. A manual check, not a CTest test.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_numpy import load, timm_keys  # noqa: E402


def timm_vit_forward(sd, arch, x):
    kw = arch["timm_create_model_kwargs"]
    d, heads, p = kw["embed_dim"], kw["num_heads"], kw["patch_size"]
    eps = 1e-6  # timm: partial(nn.LayerNorm, eps=1e-6)
    x = F.conv2d(x, sd["patch_embed.proj.weight"], sd["patch_embed.proj.bias"], stride=p)
    x = x.flatten(2).transpose(1, 2)  # PatchEmbed: BCHW -> BNC
    prefix = 0
    if kw["class_token"]:
        x = torch.cat([sd["cls_token"].expand(x.shape[0], -1, -1), x], dim=1)
        prefix = 1
    x = x + sd["pos_embed"]
    for i in range(kw["depth"]):
        b = f"blocks.{i}."
        h = F.layer_norm(x, (d,), sd[b + "norm1.weight"], sd[b + "norm1.bias"], eps)
        B, N, C = h.shape
        qkv = F.linear(h, sd[b + "attn.qkv.weight"], sd[b + "attn.qkv.bias"])
        qkv = qkv.reshape(B, N, 3, heads, C // heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        attn = ((q * (C // heads) ** -0.5) @ k.transpose(-2, -1)).softmax(dim=-1)
        h = (attn @ v).transpose(1, 2).reshape(B, N, C)
        x = x + F.linear(h, sd[b + "attn.proj.weight"], sd[b + "attn.proj.bias"])
        h = F.layer_norm(x, (d,), sd[b + "norm2.weight"], sd[b + "norm2.bias"], eps)
        h = F.linear(F.gelu(F.linear(h, sd[b + "mlp.fc1.weight"], sd[b + "mlp.fc1.bias"])),
                     sd[b + "mlp.fc2.weight"], sd[b + "mlp.fc2.bias"])
        x = x + h
    x = F.layer_norm(x, (d,), sd["norm.weight"], sd["norm.bias"], eps)  # fc_norm=False: norm, then pool
    return x[:, prefix:].mean(dim=1)  # global_pool="avg"


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    enc_path, io_path = sys.argv[1], sys.argv[2]
    arch = json.load(open(os.path.splitext(enc_path)[0] + ".json"))
    _, tensors = load(enc_path)
    expected_keys = timm_keys(arch["depth"], arch["class_token"])
    if set(tensors) != expected_keys:
        print(f"keys differ from timm's: {sorted(set(tensors) ^ expected_keys)}")
        return 1
    sd = {k: torch.from_numpy(np.array(v)) for k, v in tensors.items()}
    _, io = load(io_path)
    x = torch.from_numpy(np.array(io["x"]))
    ours = torch.from_numpy(np.array(io["features"]))
    with torch.no_grad():
        theirs = timm_vit_forward(sd, arch, x)
    diff = (theirs - ours).abs().max().item()
    print(f"features {tuple(ours.shape)}: max |timm-style - ours| = {diff:.3g}")
    return 0 if diff < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
