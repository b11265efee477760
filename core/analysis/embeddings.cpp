#include "core/analysis/embeddings.h"

namespace can::analysis {

ViewEmbeddings view_embeddings(CanModel& model, const torch::Tensor& view1, const torch::Tensor& view2,
                               const LossParams& params, const StepDraws& draws) {
  torch::NoGradGuard no_grad;
  ViewEmbeddings e;
  const int64_t n = view1.size(0);
  if (model->objectives().contrastive) {
    auto out = model->forward(view1, view2, params, draws);
    auto u = out.u.to(torch::kCPU, torch::kFloat32);  // [2n, r], view-major
    e.u1 = u.narrow(0, 0, n);
    e.u2 = u.narrow(0, n, n);
    e.source = "projector";
  } else {
    namespace F = torch::nn::functional;
    auto unit = [&](const torch::Tensor& v) {
      return F::normalize(model->features(v).to(torch::kCPU, torch::kFloat32), F::NormalizeFuncOptions().dim(1));
    };
    e.u1 = unit(view1);
    e.u2 = unit(view2);
    e.source = "encoder_pool";
  }
  return e;
}

}  // namespace can::analysis
