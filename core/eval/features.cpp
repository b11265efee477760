#include "core/eval/features.h"

#include <stdexcept>
#include <string>

#include "core/data/image_ops.h"

namespace can::eval {

namespace {

std::vector<float> per_channel(const std::vector<float>& v, int64_t channels, const char* what) {
  if (static_cast<int64_t>(v.size()) == channels) return v;
  if (v.size() == 1) return std::vector<float>(static_cast<size_t>(channels), v[0]);
  throw std::invalid_argument(std::string("eval: ") + what + " has " + std::to_string(v.size()) +
                              " values for " + std::to_string(channels) + " channels");
}

// Restores a module's training flag when the evaluation is done (or throws).
class EvalModeGuard {
 public:
  explicit EvalModeGuard(torch::nn::Module& m) : m_(m), was_training_(m.is_training()) { m_.eval(); }
  ~EvalModeGuard() { m_.train(was_training_); }
  EvalModeGuard(const EvalModeGuard&) = delete;
  EvalModeGuard& operator=(const EvalModeGuard&) = delete;

 private:
  torch::nn::Module& m_;
  bool was_training_;
};

}  // namespace

int64_t eval_count(const data::Dataset& ds, int64_t max_images) {
  const int64_t n = ds.size();
  return (max_images <= 0 || max_images > n) ? n : max_images;
}

torch::Tensor eval_batch(const data::Dataset& ds, int64_t first, int64_t count, int64_t channels,
                         int64_t img_size, const std::vector<float>& mean_in,
                         const std::vector<float>& std_in) {
  if (first < 0 || count < 0 || first + count > ds.size())
    throw std::invalid_argument("eval: images [" + std::to_string(first) + ", " +
                                std::to_string(first + count) + ") outside a dataset of " +
                                std::to_string(ds.size()));
  if (channels != 1 && channels != 3) throw std::invalid_argument("eval: channels must be 1 or 3");
  if (img_size <= 0) throw std::invalid_argument("eval: img_size must be positive");
  const auto mean = per_channel(mean_in, channels, "mean");
  const auto stdv = per_channel(std_in, channels, "std");
  for (float s : stdv)
    if (!(s > 0.0f)) throw std::invalid_argument("eval: std values must be positive");

  const int64_t s = img_size, plane = s * s;
  auto out = torch::empty({count, channels, s, s}, torch::kFloat32);  // [N, C, S, S]
  float* dst = out.data_ptr<float>();
  for (int64_t i = 0; i < count; ++i) {
    data::Image img = ds.get(first + i);
    if (img.c != channels) img = data::convert_channels(img, channels);
    float* o = dst + i * channels * plane;
    if (img.h == s && img.w == s) {
      for (int64_t y = 0; y < s; ++y)
        for (int64_t x = 0; x < s; ++x)
          for (int64_t c = 0; c < channels; ++c)
            o[c * plane + y * s + x] = (img.at(y, x, c) / 255.0f - mean[c]) / stdv[c];
    } else {
      // The whole image, no crop: evaluation sees what the image shows.
      data::FloatImage f = data::crop_resize(img, data::CropBox{0, 0, img.h, img.w}, s, s);
      for (int64_t y = 0; y < s; ++y)
        for (int64_t x = 0; x < s; ++x)
          for (int64_t c = 0; c < channels; ++c)
            o[c * plane + y * s + x] = (f.at(y, x, c) - mean[c]) / stdv[c];
    }
  }
  return out;
}

torch::Tensor extract_features(CanModel& model, const data::Dataset& ds, int64_t max_images, int64_t batch_size,
                               const std::vector<float>& mean, const std::vector<float>& std, torch::Device device,
                               const ProgressHook& progress) {
  if (batch_size <= 0) throw std::invalid_argument("eval: batch_size must be positive");
  const ModelConfig& cfg = model->config();
  const int64_t n = eval_count(ds, max_images);
  torch::NoGradGuard no_grad;
  EvalModeGuard eval_mode(*model);
  model->to(device);
  std::vector<torch::Tensor> parts;
  for (int64_t first = 0; first < n; first += batch_size) {
    const int64_t count = std::min(batch_size, n - first);
    auto x = eval_batch(ds, first, count, cfg.in_chans, cfg.img_size, mean, std).to(device);
    parts.push_back(model->features(x).to(torch::kCPU, torch::kFloat32));  // [count, d]
    if (progress) progress(first + count, n);
  }
  if (parts.empty()) return torch::empty({0, cfg.embed_dim}, torch::kFloat32);
  return torch::cat(parts, 0);
}

torch::Tensor dataset_labels(const data::Dataset& ds, int64_t max_images) {
  const int64_t n = eval_count(ds, max_images);
  auto labels = torch::empty({n}, torch::kInt64);
  auto* p = labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    p[i] = ds.label(i);
    if (p[i] < 0)
      throw std::invalid_argument("eval: image " + std::to_string(i) + " of " + ds.describe() +
                                  " has no label; kNN and linear probe need a labelled set");
  }
  return labels;
}

torch::Tensor pixel_features(const data::Dataset& ds, int64_t max_images, int64_t channels,
                             int64_t img_size, const std::vector<float>& mean,
                             const std::vector<float>& std) {
  const int64_t n = eval_count(ds, max_images);
  return eval_batch(ds, 0, n, channels, img_size, mean, std).reshape({n, -1});  // [N, C*S*S]
}

}  // namespace can::eval
