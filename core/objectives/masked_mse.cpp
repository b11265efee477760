#include "core/objectives/masked_mse.h"

namespace can {

torch::Tensor masked_mse(const torch::Tensor& pred, const torch::Tensor& target,
                         const torch::Tensor& weight) {
  auto per_patch = (pred.to(torch::kFloat32) - target.to(torch::kFloat32)).pow(2).mean(-1);  // [N, T]
  auto w = weight.to(torch::kFloat32);
  // clamp_min keeps an all-zero selection (mask ratio 0 with A on) at loss 0, not NaN.
  return (per_patch * w).sum() / w.sum().clamp_min(1.0);
}

torch::Tensor normalize_patches(const torch::Tensor& patches) {
  auto mean = patches.mean(-1, /*keepdim=*/true);
  auto var = patches.var(-1, /*unbiased=*/true, /*keepdim=*/true);
  return (patches - mean) / (var + 1e-6).sqrt();
}

torch::Tensor reconstruction_loss(const torch::Tensor& x_hat, const torch::Tensor& clean_patches,
                                  const torch::Tensor& mask, bool norm_pix) {
  auto target = norm_pix ? normalize_patches(clean_patches) : clean_patches;
  return masked_mse(x_hat, target, mask);
}

torch::Tensor denoise_loss(const torch::Tensor& x_hat, const torch::Tensor& noise_patches,
                           const torch::Tensor& mask) {
  return masked_mse(x_hat, noise_patches, 1.0 - mask);
}

}  // namespace can
