// Reconstruction and denoising losses (docs/method.md steps 8-9).
#include <QtTest/QtTest>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/model/can_model.h"
#include "core/model/patchify.h"
#include "core/objectives/info_nce.h"
#include "core/objectives/masked_mse.h"
#include "method_by_hand.h"
#include "tiny_model.h"

namespace {

// What a perfect decoder predicts: the (normalised) clean patch where masked, the added
// noise where visible. Patches, normalisation and the mask are built by hand
// (method_by_hand.h), not with the patchify / normalize_patches / masking under test.
torch::Tensor perfect_prediction(const torch::Tensor& clean, const torch::Tensor& added, const torch::Tensor& mask,
                                 int64_t p, bool norm_pix) {
  auto clean_patches = can::test::patches_by_hand(clean, p);
  auto target_rec = norm_pix ? can::test::normalize_by_hand(clean_patches) : clean_patches;
  auto target_noise = can::test::patches_by_hand(added, p);
  auto m = mask.unsqueeze(-1);
  return m * target_rec + (1 - m) * target_noise;
}

struct Fixture {
  can::CanModel model{nullptr};
  can::CanOutput out;
  can::LossParams params;
  int64_t p = 4;
  // The step's inputs, and what it must compute from them, by hand.
  torch::Tensor clean, added, mask;  // [2n, C, H, W] both views; sigma*e; [2n, T] 1 = masked
  torch::Tensor e;                   // the unit Gaussian draw
};

// pixel_std: with loss.noise_space pixel, each channel's std (the noise is divided by it).
Fixture run_model(bool norm_pix, const std::string& noise_space = "normalized",
                  const std::string& denoise_target = "noise", const std::vector<double>& pixel_std = {}) {
  torch::manual_seed(7);
  Fixture f;
  f.params.norm_pix = norm_pix;
  f.params.noise_space = noise_space;
  f.params.denoise_target = denoise_target;
  f.params.pixel_std = pixel_std;
  f.model = can::CanModel(can::test::tiny_model_config(3), can::Objectives{}, f.params.sigma_max);
  torch::NoGradGuard no_grad;
  auto v1 = torch::randn({3, 3, 16, 16}), v2 = torch::randn({3, 3, 16, 16});
  auto draws = f.model->draw(3, v1.options(), at::make_generator<at::CPUGeneratorImpl>(7));
  f.out = f.model->forward(v1, v2, f.params, draws);
  f.clean = torch::cat({v1, v2});
  f.added = torch::zeros_like(f.clean);
  for (int64_t i = 0; i < 6; ++i)
    for (int64_t c = 0; c < 3; ++c)
      f.added[i][c] = f.params.sigma_max * draws.sigma_unit[i].item<double>() * draws.e[i][c] /
                      (noise_space == "pixel" ? pixel_std[c] : 1.0);
  f.e = draws.e;
  f.mask = can::test::keep_by_hand(draws.mask_noise, f.params.mask_ratio).second;
  return f;
}

}  // namespace

