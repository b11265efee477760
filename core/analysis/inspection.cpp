#include "core/analysis/inspection.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/model/patchify.h"
#include "core/objectives/masked_mse.h"

namespace can::analysis {

namespace {

// Restores the model's train/eval mode on every exit.
struct EvalModeScope {
  CanModel& model;
  bool was_training;
  explicit EvalModeScope(CanModel& m) : model(m), was_training(m->is_training()) { model->eval(); }
  ~EvalModeScope() { model->train(was_training); }
};

// [T, K] per-patch values -> [H/p, W/p] map of each patch's mean square.
torch::Tensor patch_mse_map(const torch::Tensor& diff, const torch::Tensor& weight, int64_t grid) {
  return (diff.pow(2).mean(-1) * weight).view({grid, grid});
}

}  // namespace

torch::Tensor inspection_noise(int64_t channels, int64_t img_size, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  return at::randn({channels, img_size, img_size}, gen, torch::TensorOptions().dtype(torch::kFloat32));
}

std::vector<bool> random_patch_mask(int64_t num_patches, double ratio, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  auto order = at::randperm(num_patches, gen, torch::kLong);
  const int64_t masked = num_patches - num_keep(num_patches, ratio);
  std::vector<bool> mask(static_cast<size_t>(num_patches), false);
  auto o = order.accessor<int64_t, 1>();
  for (int64_t i = 0; i < masked; ++i) mask[static_cast<size_t>(o[i])] = true;
  return mask;
}

Inspection inspect(CanModel& model, const LossParams& params, const InspectionRequest& request) {
  const ModelConfig& cfg = model->config();
  const int64_t T = cfg.num_patches(), p = cfg.patch_size, C = cfg.in_chans, S = cfg.img_size;
  const int64_t grid = S / p;
  if (static_cast<int64_t>(request.mask.size()) != T)
    throw std::invalid_argument("inspect: the mask has " + std::to_string(request.mask.size()) +
                                " entries, the model has " + std::to_string(T) + " patches");
  const int64_t masked = std::count(request.mask.begin(), request.mask.end(), true);
  if (masked == T) throw std::invalid_argument("inspect: the mask hides every patch (the encoder needs one)");
  if (!request.image.defined() || request.image.dim() != 3 || request.image.size(0) != C ||
      request.image.size(1) != S || request.image.size(2) != S)
    throw std::invalid_argument("inspect: the image must be [" + std::to_string(C) + ", " + std::to_string(S) +
                                ", " + std::to_string(S) + "]");
  if (request.sigma < 0) throw std::invalid_argument("inspect: sigma must be >= 0");

  torch::NoGradGuard no_grad;
  EvalModeScope eval_mode(model);
  const auto device = model->parameters().front().device();
  const int64_t views = model->objectives().num_views();

  // The mask through the forward's own masking: mask noise 1 on masked patches and 0 on
  // visible ones, plus a tie-break by index under 1, so argsort keeps exactly the visible
  // patches; the ratio K/T makes num_keep give T - K (its epsilon absorbs rounding).
  auto noise = torch::arange(T, torch::kFloat32) / static_cast<float>(2 * T);
  for (int64_t t = 0; t < T; ++t)
    if (request.mask[static_cast<size_t>(t)]) noise[t] += 1.0f;
  LossParams lp = params;
  lp.mask_ratio = static_cast<double>(masked) / static_cast<double>(T);
  lp.sigma_max = 1.0;  // sigma = sigma_unit * sigma_max = the request's sigma

  // With C the forward takes two views: both are this image with the same draws, so every
  // per-view mean (L_rec, L_denoise) is this image's.
  StepDraws draws;
  draws.mask_noise = noise.unsqueeze(0).expand({views, T}).contiguous();
  const auto e = inspection_noise(C, S, request.noise_seed);
  if (model->objectives().denoise) {
    draws.sigma_unit = torch::full({views}, request.sigma, torch::kFloat32);
    draws.e = e.unsqueeze(0).expand({views, C, S, S}).contiguous();
  }
  auto img = request.image.to(torch::kFloat32).unsqueeze(0).to(device);
  auto out = model->forward(img, views == 2 ? img : torch::Tensor(), lp, draws.to(device));

  Inspection r;
  r.sigma = request.sigma;
  auto mask = out.mask[0].to(torch::kCPU);  // [T], 1 = masked
  r.mask.resize(static_cast<size_t>(T));
  for (int64_t t = 0; t < T; ++t) r.mask[static_cast<size_t>(t)] = mask[t].item<float>() > 0.5f;
  if (r.mask != request.mask) throw std::logic_error("inspect: the forward used another mask than the one asked for");

  const auto clean = out.clean[0].to(torch::kCPU);
  r.noisy = out.noisy[0].to(torch::kCPU);
  auto pixel_mask = unpatchify(mask.view({1, T, 1}).expand({1, T, p * p * C}).contiguous(), p, C)[0];  // [C, H, W]
  r.masked_input = r.noisy * (1 - pixel_mask);
  r.z = out.z[0].to(torch::kCPU);
  r.loss_rec = out.loss_rec.item<double>();
  r.loss_denoise = out.loss_denoise.item<double>();
  if (!out.x_hat.defined()) return r;
  const auto x_hat = out.x_hat[0].to(torch::kCPU);  // [T, p*p*C]

  if (model->objectives().reconstruction) {
    auto clean_patches = patchify(clean.unsqueeze(0), p)[0];  // [T, K]
    auto target = params.norm_pix ? normalize_patches(clean_patches) : clean_patches;
    r.rec_error = patch_mse_map(x_hat - target, mask, grid);
    auto pred = x_hat;
    if (params.norm_pix) {  // back to pixels with the true patch's statistics (see the header)
      auto mean = clean_patches.mean(-1, true);
      auto std = (clean_patches.var(-1, /*unbiased=*/true, /*keepdim=*/true) + 1e-6).sqrt();
      pred = x_hat * std + mean;
    }
    auto m = mask.view({T, 1});
    r.reconstruction = unpatchify((pred * m + clean_patches * (1 - m)).unsqueeze(0), p, C)[0];
    r.reconstruction_uses_true_stats = params.norm_pix;
  }
  if (model->objectives().denoise) {
    r.true_noise = out.noise[0].to(torch::kCPU);
    const bool unit = params.denoise_target == "unit";
    auto target = patchify((unit ? e.unsqueeze(0) : r.true_noise.unsqueeze(0)), p)[0];
    r.denoise_error = patch_mse_map(x_hat - target, 1 - mask, grid);
    auto pred = unpatchify((x_hat * (1 - mask.view({T, 1}))).unsqueeze(0), p, C)[0];
    if (unit) {  // the decoder predicted e: scale it as the forward scaled e into the noise
      pred = pred * request.sigma;
      if (params.noise_space == "pixel") pred = pred / torch::tensor(params.pixel_std, torch::kFloat32).view({-1, 1, 1});
    }
    r.predicted_noise = pred;
  }
  return r;
}

std::vector<Neighbour> nearest_neighbours(CanModel& model, const torch::Tensor& bank, const torch::Tensor& query_image,
                                          int64_t k) {
  if (!bank.defined() || bank.dim() != 2) throw std::invalid_argument("nearest_neighbours: the bank must be [N, d]");
  torch::NoGradGuard no_grad;
  EvalModeScope eval_mode(model);
  const auto device = model->parameters().front().device();
  auto q = model->features(query_image.to(torch::kFloat32).unsqueeze(0).to(device)).to(torch::kCPU)[0];  // [d]
  auto sim = torch::nn::functional::normalize(bank.to(torch::kFloat32),
                                              torch::nn::functional::NormalizeFuncOptions().dim(1))
                 .matmul(q / q.norm().clamp_min(1e-12));  // [N]
  const int64_t n = bank.size(0), take = std::min<int64_t>(std::max<int64_t>(k, 0), n);
  // A stable ranking: sort indices by descending similarity, ties by index.
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  auto s = sim.contiguous();
  const float* sp = s.data_ptr<float>();
  std::partial_sort(order.begin(), order.begin() + take, order.end(), [sp](int64_t a, int64_t b) {
    return sp[a] > sp[b] || (sp[a] == sp[b] && a < b);
  });
  std::vector<Neighbour> result;
  for (int64_t i = 0; i < take; ++i) result.push_back({order[static_cast<size_t>(i)], sp[order[static_cast<size_t>(i)]]});
  return result;
}

}  // namespace can::analysis
