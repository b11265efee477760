#include "core/analysis/ab_comparison.h"

#include <stdexcept>

#include "core/model/patchify.h"
#include "core/train/snapshot.h"

namespace can::analysis {

std::string ab_incompatibility(const ModelConfig& a, const Objectives& oa, const ModelConfig& b, const Objectives& ob) {
  auto differ = [](const char* what, int64_t x, int64_t y) {
    return std::string(what) + " " + std::to_string(x) + " vs " + std::to_string(y);
  };
  if (a.img_size != b.img_size) return differ("image size", a.img_size, b.img_size);
  if (a.patch_size != b.patch_size) return differ("patch size", a.patch_size, b.patch_size);
  if (a.in_chans != b.in_chans) return differ("channels", a.in_chans, b.in_chans);
  if (oa.num_views() != ob.num_views()) return differ("views", oa.num_views(), ob.num_views());
  if (oa.denoise != ob.denoise) return "one model was trained with N, the other without";
  return "";
}

LossParams params_on(const LossParams& b, const LossParams& a) {
  LossParams p = b;
  p.sigma_max = a.sigma_max;
  p.mask_ratio = a.mask_ratio;
  p.pixel_std = a.pixel_std;
  return p;
}

Reconstruction reconstruct(CanModel& model, const AnalysisBatch& batch, const LossParams& params,
                           const StepDraws& draws, int64_t k) {
  torch::NoGradGuard no_grad;
  auto out = model->forward(batch.view1, batch.view2, params, draws);
  // The snapshot the studio's panels draw: norm_pix predictions already de-normalised.
  auto s = make_snapshot(out, batch.view1, model->config(), model->objectives(), params, k, 0, batch.mean, batch.std);
  Reconstruction r;
  r.noisy = s.noisy[0];
  r.clean = s.views[0];
  r.mask = s.mask[0].flatten(1);
  if (s.reconstruction.defined()) {
    r.reconstruction = s.reconstruction[0];
    const int64_t p = model->config().patch_size;
    auto squared = patchify((r.reconstruction - r.clean).to(torch::kFloat64), p).pow(2).mean(-1);  // [k, T]
    r.patch_error = squared * r.mask.to(torch::kFloat64);
  }
  return r;
}

SweepDifference sweep_difference(const SigmaSweep& a, const SigmaSweep& b) {
  if (a.sigma != b.sigma) throw std::invalid_argument("the two sigma sweeps have different sigmas");
  SweepDifference d;
  d.sigma = a.sigma;
  for (size_t k = 0; k < a.sigma.size(); ++k) {
    d.denoise.push_back(b.true_sigma.denoise[k] - a.true_sigma.denoise[k]);
    if (a.has_rec && b.has_rec) d.rec.push_back(b.true_sigma.rec[k] - a.true_sigma.rec[k]);
  }
  return d;
}

}  // namespace can::analysis
