#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into fuzz/corpus/<target>/ (deterministic).

Valid, tiny files of each format, wrapped in the input layout each target documents at its
top. The JPEG and WebP seeds of image_file cannot be written without an encoder: they were
made once with OpenCV (fuzz/README.md) and are kept as they are; this script leaves them.
Regression inputs found by fuzzing live beside the seeds as regress-*; this script never
touches them.
"""
import gzip
import json
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


# --- IDX: flags, labels length (LE16), labels file, images file ---------------------------
def idx_images(n, h, w):
    return struct.pack(">IIII", 0x803, n, h, w) + bytes((i * 37) % 256 for i in range(n * h * w))


def idx_labels(n):
    return struct.pack(">II", 0x801, n) + bytes(i % 10 for i in range(n))


def idx_input(flags, labels, images):
    return bytes([flags]) + struct.pack("<H", len(labels)) + labels + images


for flags in range(4):
    put("idx", f"seed-3x4x4-flags{flags}", idx_input(flags, idx_labels(3), idx_images(3, 4, 4)))
put("idx", "seed-1x28x28", idx_input(0, idx_labels(1), idx_images(1, 28, 28)))
put("idx", "seed-gzip-files", idx_input(0, gz(idx_labels(2)), gz(idx_images(2, 5, 3))))

# --- CIFAR: flags, file ---------------------------------------------------------------------
def cifar_record(label_bytes, seed):
    return bytes(label_bytes) + bytes((seed + i * 7) % 256 for i in range(3072))


put("cifar", "seed-cifar10-2", bytes([0]) + cifar_record(b"\x03", 1) + cifar_record(b"\x09", 2))
put("cifar", "seed-cifar100-1", bytes([1]) + cifar_record(b"\x02\x63", 3))
put("cifar", "seed-cifar10-gzip-flag", bytes([2]) + cifar_record(b"\x00", 4))
put("cifar", "seed-cifar10-gzip-file", bytes([0]) + gz(cifar_record(b"\x05", 5)))


# --- safetensors ----------------------------------------------------------------------------
def safetensors(tensors, metadata=None):
    header, data = {}, b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata is not None:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


put("safetensors", "seed-f32-i64-u8", safetensors([
    ("blocks.0.attn.qkv.weight", "F32", [2, 3], struct.pack("<6f", *range(6))),
    ("cls_token", "F32", [1, 1, 2], struct.pack("<2f", 0.5, -0.5)),
    ("step", "I64", [], struct.pack("<q", 7)),
    ("mask", "U8", [4], bytes([0, 1, 1, 0])),
], {"format": "pt", "can.preset": "tiny"}))
put("safetensors", "seed-half-bool-empty", safetensors([
    ("a", "BF16", [2], b"\x80\x3f\x00\x40"),
    ("b", "F16", [1, 2], b"\x00\x3c\x00\xc0"),
    ("c", "BOOL", [3], b"\x01\x00\x01"),
    ("d", "F64", [0, 3], b""),
    ("e", "U16", [1], b"\x01\x02"),
]))
put("safetensors", "seed-empty", safetensors([]))

# --- run config: the presets, a full config, --set lines -------------------------------------
presets = sorted(os.listdir(os.path.join(ROOT, "resources", "presets")))
for p in presets:
    with open(os.path.join(ROOT, "resources", "presets", p), "rb") as f:
        text = f.read()
    put("run_config", "seed-" + p, text)
    put("checkpoint_config", "seed-" + p, b"step_000001\n\0" + text)
full = {
    "model": {"preset": "tiny", "img_size": 28, "patch_size": 4, "in_chans": 1},
    "objectives": {"mode": "custom", "contrastive": True, "reconstruction": True, "denoise": False},
    "loss": {"mask_ratio": 0.5, "sigma_max": 0.1, "tau": 0.1, "w_infonce": 0.03, "w_rec": 0.67, "w_denoise": 0.3},
    "data": {"dataset": "cifar10", "path": "/tmp/cifar", "channels": 1},
    "train": {"batch_size": 64, "steps": 10, "betas": [0.9, 0.99], "warmup_steps": 2, "device": "cpu",
              "precision": "fp32", "grad_clip": 1.0},
}
put("run_config", "seed-many-keys.json", json.dumps(full, indent=2).encode())
put("run_config", "seed-set-lines", b"{}\0train.batch_size=64\nloss.tau=0.2\ntrain.betas=0.9,0.95\n"
    b"objectives.mode=mae\nmodel.preset=small\ndata.augment.preset=none\n")
put("checkpoint_config", "seed-latest-missing", b"step_000009\n\0{}")
put("checkpoint_config", "seed-no-latest-line", b"\0" + json.dumps(full).encode())


# --- images: PNG (gray, RGB with an ancillary chunk, 16-bit RGBA, palette) and BMP ----------
def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(w, h, bit_depth, color_type, rows, extra=b"", plte=None):
    raw = b"".join(b"\x00" + r for r in rows)
    out = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 0))
    out += extra
    if plte is not None:
        out += png_chunk(b"PLTE", plte)
    out += png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")
    return out


put("image_file", "seed-gray-8x8.png", png(8, 8, 8, 0, [bytes((x * 32 + y) % 256 for x in range(8)) for y in range(8)]))
put("image_file", "seed-rgb-6x4-text.png",
    png(6, 4, 8, 2, [bytes((x * 40 + y * 10 + c * 80) % 256 for x in range(6) for c in range(3)) for y in range(4)],
        extra=png_chunk(b"tEXt", b"Comment\0seed")))
put("image_file", "seed-rgba16-3x3.png",
    png(3, 3, 16, 6, [b"".join(struct.pack(">4H", x * 20000, y * 20000, 999, 65535) for x in range(3)) for y in range(3)]))
put("image_file", "seed-palette-4x4.png",
    png(4, 4, 8, 3, [bytes((x + y) % 3 for x in range(4)) for y in range(4)], plte=b"\xff\x00\x00\x00\xff\x00\x00\x00\xff"))


def bmp24(w, h):
    row = (w * 3 + 3) & ~3
    pixels = b"".join(bytes((x * 50 + y * 20 + c * 70) % 256 for x in range(w) for c in range(3)).ljust(row, b"\0")
                      for y in range(h))
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + 40 + len(pixels), 0, 0, 14 + 40) + info + pixels


put("image_file", "seed-rgb-5x3.bmp", bmp24(5, 3))

print("fuzz/make_corpus.py: seeds written to", CORPUS)
