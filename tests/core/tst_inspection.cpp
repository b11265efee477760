// The inspector's engine (core/analysis/inspection): the forward runs on exactly the mask
// asked for (the encoder's output ignores the masked pixels and follows the visible ones),
// the per-patch error maps are a naive loop over patches of the MSE on the forward's own
// prediction with hand-made draws, the true noise is sigma * e with e drawn by hand from the
// seed, and the neighbours are a naive cosine ranking.
#include <QtTest/QtTest>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/analysis/inspection.h"
#include "core/model/patchify.h"
#include "tiny_model.h"

namespace an = can::analysis;

namespace {

constexpr int64_t kT = 16, kP = 4, kGrid = 4;

can::CanModel tiny_model(int seed) {
  torch::manual_seed(seed);
  auto m = can::CanModel(can::test::tiny_model_config(1), can::Objectives{}, 1.0);
  m->eval();
  return m;
}

// A hand-chosen mask: 6 of the 16 patches.
std::vector<bool> hand_mask() {
  std::vector<bool> m(kT, false);
  for (int t : {0, 3, 5, 6, 10, 15}) m[t] = true;
  return m;
}

// Adds `delta` to the pixels of patch t of a [1, H, W] image.
torch::Tensor shift_patch(const torch::Tensor& img, int64_t t, float delta) {
  auto out = img.clone();
  const int64_t r = t / kGrid, c = t % kGrid;
  out.narrow(1, r * kP, kP).narrow(2, c * kP, kP).add_(delta);
  return out;
}

an::InspectionRequest request(const torch::Tensor& img) {
  an::InspectionRequest rq;
  rq.image = img;
  rq.mask = hand_mask();
  rq.sigma = 0.4;
  rq.noise_seed = 1234;
  return rq;
}

}  // namespace

