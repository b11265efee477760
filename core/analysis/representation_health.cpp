#include "core/analysis/representation_health.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace can::analysis {

namespace {

torch::Tensor as_double(const torch::Tensor& t) { return t.detach().to(torch::kCPU, torch::kFloat64).contiguous(); }

// Every unordered pair (a, b), a < b, of N rows: two index vectors of N(N-1)/2 entries.
std::pair<torch::Tensor, torch::Tensor> upper_pairs(int64_t n) {
  auto idx = torch::triu_indices(n, n, 1);
  return {idx[0], idx[1]};
}

}  // namespace

int64_t Histogram::total() const {
  int64_t s = 0;
  for (int64_t c : counts) s += c;
  return s;
}

Histogram histogram(const torch::Tensor& values, int64_t bins, double lo, double hi) {
  if (bins < 1 || !(hi > lo)) throw std::invalid_argument("histogram: needs bins >= 1 and hi > lo");
  Histogram h;
  h.lo = lo;
  h.hi = hi;
  h.counts.assign(static_cast<size_t>(bins), 0);
  auto v = as_double(values).flatten();
  const double* p = v.data_ptr<double>();
  for (int64_t i = 0; i < v.numel(); ++i) {
    auto b = static_cast<int64_t>(std::floor((p[i] - lo) / (hi - lo) * static_cast<double>(bins)));
    b = std::min(std::max<int64_t>(b, 0), bins - 1);  // hi itself and rounding past +-1
    ++h.counts[static_cast<size_t>(b)];
  }
  return h;
}

torch::Tensor per_dimension_std(const torch::Tensor& u) {
  // Population std: the reference 1/sqrt(r) is the std of the distribution, not an estimate.
  auto x = as_double(u);
  return (x - x.mean(0)).pow(2).mean(0).sqrt();
}

double effective_rank(const torch::Tensor& u) {
  auto s = torch::linalg::svdvals(as_double(u), c10::nullopt);
  const double total = s.sum().item<double>();
  if (!(total > 0)) return 0.0;  // the zero matrix has no direction at all
  auto p = s / total;
  // p log p -> 0 as p -> 0: zero singular values contribute nothing.
  auto plogp = torch::where(p > 0, p * torch::log(p), torch::zeros_like(p));
  return std::exp(-plogp.sum().item<double>());
}

double alignment(const torch::Tensor& u1, const torch::Tensor& u2) {
  return (as_double(u1) - as_double(u2)).pow(2).sum(1).mean().item<double>();
}

double uniformity(const torch::Tensor& u) {
  auto x = as_double(u);
  if (x.size(0) < 2) throw std::invalid_argument("uniformity: needs at least 2 embeddings");
  auto [a, b] = upper_pairs(x.size(0));
  auto sq = (x.index_select(0, a) - x.index_select(0, b)).pow(2).sum(1);  // ||u_a - u_b||^2
  // log mean exp(-2 d^2) as a logsumexp, which stays finite where every term underflows.
  return (torch::logsumexp(-2.0 * sq, 0) - std::log(static_cast<double>(sq.numel()))).item<double>();
}

RepresentationHealth representation_health(const torch::Tensor& u1, const torch::Tensor& u2, int64_t bins) {
  if (u1.dim() != 2 || u2.sizes() != u1.sizes())
    throw std::invalid_argument("representation_health: u1 and u2 must both be [n, r]");
  if (u1.size(0) < 2) throw std::invalid_argument("representation_health: needs n >= 2 images");
  const int64_t n = u1.size(0), r = u1.size(1);
  auto x1 = as_double(u1), x2 = as_double(u2);
  auto u = torch::cat({x1, x2}, 0);  // [2n, r], view-major as the model stacks them

  RepresentationHealth h;
  h.num_images = n;
  h.dim = r;
  auto stdv = per_dimension_std(u);
  h.dim_std.assign(stdv.data_ptr<double>(), stdv.data_ptr<double>() + r);
  h.mean_dim_std = stdv.mean().item<double>();
  h.uniform_std = 1.0 / std::sqrt(static_cast<double>(r));
  h.std_ratio = h.mean_dim_std / h.uniform_std;
  h.effective_rank = effective_rank(u);

  // Cosine similarity; the rows are unit length, but divide anyway so that the number is a
  // cosine whatever the input.
  auto unit = u / u.norm(2, 1, true).clamp_min(1e-12);
  auto pos = (unit.narrow(0, 0, n) * unit.narrow(0, n, n)).sum(1);  // [n]
  auto [a, b] = upper_pairs(2 * n);
  auto negative = (a % n) != (b % n);  // rows a and b are different images
  auto na = a.masked_select(negative), nb = b.masked_select(negative);
  auto neg = (unit.index_select(0, na) * unit.index_select(0, nb)).sum(1);  // [2n(n-1)]
  h.positive_cos = analysis::histogram(pos, bins);                          // qualified: ADL also finds at::histogram
  h.negative_cos = analysis::histogram(neg, bins);
  h.positive_cos_mean = pos.mean().item<double>();
  h.negative_cos_mean = neg.mean().item<double>();

  h.alignment = alignment(x1, x2);
  h.uniformity = uniformity(u);
  return h;
}

RepresentationHealth step_health(const torch::Tensor& u, int64_t bins) {
  const int64_t n = u.size(0) / 2;
  const torch::Tensor cpu = u.detach().to(torch::kCPU, torch::kFloat32);
  return representation_health(cpu.narrow(0, 0, n), cpu.narrow(0, n, n), bins);
}

}  // namespace can::analysis
