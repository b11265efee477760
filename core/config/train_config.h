#pragma once
// The "train" section of a run config: optimisation (AdamW, the lr schedule, accumulation)
// and run bookkeeping (logging, snapshots, kNN monitor, objective balance, checkpoints).
// Each key's range is a row of the settings schema (core/config/settings_schema.cpp).

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace can {

// Optimisation and run bookkeeping (docs/method.md "Optimisation").
struct TrainConfig {
  // Images per optimizer step on this process, before accumulation. The paper uses 4096 on
  // accelerators; 128 keeps a step of a small ViT at a few seconds on a 2-core CPU while
  // InfoNCE still sees 2*128-2 = 254 negatives per embedding.
  int64_t batch_size = 128;
  int64_t steps = 0;                     // optimizer steps of the run; 0 = epochs * steps per epoch
  int64_t epochs = 5;                    // passes over the training split (used when steps is 0)
  double base_lr = 1.5e-4;               // peak lr = base_lr * (batch_size * accum_steps) / 256
  int64_t warmup_steps = -1;             // linear warmup length in steps; -1 = warmup_epochs
  double warmup_epochs = 1.0;            // warmup length in epochs (used when warmup_steps is -1)
  double min_lr = 0.0;                   // lr at the end of the cosine decay
  double weight_decay = 0.05;            // AdamW decay (not on biases, norms, tokens, position embeddings)
  std::vector<double> betas{0.9, 0.95};  // AdamW (beta1, beta2)
  double grad_clip = 0.0;                // max global gradient L2 norm; 0 = no clipping
  int64_t accum_steps = 1;               // micro-batches accumulated per optimizer step
  uint64_t seed = 0;                     // weights, masks, noise and data order
  std::string device = "auto";           // auto|cpu|cuda; auto = CUDA when available
  // fp32|bf16|auto. bf16 = autocast: matmuls in bfloat16, InfoNCE logits and softmax, loss
  // reductions, noise and patch embedding in float32 (core/util/autocast.h). auto = bf16 on
  // CUDA, fp32 on CPU (where fp32 reproduces resumed runs bit for bit).
  std::string precision = "auto";
  int threads = 0;                   // LibTorch intra-op threads; 0 = the cores available
  int64_t log_every = 10;            // console line / progress refresh every this many steps
  int64_t snapshot_every = 100;      // observer snapshot every this many steps; 0 = only on request
  int64_t snapshot_samples = 8;      // images in a snapshot
  // Snapshots kept in RUN/snapshots (core/train/snapshot_store.h): the newest this many and
  // a thinned history of at most as many again; 0 = none written.
  int64_t snapshot_keep = 20;
  int64_t knn_every = 0;             // kNN monitor every this many steps; 0 = off
  int64_t knn_train_images = 10000;  // labelled bank for the kNN monitor (train split subset)
  int64_t knn_test_images = 2000;    // queries for the kNN monitor (validation split subset, else test)
  int64_t knn_k = 20;                // neighbours of the kNN monitor
  // Objective balance (core/train/objective_balance.h) every this many steps; 0 = off. At 50
  // its extra backward passes cost ~1% of the training time (docs/performance.md).
  int64_t balance_every = 50;
  // Representation health (core/analysis/representation_health.h) of the step's own
  // contrastive embeddings every this many steps; 0 = off. Needs C (no projector without it).
  int64_t health_every = 50;
  int64_t checkpoint_every = 1000;  // checkpoint every this many steps; 0 = only at the end/stop
  int64_t keep_last = 3;            // checkpoints kept on disk (older ones deleted); 0 = keep all

  void validate() const;  // throws std::invalid_argument("train.<key>: ...")
  // Whether a run on this device trains under bf16 autocast (precision resolved).
  bool bf16_on(bool cuda_device) const { return precision == "bf16" || (precision == "auto" && cuda_device); }
};

void to_json(nlohmann::json& j, const TrainConfig& c);
void from_json(const nlohmann::json& j, TrainConfig& c);

}  // namespace can
