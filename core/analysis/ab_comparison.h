#pragma once
// Two checkpoints on the same images, masks and noise (the Bench window's A/B tab,
// docs/bench.md): B runs on A's analysis batch and A's draws, at A's sigma_max and mask
// ratio, so any difference in what they output comes from the weights. Their
// reconstructions of view 1 (CanModel::forward, turned into images as the studio's
// reconstruction panel does, norm_pix undone with the true patch's mean and variance),
// the per-patch reconstruction error, and the difference of their sigma sweeps.

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/analysis_run.h"

namespace can::analysis {

// "" when B can run on A's batch and draws; else why not (image size, patch size,
// channels, number of views, N on one only: the draws would differ).
std::string ab_incompatibility(const ModelConfig& a, const Objectives& oa, const ModelConfig& b, const Objectives& ob);

// B's loss parameters for a run on A's draws: B's own objectives' settings (norm_pix, noise
// space, denoise target) with A's sigma_max, mask ratio and pixel std.
LossParams params_on(const LossParams& b, const LossParams& a);

struct Reconstruction {
  torch::Tensor noisy;           // [k, C, H, W] view 1 as the encoder saw it (normalised units)
  torch::Tensor clean;           // [k, C, H, W] view 1 before noise: the target
  torch::Tensor mask;            // [k, T] 1 = masked
  torch::Tensor reconstruction;  // [k, C, H, W] predicted masked patches pasted into the noisy
                                 // visible ones; undefined without A
  torch::Tensor patch_error;     // [k, T] mean over a masked patch's pixels of (reconstruction -
                                 // clean)^2, normalised units; 0 on visible patches; undefined without A
};

// The first k images of view 1 through one forward on the given draws. NoGradGuard.
Reconstruction reconstruct(CanModel& model, const AnalysisBatch& batch, const LossParams& params,
                           const StepDraws& draws, int64_t k);

// B - A for the true-sigma curves, point by point (the sweeps must share their sigmas).
struct SweepDifference {
  std::vector<double> sigma, denoise, rec;
};
SweepDifference sweep_difference(const SigmaSweep& a, const SigmaSweep& b);

}  // namespace can::analysis
