#!/usr/bin/python3
"""Data-parallel scaling on this machine: 1 process x 1 thread against 2 processes x 1
thread each (c10d Gloo on 127.0.0.1), the same global batch, the tiny preset on
Fashion-MNIST. Prints images/s of each (median over the steady steps of metrics.jsonl;
the 2-process figure is the job's, the sum over ranks) and their ratio.

  bench/dist_scaling.py [--bin build/app] [--out runs/dist_scaling] [--batch 128] [--steps 20]

Uses only the standard library (any python3)."""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(bin_dir, out, world, global_batch, steps, extra):
    shutil.rmtree(out, ignore_errors=True)
    args = [os.path.join(bin_dir, "can-train"), "--out", out,
            "--set", "model.preset=tiny", "--set", f"train.batch_size={global_batch // world}",
            "--set", f"train.steps={steps}", "--set", "train.threads=1", "--set", "data.num_workers=1",
            "--set", "train.checkpoint_every=0", "--set", "train.snapshot_every=0", "--set", "train.log_every=5",
            "--set", "train.seed=0"] + extra
    port = free_port()
    procs = []
    start = time.time()
    for rank in range(world):
        env = dict(os.environ)
        for k in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
            env.pop(k, None)
        if world > 1:
            env.update(RANK=str(rank), WORLD_SIZE=str(world), LOCAL_RANK=str(rank), LOCAL_WORLD_SIZE=str(world),
                       MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
        procs.append(subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True))
    for rank, p in enumerate(procs):
        _, err = p.communicate()
        if p.returncode != 0:
            sys.exit(f"rank {rank} of {world} failed ({p.returncode}):\n{err}")
    wall = time.time() - start
    with open(os.path.join(out, "metrics.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    steady = [r["img_per_s"] for r in rows[3:]]  # the first steps warm allocators and caches
    return statistics.median(steady), wall, len(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="build/app")
    ap.add_argument("--out", default="runs/dist_scaling")
    ap.add_argument("--batch", type=int, default=128, help="global batch (split over the processes)")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--set", action="append", default=[], help="extra key=value for can-train")
    a = ap.parse_args()
    extra = [x for kv in a.set for x in ("--set", kv)]
    print(f"load before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    figures = {}
    for world in (1, 2):
        ips, wall, n = run(a.bin, os.path.join(a.out, f"p{world}"), world, a.batch, a.steps, extra)
        figures[world] = ips
        print(f"{world} process(es) x 1 thread, batch {a.batch // world} each: {ips:.1f} img/s "
              f"(median of steps 4-{n}; {wall:.0f} s wall incl. start-up)", flush=True)
    print(f"ratio 2 processes / 1 process: {figures[2] / figures[1]:.2f}")


if __name__ == "__main__":
    main()
