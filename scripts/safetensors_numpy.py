#!/usr/bin/env python3
"""Reads a safetensors file with numpy alone, independently of the C++ reader.

usage: scripts/safetensors_numpy.py FILE [--timm-keys DEPTH]

Checks the layout the safetensors spec requires (8-byte little-endian header length, JSON
header, tensors tiling the data section exactly), loads every tensor into a numpy array and
prints name, dtype, shape and a checksum. With --timm-keys DEPTH it also checks that the keys
are exactly those of timm's VisionTransformer of that depth (num_classes=0, fc_norm=False).
Exit code 0 when the file is valid, 1 otherwise. Not a CTest test: a manual cross-check.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"BOOL": np.bool_, "U8": np.uint8, "I8": np.int8, "I16": np.int16, "U16": np.uint16,
          "F16": np.float16, "I32": np.int32, "U32": np.uint32, "F32": np.float32,
          "I64": np.int64, "U64": np.uint64, "F64": np.float64}


def timm_keys(depth, class_token):
    keys = {"pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias", "norm.weight", "norm.bias"}
    if class_token:
        keys.add("cls_token")
    for i in range(depth):
        for m in ("norm1", "attn.qkv", "attn.proj", "norm2", "mlp.fc1", "mlp.fc2"):
            for p in ("weight", "bias"):
                keys.add(f"blocks.{i}.{m}.{p}")
    return keys


def load(path):
    raw = open(path, "rb").read()
    if len(raw) < 8:
        raise ValueError("file shorter than 8 bytes")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        raise ValueError(f"header length {n} beyond the file")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    spans, tensors = [], {}
    for name, e in header.items():
        dtype = DTYPES[e["dtype"]]  # BF16/F8 have no numpy dtype; not used by exports
        begin, end = e["data_offsets"]
        count = int(np.prod(e["shape"], dtype=np.int64))
        if end - begin != count * np.dtype(dtype).itemsize or end > len(data):
            raise ValueError(f"{name}: offsets do not match shape")
        tensors[name] = np.frombuffer(data[begin:end], dtype=np.dtype(dtype).newbyteorder("<")).reshape(e["shape"])
        spans.append((begin, end, name))
    pos = 0
    for begin, end, name in sorted(spans):
        if begin != pos:
            raise ValueError(f"{name}: gap or overlap at byte {pos}")
        pos = end
    if pos != len(data):
        raise ValueError(f"data bytes [{pos}, {len(data)}) not covered")
    return meta, tensors


def main():
    if len(sys.argv) not in (2, 4):
        print(__doc__)
        return 2
    try:
        meta, tensors = load(sys.argv[1])
    except (ValueError, KeyError, json.JSONDecodeError, UnicodeDecodeError) as e:
        print(f"{sys.argv[1]}: invalid: {e}")
        return 1
    for name, t in tensors.items():
        print(f"{name:40s} {str(t.dtype):8s} {str(t.shape):20s} sum={float(t.astype(np.float64).sum()):.6g}")
    print(f"metadata keys: {sorted(meta)}")
    if len(sys.argv) == 4 and sys.argv[2] == "--timm-keys":
        expected = timm_keys(int(sys.argv[3]), "cls_token" in tensors)
        if set(tensors) != expected:
            print(f"keys differ from timm's: missing {sorted(expected - set(tensors))}, extra {sorted(set(tensors) - expected)}")
            return 1
        print("keys equal timm's VisionTransformer state_dict")
    return 0


if __name__ == "__main__":
    sys.exit(main())
