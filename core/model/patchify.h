#pragma once
// Patches and masks (docs/method.md step 3). Patch vector order: pixel row, pixel column,
// channel, the order MAE and timm use.

#include <torch/torch.h>

namespace can {

// [N, C, H, W] -> [N, T, p*p*C] with T = (H/p)(W/p), patches in row-major grid order.
torch::Tensor patchify(const torch::Tensor& imgs, int64_t p);
// Inverse of patchify: [N, T, p*p*C] -> [N, C, H, W] for a square grid.
torch::Tensor unpatchify(const torch::Tensor& x, int64_t p, int64_t channels);

// T' = floor(T * (1 - mask_ratio)): the number of patches each view keeps.
int64_t num_keep(int64_t num_patches, double mask_ratio);

struct RandomMask {
  torch::Tensor ids_keep;     // [N, T'] int64, indices of the kept (visible) patches
  torch::Tensor ids_restore;  // [N, T] int64, inverse of the shuffle
  torch::Tensor mask;         // [N, T] float, 0 is keep, 1 is remove (masked)
};

// Per-sample uniform random masking that keeps exactly num_keep(T, mask_ratio) patches
// (MAE's random_masking: argsort of uniform noise). Draws from `gen` when given.
RandomMask random_masking(int64_t batch, int64_t num_patches, double mask_ratio,
                          const torch::Device& device,
                          c10::optional<at::Generator> gen = c10::nullopt);
// The same from given noise [N, T] (uniform in [0, 1)): the small values are kept. Lets
// the caller draw the noise for a larger batch and keep its own rows (draw_shard.h).
RandomMask random_masking_from_noise(const torch::Tensor& noise, double mask_ratio);

}  // namespace can
