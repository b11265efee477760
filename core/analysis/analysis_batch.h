#pragma once
// The fixed images every analysis of a checkpoint runs on (can-analyze, and the studio's
// Bench views, so that both show the same numbers): the first batch of epoch 0 of the
// run's training data, with the run's own two-view augmentation, under a given seed
// (loader order and augmentation both follow it: data/loader.h).

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/config/run_config.h"

namespace can::analysis {

struct AnalysisBatch {
  torch::Tensor view1, view2;    // [n, C, S, S] normalised, S = the model's img_size
  torch::Tensor index;           // [n] dataset indices
  std::vector<float> mean, std;  // the normalisation, one value per channel
};

// n images (fewer when the training split is smaller) of config.data's training split.
// Throws DataError naming the file for a missing or damaged dataset.
AnalysisBatch load_analysis_batch(const RunConfig& config, int64_t n, uint64_t seed);

}  // namespace can::analysis
