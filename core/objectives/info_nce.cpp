#include "core/objectives/info_nce.h"

#include "core/util/autocast.h"

namespace can {

namespace {
// Logits u u^T / tau with the diagonal at -inf, and each row's positive column.
std::pair<torch::Tensor, torch::Tensor> logits_and_targets(const torch::Tensor& u, double tau) {
  const int64_t two_n = u.size(0), n = two_n / 2;
  auto logits = torch::matmul(u, u.t()) / tau;  // [2n, 2n]
  auto self = torch::eye(two_n, torch::TensorOptions().dtype(torch::kBool).device(u.device()));
  logits = logits.masked_fill(self, -std::numeric_limits<float>::infinity());
  auto rows = torch::arange(two_n, torch::TensorOptions().dtype(torch::kLong).device(u.device()));
  auto targets = torch::remainder(rows + n, two_n);  // positive of i is i+n, of i+n is i
  return {logits, targets};
}
}  // namespace

torch::Tensor info_nce_from_embeddings(const torch::Tensor& u, double tau) {
  TORCH_CHECK(u.dim() == 2 && u.size(0) % 2 == 0, "info_nce: expected [2n, r] embeddings");
  // Float32 even under bf16 autocast: near |logit| = 1/tau = 10 bf16 steps are 0.06, as large
  // as the differences between negatives that the softmax ranks.
  AutocastScope fp32(u.device().type(), false);
  auto [logits, targets] = logits_and_targets(u.to(torch::kFloat32), tau);
  // cross_entropy = mean over the 2n rows of -log softmax at the positive: exactly the
  // 1/(2n) sum of the spec, each denominator the positive plus the 2n-2 negatives.
  return torch::nn::functional::cross_entropy(logits, targets);
}

torch::Tensor info_nce(const torch::Tensor& u1, const torch::Tensor& u2, double tau) {
  return info_nce_from_embeddings(torch::cat({u1, u2}, 0), tau);
}

torch::Tensor gather_views(const torch::Tensor& u, const EmbeddingGather& gather) {
  if (!gather) return u;
  TORCH_CHECK(u.dim() == 2 && u.size(0) % 2 == 0, "gather_views: expected [2n, r] embeddings");
  const int64_t n = u.size(0) / 2;
  auto g1 = gather(u.narrow(0, 0, n)), g2 = gather(u.narrow(0, n, n));
  // Unequal halves would pair rows with the wrong positives without an error.
  TORCH_CHECK(g1.sizes() == g2.sizes(), "gather_views: the two views gathered to different shapes");
  return torch::cat({g1, g2}, 0);
}

double info_nce_top1(const torch::Tensor& u1, const torch::Tensor& u2) {
  torch::NoGradGuard no_grad;
  AutocastScope fp32(u1.device().type(), false);
  auto [logits, targets] = logits_and_targets(torch::cat({u1, u2}, 0).to(torch::kFloat32), 1.0);
  return logits.argmax(1).eq(targets).to(torch::kFloat64).mean().item<double>();
}

}  // namespace can
