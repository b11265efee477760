#pragma once
// The embeddings representation health is measured on (core/analysis/representation_health):
// the contrastive branch's u of both views, exactly as a training step computes them
// (noisy, masked views through encoder, mean pool and projector; docs/method.md step 5),
// from given draws. A model without C has no projector: its mean-pooled encoder features of
// the clean, unmasked views, L2-normalised, stand in, and `source` says so.

#include <torch/torch.h>

#include <string>

#include "core/config/objectives.h"
#include "core/model/can_model.h"

namespace can::analysis {

struct ViewEmbeddings {
  torch::Tensor u1, u2;  // [n, r] unit length, float32 on the CPU
  std::string source;    // "projector" or "encoder_pool"
};

// view1, view2: [n, C, H, W] normalised views of the same images (both needed, also
// without C). draws: for forward() (StepDraws of the model, V*n rows). NoGradGuard.
ViewEmbeddings view_embeddings(CanModel& model, const torch::Tensor& view1, const torch::Tensor& view2,
                               const LossParams& params, const StepDraws& draws);

}  // namespace can::analysis
