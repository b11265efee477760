#include "core/model/patchify.h"

#include <cmath>

namespace can {

torch::Tensor patchify(const torch::Tensor& imgs, int64_t p) {
  const int64_t n = imgs.size(0), c = imgs.size(1), h = imgs.size(2) / p, w = imgs.size(3) / p;
  auto x = imgs.reshape({n, c, h, p, w, p});
  x = x.permute({0, 2, 4, 3, 5, 1});            // [N, h, w, p, p, C]
  return x.reshape({n, h * w, p * p * c});      // [N, T, p*p*C]
}

torch::Tensor unpatchify(const torch::Tensor& x, int64_t p, int64_t channels) {
  const int64_t n = x.size(0);
  const auto h = static_cast<int64_t>(std::llround(std::sqrt(static_cast<double>(x.size(1)))));
  TORCH_CHECK(h * h == x.size(1), "unpatchify: ", x.size(1), " patches do not form a square grid");
  auto y = x.reshape({n, h, h, p, p, channels});
  y = y.permute({0, 5, 1, 3, 2, 4});            // [N, C, h, p, w, p]
  return y.reshape({n, channels, h * p, h * p});
}

int64_t num_keep(int64_t num_patches, double mask_ratio) {
  // The epsilon keeps e.g. 64 * (1 - 0.75) = 16 from flooring to 15 through rounding error.
  return static_cast<int64_t>(std::floor(static_cast<double>(num_patches) * (1.0 - mask_ratio) + 1e-9));
}

RandomMask random_masking(int64_t batch, int64_t num_patches, double mask_ratio,
                          const torch::Device& device, c10::optional<at::Generator> gen) {
  return random_masking_from_noise(at::rand({batch, num_patches}, gen, torch::TensorOptions().device(device)),
                                   mask_ratio);
}

RandomMask random_masking_from_noise(const torch::Tensor& noise, double mask_ratio) {
  const int64_t batch = noise.size(0), num_patches = noise.size(1);
  const int64_t len_keep = num_keep(num_patches, mask_ratio);
  const auto device = noise.device();
  auto ids_shuffle = torch::argsort(noise, /*dim=*/1, /*descending=*/false);      // ascending: small noise is kept
  auto ids_restore = torch::argsort(ids_shuffle, /*dim=*/1, /*descending=*/false);
  RandomMask m;
  m.ids_keep = ids_shuffle.narrow(1, 0, len_keep);  // [N, T']
  m.ids_restore = ids_restore;
  auto mask = torch::ones({batch, num_patches}, torch::TensorOptions().device(device));
  mask.narrow(1, 0, len_keep).zero_();
  m.mask = torch::gather(mask, 1, ids_restore);     // back to patch order
  return m;
}

}  // namespace can
