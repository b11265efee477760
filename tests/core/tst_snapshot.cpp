// visible_noise_mse (core/train/snapshot): the Denoising panel's error of the predicted
// noise, checked against a plain loop over views, samples, channels and pixels.

#include "core/train/snapshot.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>

using namespace can;

namespace {

// The definition written out: the mean over visible pixels (their patch unmasked) and
// channels of (predicted - true)^2, 0 where nothing is visible.
double naiveVisibleNoiseMse(const Snapshot& s, int64_t v, int64_t i) {
  const int64_t C = s.true_noise.size(2), H = s.true_noise.size(3), W = s.true_noise.size(4), p = s.patch_size;
  auto mask = s.mask.accessor<float, 4>();
  auto truth = s.true_noise.accessor<float, 5>();
  auto predicted = s.predicted_noise.accessor<float, 5>();
  double sum = 0.0, count = 0.0;
  for (int64_t c = 0; c < C; ++c)
    for (int64_t y = 0; y < H; ++y)
      for (int64_t x = 0; x < W; ++x) {
        if (mask[v][i][y / p][x / p] > 0.5f) continue;
        const double d = double(predicted[v][i][c][y][x]) - double(truth[v][i][c][y][x]);
        sum += d * d;
        count += 1.0;
      }
  return sum / std::max(1.0, count);
}

Snapshot randomSnapshot(int64_t V, int64_t k, int64_t C, int64_t grid, int64_t p) {
  torch::manual_seed(3);
  Snapshot s;
  s.num_views = V;
  s.patch_size = p;
  s.mask = (torch::rand({V, k, grid, grid}) < 0.6).to(torch::kFloat32);
  s.mask[0][0].fill_(1.0f);          // nothing visible
  s.mask[V - 1][k - 1].fill_(0.0f);  // everything visible
  s.true_noise = torch::randn({V, k, C, grid * p, grid * p});
  // Predictions on masked patches are ignored whatever they hold.
  s.predicted_noise = s.true_noise + 0.3 * torch::randn({V, k, C, grid * p, grid * p});
  return s;
}

}  // namespace

class TestSnapshot : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void visibleNoiseMseMatchesALoop() {
    for (int64_t C : {1, 3}) {
      const Snapshot s = randomSnapshot(2, 3, C, 4, 4);
      const torch::Tensor mse = visible_noise_mse(s);
      QVERIFY(mse.dim() == 2 && mse.size(0) == 2 && mse.size(1) == 3);
      QCOMPARE(mse.scalar_type(), torch::kFloat64);
      for (int64_t v = 0; v < 2; ++v)
        for (int64_t i = 0; i < 3; ++i) {
          const double expected = naiveVisibleNoiseMse(s, v, i);
          const double got = mse[v][i].item<double>();
          QVERIFY2(std::abs(got - expected) <= 1e-5 * std::max(1.0, expected),
                   qPrintable(QString("C=%1 view %2 sample %3: %4 vs %5").arg(C).arg(v).arg(i).arg(got).arg(expected)));
        }
      QCOMPARE(mse[0][0].item<double>(), 0.0);  // no visible pixel
      QVERIFY(mse[1][2].item<double>() > 0.0);
    }
  }

  void withoutPredictedNoiseItIsUndefined() {
    Snapshot s = randomSnapshot(2, 2, 1, 2, 4);
    s.predicted_noise = torch::Tensor();
    QVERIFY(!visible_noise_mse(s).defined());
  }
};

QTEST_MAIN(TestSnapshot)
#include "tst_snapshot.moc"
