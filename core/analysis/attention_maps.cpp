#include "core/analysis/attention_maps.h"

#include <stdexcept>

#include "core/model/patchify.h"

namespace can::analysis {

EncoderAttention encoder_attention(CanModel& model, const torch::Tensor& images, const torch::Tensor& ids_keep) {
  torch::NoGradGuard no_grad;
  const auto& cfg = model->config();
  EncoderAttention a;
  a.prefix = model->encoder->num_prefix_tokens();
  a.num_patches = cfg.num_patches();
  auto patches = patchify(images, cfg.patch_size);
  a.ids_keep = ids_keep.defined()
                   ? ids_keep
                   : torch::arange(a.num_patches, torch::kLong).unsqueeze(0).expand({images.size(0), -1}).contiguous();
  a.weights = model->encoder->attention_weights(patches, a.ids_keep);
  for (auto& w : a.weights) w = w.to(torch::kFloat32);
  return a;
}

torch::Tensor query_row(const torch::Tensor& weights, int64_t head, int64_t prefix) {
  torch::Tensor w = weights;  // [N, H, L, L] or [N, L, L]
  if (w.dim() == 4) {
    if (head < -1 || head >= w.size(1)) throw std::invalid_argument("attention: no head " + std::to_string(head));
    w = head < 0 ? w.mean(1) : w.select(1, head);
  }
  if (prefix > 0) return w.select(1, 0);  // the class token's row
  return w.mean(1);                       // the mean query
}

namespace {

// [N, L] over every token -> [N, T'] over the patch tokens, renormalised.
torch::Tensor over_patches(const torch::Tensor& row, int64_t prefix, torch::Tensor* self_weight) {
  auto patches = row.narrow(1, prefix, row.size(1) - prefix);
  if (self_weight) *self_weight = prefix > 0 ? row.narrow(1, 0, prefix).sum(1) : torch::zeros({row.size(0)});
  return patches / patches.sum(1, true).clamp_min(1e-30);
}

}  // namespace

torch::Tensor layer_map(const EncoderAttention& a, int64_t layer, int64_t head, torch::Tensor* self_weight) {
  if (layer < 0 || layer >= static_cast<int64_t>(a.weights.size()))
    throw std::invalid_argument("attention: no layer " + std::to_string(layer));
  return over_patches(query_row(a.weights[static_cast<size_t>(layer)], head, a.prefix), a.prefix, self_weight);
}

torch::Tensor rollout_matrix(const std::vector<torch::Tensor>& weights, int64_t layers) {
  if (weights.empty()) throw std::invalid_argument("attention rollout: no layers");
  const auto count = layers < 0 ? static_cast<int64_t>(weights.size()) : layers;
  if (count < 1 || count > static_cast<int64_t>(weights.size()))
    throw std::invalid_argument("attention rollout: no layer " + std::to_string(count - 1));
  torch::Tensor r;
  for (int64_t l = 0; l < count; ++l) {
    auto w = weights[static_cast<size_t>(l)].to(torch::kFloat64).mean(1);  // [N, L, L]
    auto a = w + torch::eye(w.size(1), w.options());                       // residual path
    a = a / a.sum(-1, true);
    r = l == 0 ? a : torch::matmul(a, r);  // later layers on the left
  }
  return r;
}

torch::Tensor rollout_map(const EncoderAttention& a, int64_t layers) {
  return over_patches(query_row(rollout_matrix(a.weights, layers), -1, a.prefix), a.prefix, nullptr)
      .to(torch::kFloat32);
}

torch::Tensor to_grid(const torch::Tensor& map, const torch::Tensor& ids_keep, int64_t num_patches) {
  auto grid = torch::zeros({map.size(0), num_patches}, map.options());
  return grid.scatter(1, ids_keep, map);
}

}  // namespace can::analysis
