#!/usr/bin/python3
"""Side-by-side timing of one CAN training step: can-bench (C++, oneDNN GEMMs), can-bench
with CAN_DISABLE_DNNL=1 (C++, LibTorch's BLAS), can-bench with CAN_DEFAULT_MALLOC=1
(glibc's default malloc settings), and the eager PyTorch reference
(bench/can_step_reference.py) as Python runs it, and with glibc told through its
environment variables to keep freed memory as the C++ engine does; interleaved round by
round so that machine noise hits all of them alike. Prints one line per implementation with the median over rounds of each
run's median step time, images/s, and the ratio to eager Python.

  bench/compare_step.py [--rounds 3] [--build build] [-- extra can-bench/reference flags]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--build", default=os.path.join(here, "..", "build"))
ap.add_argument("--steps", type=int, default=5)
ap.add_argument("--warmup", type=int, default=2)
ap.add_argument("extra", nargs="*", help="flags for both, e.g. --batch 256 --preset tiny")
a = ap.parse_args()

common = ["--steps", str(a.steps), "--warmup", str(a.warmup)] + a.extra
bench = os.path.join(a.build, "bench", "can-bench")
reference = ["/usr/bin/python3", os.path.join(here, "can_step_reference.py")] + common
# glibc's environment switches equivalent to what keep_freed_host_memory() sets in C++.
glibc_keep = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(1 << 30)}
runs = {
    "cpp-onednn": ([bench] + common, {}),
    "cpp-blas": ([bench] + common, {"CAN_DISABLE_DNNL": "1"}),
    "cpp-default-malloc": ([bench] + common, {"CAN_DEFAULT_MALLOC": "1"}),
    "python-eager": (reference, {}),
    "python-eager-keep-freed": (reference, glibc_keep),
}
results = {k: [] for k in runs}
for r in range(a.rounds):
    for name, (cmd, env) in runs.items():
        out = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True, check=True)
        j = json.loads(out.stdout.strip().splitlines()[-1])
        results[name].append(j)
        print(f"round {r + 1} {name}: {j['step_ms_median']:.0f} ms/step", file=sys.stderr)

py = statistics.median(j["step_ms_median"] for j in results["python-eager"])
env_note = f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}"
print(f"# {' '.join(a.extra) or 'defaults (tiny, 28x28x1, patch 4, batch 256, CAN)'}; "
      f"{a.rounds} rounds x {a.steps} steps; {env_note}; threads {results['cpp-onednn'][0]['threads']}")
for name, js in results.items():
    ms = statistics.median(j["step_ms_median"] for j in js)
    batch = js[0]["batch"]
    line = {"impl": name, "step_ms": round(ms, 1), "img_per_s": round(batch / ms * 1000, 2),
            "speedup_vs_python": round(py / ms, 3)}
    if "achieved_gflop_per_s" in js[0]:
        line["gflop_per_s"] = round(js[0]["gflop_per_img"] * batch / ms * 1000, 1)
    print(json.dumps(line))
