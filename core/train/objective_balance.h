#pragma once
// Objective balance (docs/method.md "Objective balance"): how hard each of CAN's terms pulls
// the encoder, and in which direction. For each term that is on, the gradient of its
// weighted loss lambda_k L_k on the encoder's parameters alone, g_k = grad_enc(lambda_k L_k);
// reported are ||g_k|| and cos(g_a, g_b) for each pair. Because the total is the sum of the
// weighted terms, g_C + g_A + g_N is the encoder's part of the training gradient, so the
// norms say which term dominates the update and the cosines whether terms agree (> 0),
// are orthogonal (~ 0) or fight (< 0). The share of term k, <g_k, g> / ||g||^2 with
// g = sum_j g_j, is the fraction of the encoder's update (projected on its direction) that k
// contributes: the shares sum to 1, and a negative share pulls against the update. The trainer measures it every
// train.balance_every steps, on the first micro-batch, before the step's own backward.

#include <torch/torch.h>

#include <optional>
#include <vector>

#include "core/config/objectives.h"
#include "core/model/can_model.h"
#include "core/train/observer.h"

namespace can {

struct ObjectiveBalance {
  std::optional<double> norm_c, norm_a, norm_n;  // ||g_k||; absent when the term is off
  // Absent when either term is off or its gradient is zero (no direction).
  std::optional<double> cos_c_a, cos_c_n, cos_a_n;
  // <g_k, g> / ||g||^2; absent when the term is off or the encoder gradient g is zero.
  std::optional<double> share_c, share_a, share_n;

  void write_to(StepMetrics& m) const;  // the grad_norm_*, grad_cos_* and grad_share_* fields
};

// `out` must come from a forward whose graph is still alive (before backward); the graph is
// kept (retain_graph), so the step's own backward can follow. Parameters the term does not
// reach count as zero gradient. Leaves every parameter's .grad untouched.
ObjectiveBalance measure_objective_balance(const CanOutput& out, const LossParams& loss, const Objectives& objectives,
                                           const std::vector<torch::Tensor>& encoder_params);

}  // namespace can
