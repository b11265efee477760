#pragma once
// Fixed 2D sine-cosine position embedding (docs/method.md step 4; MAE's
// get_2d_sincos_pos_embed): half of the channels encode the row, half the column.

#include <torch/torch.h>

namespace can {

// Returns [grid*grid (+1), dim] float32. With class_token, row 0 is all zeros (the class
// token's position), as in MAE and timm. dim must be a multiple of 4.
torch::Tensor sincos_pos_embed_2d(int64_t dim, int64_t grid, bool class_token);

// Sinusoidal embedding of scalar values (diffusion-style timestep embedding):
// [N] -> [N, dim], first half sin(v * w_k), second half cos(v * w_k),
// w_k = 10000^(-k / (dim/2)). Used for the noise level sigma (spec step 6).
torch::Tensor sinusoidal_embedding(const torch::Tensor& values, int64_t dim);

}  // namespace can
