#pragma once
// Builds the observer's Snapshot (see observer.h) from one step's CanOutput: copies of the
// first k samples of every view on the CPU, with the decoder's output turned into images.

#include "core/model/can_model.h"
#include "core/train/observer.h"

namespace can {

// original: [n, C, H, W] the batch's un-augmented images; k is clamped to n.
Snapshot make_snapshot(const CanOutput& out, const torch::Tensor& original, const ModelConfig& model,
                       const Objectives& objectives, const LossParams& loss, int64_t k, int64_t step,
                       const std::vector<float>& mean, const std::vector<float>& std);

}  // namespace can
