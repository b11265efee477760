#!/usr/bin/env bash
# The CAN / MAE / SimCLR comparison of docs/results.md: the same encoder (custom ViT, width
# 128, depth 6, 4 heads, patch 7 on 28x28 Fashion-MNIST), the same budget (5 epochs, batch
# 128, the same learning rate and seed), pretrained in each mode, then scored with
# can-eval (kNN and linear probe on the test split), next to the raw-pixel baseline.
#   bench/results_fashion_mnist.sh [OUT_DIR (default runs/results)] [BIN_DIR (default build/app)] [SEED (default 0)]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/results}
bin=${2:-build/app}
seed=${3:-0}
mkdir -p "$out"
common=(--set model.preset=custom --set model.embed_dim=128 --set model.depth=6 --set model.num_heads=4
        --set model.patch_size=7 --set train.batch_size=128 --set train.epochs=5 --set train.base_lr=1.5e-3
        --set train.seed=$seed --set train.knn_every=468 --set train.checkpoint_every=0)
for mode in can mae simclr; do
  start=$(date +%s)
  if [ -e "$out/$mode/checkpoints/latest" ]; then
    # An interrupted run continues to the end of its schedule (a finished one returns at once).
    "$bin/can-train" --resume "$out/$mode" --out "$out/$mode" 2>> "$out/$mode.log"
  else
    "$bin/can-train" --out "$out/$mode" --set objectives.mode=$mode "${common[@]}" 2> "$out/$mode.log"
  fi
  echo "$mode: pretraining ran $(( $(date +%s) - start )) s" >&2
  "$bin/can-eval" --checkpoint "$out/$mode" --knn --linear > "$out/$mode.eval.json"
  echo "$mode: $(cat "$out/$mode.eval.json")" >&2
done
"$bin/can-eval" --pixels > "$out/pixels.eval.json"
echo "pixels: $(cat "$out/pixels.eval.json")" >&2
