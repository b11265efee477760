// The sigma sweep (core/analysis/sigma_sweep): on a model whose noise-level embedding has no
// effect the wrong- and zero-embedding curves equal the true one exactly; on a model trained
// with N at sigma_max 1.0 they differ; and a point of the sweep equals L_denoise / L_rec
// computed directly from one forward() with the same draws.
#include <QtTest/QtTest>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>

#include "core/analysis/sigma_sweep.h"
#include "core/model/patchify.h"
#include "tiny_model.h"

namespace an = can::analysis;

namespace {

// Smooth images (a few low-frequency waves each), so that noise is told apart from content.
torch::Tensor smooth_images(int64_t n, at::Generator& gen) {
  auto coords = torch::arange(16, torch::kFloat32) / 16.0 * 6.2831853;
  auto yy = coords.view({1, 1, 16, 1}), xx = coords.view({1, 1, 1, 16});
  auto r = [&](double lo, double hi) { return at::rand({n, 1, 1, 1}, gen) * (hi - lo) + lo; };
  return r(0.3, 1) * torch::sin(r(0.5, 2) * xx + r(0, 6)) + r(0.3, 1) * torch::cos(r(0.5, 2) * yy + r(0, 6));
}

can::LossParams params_at(double sigma_max) {
  can::LossParams p;
  p.sigma_max = sigma_max;
  return p;
}

can::CanModel tiny_model(int seed) {
  torch::manual_seed(seed);
  return can::CanModel(can::test::tiny_model_config(1), can::Objectives{}, 1.0);
}

// L_denoise and L_rec written out from x_hat: per-patch mean squared error, averaged over the
// visible (denoise) or masked (rec, norm_pix) patches.
std::pair<double, double> by_hand(const can::CanOutput& out) {
  auto per_patch = [](const torch::Tensor& pred, const torch::Tensor& target) {
    return (pred - target).pow(2).mean(-1);
  };
  auto visible = 1 - out.mask;
  const double denoise =
      ((per_patch(out.x_hat, can::patchify(out.noise, 4)) * visible).sum() / visible.sum()).item<double>();
  auto clean = can::patchify(out.clean, 4);
  auto mean = clean.mean(-1, true), var = clean.var(-1, /*unbiased=*/true, /*keepdim=*/true);
  auto target = (clean - mean) / (var + 1e-6).sqrt();
  const double rec = ((per_patch(out.x_hat, target) * out.mask).sum() / out.mask.sum()).item<double>();
  return {denoise, rec};
}

bool near(double a, double b, double rel = 1e-5) { return std::abs(a - b) <= rel * std::max(std::abs(b), 1e-8); }

}  // namespace

class TestSigmaSweep : public QObject {
  Q_OBJECT
  can::CanModel trained_{nullptr};
  torch::Tensor v1_, v2_;
  can::StepDraws draws_;

 private Q_SLOTS:
  void initTestCase() {
    torch::set_num_threads(1);  // a tiny model: threads only add overhead
    auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
    v1_ = smooth_images(8, gen);
    v2_ = smooth_images(8, gen);
    // A few hundred tiny steps of CAN with N at sigma_max 1.0 on fresh smooth images.
    trained_ = tiny_model(1);
    const auto p = params_at(1.0);
    torch::optim::AdamW opt(trained_->parameters(), torch::optim::AdamWOptions(2e-3));
    for (int step = 0; step < 300; ++step) {
      auto x = smooth_images(8, gen);
      auto out = trained_->forward(x, x.flip(-1), p, gen);
      opt.zero_grad();
      out.loss.backward();
      opt.step();
    }
    trained_->eval();
    draws_ = an::sweep_draws(trained_, 8, 42);
  }

  void coincidesWithoutSigmaConditioning() {
    // The noise-level embedding's last Linear zeroed: its output is exactly 0 for every
    // sigma, so the decoder sees the same tokens whatever level it is given.
    auto m = tiny_model(2);
    {
      torch::NoGradGuard no_grad;
      m->decoder->noise_embed->fc2->weight.zero_();
      m->decoder->noise_embed->fc2->bias.zero_();
    }
    auto draws = an::sweep_draws(m, 8, 42);
    an::SigmaSweepOptions o;
    o.points = 5;
    auto s = an::sigma_sweep(m, v1_, v2_, params_at(1.0), draws, o);
    QCOMPARE(s.sigma.size(), size_t(5));
    QCOMPARE(s.sigma.back(), 2.0);
    QCOMPARE(s.wrong_sigma.denoise, s.true_sigma.denoise);
    QCOMPARE(s.wrong_sigma.rec, s.true_sigma.rec);
    QCOMPARE(s.zero_sigma.denoise, s.true_sigma.denoise);
    QCOMPARE(s.wrong_rel_diff_denoise, 0.0);
    QVERIFY(s.coincide);
    QVERIFY2(s.verdict.find("ignores its noise level") != std::string::npos, s.verdict.c_str());
    // The errors still depend on sigma itself: the noise grows.
    for (size_t k = 1; k < s.sigma.size(); ++k) QVERIFY(s.true_sigma.denoise[k] > s.true_sigma.denoise[k - 1]);
  }

