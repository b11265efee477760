#pragma once
// DIR/metrics.jsonl: one JSON object per optimizer step, written by can-train and the
// studio, read back by the studio so that the curves of a resumed run continue. Keys:
// step, epoch, loss, loss_infonce, loss_rec, loss_denoise, lr, img_per_s, grad_norm,
// skipped_files, and on the steps they were measured only: contrastive_top1, knn_top1 and the
// objective balance grad_norm_infonce, grad_norm_rec, grad_norm_denoise, grad_cos_c_a,
// grad_cos_c_n, grad_cos_a_n, grad_share_infonce, grad_share_rec, grad_share_denoise, the
// representation health health_std_ratio, health_effective_rank, health_alignment,
// health_uniformity, health_pos_cos, health_neg_cos, and every train.log_every steps the resources cpu_percent,
// rss_mib and (on CUDA) gpu_mem_mib, gpu_reserved_mib (StepMetrics' field names). A key that is absent, or null (a
// non-finite value as nlohmann writes it), reads back as std::nullopt.

#include <fstream>
#include <string>
#include <vector>

#include "core/train/observer.h"

namespace can {

class MetricsLog {
 public:
  // Appends to `path` (created when missing). Throws std::runtime_error naming the file.
  explicit MetricsLog(const std::string& path);
  // One line, flushed: a killed run keeps every finished step.
  void append(const StepMetrics& metrics);

 private:
  std::ofstream out_;
};

// Every step of a metrics.jsonl up to `last_step` (all when < 0), in file order; where a
// resumed run wrote a step twice, the later line wins and later steps of the abandoned
// stretch are dropped. Lines that do not parse are skipped (a torn last line after a
// kill). A missing file gives an empty list.
std::vector<StepMetrics> read_metrics_log(const std::string& path, int64_t last_step = -1);

}  // namespace can
