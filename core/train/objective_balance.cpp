#include "core/train/objective_balance.h"

#include <cmath>

namespace can {

namespace {

// The gradient of `term` on `params` (zeros where it does not reach), as float64 so that the
// dot products of large encoders do not lose the small cosines.
std::vector<torch::Tensor> term_gradient(const torch::Tensor& term, const std::vector<torch::Tensor>& params) {
  auto grads = torch::autograd::grad({term}, params, /*grad_outputs=*/{}, /*retain_graph=*/true,
                                     /*create_graph=*/false, /*allow_unused=*/true);
  for (size_t i = 0; i < grads.size(); ++i)
    grads[i] =
        grads[i].defined() ? grads[i].detach().to(torch::kFloat64) : torch::zeros_like(params[i], torch::kFloat64);
  return grads;
}

double dot(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += (a[i] * b[i]).sum().item<double>();
  return sum;
}

}  // namespace

void ObjectiveBalance::write_to(StepMetrics& m) const {
  m.grad_norm_infonce = norm_c;
  m.grad_norm_rec = norm_a;
  m.grad_norm_denoise = norm_n;
  m.grad_cos_c_a = cos_c_a;
  m.grad_cos_c_n = cos_c_n;
  m.grad_cos_a_n = cos_a_n;
  m.grad_share_infonce = share_c;
  m.grad_share_rec = share_a;
  m.grad_share_denoise = share_n;
}

ObjectiveBalance measure_objective_balance(const CanOutput& out, const LossParams& loss, const Objectives& objectives,
                                           const std::vector<torch::Tensor>& all_encoder_params) {
  // Fixed parameters (the sin-cos position embedding) have no gradient to measure.
  std::vector<torch::Tensor> encoder_params;
  for (const auto& p : all_encoder_params)
    if (p.requires_grad()) encoder_params.push_back(p);
  struct Term {
    bool on;
    torch::Tensor weighted;
    std::vector<torch::Tensor> grad;
    double norm = 0;
  } terms[3] = {{objectives.contrastive, out.loss_info_nce * loss.lambda_c, {}},
                {objectives.reconstruction, out.loss_rec * loss.lambda_a, {}},
                {objectives.denoise, out.loss_denoise * loss.lambda_n, {}}};
  for (Term& t : terms) {
    if (!t.on || !t.weighted.requires_grad()) continue;
    t.grad = term_gradient(t.weighted, encoder_params);  // detached: the sums below record nothing
    t.norm = std::sqrt(dot(t.grad, t.grad));
  }
  auto norm = [&](const Term& t) { return t.on ? std::optional<double>(t.norm) : std::nullopt; };
  auto cosine = [&](const Term& a, const Term& b) -> std::optional<double> {
    if (!a.on || !b.on || a.norm == 0 || b.norm == 0) return std::nullopt;
    return dot(a.grad, b.grad) / (a.norm * b.norm);
  };
  ObjectiveBalance r;
  r.norm_c = norm(terms[0]);
  r.norm_a = norm(terms[1]);
  r.norm_n = norm(terms[2]);
  r.cos_c_a = cosine(terms[0], terms[1]);
  r.cos_c_n = cosine(terms[0], terms[2]);
  r.cos_a_n = cosine(terms[1], terms[2]);
  // <g_k, g> = sum_j <g_k, g_j>: the shares from the pairwise dot products, and ||g||^2 as
  // their sum, so the shares sum to 1 up to rounding.
  double along[3] = {0, 0, 0}, total = 0;
  for (int k = 0; k < 3; ++k) {
    if (terms[k].grad.empty()) continue;
    for (int j = 0; j < 3; ++j)
      if (!terms[j].grad.empty())
        along[k] += j == k ? terms[k].norm * terms[k].norm : dot(terms[k].grad, terms[j].grad);
    total += along[k];
  }
  auto share = [&](int k) -> std::optional<double> {
    if (!terms[k].on || !(total > 0)) return std::nullopt;
    return along[k] / total;
  };
  r.share_c = share(0);
  r.share_a = share(1);
  r.share_n = share(2);
  return r;
}

}  // namespace can