class TestLosses : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void maskedMseMatchesNaiveLoop() {
    torch::manual_seed(1);
    auto pred = torch::randn({2, 5, 3}), target = torch::randn({2, 5, 3});
    auto w = torch::tensor({1.f, 0.f, 1.f, 1.f, 0.f, 0.f, 0.f, 1.f, 0.f, 1.f}).view({2, 5});
    double sum = 0, count = 0;
    for (int i = 0; i < 2; ++i)
      for (int t = 0; t < 5; ++t) {
        if (w[i][t].item<float>() == 0) continue;
        double se = 0;
        for (int k = 0; k < 3; ++k) se += std::pow((pred[i][t][k] - target[i][t][k]).item<double>(), 2);
        sum += se / 3;
        count += 1;
      }
    QVERIFY(std::abs(can::masked_mse(pred, target, w).item<double>() - sum / count) < 1e-6);
    QCOMPARE(can::masked_mse(pred, target, torch::zeros({2, 5})).item<double>(), 0.0);
  }

  void normalizePatchesUsesEachPatchsOwnStatistics() {
    auto x = torch::tensor({1.f, 2.f, 3.f, 10.f, 10.f, 16.f}).view({1, 2, 3});
    auto y = can::normalize_patches(x);
    // Patch 0: mean 2, unbiased var 1 -> (-1, 0, 1)/sqrt(1+1e-6). Patch 1: mean 12, var 12.
    QVERIFY(std::abs(y[0][0][0].item<double>() + 1 / std::sqrt(1 + 1e-6)) < 1e-6);
    QVERIFY(std::abs(y[0][1][2].item<double>() - 4 / std::sqrt(12 + 1e-6)) < 1e-6);
  }

  void perfectPredictionGivesZeroLosses_data() {
    QTest::addColumn<bool>("normPix");
    QTest::newRow("norm_pix") << true;
    QTest::newRow("raw pixels") << false;
  }
  void perfectPredictionGivesZeroLosses() {
    QFETCH(bool, normPix);
    auto f = run_model(normPix);
    QVERIFY(torch::equal(f.out.mask, f.mask));
    auto x_hat = perfect_prediction(f.clean, f.added, f.mask, f.p, normPix);
    auto clean = can::test::patches_by_hand(f.clean, f.p);
    auto noise = can::test::patches_by_hand(f.added, f.p);
    // The target is normalised inside reconstruction_loss; x_hat was normalised by hand.
    QVERIFY2(can::reconstruction_loss(x_hat, clean, f.mask, normPix).item<double>() < 1e-10,
             qPrintable(QString::number(can::reconstruction_loss(x_hat, clean, f.mask, normPix).item<double>())));
    QVERIFY(can::denoise_loss(x_hat, noise, f.mask).item<double>() < 1e-12);
    // and a real prediction is not perfect
    QVERIFY(can::reconstruction_loss(f.out.x_hat, clean, f.mask, normPix).item<double>() > 1e-3);
  }

  void eachLossSeesOnlyItsPatches() {
    auto f = run_model(true);
    auto clean = can::patchify(f.out.clean, f.p), noise = can::patchify(f.out.noise, f.p);
    auto m = f.out.mask.unsqueeze(-1);
    auto x_hat = f.out.x_hat;
    auto junk = torch::randn_like(x_hat) * 5;
    auto changed_visible = m * x_hat + (1 - m) * junk;  // only unmasked patches changed
    auto changed_masked = (1 - m) * x_hat + m * junk;   // only masked patches changed
    const double rec = can::reconstruction_loss(x_hat, clean, f.out.mask, true).item<double>();
    const double den = can::denoise_loss(x_hat, noise, f.out.mask).item<double>();
    QCOMPARE(can::reconstruction_loss(changed_visible, clean, f.out.mask, true).item<double>(), rec);
    QCOMPARE(can::denoise_loss(changed_masked, noise, f.out.mask).item<double>(), den);
    // and each does see its own patches
    QVERIFY(can::reconstruction_loss(changed_masked, clean, f.out.mask, true).item<double>() != rec);
    QVERIFY(can::denoise_loss(changed_visible, noise, f.out.mask).item<double>() != den);
  }

  // Each of the model's losses against docs/method.md computed by hand from the step's
  // inputs (views, sigma * e, mask noise) and the model's x_hat and u: hand-cut patches,
  // hand-normalised targets, loops for the masked means and for InfoNCE.
  void modelLossesAreTheWeightedTerms() {
    auto f = run_model(true);
    auto target_rec = can::test::normalize_by_hand(can::test::patches_by_hand(f.clean, f.p));
    auto target_noise = can::test::patches_by_hand(f.added, f.p);
    const double rec = can::test::masked_mse_by_hand(f.out.x_hat, target_rec, f.mask, true);
    const double den = can::test::masked_mse_by_hand(f.out.x_hat, target_noise, f.mask, false);
    const double nce = can::test::info_nce_by_hand(f.out.u, 0.1);
    auto close = [](const torch::Tensor& got, double want) {
      return std::abs(got.item<double>() - want) <= 1e-5 * want;
    };
    QVERIFY2(close(f.out.loss_rec, rec),
             qPrintable(QString("L_rec %1, by hand %2").arg(f.out.loss_rec.item<double>()).arg(rec)));
    QVERIFY2(close(f.out.loss_denoise, den),
             qPrintable(QString("L_denoise %1, by hand %2").arg(f.out.loss_denoise.item<double>()).arg(den)));
    QVERIFY2(close(f.out.loss_info_nce, nce),
             qPrintable(QString("L_InfoNCE %1, by hand %2").arg(f.out.loss_info_nce.item<double>()).arg(nce)));
    const double total = 0.03 * nce + 0.67 * rec + 0.3 * den;
    QVERIFY2(close(f.out.loss, total),
             qPrintable(QString("L %1, by hand %2").arg(f.out.loss.item<double>()).arg(total)));
  }

  void noiseIsSigmaTimesGaussianPerView() {
    auto f = run_model(true);
    // noisy = clean + noise, and each view's noise has the std of its sigma (within
    // sampling error over 768 values), sigma within [0, sigma_max].
    QVERIFY(torch::allclose(f.out.noise, f.added));  // sigma_i * e_i, computed by hand per view
    QVERIFY(torch::allclose(f.out.noisy, f.clean + f.added));
    QVERIFY(f.out.sigma.min().item<double>() >= 0 && f.out.sigma.max().item<double>() <= 0.05);
    for (int64_t i = 0; i < f.out.sigma.size(0); ++i) {
      const double s = f.out.sigma[i].item<double>();
      const double sd = f.out.noise[i].std().item<double>();
      QVERIFY2(std::abs(sd - s) < 0.1 * s + 1e-6, qPrintable(QString("std %1 sigma %2").arg(sd).arg(s)));
    }
    QVERIFY(f.out.sigma[0].item<double>() != f.out.sigma[3].item<double>());  // per view
  }
  // loss.noise_space pixel: sigma is in pixel units, so the normalised view gets
  // sigma*e/std_c on channel c, and N's target is that noise (by hand, per channel).
  void pixelNoiseIsDividedByEachChannelsStd() {
    const std::vector<double> stds = {0.2, 0.4, 0.5};
    auto f = run_model(true, "pixel", "noise", stds);
    QVERIFY(torch::allclose(f.out.noise, f.added, 1e-5, 1e-7));
    QVERIFY(torch::allclose(f.out.noisy, f.clean + f.added, 1e-5, 1e-6));
    const double den =
        can::test::masked_mse_by_hand(f.out.x_hat, can::test::patches_by_hand(f.added, f.p), f.mask, false);
    QVERIFY2(std::abs(f.out.loss_denoise.item<double>() - den) <= 1e-5 * den,
             qPrintable(QString("L_denoise %1, by hand %2").arg(f.out.loss_denoise.item<double>()).arg(den)));
    // Without the data's std the model refuses to guess it.
    can::LossParams no_std = f.params;
    no_std.pixel_std.clear();
    auto v = torch::randn({3, 3, 16, 16});
    QVERIFY_THROWS_EXCEPTION(c10::Error, f.model->forward(v, v, no_std));
  }

  // loss.denoise_target unit: N predicts e itself on the visible patches; the encoder still
  // sees clean + sigma*e.
  void unitTargetIsTheGaussianDraw() {
    auto f = run_model(true, "normalized", "unit");
    QVERIFY(torch::allclose(f.out.noisy, f.clean + f.added));
    const double den = can::test::masked_mse_by_hand(f.out.x_hat, can::test::patches_by_hand(f.e, f.p), f.mask, false);
    QVERIFY2(std::abs(f.out.loss_denoise.item<double>() - den) <= 1e-5 * den,
             qPrintable(QString("L_denoise %1, by hand %2").arg(f.out.loss_denoise.item<double>()).arg(den)));
    // Of order 1 (e has unit variance), where the paper's target gives ~sigma_max^2.
    QVERIFY(den > 0.1);
  }
};

QTEST_MAIN(TestLosses)
#include "tst_losses.moc"
