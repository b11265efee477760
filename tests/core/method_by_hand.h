#pragma once
// docs/method.md's formulas written out with plain loops over single values, for tests
// whose expected values must not come from the code they test (patchify, normalize_patches,
// masked_mse, info_nce, random_masking, sinusoidal_embedding). Slow and obvious on purpose;
// every function works in double precision on CPU tensors.

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace can::test {

// Step 3's patches: [N, C, H, W] -> [N, T, p*p*C] (float32), patch t = (grid row, grid
// column) in row-major order, inside a patch pixel row, then pixel column, then channel.
inline torch::Tensor patches_by_hand(const torch::Tensor& images, int64_t p) {
  auto img = images.to(torch::kFloat64).contiguous();
  auto a = img.accessor<double, 4>();
  const int64_t n = img.size(0), c = img.size(1), gh = img.size(2) / p, gw = img.size(3) / p;
  auto out = torch::zeros({n, gh * gw, p * p * c}, torch::kFloat64);
  auto o = out.accessor<double, 3>();
  for (int64_t i = 0; i < n; ++i)
    for (int64_t r = 0; r < gh; ++r)
      for (int64_t q = 0; q < gw; ++q) {
        int64_t k = 0;
        for (int64_t y = 0; y < p; ++y)
          for (int64_t x = 0; x < p; ++x)
            for (int64_t ch = 0; ch < c; ++ch) o[i][r * gw + q][k++] = a[i][ch][r * p + y][q * p + x];
      }
  return out.to(torch::kFloat32);
}

// Step 8's target with norm_pix: each patch minus its mean, over sqrt(unbiased variance + 1e-6).
inline torch::Tensor normalize_by_hand(const torch::Tensor& patches) {
  auto x = patches.to(torch::kFloat64).contiguous();
  auto out = torch::zeros_like(x);
  auto a = x.accessor<double, 3>();
  auto o = out.accessor<double, 3>();
  const int64_t k = x.size(2);
  for (int64_t i = 0; i < x.size(0); ++i)
    for (int64_t t = 0; t < x.size(1); ++t) {
      double mean = 0, var = 0;
      for (int64_t j = 0; j < k; ++j) mean += a[i][t][j];
      mean /= k;
      for (int64_t j = 0; j < k; ++j) var += (a[i][t][j] - mean) * (a[i][t][j] - mean);
      var /= (k - 1);
      for (int64_t j = 0; j < k; ++j) o[i][t][j] = (a[i][t][j] - mean) / std::sqrt(var + 1e-6);
    }
  return out.to(torch::kFloat32);
}

// Steps 8-9: mean over the selected patches (mask value == select_masked ? 1 : 0) of each
// patch's mean squared error.
inline double masked_mse_by_hand(const torch::Tensor& pred, const torch::Tensor& target, const torch::Tensor& mask,
                                 bool select_masked) {
  auto p = pred.to(torch::kFloat64).contiguous(), t = target.to(torch::kFloat64).contiguous();
  auto m = mask.to(torch::kFloat64).contiguous();
  auto pa = p.accessor<double, 3>(), ta = t.accessor<double, 3>();
  auto ma = m.accessor<double, 2>();
  double sum = 0;
  int64_t count = 0;
  for (int64_t i = 0; i < p.size(0); ++i)
    for (int64_t j = 0; j < p.size(1); ++j) {
      if ((ma[i][j] == 1.0) != select_masked) continue;
      double se = 0;
      for (int64_t k = 0; k < p.size(2); ++k) se += (pa[i][j][k] - ta[i][j][k]) * (pa[i][j][k] - ta[i][j][k]);
      sum += se / p.size(2);
      ++count;
    }
  return count ? sum / count : 0.0;
}

// Step 5: u = [u^1; u^2] (rows i and i+n are the two views of image i), 1/(2n) sum of
// -log(exp(s_pos/tau) / sum over the 2n-1 others of exp(s/tau)).
inline double info_nce_by_hand(const torch::Tensor& u, double tau) {
  auto x = u.to(torch::kFloat64).contiguous();
  auto a = x.accessor<double, 2>();
  const int64_t two_n = x.size(0), n = two_n / 2;
  auto dot = [&](int64_t i, int64_t j) {
    double s = 0;
    for (int64_t k = 0; k < x.size(1); ++k) s += a[i][k] * a[j][k];
    return s;
  };
  double total = 0;
  for (int64_t i = 0; i < two_n; ++i) {
    double den = 0;
    for (int64_t j = 0; j < two_n; ++j)
      if (j != i) den += std::exp(dot(i, j) / tau);
    total += -(dot(i, (i + n) % two_n) / tau - std::log(den));
  }
  return total / two_n;
}

// The fraction of rows of u whose most similar other row is the other view of its image.
inline double positive_top1_by_hand(const torch::Tensor& u) {
  auto x = u.to(torch::kFloat64).contiguous();
  auto a = x.accessor<double, 2>();
  const int64_t two_n = x.size(0), n = two_n / 2;
  int hits = 0;
  for (int64_t i = 0; i < two_n; ++i) {
    int64_t best = -1;
    double best_s = -1e300;
    for (int64_t j = 0; j < two_n; ++j) {
      if (j == i) continue;
      double s = 0;
      for (int64_t k = 0; k < x.size(1); ++k) s += a[i][k] * a[j][k];
      if (s > best_s) best_s = s, best = j;
    }
    hits += best == (i + n) % two_n;
  }
  return static_cast<double>(hits) / two_n;
}

// Step 3's kept patches: for each row of mask noise [N, T], the floor(T(1-m)) positions of
// smallest noise, smallest first ([N, T'] int64), and the mask (1 = masked) [N, T].
inline std::pair<torch::Tensor, torch::Tensor> keep_by_hand(const torch::Tensor& mask_noise, double mask_ratio) {
  auto noise = mask_noise.to(torch::kFloat64).contiguous();
  auto a = noise.accessor<double, 2>();
  const int64_t n = noise.size(0), t = noise.size(1);
  const auto keep = static_cast<int64_t>(std::floor(t * (1.0 - mask_ratio) + 1e-9));
  auto ids = torch::zeros({n, keep}, torch::kLong);
  auto mask = torch::ones({n, t});
  for (int64_t i = 0; i < n; ++i) {
    std::vector<int64_t> order(t);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return a[i][x] < a[i][y]; });
    for (int64_t j = 0; j < keep; ++j) {
      ids[i][j] = order[j];
      mask[i][order[j]] = 0.f;
    }
  }
  return {ids, mask};
}

}  // namespace can::test
