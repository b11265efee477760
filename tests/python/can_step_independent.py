#!/usr/bin/python3
"""One CAN training step in eager PyTorch, written from docs/method.md and not from core/.

tests/core/tst_python_step.cpp runs one seeded step of the C++ engine, writes its weights,
views and random draws (StepDraws: sigma_unit, e, mask_noise) to a safetensors file, and
runs this script on it. The script recomputes the step its own way and writes the losses,
the gradients and the AdamW update; the C++ test compares them with the engine's.

Written apart from the engine on purpose, so that one shared mistake cannot hide:
  - patches: the encoder embeds the noisy view with a strided convolution on the image
    (timm's PatchEmbed), not with patch vectors; targets are cut out with an index table
    built by loops from the doc's order (pixel row, pixel column, channel);
  - masking: the visible patches are kept in grid order, not in the shuffled order;
  - position embeddings (MAE's 2-D sin-cos) and the noise-level scale 1000/sigma_max are
    computed here, not read from the engine's buffers;
  - InfoNCE is written as the doc's sum over rows with an explicit positive per row;
  - AdamW is the decoupled update written out, groups chosen by this file's own rule.

  can_step_independent.py --in step.safetensors --out-dir DIR [--variants exact,positives,...]

writes DIR/python_<variant>.safetensors per variant (one process: importing torch is most of
its time). "exact" is the method as written; each other variant changes one detail on
purpose (the test's negative controls, which must fail the comparison):
  positives       the positive of row a is a+1 instead of the other view of its image
  denoise-target  the denoising target is e instead of sigma*e
  sigma-scale     the noise level enters the sinusoid unscaled (no 1000/sigma_max)
  mask-sigma      the noise-level embedding is added to the visible tokens only
"""
import argparse
import json
import math
import struct

import numpy as np
import torch

DTYPES = {"F32": (np.float32, 4), "F64": (np.float64, 8), "I64": (np.int64, 8)}


