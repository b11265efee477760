#include "core/eval/knn.h"

#include <stdexcept>
#include <string>

namespace can::eval {

namespace {

void check_labels(const torch::Tensor& labels, int64_t n, int64_t num_classes, const char* what) {
  if (!labels.defined() || labels.dim() != 1 || labels.size(0) != n)
    throw std::invalid_argument(std::string("knn: ") + what + " must be [" + std::to_string(n) + "]");
  if (labels.is_floating_point() || labels.is_complex())
    throw std::invalid_argument(std::string("knn: ") + what + " must be integers");
  if (n > 0 && (labels.min().item<int64_t>() < 0 || labels.max().item<int64_t>() >= num_classes))
    throw std::invalid_argument(std::string("knn: ") + what + " outside [0, " +
                                std::to_string(num_classes) + ")");
}

void check_feats(const torch::Tensor& f, const char* what) {
  if (!f.defined() || f.dim() != 2)
    throw std::invalid_argument(std::string("knn: ") + what + " must be [N, d]");
}

}  // namespace

torch::Tensor knn_votes(const torch::Tensor& train_feats, const torch::Tensor& train_labels,
                        const torch::Tensor& test_feats, int64_t num_classes, const KnnOptions& options,
                        const ProgressHook& progress) {
  check_feats(train_feats, "train features");
  check_feats(test_feats, "test features");
  if (train_feats.size(1) != test_feats.size(1))
    throw std::invalid_argument("knn: train and test feature widths differ (" +
                                std::to_string(train_feats.size(1)) + " vs " +
                                std::to_string(test_feats.size(1)) + ")");
  if (num_classes < 1) throw std::invalid_argument("knn: num_classes must be >= 1");
  if (options.k < 1) throw std::invalid_argument("knn: k must be >= 1");
  if (!(options.temperature > 0.0)) throw std::invalid_argument("knn: temperature must be > 0");
  if (options.chunk_size < 1) throw std::invalid_argument("knn: chunk_size must be >= 1");
  const int64_t n_train = train_feats.size(0);
  if (n_train == 0) throw std::invalid_argument("knn: empty training set");
  check_labels(train_labels, n_train, num_classes, "train labels");

  torch::NoGradGuard no_grad;
  const auto device = train_feats.device();
  // Cosine similarity = dot product of unit rows; eps keeps all-zero rows finite.
  auto train = torch::nn::functional::normalize(
      train_feats.to(torch::kFloat32), torch::nn::functional::NormalizeFuncOptions().dim(1));
  auto test = torch::nn::functional::normalize(
      test_feats.to(device, torch::kFloat32), torch::nn::functional::NormalizeFuncOptions().dim(1));
  auto labels = train_labels.to(device, torch::kInt64);
  const int64_t k = std::min<int64_t>(options.k, n_train);
  const int64_t n_test = test.size(0);

  auto votes = torch::zeros({n_test, num_classes}, torch::TensorOptions().dtype(torch::kFloat32).device(device));
  for (int64_t first = 0; first < n_test; first += options.chunk_size) {
    const int64_t m = std::min(options.chunk_size, n_test - first);
    auto sim = torch::matmul(test.narrow(0, first, m), train.t());  // [m, N_train]
    auto top = sim.topk(k, /*dim=*/1, /*largest=*/true, /*sorted=*/true);
    auto weights = (std::get<0>(top) / options.temperature).exp();  // [m, k]
    auto neighbour_labels = labels.index_select(0, std::get<1>(top).reshape({-1})).reshape({m, k});
    votes.narrow(0, first, m).scatter_add_(1, neighbour_labels, weights);  // [m, classes]
    if (progress) progress(first + m, n_test);
  }
  return votes.to(torch::kCPU);
}

double knn_top1(const torch::Tensor& train_feats, const torch::Tensor& train_labels,
                const torch::Tensor& test_feats, const torch::Tensor& test_labels,
                int64_t num_classes, int k, double temperature) {
  KnnOptions options;
  options.k = k;
  options.temperature = temperature;
  check_feats(test_feats, "test features");
  if (num_classes < 1) throw std::invalid_argument("knn: num_classes must be >= 1");
  check_labels(test_labels, test_feats.size(0), num_classes, "test labels");
  auto votes = knn_votes(train_feats, train_labels, test_feats, num_classes, options);
  if (votes.size(0) == 0) return 0.0;
  auto pred = votes.argmax(1);
  return pred.eq(test_labels.to(torch::kCPU, torch::kInt64)).to(torch::kFloat64).mean().item<double>();
}

}  // namespace can::eval
