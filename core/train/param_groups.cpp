#include "core/train/param_groups.h"

namespace can {

namespace {
bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
}  // namespace

bool is_no_decay(const std::string& name, const torch::Tensor& param) {
  // 1-D covers biases and LayerNorm weights; the tokens and the (fixed or learned) position
  // embeddings are named because they are not 1-D.
  return param.dim() <= 1 || ends_with(name, "cls_token") || ends_with(name, "mask_token") ||
         ends_with(name, "pos_embed");
}

ParamGroups split_param_groups(const torch::nn::Module& model) {
  ParamGroups g;
  for (const auto& item : model.named_parameters(/*recurse=*/true)) {
    if (!item.value().requires_grad()) continue;
    if (is_no_decay(item.key(), item.value())) {
      g.no_decay_names.push_back(item.key());
      g.no_decay.push_back(item.value());
    } else {
      g.decay_names.push_back(item.key());
      g.decay.push_back(item.value());
    }
  }
  return g;
}

std::unique_ptr<torch::optim::AdamW> make_adamw(const ParamGroups& groups, double weight_decay, double beta1,
                                                double beta2) {
  auto options = [&](double wd) {
    return std::make_unique<torch::optim::AdamWOptions>(
        torch::optim::AdamWOptions(0.0).betas({beta1, beta2}).weight_decay(wd));
  };
  std::vector<torch::optim::OptimizerParamGroup> param_groups;
  param_groups.emplace_back(groups.decay, options(weight_decay));
  param_groups.emplace_back(groups.no_decay, options(0.0));
  return std::make_unique<torch::optim::AdamW>(param_groups, torch::optim::AdamWOptions(0.0).betas({beta1, beta2}));
}

void set_lr(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

}  // namespace can