def read_safetensors(path):
    """{name: tensor} and the metadata of a safetensors file (8-byte length, JSON, data)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    out = {}
    for name, e in header.items():
        np_type, _ = DTYPES[e["dtype"]]
        b, end = e["data_offsets"]
        arr = np.frombuffer(data[b:end], dtype=np_type).reshape(e["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out, meta


def write_safetensors(path, tensors):
    names = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        b = t.detach().contiguous().cpu().numpy().tobytes()
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


# ---- fixed embeddings (MAE's get_2d_sincos_pos_embed, in numpy) -------------------------

def sincos_1d(dim, pos):
    omega = np.arange(dim // 2, dtype=np.float64) / (dim / 2.0)
    omega = 1.0 / 10000 ** omega
    out = np.einsum("m,d->md", pos.reshape(-1), omega)
    return np.concatenate([np.sin(out), np.cos(out)], axis=1)


def sincos_2d(dim, grid):
    """[grid*grid, dim]: the first half embeds the column (w), the second the row (h)."""
    gh = np.arange(grid, dtype=np.float64)
    gw = np.arange(grid, dtype=np.float64)
    mesh = np.meshgrid(gw, gh)  # MAE: meshgrid(grid_w, grid_h), mesh[0] varies along w
    emb = np.concatenate([sincos_1d(dim // 2, mesh[0]), sincos_1d(dim // 2, mesh[1])], axis=1)
    return torch.from_numpy(emb).float()


def timestep_embedding(v, dim):
    """Diffusion-style sinusoid of scalars: [sin(v w_k), cos(v w_k)], w_k = 10000^(-k/half)."""
    half = dim // 2
    out = torch.zeros(v.shape[0], dim, dtype=torch.float64)
    for k in range(half):
        w = 10000.0 ** (-k / half)
        out[:, k] = torch.sin(v.double() * w)
        out[:, half + k] = torch.cos(v.double() * w)
    return out.float()


# ---- the ViT pieces (timm's layout) -----------------------------------------------------

def layer_norm(x, w, b):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)  # biased, as nn.LayerNorm
    return (x - mu) / torch.sqrt(var + 1e-6) * w + b


def linear(x, P, name):
    return x @ P[name + ".weight"].t() + P[name + ".bias"]


def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def block(x, P, pre, heads):
    B, L, D = x.shape
    h = layer_norm(x, P[pre + ".norm1.weight"], P[pre + ".norm1.bias"])
    qkv = linear(h, P, pre + ".attn.qkv").reshape(B, L, 3, heads, D // heads)
    q, k, v = (qkv[:, :, i].transpose(1, 2) for i in range(3))  # [B, H, L, D/H]
    att = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(D // heads), dim=-1)
    x = x + linear((att @ v).transpose(1, 2).reshape(B, L, D), P, pre + ".attn.proj")
    h = layer_norm(x, P[pre + ".norm2.weight"], P[pre + ".norm2.bias"])
    return x + linear(gelu(linear(h, P, pre + ".mlp.fc1")), P, pre + ".mlp.fc2")


def patch_index(img, p, chans):
    """[T, p*p*C] flat pixel indices into a [C, img, img] image: patch t in row-major grid
    order, inside a patch pixel row, then pixel column, then channel (docs/method.md step 3)."""
    g = img // p
    idx = torch.zeros(g * g, p * p * chans, dtype=torch.int64)
    for gr in range(g):
        for gc in range(g):
            k = 0
            for r in range(p):
                for c in range(p):
                    for ch in range(chans):
                        idx[gr * g + gc, k] = ch * img * img + (gr * p + r) * img + (gc * p + c)
                        k += 1
    return idx


def step(P, x1, x2, draws, cfg, brk):
    """The losses of docs/method.md's step 1-10 for views x1, x2 and the given draws."""
    C, img, p = cfg["in_chans"], cfg["img_size"], cfg["patch_size"]
    d, d_dec, T = cfg["embed_dim"], cfg["decoder_embed_dim"], (cfg["img_size"] // cfg["patch_size"]) ** 2
    lp = cfg["loss"]
    x = torch.cat([x1, x2], 0)  # step 1: view-major, row i and i+n are the two views of image i
    N = x.shape[0]

    # Step 2: sigma ~ U[0, sigma_max] per view, x <- x + sigma e.
    sigma = draws["sigma_unit"] * lp["sigma_max"]
    added = sigma[:, None, None, None] * draws["e"]
    noisy = x + added

    # Step 3: a view keeps its floor(T(1-m)) patches of smallest mask noise; 1 = masked.
    keep = int(math.floor(T * (1 - lp["mask_ratio"]) + 1e-9))
    order = torch.argsort(draws["mask_noise"], dim=1)
    mask = torch.ones(N, T)
    for i in range(N):
        mask[i, order[i, :keep]] = 0.0
    visible = [torch.nonzero(mask[i] == 0).flatten() for i in range(N)]  # grid order

    # Step 4: encoder on the visible noisy patches: conv patch embedding + fixed positions.
    tokens = torch.nn.functional.conv2d(noisy, P["encoder.patch_embed.proj.weight"],
                                        P["encoder.patch_embed.proj.bias"], stride=p)
    tokens = tokens.flatten(2).transpose(1, 2) + sincos_2d(d, img // p)[None]  # [N, T, d]
    z = torch.stack([tokens[i, visible[i]] for i in range(N)])  # [N, T', d]
    cls = P["encoder.cls_token"].expand(N, 1, d)  # position row 0 of pos_embed is zero
    z = torch.cat([cls, z], 1)
    for b in range(cfg["depth"]):
        z = block(z, P, f"encoder.blocks.{b}", cfg["num_heads"])
    z = layer_norm(z, P["encoder.norm.weight"], P["encoder.norm.bias"])[:, 1:]  # class token dropped

    # Step 5: mean pool -> projector -> unit length -> InfoNCE, one term per row.
    u = linear(torch.relu(linear(z.mean(1), P, "projector.fc1")), P, "projector.fc2")
    u = u / u.norm(dim=1, keepdim=True)
    n = N // 2
    terms = []
    for a in range(N):
        pos = (a + 1) % N if brk == "positives" else (a + n) % N
        others = [b for b in range(N) if b != a]
        logits = torch.stack([u[a] @ u[b] for b in others]) / lp["tau"]
        terms.append(-(u[a] @ u[pos] / lp["tau"] - torch.logsumexp(logits, 0)))
    l_c = torch.stack(terms).mean()

    # Step 6: z at its positions, [M] elsewhere, the noise-level embedding on all T tokens.
    scale = 1.0 if brk == "sigma-scale" else 1000.0 / cfg["sigma_max_at_build"]
    e_sig = timestep_embedding(sigma * scale, d)
    e_sig = linear(torch.relu(linear(e_sig, P, "decoder.noise_embed.fc1")), P, "decoder.noise_embed.fc2")
    rows = []
    for i in range(N):
        seq = [None] * T
        for j, t in enumerate(visible[i].tolist()):
            seq[t] = z[i, j] + e_sig[i]
        for t in range(T):
            if seq[t] is None:
                m_tok = P["decoder.mask_token"][0, 0]
                seq[t] = m_tok if brk == "mask-sigma" else m_tok + e_sig[i]
        rows.append(torch.stack(seq))
    y = torch.stack(rows)  # [N, T, d]

    # Step 7: Linear d -> d_dec, fixed positions, blocks, LayerNorm, Linear -> p*p*C.
    y = linear(y, P, "decoder.decoder_embed") + sincos_2d(d_dec, img // p)[None]
    for b in range(cfg["decoder_depth"]):
        y = block(y, P, f"decoder.decoder_blocks.{b}", cfg["decoder_num_heads"])
    x_hat = linear(layer_norm(y, P["decoder.decoder_norm.weight"], P["decoder.decoder_norm.bias"]),
                   P, "decoder.decoder_pred")

    # Steps 8-9: per-patch MSE, averaged over the masked (A) or the visible (N) patches.
    idx = patch_index(img, p, C)
    clean_patches = x.reshape(N, -1)[:, idx]  # [N, T, K]
    target_noise = draws["e"] if brk == "denoise-target" else added
    noise_patches = target_noise.reshape(N, -1)[:, idx]
    if lp["norm_pix"]:
        mu = clean_patches.mean(-1, keepdim=True)
        var = ((clean_patches - mu) ** 2).sum(-1, keepdim=True) / (clean_patches.shape[-1] - 1)
        clean_patches = (clean_patches - mu) / torch.sqrt(var + 1e-6)
    per_patch_rec = ((x_hat - clean_patches) ** 2).mean(-1)
    per_patch_den = ((x_hat - noise_patches) ** 2).mean(-1)
    l_a = (per_patch_rec * mask).sum() / mask.sum()
    l_n = (per_patch_den * (1 - mask)).sum() / (1 - mask).sum()

    total = lp["lambda_c"] * l_c + lp["lambda_a"] * l_a + lp["lambda_n"] * l_n  # step 10
    return {"loss": total, "loss_info_nce": l_c, "loss_rec": l_a, "loss_denoise": l_n}


def no_decay(name, t):
    """docs/method.md "Optimisation": weight decay on weight matrices only."""
    return t.dim() < 2 or name.endswith("_token") or name.endswith("pos_embed")


def adamw_first_step(P, grads, opt):
    """The decoupled AdamW update from zero moments (PyTorch's AdamW, first step)."""
    lr, b1, b2, eps, wd = opt["lr"], opt["beta1"], opt["beta2"], opt["eps"], opt["weight_decay"]
    out = {}
    for name, p in P.items():
        g = grads[name].double()
        w = p.detach().double()
        if not no_decay(name, p):
            w = w * (1 - lr * wd)
        m = (1 - b1) * g
        v = (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1), v / (1 - b2)
        out[name] = (w - lr * m_hat / (torch.sqrt(v_hat) + eps)).float()
    return out


VARIANTS = ["exact", "positives", "denoise-target", "sigma-scale", "mask-sigma"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--in", dest="inp", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--variants", default="exact")
    a = ap.parse_args()
    variants = a.variants.split(",")
    for v in variants:
        if v not in VARIANTS:
            ap.error(f"unknown variant {v!r} (known: {', '.join(VARIANTS)})")
    torch.set_num_threads(1)
    t, meta = read_safetensors(a.inp)
    cfg = json.loads(meta["config"])
    draws = {k: t["draws/" + k] for k in ("sigma_unit", "e", "mask_noise")}
    for variant in variants:
        P = {k[len("param/"):]: v.clone().requires_grad_(True) for k, v in t.items() if k.startswith("param/")}
        losses = step(P, t["view1"], t["view2"], draws, cfg, "" if variant == "exact" else variant)
        names = sorted(P)
        grads = torch.autograd.grad(losses["loss"], [P[k] for k in names], allow_unused=True)
        out = {k: v.detach().reshape(1) for k, v in losses.items()}
        for k, g in zip(names, grads):
            out["grad/" + k] = torch.zeros_like(P[k]) if g is None else g
        # The update the engine's optimizer must make from the engine's own gradients.
        cpp_grads = {k[len("cpp_grad/"):]: v for k, v in t.items() if k.startswith("cpp_grad/")}
        for k, v in adamw_first_step({k: P[k] for k in cpp_grads}, cpp_grads, cfg["adamw"]).items():
            out["adamw/" + k] = v
        write_safetensors(f"{a.out_dir}/python_{variant}.safetensors", out)


if __name__ == "__main__":
    main()
