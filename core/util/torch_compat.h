#pragma once
// Small helpers over the API differences between LibTorch 1.13 (Debian) and 2.x (pip).

#include <torch/torch.h>
#include <torch/version.h>

namespace can {

// softmax(q k^T / sqrt(D)) v for q, k, v of shape [N, H, L, D].
// On 2.x this is the fused scaled_dot_product_attention (flash / memory-efficient kernels
// on CUDA); 1.13 has none, so it is written out with the scale folded into q (the
// smaller tensor) and baddbmm-free matmuls that OpenBLAS batches well.
inline torch::Tensor scaled_dot_product_attention(const torch::Tensor& q, const torch::Tensor& k,
                                                  const torch::Tensor& v) {
#if TORCH_VERSION_MAJOR >= 2
  return at::scaled_dot_product_attention(q, k, v);
#else
  const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
  auto attn = torch::matmul(q * scale, k.transpose(-2, -1));  // [N, H, L, L]
  return torch::matmul(attn.softmax(-1), v);                 // [N, H, L, D]
#endif
}

}  // namespace can
