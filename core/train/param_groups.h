#pragma once
// AdamW with docs/method.md's two parameter groups: weight decay on weight matrices only; none
// on biases, norm weights, cls_token/mask_token and position embeddings (MAE's rule: every
// 1-D parameter, plus the tokens and embeddings by name). Frozen parameters are left out.

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace can {

struct ParamGroups {
  std::vector<std::string> decay_names, no_decay_names;  // parameter names, module order
  std::vector<torch::Tensor> decay, no_decay;
};

// True when a parameter of this name and shape is exempt from weight decay.
bool is_no_decay(const std::string& name, const torch::Tensor& param);

ParamGroups split_param_groups(const torch::nn::Module& model);

// Group 0 decays with weight_decay, group 1 has weight_decay 0; lr is set per step.
std::unique_ptr<torch::optim::AdamW> make_adamw(const ParamGroups& groups, double weight_decay, double beta1,
                                                double beta2);

// Sets the lr of every group (called once per step by the schedule).
void set_lr(torch::optim::Optimizer& optimizer, double lr);

}  // namespace can
