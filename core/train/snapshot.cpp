#include "core/train/snapshot.h"

#include "core/model/patchify.h"

namespace can {

Snapshot make_snapshot(const CanOutput& out, const torch::Tensor& original, const ModelConfig& model,
                       const Objectives& objectives, const LossParams& loss, int64_t k, int64_t step,
                       const std::vector<float>& mean, const std::vector<float>& std) {
  torch::NoGradGuard no_grad;
  const int64_t V = out.num_views;
  const int64_t n = out.clean.size(0) / V;
  k = std::min(k, n);
  const int64_t p = model.patch_size, C = model.in_chans, g = model.grid_size();
  // [V*n, ...] view-major -> [V, k, ...] on the CPU in float.
  auto pick = [&](const torch::Tensor& t) {
    auto s = t.detach().to(torch::kCPU, torch::kFloat32);
    std::vector<int64_t> shape{V, n};
    for (int64_t d = 1; d < s.dim(); ++d) shape.push_back(s.size(d));
    return s.reshape(shape).narrow(1, 0, k).contiguous();
  };

  Snapshot s;
  s.step = step;
  s.num_views = V;
  s.patch_size = p;
  s.mean = mean;
  s.std = std;
  s.original = original.detach().to(torch::kCPU, torch::kFloat32).narrow(0, 0, k).contiguous();
  s.views = pick(out.clean);
  s.noisy = pick(out.noisy);
  s.true_noise = pick(out.noise);
  s.sigma = pick(out.sigma);
  s.sigma_batch = out.sigma.detach().to(torch::kCPU, torch::kFloat32).reshape({V, n}).contiguous();
  s.mask = pick(out.mask).reshape({V, k, g, g});
  if (!out.x_hat.defined()) return s;

  auto x_hat = pick(out.x_hat).reshape({V * k, -1, model.patch_dim()});  // [V*k, T, p*p*C]
  auto mask = s.mask.reshape({V * k, -1, 1});                            // [V*k, T, 1]
  auto noisy_patches = patchify(s.noisy.reshape({V * k, C, model.img_size, model.img_size}), p);
  auto clean_patches = patchify(s.views.reshape({V * k, C, model.img_size, model.img_size}), p);
  auto to_image = [&](const torch::Tensor& patches) {
    return unpatchify(patches, p, C).reshape({V, k, C, model.img_size, model.img_size});
  };
  if (objectives.reconstruction) {
    // With norm_pix the decoder predicts each patch normalised by its own mean/var (the loss
    // target), so undo that with the clean patch's statistics, as MAE's visualisation does.
    auto pred = x_hat;
    if (loss.norm_pix) {
      auto mu = clean_patches.mean(-1, true);
      auto var = clean_patches.var(-1, /*unbiased=*/true, /*keepdim=*/true);
      pred = x_hat * (var + 1e-6).sqrt() + mu;
    }
    s.reconstruction = to_image(mask * pred + (1 - mask) * noisy_patches);
  }
  if (objectives.denoise) {
    // The decoder's outputs on visible patches predict the added noise (docs/method.md step
    // 9); with denoise_target unit they predict e, which becomes noise as the forward made
    // it: times the view's sigma, over std_c with pixel noise (channels vary fastest in a patch).
    auto predicted = (1 - mask) * x_hat;
    if (loss.denoise_target == "unit") {
      auto noise = predicted.reshape({V * k, predicted.size(1), -1, C}) * s.sigma.reshape({V * k, 1, 1, 1});
      if (loss.noise_space == "pixel")
        noise = noise / torch::tensor(loss.pixel_std, torch::kFloat32).view({1, 1, 1, C});
      predicted = noise.reshape_as(predicted);
    }
    s.predicted_noise = to_image(predicted);
    s.denoised = to_image((1 - mask) * (noisy_patches - predicted));
  }
  return s;
}

torch::Tensor visible_noise_mse(const Snapshot& s) {
  if (!s.predicted_noise.defined()) return {};
  torch::NoGradGuard no_grad;
  const int64_t p = s.patch_size;
  // [V, k, 1, H, W]: 1 on the pixels of visible patches.
  auto visible = (1 - s.mask.to(torch::kFloat32)).repeat_interleave(p, 2).repeat_interleave(p, 3).unsqueeze(2);
  auto squared = ((s.predicted_noise - s.true_noise * visible).pow(2) * visible).sum({2, 3, 4});
  auto count = (visible.sum({2, 3, 4}) * static_cast<double>(s.true_noise.size(2))).clamp_min(1.0);
  return squared.to(torch::kFloat64) / count.to(torch::kFloat64);
}

}  // namespace can
