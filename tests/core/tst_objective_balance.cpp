// Objective balance (core/train/objective_balance): each term's encoder-gradient norm and
// the pairwise cosines, checked against per-term backward passes computed separately.

#include <QtTest/QtTest>
#include <torch/torch.h>

#include <cmath>

#include "core/model/can_model.h"
#include "core/train/objective_balance.h"
#include "tiny_model.h"

using namespace can;

namespace {

struct Setup {
  CanModel model{nullptr};
  torch::Tensor v1, v2;
  StepDraws draws;
  LossParams loss;
};

Setup make_setup(const Objectives& objectives) {
  torch::manual_seed(3);
  Setup s;
  s.model = CanModel(test::tiny_model_config(), objectives, 0.05);
  s.v1 = torch::randn({6, 1, 16, 16});
  s.v2 = torch::randn({6, 1, 16, 16});
  s.loss.sigma_max = 0.5;  // noise large enough that N's gradient is not tiny
  auto gen = at::make_generator<at::CPUGeneratorImpl>(11);
  s.draws = s.model->draw(6, s.v1.options(), gen);
  return s;
}

// The encoder's gradient of `weight * term` from a fresh forward with the same draws and
// an ordinary backward(), flattened into one float64 vector.
torch::Tensor encoder_gradient_by_backward(Setup& s, int term, double weight) {
  s.model->zero_grad();
  CanOutput out = s.model->forward(s.v1, s.v2, s.loss, s.draws);
  const torch::Tensor& l = term == 0 ? out.loss_info_nce : term == 1 ? out.loss_rec : out.loss_denoise;
  (l * weight).backward();
  std::vector<torch::Tensor> flat;
  for (const auto& p : s.model->encoder->parameters())
    flat.push_back(p.grad().defined() ? p.grad().flatten().to(torch::kFloat64)
                                      : torch::zeros({p.numel()}, torch::kFloat64));
  return torch::cat(flat);
}

double cosine(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.dot(b) / (a.norm() * b.norm())).item<double>();
}

}  // namespace

class TestObjectiveBalance : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void normsAndCosinesMatchPerTermBackward() {
    Setup s = make_setup(Objectives{});
    const double w[3] = {s.loss.lambda_c, s.loss.lambda_a, s.loss.lambda_n};
    torch::Tensor g[3];
    for (int k = 0; k < 3; ++k) g[k] = encoder_gradient_by_backward(s, k, w[k]);

    s.model->zero_grad();
    CanOutput out = s.model->forward(s.v1, s.v2, s.loss, s.draws);
    const ObjectiveBalance b = measure_objective_balance(out, s.loss, Objectives{}, s.model->encoder->parameters());
    QVERIFY(b.norm_c && b.norm_a && b.norm_n && b.cos_c_a && b.cos_c_n && b.cos_a_n);
    const double expected_norm[3] = {g[0].norm().item<double>(), g[1].norm().item<double>(),
                                     g[2].norm().item<double>()};
    const double got_norm[3] = {*b.norm_c, *b.norm_a, *b.norm_n};
    for (int k = 0; k < 3; ++k) {
      QVERIFY2(expected_norm[k] > 0, "a term with no gradient would not test anything");
      QVERIFY2(std::abs(got_norm[k] - expected_norm[k]) <= 1e-5 * expected_norm[k],
               qPrintable(QString("term %1: %2 vs %3").arg(k).arg(got_norm[k]).arg(expected_norm[k])));
    }
    QVERIFY(std::abs(*b.cos_c_a - cosine(g[0], g[1])) < 1e-5);
    QVERIFY(std::abs(*b.cos_c_n - cosine(g[0], g[2])) < 1e-5);
    QVERIFY(std::abs(*b.cos_a_n - cosine(g[1], g[2])) < 1e-5);

    // The graph is kept and no .grad was touched: the step's own backward gives the total
    // gradient, which is the sum of the three term gradients.
    for (const auto& p : s.model->parameters())
      QVERIFY(!p.grad().defined() || p.grad().abs().max().item<double>() == 0);
    out.loss.backward();
    std::vector<torch::Tensor> flat;
    for (const auto& p : s.model->encoder->parameters())
      flat.push_back(p.grad().defined() ? p.grad().flatten().to(torch::kFloat64)
                                        : torch::zeros({p.numel()}, torch::kFloat64));
    const torch::Tensor total = torch::cat(flat);
    QVERIFY((total - (g[0] + g[1] + g[2])).abs().max().item<double>() <= 1e-5 * total.abs().max().item<double>());

    // Each term's share of the update: its gradient projected on the step's own total
    // gradient, over the total's squared norm.
    QVERIFY(b.share_c && b.share_a && b.share_n);
    const double got_share[3] = {*b.share_c, *b.share_a, *b.share_n};
    const double total_sq = total.dot(total).item<double>();
    for (int k = 0; k < 3; ++k) {
      const double expected = g[k].dot(total).item<double>() / total_sq;
      QVERIFY2(std::abs(got_share[k] - expected) <= 1e-5 * std::max(1.0, std::abs(expected)),
               qPrintable(QString("share %1: %2 vs %3").arg(k).arg(got_share[k]).arg(expected)));
    }
  }

  // The weight scales the term's norm and leaves its direction: doubling lambda_N doubles
  // ||g_N|| exactly, and no cosine moves.
  void weightScalesTheNormOnly() {
    Setup s = make_setup(Objectives{});
    CanOutput out = s.model->forward(s.v1, s.v2, s.loss, s.draws);
    const ObjectiveBalance a = measure_objective_balance(out, s.loss, Objectives{}, s.model->encoder->parameters());
    LossParams doubled = s.loss;
    doubled.lambda_n *= 2;
    const ObjectiveBalance b = measure_objective_balance(out, doubled, Objectives{}, s.model->encoder->parameters());
    QVERIFY(std::abs(*b.norm_n - 2 * *a.norm_n) <= 1e-6 * *b.norm_n);
    QCOMPARE(*b.norm_c, *a.norm_c);
    QVERIFY(std::abs(*b.cos_a_n - *a.cos_a_n) < 1e-9);
  }

  // A term that is off has no norm, and no cosine involves it.
  void termsThatAreOffAreAbsent() {
    const Objectives mae{false, true, false};
    Setup s = make_setup(mae);
    CanOutput out = s.model->forward(s.v1, torch::Tensor(), s.loss, s.model->draw(6, s.v1.options()));
    const ObjectiveBalance b = measure_objective_balance(out, s.loss, mae, s.model->encoder->parameters());
    QVERIFY(b.norm_a && *b.norm_a > 0);
    QVERIFY(!b.norm_c && !b.norm_n && !b.cos_c_a && !b.cos_c_n && !b.cos_a_n);
    StepMetrics m;
    b.write_to(m);
    QCOMPARE(*m.grad_norm_rec, *b.norm_a);
    QVERIFY(!m.grad_norm_infonce && !m.grad_cos_a_n);
    // The only term on carries the whole update.
    QVERIFY(b.share_a && !b.share_c && !b.share_n);
    QCOMPARE(*b.share_a, 1.0);
    QCOMPARE(*m.grad_share_rec, 1.0);
    QVERIFY(!m.grad_share_infonce && !m.grad_share_denoise);
  }
};

QTEST_MAIN(TestObjectiveBalance)
#include "tst_objective_balance.moc"
