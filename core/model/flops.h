#pragma once
// Analytic FLOP count of one CAN training step (multiply-add = 2 FLOPs; backward = 2x
// forward, so a training step is 3x the forward). Counts the matrix products, which are
// >95% of the work; element-wise ops, softmax and norms are left out, as is customary.

#include <cstdint>

#include "core/model/model_config.h"

namespace can {

struct StepFlops {
  double encoder = 0, projector = 0, decoder = 0, info_nce = 0;  // forward FLOPs per image
  double forward() const { return encoder + projector + decoder + info_nce; }
  double train_step() const { return 3.0 * forward(); }
};

// Per image of the batch (all views of it), for a given mask ratio and batch size n
// (the InfoNCE similarity matrix grows with n).
StepFlops can_step_flops(const ModelConfig& cfg, const Objectives& objectives, double mask_ratio,
                         int64_t batch_size);

}  // namespace can
