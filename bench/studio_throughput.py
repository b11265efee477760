#!/usr/bin/python3
"""Training throughput inside the studio (every panel live: curves replotting, a snapshot
rendered every two seconds) against headless can-train, same config, same machine. Runs
the two alternately, round after round, and prints the median images/s of each (steady
state: the first two steps of a run are left out) and their ratio.

  QT_QPA_PLATFORM=offscreen bench/studio_throughput.py [--rounds 3] [--steps 30] [--build build]
      [-- extra --set key=value flags for both]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--steps", type=int, default=30)
ap.add_argument("--build", default=os.path.join(here, "..", "build"))
ap.add_argument("extra", nargs="*")
a = ap.parse_args()

sets = ["--set", "train.knn_every=0"] + a.extra  # kNN evaluation pauses training in both alike: off
env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
results = {"can-train": [], "can-studio": []}
with tempfile.TemporaryDirectory() as tmp:
    for r in range(a.rounds):
        out = os.path.join(tmp, f"train{r}")
        subprocess.run([os.path.join(a.build, "app", "can-train"), "--out", out,
                        "--set", f"train.steps={a.steps}"] + sets, env=env, check=True, capture_output=True)
        with open(os.path.join(out, "metrics.jsonl")) as f:
            ips = [json.loads(line)["img_per_s"] for line in f][2:]
        results["can-train"].append(statistics.median(ips))
        shot = os.path.join(tmp, f"studio{r}.png")
        p = subprocess.run([os.path.join(a.build, "app", "can-studio"), "--out", os.path.join(tmp, f"studio{r}"),
                            "--steps", str(a.steps), "--screenshot", shot] + sets,
                           env=env, check=True, capture_output=True, text=True)
        j = json.loads(p.stdout.strip().splitlines()[-1])
        results["can-studio"].append(j["img_per_s_median"])
        print(f"round {r + 1}: can-train {results['can-train'][-1]:.1f} img/s, can-studio "
              f"{j['img_per_s_median']:.1f} img/s (longest event-loop gap {j['max_event_loop_gap_ms']:.0f} ms)",
              file=sys.stderr)

train = statistics.median(results["can-train"])
studio = statistics.median(results["can-studio"])
print(json.dumps({"bench": "studio-throughput", "steps": a.steps, "rounds": a.rounds, "extra": " ".join(a.extra),
                  "can_train_img_per_s": round(train, 2), "can_studio_img_per_s": round(studio, 2),
                  "studio_vs_headless": round(studio / train, 3),
                  "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)")}))
