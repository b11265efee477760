#include "core/model/pos_embed.h"

#include <cmath>

namespace can {

namespace {
// 1D sin-cos embedding of positions [M] -> [M, dim] (dim even): omega_k = 1/10000^(2k/dim).
torch::Tensor sincos_1d(int64_t dim, const torch::Tensor& pos) {
  auto omega = torch::arange(dim / 2, torch::kFloat64) / (dim / 2.0);
  omega = 1.0 / torch::pow(10000.0, omega);                      // [dim/2]
  auto out = torch::outer(pos.to(torch::kFloat64).reshape({-1}), omega);  // [M, dim/2]
  return torch::cat({torch::sin(out), torch::cos(out)}, 1);     // [M, dim]
}
}  // namespace

torch::Tensor sincos_pos_embed_2d(int64_t dim, int64_t grid, bool class_token) {
  TORCH_CHECK(dim % 4 == 0, "sincos_pos_embed_2d: dim must be a multiple of 4, got ", dim);
  auto coords = torch::arange(grid, torch::kFloat64);
  // MAE's meshgrid(grid_w, grid_h): the first half embeds w (column), the second h (row).
  auto mesh = torch::meshgrid({coords, coords}, "ij");  // mesh[0]: row index, mesh[1]: column
  auto emb_w = sincos_1d(dim / 2, mesh[1]);             // [grid*grid, dim/2]
  auto emb_h = sincos_1d(dim / 2, mesh[0]);
  auto emb = torch::cat({emb_w, emb_h}, 1).to(torch::kFloat32);  // [grid*grid, dim]
  if (class_token) emb = torch::cat({torch::zeros({1, dim}), emb}, 0);
  return emb;
}

torch::Tensor sinusoidal_embedding(const torch::Tensor& values, int64_t dim) {
  const int64_t half = dim / 2;
  auto k = torch::arange(half, values.options().dtype(torch::kFloat32));
  auto freqs = torch::exp(-std::log(10000.0) * k / static_cast<double>(half));  // [half]
  auto args = values.to(torch::kFloat32).reshape({-1, 1}) * freqs.reshape({1, -1});  // [N, half]
  auto emb = torch::cat({torch::sin(args), torch::cos(args)}, 1);
  if (dim % 2 == 1) emb = torch::nn::functional::pad(emb, torch::nn::functional::PadFuncOptions({0, 1}));
  return emb;
}

}  // namespace can
