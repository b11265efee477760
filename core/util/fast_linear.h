#pragma once
// y = x W^T + b for every Linear of the model, with the CPU GEMMs done by oneDNN.
//
// Why: on CPUs with AVX-512, oneDNN's JIT GEMM kernels run several times faster than the
// BLAS LibTorch 1.13 dispatches float32 matmuls to (OpenBLAS, which some machines must pin
// to older Haswell kernels through OPENBLAS_CORETYPE). The math is the same float32 GEMM.
// Used only for CPU float32 tensors when the build found oneDNN (CAN_WITH_DNNL); everything
// else (CUDA, bf16, LibTorch builds without a oneDNN library) goes through
// at::linear (bias fused into the GEMM). docs/performance.md has the measured effect.

#include <torch/torch.h>

namespace can {

// x: [..., K], weight: [N, K], bias: [N] or undefined -> [..., N]. Differentiable.
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

// The same for a torch::nn::Linear module's parameters (its forward would bypass oneDNN).
inline torch::Tensor linear_layer(const torch::nn::Linear& layer, const torch::Tensor& x) {
  return linear(x, layer->weight, layer->bias);
}

// Whether the oneDNN path is compiled in and enabled. The environment variable
// CAN_DISABLE_DNNL=1 or set_fast_linear_enabled(false) turns it off (for comparisons).
bool fast_linear_available();
void set_fast_linear_enabled(bool enabled);

}  // namespace can
