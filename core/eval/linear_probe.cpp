#include "core/eval/linear_probe.h"

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/data/sample_rng.h"

namespace can::eval {

namespace {

void check(const torch::Tensor& feats, const torch::Tensor& labels, int64_t num_classes,
           const char* what) {
  if (!feats.defined() || feats.dim() != 2)
    throw std::invalid_argument(std::string("linear probe: ") + what + " features must be [N, d]");
  if (!labels.defined() || labels.dim() != 1 || labels.size(0) != feats.size(0))
    throw std::invalid_argument(std::string("linear probe: ") + what + " labels must be [N]");
  if (labels.is_floating_point())
    throw std::invalid_argument(std::string("linear probe: ") + what + " labels must be integers");
  if (labels.numel() > 0 &&
      (labels.min().item<int64_t>() < 0 || labels.max().item<int64_t>() >= num_classes))
    throw std::invalid_argument(std::string("linear probe: ") + what + " labels outside [0, " +
                                std::to_string(num_classes) + ")");
}

double top1(const torch::Tensor& logits, const torch::Tensor& labels) {
  if (labels.numel() == 0) return 0.0;
  return logits.argmax(1).eq(labels).to(torch::kFloat64).mean().item<double>();
}

// Fisher-Yates with the project's splitmix64 generator: the same order on every platform.
std::vector<int64_t> shuffled(int64_t n, uint64_t seed, int64_t epoch) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  data::SampleRng rng = data::SampleRng::for_sample(seed, epoch, 0, 0x11ea7);
  for (int64_t i = n - 1; i > 0; --i) {
    const int64_t j = static_cast<int64_t>(rng.next() % static_cast<uint64_t>(i + 1));
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
  }
  return order;
}

}  // namespace

LinearProbeResult linear_probe(const torch::Tensor& train_feats, const torch::Tensor& train_labels,
                               const torch::Tensor& test_feats, const torch::Tensor& test_labels, int64_t num_classes,
                               const LinearProbeOptions& options, const ProgressHook& progress) {
  if (num_classes < 2) throw std::invalid_argument("linear probe: num_classes must be >= 2");
  check(train_feats, train_labels, num_classes, "train");
  check(test_feats, test_labels, num_classes, "test");
  if (train_feats.size(0) == 0) throw std::invalid_argument("linear probe: empty training set");
  if (train_feats.size(1) != test_feats.size(1))
    throw std::invalid_argument("linear probe: train and test feature widths differ");
  if (options.epochs < 1 || options.batch_size < 1 || !(options.lr > 0.0) ||
      !(options.weight_decay >= 0.0))
    throw std::invalid_argument("linear probe: epochs, batch_size and lr must be positive, weight_decay >= 0");

  const int64_t n = train_feats.size(0), d = train_feats.size(1);
  auto x_train = train_feats.detach().to(torch::kCPU, torch::kFloat32);
  auto x_test = test_feats.detach().to(torch::kCPU, torch::kFloat32);
  auto y_train = train_labels.to(torch::kCPU, torch::kInt64);
  auto y_test = test_labels.to(torch::kCPU, torch::kInt64);

  // Standardise with training statistics; constant dimensions (e.g. border pixels) stay 0.
  auto mean = x_train.mean(0, /*keepdim=*/true);                              // [1, d]
  auto stdv = x_train.std(0, /*unbiased=*/false, /*keepdim=*/true).clamp_min(1e-6);  // [1, d]
  x_train = (x_train - mean) / stdv;
  x_test = (x_test - mean) / stdv;

  auto weight = torch::zeros({num_classes, d}, torch::requires_grad());
  auto bias = torch::zeros({num_classes}, torch::requires_grad());
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<torch::Tensor>{weight},
                      std::make_unique<torch::optim::AdamWOptions>(
                          torch::optim::AdamWOptions(options.lr).weight_decay(options.weight_decay)));
  groups.emplace_back(std::vector<torch::Tensor>{bias},
                      std::make_unique<torch::optim::AdamWOptions>(
                          torch::optim::AdamWOptions(options.lr).weight_decay(0.0)));
  torch::optim::AdamW optimizer(std::move(groups));

  const int64_t batch = std::min(options.batch_size, n);
  const int64_t steps_per_epoch = (n + batch - 1) / batch;
  const double total_steps = static_cast<double>(options.epochs * steps_per_epoch);
  int64_t step = 0;
  for (int64_t epoch = 0; epoch < options.epochs; ++epoch) {
    const auto order = shuffled(n, options.seed, epoch);
    auto perm = torch::from_blob(const_cast<int64_t*>(order.data()), {n}, torch::kInt64);
    for (int64_t first = 0; first < n; first += batch, ++step) {
      const double lr = 0.5 * options.lr * (1.0 + std::cos(M_PI * step / total_steps));
      for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
      auto idx = perm.narrow(0, first, std::min(batch, n - first));
      auto logits = torch::addmm(bias, x_train.index_select(0, idx), weight.t());  // [b, classes]
      auto loss = torch::nn::functional::cross_entropy(logits, y_train.index_select(0, idx));
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
    }
    if (progress) progress(epoch + 1, options.epochs);
  }

  torch::NoGradGuard no_grad;
  LinearProbeResult result;
  auto train_logits = torch::addmm(bias, x_train, weight.t());
  result.train_loss = torch::nn::functional::cross_entropy(train_logits, y_train).item<double>();
  result.train_top1 = top1(train_logits, y_train);
  const auto test_logits = torch::addmm(bias, x_test, weight.t());
  result.test_top1 = top1(test_logits, y_test);
  result.test_predictions = test_logits.argmax(1);
  return result;
}

}  // namespace can::eval
