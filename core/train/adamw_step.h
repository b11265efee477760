#pragma once
// One AdamW step over every parameter with multi-tensor (_foreach_) kernels: the update of
// torch::optim::AdamW::step() term for term, on the optimizer's own state (so checkpoints,
// resume and the optimizer's accessors are unchanged).
//
// Why: AdamW::step() of LibTorch's C++ frontend runs about ten kernels per parameter, one
// parameter after another; a ViT-B CAN model has ~200 parameters, so on a GPU the step is
// thousands of tiny launches. The _foreach_ ops update all parameters of a group in a few
// launches (what torch.optim.AdamW(foreach=True), PyTorch's default on CUDA, does). On the
// CPU they fall back to the same per-tensor ops, so the result is bit for bit the same
// (tests/core/tst_schedule.cpp compares it with AdamW::step()).

#include <torch/torch.h>

namespace can {

// Same semantics as optimizer.step(): parameters without a gradient are skipped, state is
// created on first use. AMSGrad groups fall back to optimizer.step().
void adamw_step(torch::optim::AdamW& optimizer);

// The optimizer's state of one parameter, or nullptr before its first step.
torch::optim::AdamWParamState* adamw_state(torch::optim::AdamW& optimizer, const torch::Tensor& param);

}  // namespace can
