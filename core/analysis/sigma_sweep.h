#pragma once
// The sigma sweep (docs/bench.md): does the decoder use its noise level? For fixed images,
// masks and noise draws e, the denoising and reconstruction errors (L_denoise and L_rec of
// docs/method.md steps 8-9, as the model's forward computes them) at noise levels
// sigma_k = k / (N - 1) * 2 sigma_max, k = 0..N-1, every view at sigma_k, three ways:
//   true:  the noise-level embedding gets sigma_k, the level the noise was added with;
//   wrong: it gets a shuffled level: the sweep's N x V*n (point, view) entries are permuted
//          by one fixed permutation, and each entry's embedding gets the level of the entry
//          it is sent to; the noise itself is unchanged, and the embedded levels have the
//          same distribution as the true ones;
//   zero:  it gets sigma = 0.
// When the decoder ignores its noise level the three curves coincide; the verdict says so.
// Every point is one CanModel::forward on the given draws with StepDraws::sigma_embed set.

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/config/objectives.h"
#include "core/model/can_model.h"

namespace can::analysis {

struct SigmaSweepOptions {
  int64_t points = 11;         // N >= 2
  double sigma_max = 0;        // the sweep goes to 2 sigma_max; 0 = params.sigma_max
  uint64_t seed = 0;           // of the wrong embedding's permutation
  double coincide_tol = 1e-3;  // relative difference under which the curves "coincide"
};

struct SigmaCurve {
  std::vector<double> denoise;  // L_denoise at each sigma_k (0 without A/N: see has_*)
  std::vector<double> rec;      // L_rec at each sigma_k
};

struct SigmaSweep {
  std::vector<double> sigma;  // sigma_k
  SigmaCurve true_sigma, wrong_sigma, zero_sigma;
  bool has_denoise = false, has_rec = false;  // which objectives the model was trained with
  torch::Tensor wrong_embed;                  // [N, V*n] the level the wrong embedding got at each entry
  // max_k |wrong_k - true_k| / max(|true_k|, 1e-12) over the denoise curve (and the rec
  // curve); the same for zero.
  double wrong_rel_diff_denoise = 0, wrong_rel_diff_rec = 0;
  double zero_rel_diff_denoise = 0, zero_rel_diff_rec = 0;
  bool coincide = false;  // every relative difference under coincide_tol
  std::string verdict;    // one sentence for the view
};

// Fixed draws for the sweep: draw(n) of the model from a generator seeded with `seed`
// (sigma_unit is replaced at every point; e and the masks are kept).
StepDraws sweep_draws(CanModel& model, int64_t n, uint64_t seed);

// The model must have the N objective (a noise-level embedding). view1/view2: [n, C, H, W]
// normalised views as for forward(). Runs under NoGradGuard, the model's mode unchanged.
SigmaSweep sigma_sweep(CanModel& model, const torch::Tensor& view1, const torch::Tensor& view2,
                       const LossParams& params, const StepDraws& draws, const SigmaSweepOptions& options = {});

// One point: L_denoise and L_rec with every view's noise at `sigma` and the embedding given
// `sigma_embed` ([V*n]; undefined = the true sigma). What the sweep calls at each point.
std::pair<double, double> sweep_point(CanModel& model, const torch::Tensor& view1, const torch::Tensor& view2,
                                      const LossParams& params, const StepDraws& draws, double sigma,
                                      const torch::Tensor& sigma_embed);

}  // namespace can::analysis
