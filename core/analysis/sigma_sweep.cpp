#include "core/analysis/sigma_sweep.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace can::analysis {

namespace {

double max_rel_diff(const std::vector<double>& a, const std::vector<double>& ref) {
  double m = 0;
  for (size_t k = 0; k < ref.size(); ++k) m = std::max(m, std::abs(a[k] - ref[k]) / std::max(std::abs(ref[k]), 1e-12));
  return m;
}

std::string percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g%%", 100.0 * x);
  return buf;
}

}  // namespace

StepDraws sweep_draws(CanModel& model, int64_t n, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  return model->draw(n, torch::TensorOptions().dtype(torch::kFloat32), gen);
}

std::pair<double, double> sweep_point(CanModel& model, const torch::Tensor& view1, const torch::Tensor& view2,
                                      const LossParams& params, const StepDraws& draws, double sigma,
                                      const torch::Tensor& sigma_embed) {
  torch::NoGradGuard no_grad;
  // sigma = sigma_unit * sigma_max: with sigma_max 1 every view's level is exactly `sigma`
  // (the embedding's scale was fixed when the model was built, so this changes nothing else).
  LossParams p = params;
  p.sigma_max = 1.0;
  StepDraws d = draws;
  d.sigma_unit = torch::full_like(draws.sigma_unit, sigma);
  d.sigma_embed = sigma_embed;
  auto out = model->forward(view1, view2, p, d);
  return {out.loss_denoise.item<double>(), out.loss_rec.item<double>()};
}

SigmaSweep sigma_sweep(CanModel& model, const torch::Tensor& view1, const torch::Tensor& view2,
                       const LossParams& params, const StepDraws& draws, const SigmaSweepOptions& options) {
  if (!model->objectives().denoise || !model->decoder || !model->decoder->noise_embed)
    throw std::invalid_argument("sigma sweep: the model has no noise-level embedding (the N objective is off)");
  if (options.points < 2) throw std::invalid_argument("sigma sweep: needs at least 2 points");
  if (!draws.sigma_unit.defined() || !draws.e.defined())
    throw std::invalid_argument("sigma sweep: the draws have no noise (drawn for a model without N)");
  const double sigma_max = options.sigma_max > 0 ? options.sigma_max : params.sigma_max;
  const int64_t points = options.points, rows = draws.sigma_unit.size(0);

  SigmaSweep s;
  s.has_denoise = model->objectives().denoise;
  s.has_rec = model->objectives().reconstruction;
  for (int64_t k = 0; k < points; ++k)
    s.sigma.push_back(2.0 * sigma_max * static_cast<double>(k) / static_cast<double>(points - 1));

  // The wrong levels: one permutation of the N x V*n (point, view) entries, fixed by the seed.
  auto true_embed = torch::tensor(s.sigma, torch::kFloat32).view({points, 1}).expand({points, rows}).contiguous();
  auto gen = at::make_generator<at::CPUGeneratorImpl>(options.seed);
  auto perm = torch::randperm(points * rows, gen, torch::kLong);
  s.wrong_embed = true_embed.flatten().index_select(0, perm).view({points, rows});
  auto opts = draws.sigma_unit.options();

  for (int64_t k = 0; k < points; ++k) {
    auto t = sweep_point(model, view1, view2, params, draws, s.sigma[k], torch::Tensor());
    auto w = sweep_point(model, view1, view2, params, draws, s.sigma[k], s.wrong_embed[k].to(opts));
    auto z = sweep_point(model, view1, view2, params, draws, s.sigma[k], torch::zeros({rows}, opts));
    s.true_sigma.denoise.push_back(t.first);
    s.true_sigma.rec.push_back(t.second);
    s.wrong_sigma.denoise.push_back(w.first);
    s.wrong_sigma.rec.push_back(w.second);
    s.zero_sigma.denoise.push_back(z.first);
    s.zero_sigma.rec.push_back(z.second);
  }
  s.wrong_rel_diff_denoise = max_rel_diff(s.wrong_sigma.denoise, s.true_sigma.denoise);
  s.zero_rel_diff_denoise = max_rel_diff(s.zero_sigma.denoise, s.true_sigma.denoise);
  if (s.has_rec) {
    s.wrong_rel_diff_rec = max_rel_diff(s.wrong_sigma.rec, s.true_sigma.rec);
    s.zero_rel_diff_rec = max_rel_diff(s.zero_sigma.rec, s.true_sigma.rec);
  }
  const double worst =
      std::max({s.wrong_rel_diff_denoise, s.zero_rel_diff_denoise, s.wrong_rel_diff_rec, s.zero_rel_diff_rec});
  s.coincide = worst < options.coincide_tol;
  if (s.coincide)
    s.verdict = "The curves coincide (largest relative difference " + percent(worst) +
                "): the decoder ignores its noise level.";
  else
    s.verdict = "A wrong noise level changes the denoising error by up to " + percent(s.wrong_rel_diff_denoise) +
                " (sigma = 0: " + percent(s.zero_rel_diff_denoise) + "): the decoder uses its noise level.";
  return s;
}

}  // namespace can::analysis