class TestInspection : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void encoderSeesExactlyTheUnmaskedPatches() {
    auto model = tiny_model(3);
    can::LossParams params;
    auto img = torch::randn({1, 16, 16});
    auto base = an::inspect(model, params, request(img));
    QVERIFY(base.mask == hand_mask());
    const auto mask = hand_mask();
    // Changing every masked patch's pixels leaves the encoder's output as it was...
    auto hidden = img;
    for (int64_t t = 0; t < kT; ++t)
      if (mask[t]) hidden = shift_patch(hidden, t, 5.0f);
    auto same = an::inspect(model, params, request(hidden));
    QVERIFY(torch::equal(same.z, base.z));
    // ...and changing any one visible patch changes it.
    for (int64_t t = 0; t < kT; ++t) {
      if (mask[t]) continue;
      auto moved = an::inspect(model, params, request(shift_patch(img, t, 0.5f)));
      QVERIFY2(!torch::allclose(moved.z, base.z), qPrintable(QString("visible patch %1 not seen").arg(t)));
    }
    // The masked input is zero exactly on the masked patches.
    auto per_patch = can::patchify(base.masked_input.unsqueeze(0), kP)[0].abs().sum(-1);
    for (int64_t t = 0; t < kT; ++t) QCOMPARE(per_patch[t].item<float>() == 0.0f, bool(mask[t]));
  }

  // The error maps and losses against the forward's own x_hat on hand-made draws, a naive
  // loop over patches of the mean squared error.
  void errorMapsAreANaivePerPatchMse() {
    auto model = tiny_model(5);
    can::LossParams params;  // norm_pix on, noise target "noise"
    auto img = torch::randn({1, 16, 16});
    auto ins = an::inspect(model, params, request(img));
    const auto mask = hand_mask();

    // The same step written out: draws by hand, masked patches given the larger mask noise.
    can::StepDraws d;
    auto mn = torch::rand({kT}) * 0.5;
    for (int64_t t = 0; t < kT; ++t)
      if (mask[t]) mn[t] += 0.5;
    d.mask_noise = mn.unsqueeze(0).repeat({2, 1});
    auto gen = at::make_generator<at::CPUGeneratorImpl>(1234);
    auto e = at::randn({1, 16, 16}, gen, torch::TensorOptions().dtype(torch::kFloat32));
    d.e = e.unsqueeze(0).repeat({2, 1, 1, 1});
    d.sigma_unit = torch::full({2}, 0.4);
    can::LossParams p = params;
    p.mask_ratio = 6.0 / 16.0;
    p.sigma_max = 1.0;
    torch::NoGradGuard ng;
    auto x = img.unsqueeze(0);
    auto out = model->forward(x, x, p, d);
    auto x_hat = out.x_hat[0];

    // True noise: sigma * e, e from the seed by hand.
    QVERIFY(torch::allclose(ins.true_noise, 0.4 * e, 0, 0));
    auto clean = can::patchify(x, kP)[0];
    auto noise = can::patchify((0.4 * e).unsqueeze(0), kP)[0];
    double rec_sum = 0, den_sum = 0;
    for (int64_t t = 0; t < kT; ++t) {
      const int64_t r = t / kGrid, c = t % kGrid;
      // Reconstruction target: the clean patch by its own mean and unbiased variance.
      double mean = 0, var = 0;
      const int64_t K = clean.size(1);
      for (int64_t k = 0; k < K; ++k) mean += clean[t][k].item<double>();
      mean /= K;
      for (int64_t k = 0; k < K; ++k) var += std::pow(clean[t][k].item<double>() - mean, 2);
      var /= (K - 1);
      double rec = 0, den = 0;
      for (int64_t k = 0; k < K; ++k) {
        rec += std::pow(x_hat[t][k].item<double>() - (clean[t][k].item<double>() - mean) / std::sqrt(var + 1e-6), 2);
        den += std::pow(x_hat[t][k].item<double>() - noise[t][k].item<double>(), 2);
      }
      rec /= K;
      den /= K;
      const double rec_map = ins.rec_error[r][c].item<double>(), den_map = ins.denoise_error[r][c].item<double>();
      if (mask[t]) {
        QVERIFY2(std::abs(rec_map - rec) <= 1e-5 * std::max(1.0, rec), qPrintable(QString::number(t)));
        QCOMPARE(den_map, 0.0);
        rec_sum += rec;
      } else {
        QVERIFY2(std::abs(den_map - den) <= 1e-5 * std::max(1e-3, den), qPrintable(QString::number(t)));
        QCOMPARE(rec_map, 0.0);
        den_sum += den;
      }
    }
    QVERIFY(std::abs(ins.loss_rec - rec_sum / 6) <= 1e-5 * rec_sum);
    QVERIFY(std::abs(ins.loss_denoise - den_sum / 10) <= 1e-5 * std::max(den_sum, 1e-3));
    QVERIFY(std::abs(ins.loss_rec - out.loss_rec.item<double>()) <= 1e-6);
    // The reconstruction: the clean image on visible patches; on masked ones x_hat mapped
    // back with the true patch's mean and std (norm_pix).
    QVERIFY(ins.reconstruction_uses_true_stats);
    auto rec_patches = can::patchify(ins.reconstruction.unsqueeze(0), kP)[0];
    for (int64_t t = 0; t < kT; ++t) {
      auto c = clean[t];
      auto want = mask[t] ? x_hat[t] * (c.var(0, true) + 1e-6).sqrt() + c.mean() : c;
      QVERIFY2(torch::allclose(rec_patches[t], want, 1e-5, 1e-5), qPrintable(QString::number(t)));
    }
  }

  void randomMaskHidesWhatTrainingWould() {
    for (double ratio : {0.0, 0.25, 0.5, 0.75}) {
      auto m = an::random_patch_mask(kT, ratio, 7);
      QCOMPARE(int64_t(std::count(m.begin(), m.end(), true)), kT - can::num_keep(kT, ratio));
    }
    QVERIFY(an::random_patch_mask(kT, 0.5, 7) == an::random_patch_mask(kT, 0.5, 7));
    QVERIFY(an::random_patch_mask(kT, 0.5, 7) != an::random_patch_mask(kT, 0.5, 8));
  }

  void refusesAMaskHidingEverything() {
    auto model = tiny_model(1);
    auto rq = request(torch::randn({1, 16, 16}));
    rq.mask.assign(kT, true);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, an::inspect(model, can::LossParams{}, rq));
  }

  void neighboursAreANaiveCosineRanking() {
    auto model = tiny_model(9);
    torch::manual_seed(2);
    auto images = torch::randn({40, 1, 16, 16});
    torch::Tensor bank;
    {
      torch::NoGradGuard ng;
      bank = model->features(images);
    }
    auto query = images[17] + 0.05 * torch::randn({1, 16, 16});
    auto got = an::nearest_neighbours(model, bank, query, 8);
    torch::Tensor q;
    {
      torch::NoGradGuard ng;
      q = model->features(query.unsqueeze(0))[0];
    }
    std::vector<std::pair<double, int64_t>> naive;
    for (int64_t i = 0; i < bank.size(0); ++i) {
      double dot = 0, na = 0, nb = 0;
      for (int64_t j = 0; j < bank.size(1); ++j) {
        const double a = bank[i][j].item<double>(), b = q[j].item<double>();
        dot += a * b;
        na += a * a;
        nb += b * b;
      }
      naive.push_back({-dot / std::sqrt(na * nb), i});
    }
    std::sort(naive.begin(), naive.end());
    QCOMPARE(got.size(), size_t(8));
    QCOMPARE(got[0].index, int64_t(17));
    for (size_t r = 0; r < got.size(); ++r) {
      QCOMPARE(got[r].index, naive[r].second);
      QVERIFY(std::abs(got[r].similarity + naive[r].first) < 1e-5);
    }
  }
};

QTEST_APPLESS_MAIN(TestInspection)
#include "tst_inspection.moc"
