#!/usr/bin/env python3
"""The learning curve's table (docs/results.md "Learning curve").

Reads every run of the sweep folders given (RUN/config.json for the mode and the epochs,
DIR/sweep.jsonl for the test-split scores and the wall time) and prints one Markdown row
per (mode, epochs): kNN and linear-probe top-1 per seed and their mean, and the mean
pretraining time. Runs scored on the validation split (val_*) are left out: the curve is
scored on the test split only.

usage: bench/curve_summary.py SWEEP_DIR [SWEEP_DIR...]
"""
import json
import os
import sys
from collections import defaultdict

ORDER = {"can": 0, "simclr": 1, "mae": 2}
NAMES = {"can": "CAN", "simclr": "SimCLR", "mae": "MAE"}


def main(dirs):
    rows = defaultdict(dict)  # (mode, epochs) -> seed -> values
    for d in dirs:
        with open(os.path.join(d, "sweep.jsonl")) as f:
            for line in f:
                r = json.loads(line)
                with open(os.path.join(d, r["name"], "config.json")) as c:
                    config = json.load(c)
                mode = config["objectives"]["mode"]
                epochs = config["train"]["epochs"]
                seed = config["train"]["seed"]
                v = r["values"]
                if "knn_top1" not in v or "linear_top1" not in v:
                    continue
                rows[(mode, epochs)][seed] = (v["knn_top1"], v["linear_top1"], v["wall_s"], config)
    print("| mode | epochs | base lr | τ | kNN top-1, per seed / **mean** | linear top-1, per seed / **mean** | pretraining time (mean) |")
    print("|---|---|---|---|---|---|---|")
    for (mode, epochs) in sorted(rows, key=lambda k: (ORDER.get(k[0], 9), k[1])):
        seeds = rows[(mode, epochs)]
        ordered = [seeds[s] for s in sorted(seeds)]
        config = ordered[0][3]
        tau = config["loss"]["tau"] if mode != "mae" else "—"

        def column(i):
            values = [r[i] for r in ordered]
            if len(values) == 1:
                return f"**{values[0]:.4f}** (seed {sorted(seeds)[0]} only)"
            mean = sum(values) / len(values)
            return " / ".join(f"{x:.4f}" for x in values) + f" / **{mean:.4f}**"

        wall = sum(r[2] for r in ordered) / len(ordered)
        print(f"| {NAMES.get(mode, mode)} | {epochs:g} | {config['train']['base_lr']:g} | {tau} | {column(0)} | {column(1)} | {wall:.0f} s |")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) > 1 else 2)
    try:
        main(sys.argv[1:])
    except (OSError, ValueError, KeyError) as e:  # a missing sweep folder, a damaged line or config
        sys.exit(f"curve_summary: {e.__class__.__name__}: {e}")
