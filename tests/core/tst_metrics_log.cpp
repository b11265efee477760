// metrics.jsonl: what MetricsLog writes reads back field for field, a resumed run's replayed
// steps replace the abandoned ones, and a torn last line is skipped.

#include "core/train/metrics_log.h"
#include "tests/core/trainer_fixtures.h"

#include <QtTest/QtTest>

#include <fstream>

using namespace can;

namespace {
StepMetrics point(int64_t step, double loss) {
  StepMetrics m;
  m.step = step;
  m.epoch = 0.25 * static_cast<double>(step);
  m.loss = loss;
  m.loss_info_nce = loss / 2;
  m.loss_rec = loss / 3;
  m.loss_denoise = loss / 5;
  m.lr = 1e-4 * static_cast<double>(step);
  m.img_per_s = 100.0 + static_cast<double>(step);
  m.grad_norm = 0.5;
  if (step % 2 == 0) m.knn_top1 = 0.1 * static_cast<double>(step);
  return m;
}
}  // namespace

class TestMetricsLog : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void roundTripAndResume() {
    const std::string path = test::fresh_dir("metrics_log") + "/metrics.jsonl";
    {
      MetricsLog log(path);
      for (int64_t s = 1; s <= 6; ++s) log.append(point(s, 1.0 / static_cast<double>(s)));
    }
    {  // resumed from the checkpoint of step 4: steps 5 and 6 are replayed with new values
      MetricsLog log(path);
      for (int64_t s = 5; s <= 7; ++s) log.append(point(s, 10.0 + static_cast<double>(s)));
    }
    std::ofstream(path, std::ios::app) << "{\"step\": 8, \"loss\"";  // killed mid-line

    const auto all = read_metrics_log(path);
    QCOMPARE(all.size(), size_t(7));
    for (size_t i = 0; i < all.size(); ++i) {
      const int64_t s = static_cast<int64_t>(i) + 1;
      const StepMetrics want = point(s, s <= 4 ? 1.0 / static_cast<double>(s) : 10.0 + static_cast<double>(s));
      QCOMPARE(all[i].step, s);
      QCOMPARE(all[i].loss, want.loss);
      QCOMPARE(all[i].loss_info_nce, want.loss_info_nce);
      QCOMPARE(all[i].loss_rec, want.loss_rec);
      QCOMPARE(all[i].loss_denoise, want.loss_denoise);
      QCOMPARE(all[i].epoch, want.epoch);
      QCOMPARE(all[i].lr, want.lr);
      QCOMPARE(all[i].img_per_s, want.img_per_s);
      QCOMPARE(all[i].knn_top1.has_value(), s % 2 == 0);
      if (want.knn_top1) QCOMPARE(*all[i].knn_top1, *want.knn_top1);
    }
    // Resuming the studio from step 5's checkpoint shows steps 1..5 only.
    const auto upTo5 = read_metrics_log(path, 5);
    QCOMPARE(upTo5.size(), size_t(5));
    QCOMPARE(upTo5.back().loss, 15.0);
    QVERIFY(read_metrics_log(path + ".missing").empty());
  }
};

QTEST_GUILESS_MAIN(TestMetricsLog)
#include "tst_metrics_log.moc"
