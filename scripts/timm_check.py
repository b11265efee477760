#!/usr/bin/env python3
"""Checks an exported encoder the way a user of timm loads it.

Builds timm's VisionTransformer from encoder.json's "timm_create_model_kwargs", loads
encoder.safetensors with strict=True (every key and shape must match, none missing or
extra), runs the images that `can-eval --save-features` saved, and compares the pooled
features with can-eval's. Prints one JSON line; exits 1 when the largest difference is over
--tol or the weights do not load.

Where timm is not installed (the Debian development machines), the same check runs against
a small reader written here with timm's module names and forward pass (patch_embed.proj,
cls_token, pos_embed, blocks.i.{norm1,attn.qkv,attn.proj,norm2,mlp.fc1,mlp.fc2}, norm,
average of the patch tokens), so the dry run of scripts/gpu-check still checks the export.

  scripts/timm_check.py --encoder out/encoder.safetensors --features out/features.safetensors
"""
import argparse
import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8}


def load_safetensors(path):
    """safetensors.torch.load_file when present, else the format read by hand."""
    try:
        from safetensors.torch import load_file
        return load_file(path), "safetensors"
    except ImportError:
        pass
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        begin, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[e["dtype"]])
        out[name] = t.reshape(e["shape"]).clone()
    return out, "built-in reader"


class Attention(nn.Module):
    def __init__(self, dim, heads, qkv_bias):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, L, D = x.shape
        q, k, v = self.qkv(x).reshape(B, L, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        attn = ((q * (D // self.heads) ** -0.5) @ k.transpose(-2, -1)).softmax(-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(B, L, D))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio, qkv_bias):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads, qkv_bias)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, in_chans, dim, patch):
        super().__init__()
        self.proj = nn.Conv2d(in_chans, dim, patch, patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class TimmStyleViT(nn.Module):
    """timm's VisionTransformer for these kwargs (global_pool avg, fc_norm False, no head)."""

    def __init__(self, img_size, patch_size, in_chans, embed_dim, depth, num_heads, mlp_ratio=4.0,
                 qkv_bias=True, class_token=True, global_pool="avg", fc_norm=False, num_classes=0, **_):
        super().__init__()
        assert global_pool == "avg" and fc_norm is False and num_classes == 0
        self.patch_embed = PatchEmbed(in_chans, embed_dim, patch_size)
        self.num_prefix_tokens = 1 if class_token else 0
        if class_token:
            self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        tokens = (img_size // patch_size) ** 2 + self.num_prefix_tokens
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens, embed_dim))
        self.blocks = nn.Sequential(*[Block(embed_dim, num_heads, mlp_ratio, qkv_bias) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)

    def forward(self, x):
        x = self.patch_embed(x)
        if self.num_prefix_tokens:
            x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1)
        x = self.norm(self.blocks(x + self.pos_embed))
        return x[:, self.num_prefix_tokens:].mean(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoder", required=True, help="encoder.safetensors from can-export (encoder.json beside it)")
    ap.add_argument("--features", required=True, help="file from can-eval --save-features")
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--reader", choices=["auto", "timm", "builtin"], default="auto")
    a = ap.parse_args()

    arch = json.load(open(os.path.splitext(a.encoder)[0] + ".json"))
    kwargs = arch["timm_create_model_kwargs"]
    reader = "builtin"
    if a.reader in ("auto", "timm"):
        try:
            import timm
            from timm.models.vision_transformer import VisionTransformer
            model, reader = VisionTransformer(**kwargs), "timm " + timm.__version__
        except ImportError:
            if a.reader == "timm":
                sys.exit("timm_check: --reader timm, but timm is not installed")
    if reader == "builtin":
        model = TimmStyleViT(**kwargs)
    weights, st_reader = load_safetensors(a.encoder)
    result = {"check": "timm_check", "reader": reader, "safetensors": st_reader, "tensors": len(weights)}
    try:
        model.load_state_dict(weights, strict=True)
    except RuntimeError as e:
        result.update({"pass": False, "error": str(e).splitlines()[0]})
        print(json.dumps(result))
        return 1
    saved, _ = load_safetensors(a.features)
    images, expected = saved["images"].float(), saved["features"].float()
    dev = torch.device(a.device)
    # TF32 would round the convolution of timm's PatchEmbed to 10 mantissa bits on NVIDIA GPUs.
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    model = model.to(dev).eval()
    with torch.no_grad():
        got = model(images.to(dev)).float().cpu()
    diff = (got - expected).abs().max().item()
    result.update(images=int(images.shape[0]), feature_dim=int(got.shape[1]), strict_load=True,
                  max_abs_diff=diff, feature_abs_max=expected.abs().max().item(), tol=a.tol, torch=torch.__version__)
    result["pass"] = diff <= a.tol
    print(json.dumps(result))
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
