#!/usr/bin/env python3
"""The objective balance at the end of each run of a sweep (docs/results.md "N ablation").

For every run folder under the sweep folders given, the mean over the last --last balance
measurements in RUN/metrics.jsonl (train.balance_every) of each term's encoder-gradient norm
||g_k|| and its share of the update, <g_k, g> / ||g||^2 with g = g_C + g_A + g_N. Runs that
logged grad_share_* use it; older runs get it from the norms and cosines,
<g_k, g> = ||g_k||^2 + sum_{j != k} ||g_k|| ||g_j|| cos(g_k, g_j). Runs that differ only in
train.seed are averaged. Prints a Markdown table.

usage: bench/balance_summary.py SWEEP_DIR [SWEEP_DIR...] [--last N]
"""
import argparse
import json
import math
import os
import re
import sys
from collections import defaultdict

TERMS = ("infonce", "rec", "denoise")
COS = {("infonce", "rec"): "grad_cos_c_a", ("infonce", "denoise"): "grad_cos_c_n", ("rec", "denoise"): "grad_cos_a_n"}


def cosine(a, b, m):
    key = COS.get((a, b)) or COS.get((b, a))
    return m.get(key)


def shares(m):
    """{term: share} of one balance measurement; None when nothing was measured."""
    if all(m.get("grad_share_" + t) is not None for t in TERMS if m.get("grad_norm_" + t) is not None):
        got = {t: m["grad_share_" + t] for t in TERMS if m.get("grad_share_" + t) is not None}
        if got:
            return got
    norms = {t: m["grad_norm_" + t] for t in TERMS if m.get("grad_norm_" + t) is not None}
    along = {}
    for k, nk in norms.items():
        s = nk * nk
        for j, nj in norms.items():
            if j != k:
                c = cosine(k, j, m)
                s += nk * nj * (c if c is not None else 0.0)  # no cosine: a zero gradient
        along[k] = s
    total = sum(along.values())
    return {k: v / total for k, v in along.items()} if total > 0 else None


def run_balance(run_dir, last):
    path = os.path.join(run_dir, "metrics.jsonl")
    if not os.path.exists(path):
        return None
    measured = []
    with open(path) as f:
        for line in f:
            try:
                m = json.loads(line)
            except json.JSONDecodeError:
                continue
            if any(m.get("grad_norm_" + t) is not None for t in TERMS):
                measured.append(m)
    measured = measured[-last:]
    if not measured:
        return None
    out = {}
    for t in TERMS:
        norms = [m["grad_norm_" + t] for m in measured if m.get("grad_norm_" + t) is not None]
        sh = [s[t] for s in (shares(m) for m in measured) if s and t in s]
        if norms:
            out["norm_" + t] = sum(norms) / len(norms)
        if sh:
            out["share_" + t] = sum(sh) / len(sh)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sweeps", nargs="+")
    ap.add_argument("--last", type=int, default=5, help="balance measurements averaged (default 5)")
    a = ap.parse_args()
    groups = defaultdict(list)
    for sweep in a.sweeps:
        for name in sorted(os.listdir(sweep)):
            run = os.path.join(sweep, name)
            if not os.path.isfile(os.path.join(run, "config.json")):
                continue
            b = run_balance(run, a.last)
            if b is not None:
                point = re.sub(r"_?train\.seed=\d+", "", name) or "(defaults)"
                groups[(os.path.basename(os.path.normpath(sweep)), point)].append(b)
    if not groups:
        sys.exit("no run with balance measurements under " + ", ".join(a.sweeps))
    cols = ["norm_" + t for t in TERMS] + ["share_" + t for t in TERMS]
    print("| sweep | point | runs | " + " | ".join(cols) + " |")
    print("|---|---|---|" + "---|" * len(cols))
    for (sweep, point), runs in sorted(groups.items()):
        cells = []
        for c in cols:
            vals = [r[c] for r in runs if c in r]
            cells.append("—" if not vals else "%.3g" % (sum(vals) / len(vals)))
        print("| %s | %s | %d | %s |" % (sweep, point, len(runs), " | ".join(cells)))


if __name__ == "__main__":
    main()
