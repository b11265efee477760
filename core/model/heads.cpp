#include "core/model/heads.h"

#include "core/model/pos_embed.h"
#include "core/util/fast_linear.h"

namespace can {

ProjectorImpl::ProjectorImpl(int64_t dim, int64_t hidden, int64_t out_dim) {
  fc1 = register_module("fc1", torch::nn::Linear(dim, hidden));
  fc2 = register_module("fc2", torch::nn::Linear(hidden, out_dim));
}

torch::Tensor ProjectorImpl::forward(const torch::Tensor& pooled) {
  // Normalised in float32: under bf16 autocast the GEMMs give bf16, and a bf16 norm would
  // leave |u| off 1 by up to ~0.4%, which 1/tau scales into the logits.
  auto u = linear_layer(fc2, torch::relu(linear_layer(fc1, pooled))).to(torch::kFloat32);
  return torch::nn::functional::normalize(u, torch::nn::functional::NormalizeFuncOptions().dim(1));
}

NoiseLevelEmbedImpl::NoiseLevelEmbedImpl(int64_t d, double scale) : dim(d) {
  fc1 = register_module("fc1", torch::nn::Linear(d, d));
  fc2 = register_module("fc2", torch::nn::Linear(d, d));
  sigma_scale = register_buffer("sigma_scale", torch::tensor(scale, torch::kFloat32));
}

torch::Tensor NoiseLevelEmbedImpl::forward(const torch::Tensor& sigma) {
  auto e = sinusoidal_embedding(sigma * sigma_scale, dim);  // [N, d]
  return linear_layer(fc2, torch::relu(linear_layer(fc1, e)));
}

}  // namespace can
