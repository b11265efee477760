#!/usr/bin/python3
"""Eager PyTorch reference of one CAN training step, for side-by-side timing with can-bench.

The same model as core/model (ViT encoder on kept patches, projector, InfoNCE, decoder with
[M] token and noise-level MLP, masked MSE losses), written the way an MAE-style Python
codebase would, and timed the same way: median of --steps steps after --warmup steps.
Prints one JSON line with the keys can-bench prints. Debian's python3-torch 1.13 uses the
same libtorch as the C++ build. On PyTorch 2.x the attention is F.scaled_dot_product_attention
(as timm's fused attention), and --device cuda --precision bf16 runs the step under
torch.autocast as an MAE-style training loop would.

  python3 bench/can_step_reference.py --preset tiny --img-size 28 --channels 1 --patch 4 --batch 256
  python3 bench/can_step_reference.py --preset base --img-size 224 --channels 3 --patch 16 --batch 256 \
      --device cuda --precision bf16
"""
import argparse
import json
import math
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PRESETS = {  # d, depth, heads, d_dec, dec_depth, dec_heads (core/model/model_config.cpp)
    "tiny": (192, 12, 3, 128, 2, 4), "small": (384, 12, 6, 256, 4, 8),
    "base": (768, 12, 12, 512, 8, 16), "large": (1024, 24, 16, 512, 8, 16),
    "huge": (1280, 32, 16, 512, 8, 16)}


