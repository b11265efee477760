#pragma once
// What a running Trainer reports: per-step metrics, snapshots of a few samples, events,
// errors and checkpoints. Callbacks are plain virtuals called on the training thread; the
// studio's worker turns them into queued Qt signals, can-train prints and writes JSONL.

#include <torch/torch.h>

#include "core/model/can_model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace can {

struct StepMetrics {
  int64_t step = 0;              // optimizer steps done, this one included (1-based)
  double epoch = 0.0;            // fractional epochs of data consumed
  double loss = 0.0;             // total: lambda_c*L_InfoNCE + lambda_a*L_rec + lambda_n*L_denoise
  double loss_info_nce = 0.0;    // 0 when C is off
  double loss_rec = 0.0;         // 0 when A is off
  double loss_denoise = 0.0;     // 0 when N is off
  double lr = 0.0;               // learning rate used by this step
  double img_per_s = 0.0;        // images (all micro-batches) per second of this step's wall time
  double grad_norm = 0.0;        // global L2 norm of the gradient before clipping
  int64_t skipped_files = 0;     // distinct training files found unusable so far (Trainer::skip_report)
  std::optional<double> contrastive_top1;  // fraction of embeddings whose nearest other is their positive (C only)
  std::optional<double> knn_top1;          // kNN monitor accuracy, on the steps it runs
  // Objective balance (train.balance_every, core/train/objective_balance.h): each term's own
  // gradient on the encoder's parameters, ||grad_enc(lambda_k L_k)||, and the cosine between
  // each pair of them, on the steps it is measured; absent otherwise and for a term that is
  // off (a cosine needs both of its terms). metrics.jsonl keys: the field names.
  std::optional<double> grad_norm_infonce, grad_norm_rec, grad_norm_denoise;
  std::optional<double> grad_cos_c_a, grad_cos_c_n, grad_cos_a_n;
  // Each term's share of the encoder's update, <g_k, g> / ||g||^2 (objective_balance.h).
  std::optional<double> grad_share_infonce, grad_share_rec, grad_share_denoise;
  // Representation health (train.health_every, core/analysis/representation_health.h) of
  // the step's 2n contrastive embeddings u (first micro-batch, this process): mean
  // per-dimension std over 1/sqrt(r) (~1 spread, -> 0 collapsed), effective rank, alignment,
  // uniformity, and the mean cosine of positive and of negative pairs. Absent on other steps
  // and without C. metrics.jsonl keys: the field names.
  std::optional<double> health_std_ratio, health_effective_rank, health_alignment, health_uniformity, health_pos_cos,
      health_neg_cos;
  // What the process costs the machine (core/util/resource_usage.h), every train.log_every
  // steps: CPU time per wall time since the previous sample in percent of one core,
  // resident memory, and on CUDA the caching allocator's allocated and reserved memory.
  // Absent on other steps (and the GPU figures off CUDA). metrics.jsonl keys: the field names.
  std::optional<double> cpu_percent, rss_mib, gpu_mem_mib, gpu_reserved_mib;
};

// A few samples of one step, as CPU float tensors in normalised pixel units (mean/std below
// turn them back into [0,1] pixels). Leading dim V = views (2 with C, 1 without), then k samples.
struct Snapshot {
  int64_t step = 0;
  int64_t num_views = 0;        // V
  int64_t patch_size = 0;       // p
  std::vector<float> mean, std; // per-channel normalisation of the data
  torch::Tensor original;       // [k, C, H, W] un-augmented image
  torch::Tensor views;          // [V, k, C, H, W] clean augmented views
  torch::Tensor mask;           // [V, k, H/p, W/p] 1 = masked
  torch::Tensor noisy;          // [V, k, C, H, W] what the encoder saw (view + sigma*e)
  torch::Tensor sigma;          // [V, k] noise level of each view
  torch::Tensor sigma_batch;    // [V, n] noise level of every view of the batch (histogram)
  torch::Tensor true_noise;     // [V, k, C, H, W] sigma*e
  // The following exist only with a decoder (A or N on):
  torch::Tensor reconstruction; // [V, k, C, H, W] predicted masked patches (un-normalised with the
                                //   clean patch's mean/var when norm_pix) pasted into the visible noisy ones
  torch::Tensor predicted_noise;// [V, k, C, H, W] decoder output on visible patches, 0 on masked ones (N only)
  torch::Tensor denoised;       // [V, k, C, H, W] noisy - predicted noise on visible patches, 0 on masked (N only)
};

// A loss setting changed live (TrainerControl), in effect from step `step` on. The text
// event "step N: key from -> to" says the same for people; programs use this.
struct SettingChange {
  int64_t step = 0;  // the first step trained with the new value (1-based)
  std::string key;   // the config key, e.g. "loss.mask_ratio"
  double from = 0.0, to = 0.0;
};

class TrainerObserver {
 public:
  virtual ~TrainerObserver() = default;
  virtual void on_step(const StepMetrics& metrics) {}
  virtual void on_snapshot(const Snapshot& snapshot) {}
  // Human-readable notes: "step 12: loss.mask_ratio 0.5 -> 0.75", "paused", "resumed from ...".
  // For people only: nothing should parse them (on_setting_changed is the typed form).
  virtual void on_event(const std::string& message) {}
  // The run is ending because of this error (e.g. "step 37: loss_rec is NaN").
  virtual void on_error(const std::string& message) {}
  virtual void on_checkpoint(const std::string& path) {}
  virtual void on_setting_changed(const SettingChange& change) {}
  // TrainerControl::weights_now: a deep copy of the model on the CPU (model_copy.h) after
  // `step` steps, taken between two steps; training never touches it again, so it may be
  // handed to another thread.
  virtual void on_weights(const CanModel& copy, int64_t step) {}
};

}  // namespace can
