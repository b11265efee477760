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

// How well a snapshot's noise was predicted, per view and sample: the mean over the visible
// pixels (mask 0) and channels of (predicted_noise - true_noise)^2; masked pixels count for
// nothing, a view with none visible gives 0. [V, k] float64; undefined without
// predicted_noise (no denoising objective). The studio's Denoising panel prints it.
torch::Tensor visible_noise_mse(const Snapshot& snapshot);

}  // namespace can
