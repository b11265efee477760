#pragma once
// The two small heads of CAN: the contrastive projector (spec step 5) and the noise-level
// conditioning MLP (spec step 6).

#include <torch/torch.h>

namespace can {

// Projector: Linear d->hidden, ReLU, Linear hidden->r, then L2-normalised (u in spec step 5).
class ProjectorImpl : public torch::nn::Module {
 public:
  ProjectorImpl(int64_t dim, int64_t hidden, int64_t out_dim);
  torch::Tensor forward(const torch::Tensor& pooled);  // [N, d] -> [N, r], unit length
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(Projector);

// Noise-level embedding p = MLP(sinusoid(scale * sigma)) in R^d (spec step 6). The scale
// is fixed at construction and kept as the buffer `sigma_scale`, so it is saved with the
// model and a later change of sigma_max does not change what an embedding means.
class NoiseLevelEmbedImpl : public torch::nn::Module {
 public:
  NoiseLevelEmbedImpl(int64_t dim, double sigma_scale);
  torch::Tensor forward(const torch::Tensor& sigma);  // [N] -> [N, d]
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::Tensor sigma_scale;  // scalar buffer
  int64_t dim;
};
TORCH_MODULE(NoiseLevelEmbed);

}  // namespace can