  void differsAfterTrainingWithN() {
    an::SigmaSweepOptions o;
    o.points = 5;
    auto s = an::sigma_sweep(trained_, v1_, v2_, params_at(1.0), draws_, o);
    qInfo("trained: wrong %.4g, zero %.4g (denoise); %s", s.wrong_rel_diff_denoise, s.zero_rel_diff_denoise,
          s.verdict.c_str());
    QVERIFY(!s.coincide);
    QVERIFY(s.wrong_rel_diff_denoise > 0.05);
    QVERIFY(s.zero_rel_diff_denoise > 0.01);
    QVERIFY2(s.verdict.find("uses its noise level") != std::string::npos, s.verdict.c_str());
    // The wrong levels are the true ones permuted (the same distribution), and not in place.
    auto wrong = std::get<0>(s.wrong_embed.flatten().sort());
    auto truth = torch::tensor(s.sigma, torch::kFloat32).repeat_interleave(16);
    QVERIFY(torch::equal(wrong, truth));
    QVERIFY(!torch::equal(s.wrong_embed, torch::tensor(s.sigma, torch::kFloat32).view({5, 1}).expand({5, 16})));
  }

  void pointEqualsDirectForward() {
    an::SigmaSweepOptions o;
    o.points = 5;
    const auto p = params_at(1.0);
    auto s = an::sigma_sweep(trained_, v1_, v2_, p, draws_, o);
    torch::NoGradGuard no_grad;
    const int64_t k = 2;  // sigma = 1.0
    QCOMPARE(s.sigma[k], 1.0);
    // The true embedding: the draws as they are, sigma_unit = 1 for every view, sigma_max 1.
    can::StepDraws d = draws_;
    d.sigma_unit = torch::full({16}, 1.0f);
    auto out = trained_->forward(v1_, v2_, p, d);
    QVERIFY(torch::equal(out.noise, draws_.e));  // the noise is e itself at sigma 1
    auto [denoise, rec] = by_hand(out);
    QVERIFY2(near(s.true_sigma.denoise[k], denoise), qPrintable(QString::number(denoise)));
    QVERIFY(near(s.true_sigma.rec[k], rec));
    // Giving the embedding the true sigma explicitly changes nothing, bit for bit.
    d.sigma_embed = out.sigma;
    QVERIFY(torch::equal(trained_->forward(v1_, v2_, p, d).x_hat, out.x_hat));
    // The wrong embedding: the same noise, the permuted levels in the embedding only.
    d.sigma_embed = s.wrong_embed[k];
    auto wrong = trained_->forward(v1_, v2_, p, d);
    QVERIFY(torch::equal(wrong.noise, out.noise) && torch::equal(wrong.noisy, out.noisy));
    QVERIFY(torch::equal(wrong.z, out.z));  // the encoder's input and output are unchanged
    auto [wd, wr] = by_hand(wrong);
    QVERIFY(near(s.wrong_sigma.denoise[k], wd));
    QVERIFY(near(s.wrong_sigma.rec[k], wr));
    // sigma = 0 in the embedding.
    d.sigma_embed = torch::zeros({16});
    QVERIFY(near(s.zero_sigma.denoise[k], by_hand(trained_->forward(v1_, v2_, p, d)).first));
  }

  void refusesAModelWithoutN() {
    can::Objectives o;
    o.denoise = false;
    torch::manual_seed(0);
    can::CanModel m(can::test::tiny_model_config(1), o, 1.0);
    auto draws = m->draw(8, torch::TensorOptions());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, an::sigma_sweep(m, v1_, v2_, params_at(1.0), draws));
  }
};

QTEST_APPLESS_MAIN(TestSigmaSweep)
#include "tst_sigma_sweep.moc"