def sincos_1d(dim, pos):
    omega = 1.0 / 10000 ** (torch.arange(dim // 2, dtype=torch.float64) / (dim / 2.0))
    out = pos.reshape(-1, 1).double() * omega[None]
    return torch.cat([out.sin(), out.cos()], 1)


def sincos_2d(dim, grid, cls):
    c = torch.arange(grid, dtype=torch.float64)
    rows, cols = torch.meshgrid(c, c, indexing="ij")
    emb = torch.cat([sincos_1d(dim // 2, cols), sincos_1d(dim // 2, rows)], 1).float()
    return torch.cat([torch.zeros(1, dim), emb]) if cls else emb


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, L, D = x.shape
        qkv = self.qkv(x).reshape(B, L, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        if hasattr(F, "scaled_dot_product_attention"):
            out = F.scaled_dot_product_attention(q, k, v)
        else:
            attn = (q * (D // self.heads) ** -0.5) @ k.transpose(-2, -1)
            out = attn.softmax(-1) @ v
        return self.proj(out.transpose(1, 2).reshape(B, L, D))


class Block(nn.Module):
    def __init__(self, dim, heads, ratio=4.0):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(dim, eps=1e-6), nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, int(dim * ratio)), nn.GELU(), nn.Linear(int(dim * ratio), dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


def patchify(imgs, p):
    N, C, H, W = imgs.shape
    x = imgs.reshape(N, C, H // p, p, W // p, p).permute(0, 2, 4, 3, 5, 1)
    return x.reshape(N, (H // p) * (W // p), p * p * C)


class CAN(nn.Module):
    def __init__(self, a, use_c, use_a, use_n):
        super().__init__()
        d, depth, heads, dd, ddepth, dheads = PRESETS[a.preset]
        self.p, self.T = a.patch, (a.img_size // a.patch) ** 2
        self.use_c, self.use_a, self.use_n = use_c, use_a, use_n
        K = a.patch * a.patch * a.channels
        self.patch_embed = nn.Linear(K, d)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.register_buffer("pos_embed", sincos_2d(d, a.img_size // a.patch, True)[None])
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(d, eps=1e-6)
        if use_c:
            self.projector = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, 128))
        if use_a or use_n:
            self.mask_token = nn.Parameter(torch.zeros(1, 1, d))
            if use_n:
                self.noise_mlp = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))
            self.decoder_embed = nn.Linear(d, dd)
            self.register_buffer("decoder_pos_embed", sincos_2d(dd, a.img_size // a.patch, False)[None])
            self.decoder_blocks = nn.ModuleList([Block(dd, dheads) for _ in range(ddepth)])
            self.decoder_norm = nn.LayerNorm(dd, eps=1e-6)
            self.decoder_pred = nn.Linear(dd, K)
        self.d = d

    def sigma_embedding(self, sigma, sigma_max):
        half = self.d // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, device=sigma.device) / half)
        args = (sigma * (1000.0 / sigma_max))[:, None] * freqs[None]
        return torch.cat([args.sin(), args.cos()], 1)

    def forward(self, v1, v2, m, sigma_max, tau, norm_pix=True):
        x = torch.cat([v1, v2]) if self.use_c else v1
        N, dev = x.shape[0], x.device
        if self.use_n:
            sigma = torch.rand(N, device=dev) * sigma_max
            noise = torch.randn_like(x) * sigma[:, None, None, None]
        else:
            sigma, noise = torch.zeros(N, device=dev), torch.zeros_like(x)
        patches = patchify(x + noise, self.p)
        keep = int(math.floor(self.T * (1 - m) + 1e-9))
        ids_shuffle = torch.argsort(torch.rand(N, self.T, device=dev), dim=1)
        ids_restore = torch.argsort(ids_shuffle, dim=1)
        ids_keep = ids_shuffle[:, :keep]
        mask = torch.ones(N, self.T, device=dev)
        mask[:, :keep] = 0
        mask = torch.gather(mask, 1, ids_restore)
        K = patches.shape[-1]
        tok = self.patch_embed(torch.gather(patches, 1, ids_keep[..., None].expand(-1, -1, K)))
        pos = self.pos_embed[:, 1:].expand(N, -1, -1)
        tok = tok + torch.gather(pos, 1, ids_keep[..., None].expand(-1, -1, self.d))
        cls = (self.cls_token + self.pos_embed[:, :1]).expand(N, -1, -1)
        z = torch.cat([cls, tok], 1)
        for blk in self.blocks:
            z = blk(z)
        z = self.norm(z)
        zero = torch.zeros((), device=dev)
        l_c = l_a = l_n = zero
        if self.use_c:
            u = F.normalize(self.projector(z[:, 1:].mean(1)).float(), dim=1)
            logits = u @ u.t() / tau
            logits = logits.masked_fill(torch.eye(N, dtype=torch.bool, device=dev), float("-inf"))
            targets = (torch.arange(N, device=dev) + N // 2) % N
            l_c = F.cross_entropy(logits, targets)
        if self.use_a or self.use_n:
            y = self.mask_token.expand(N, self.T, self.d).contiguous()
            y = y.scatter(1, ids_keep[..., None].expand(-1, -1, self.d), z[:, 1:])
            if self.use_n:
                y = y + self.noise_mlp(self.sigma_embedding(sigma, sigma_max))[:, None]
            y = self.decoder_embed(y) + self.decoder_pos_embed
            for blk in self.decoder_blocks:
                y = blk(y)
            x_hat = self.decoder_pred(self.decoder_norm(y))
            if self.use_a:
                t = patchify(x, self.p)
                if norm_pix:
                    t = (t - t.mean(-1, keepdim=True)) / (t.var(-1, keepdim=True) + 1e-6) ** 0.5
                l_a = (((x_hat - t) ** 2).mean(-1) * mask).sum() / mask.sum().clamp_min(1)
            if self.use_n:
                l_n = (((x_hat - patchify(noise, self.p)) ** 2).mean(-1) * (1 - mask)).sum() / (1 - mask).sum()
        return 0.03 * l_c + 0.67 * l_a + 0.3 * l_n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="tiny")
    ap.add_argument("--img-size", type=int, default=28)
    ap.add_argument("--channels", type=int, default=1)
    ap.add_argument("--patch", type=int, default=4)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--mode", default="can", choices=["can", "mae", "simclr"])
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    ap.add_argument("--breakdown", type=int, default=0, help="N more steps timed per phase")
    ap.add_argument("--profile", type=int, default=0, help="N more steps under torch.profiler: top kernels")
    a = ap.parse_args()
    dev = torch.device(a.device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    torch.set_num_threads(a.threads or os.cpu_count())
    torch.manual_seed(0)
    use_c, use_a, use_n, m = {"can": (1, 1, 1, 0.5), "mae": (0, 1, 0, 0.75), "simclr": (1, 0, 0, 0.0)}[a.mode]
    model = CAN(a, use_c, use_a, use_n).to(dev)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4,
                            betas=(0.9, 0.95), weight_decay=0.05)
    v1 = torch.randn(a.batch, a.channels, a.img_size, a.img_size, device=dev)
    v2 = torch.randn_like(v1)

    def step(phases=None):
        t = [time.perf_counter()]

        def lap(i):
            if phases is not None:
                sync()
                now = time.perf_counter()
                phases[i] += (now - t[0]) * 1000
                t[0] = now
        opt.zero_grad()
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            loss = model(v1, v2, m, 0.05, 0.1)
        lap(0)
        loss.backward()
        lap(1)
        opt.step()
        lap(2)
        return loss

    for _ in range(a.warmup):
        step()
    sync()
    ms = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        loss = step()
        sync()
        ms.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(ms)
    phases = [0.0, 0.0, 0.0]
    for _ in range(a.breakdown):
        step(phases)
    kernels = []
    if a.profile:
        from torch.profiler import ProfilerActivity, profile
        acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if dev.type == "cuda" else [])
        with profile(activities=acts) as prof:
            for _ in range(a.profile):
                step()
            sync()
        attr = "self_device_time_total" if dev.type == "cuda" else "self_cpu_time_total"
        events = sorted(prof.key_averages(), key=lambda e: getattr(e, attr, 0), reverse=True)[:25]
        kernels = [{"name": e.key[:90], "ms_per_step": getattr(e, attr, 0) / 1000 / a.profile,
                    "calls_per_step": e.count / a.profile} for e in events]
    print(json.dumps({"bench": "can-bench", "impl": "python-eager", "torch": torch.__version__,
                      "preset": a.preset, "img_size": a.img_size, "channels": a.channels,
                      "patch": a.patch, "batch": a.batch, "mode": a.mode,
                      "device": str(dev), "precision": a.precision,
                      "threads": torch.get_num_threads(), "steps": len(ms),
                      "step_ms_median": med, "step_ms_min": min(ms), "step_ms_max": max(ms),
                      "img_per_s": a.batch / (med / 1000), "final_loss": loss.item(),
                      **({"phase_ms_mean": dict(zip(("forward", "backward", "optimizer"),
                                                    (p / a.breakdown for p in phases)))} if a.breakdown else {}),
                      **({"profile_top": kernels} if kernels else {})}))


if __name__ == "__main__":
    main()
