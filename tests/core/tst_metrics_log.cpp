// metrics.jsonl: what MetricsLog writes reads back field for field (the objective-balance
// fields only where measured), a resumed run's replayed steps replace the abandoned ones,
// and a torn last line is skipped. events.jsonl: every
// event type written as the documented JSON, setting changes read back up to a step.

#include "core/train/event_log.h"
#include "core/train/metrics_log.h"
#include "tests/core/trainer_fixtures.h"

#include <QtTest/QtTest>

#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

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
  m.skipped_files = step / 2;
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
      QCOMPARE(all[i].skipped_files, want.skipped_files);
      QCOMPARE(all[i].knn_top1.has_value(), s % 2 == 0);
      if (want.knn_top1) QCOMPARE(*all[i].knn_top1, *want.knn_top1);
    }
    // Resuming the studio from step 5's checkpoint shows steps 1..5 only.
    const auto upTo5 = read_metrics_log(path, 5);
    QCOMPARE(upTo5.size(), size_t(5));
    QCOMPARE(upTo5.back().loss, 15.0);
    QVERIFY(read_metrics_log(path + ".missing").empty());
  }

  // The objective-balance fields: written under their own names on the steps that have them,
  // left out elsewhere, and read back as written (absent -> nullopt).
  void balanceFieldsRoundTrip() {
    const std::string path = test::fresh_dir("metrics_log_balance") + "/metrics.jsonl";
    StepMetrics all = point(2, 1.0);  // all three terms on: every field measured
    all.grad_norm_infonce = 0.125;
    all.grad_norm_rec = 3.0e-3;
    all.grad_norm_denoise = 47.5;
    all.grad_cos_c_a = -0.25;
    all.grad_cos_c_n = 1.0 / 3.0;  // needs every digit
    all.grad_cos_a_n = 0.875;
    StepMetrics ca = point(3, 1.0);  // N off: its norm and both of its cosines absent
    ca.grad_norm_infonce = 0.5;
    ca.grad_norm_rec = 0.0625;
    ca.grad_cos_c_a = 0.0;             // a measured zero is not "absent"
    StepMetrics zero = point(4, 1.0);  // a cosine of a zero gradient: NaN
    zero.grad_norm_infonce = 0.0;
    zero.grad_norm_rec = 2.0;
    zero.grad_cos_c_a = std::numeric_limits<double>::quiet_NaN();
    {
      MetricsLog log(path);
      log.append(point(1, 1.0));  // not a balance step
      log.append(all);
      log.append(ca);
      log.append(zero);
    }
    // A line from before these fields existed (no balance keys at all).
    std::ofstream(path, std::ios::app) << R"({"step": 5, "loss": 0.5, "lr": 0.001})" << '\n';

    const char* const keys[] = {"grad_norm_infonce", "grad_norm_rec", "grad_norm_denoise",
                                "grad_cos_c_a",      "grad_cos_c_n",  "grad_cos_a_n"};
    std::ifstream in(path);
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    QCOMPARE(lines.size(), size_t(5));
    for (const char* k : keys) QVERIFY2(!lines[0].contains(k), k);  // absent, not null
    for (const char* k : keys) QVERIFY2(lines[1].contains(k), k);
    QCOMPARE(lines[1]["grad_norm_denoise"].get<double>(), 47.5);
    QCOMPARE(lines[1]["grad_cos_c_a"].get<double>(), -0.25);
    QVERIFY(!lines[2].contains("grad_norm_denoise") && !lines[2].contains("grad_cos_c_n") &&
            !lines[2].contains("grad_cos_a_n"));

    const auto back = read_metrics_log(path);
    QCOMPARE(back.size(), size_t(5));
    auto absent = [&](size_t i) {
      const StepMetrics& m = back[i];
      return !m.grad_norm_infonce && !m.grad_norm_rec && !m.grad_norm_denoise && !m.grad_cos_c_a && !m.grad_cos_c_n &&
             !m.grad_cos_a_n;
    };
    QVERIFY(absent(0));
    QVERIFY(absent(4));
    QCOMPARE(back[4].loss, 0.5);
    const StepMetrics& b = back[1];
    QVERIFY(b.grad_norm_infonce && b.grad_norm_rec && b.grad_norm_denoise && b.grad_cos_c_a && b.grad_cos_c_n &&
            b.grad_cos_a_n);
    QCOMPARE(*b.grad_norm_infonce, 0.125);
    QCOMPARE(*b.grad_norm_rec, 3.0e-3);
    QCOMPARE(*b.grad_norm_denoise, 47.5);
    QCOMPARE(*b.grad_cos_c_a, -0.25);
    QCOMPARE(*b.grad_cos_c_n, 1.0 / 3.0);  // exact: JSON keeps the shortest round-trip digits
    QCOMPARE(*b.grad_cos_a_n, 0.875);
    QCOMPARE(b.loss, 1.0);  // the rest of the line is unaffected
    const StepMetrics& c = back[2];
    QCOMPARE(*c.grad_norm_infonce, 0.5);
    QCOMPARE(*c.grad_norm_rec, 0.0625);
    QVERIFY(c.grad_cos_c_a.has_value());
    QCOMPARE(*c.grad_cos_c_a, 0.0);
    QVERIFY(!c.grad_norm_denoise && !c.grad_cos_c_n && !c.grad_cos_a_n);
    // The NaN cosine was written as null: that field reads as not measured, the line is kept.
    QVERIFY(lines[3]["grad_cos_c_a"].is_null());
    const StepMetrics& z = back[3];
    QCOMPARE(z.step, int64_t(4));
    QVERIFY(!z.grad_cos_c_a);
    QCOMPARE(*z.grad_norm_infonce, 0.0);
    QCOMPARE(*z.grad_norm_rec, 2.0);
  }

  void eventsAreTypedLines() {
    const std::string path = test::fresh_dir("event_log") + "/events.jsonl";
    {
      EventLog log(path);
      log.setting_changed({3, "loss.mask_ratio", 0.5, 0.75});
      log.checkpoint(4, "RUN/checkpoints/step_000004");
      log.setting_changed({7, "loss.w_rec", 0.67, 0.5});
      log.error(9, "loss_rec is NaN");
      log.run_ended(8, "failed");
    }
    std::ofstream(path, std::ios::app) << "{\"type\": \"setting_changed\", \"step\": 9";  // torn
    std::ifstream in(path);
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line, nullptr, false));
    QCOMPARE(lines.size(), size_t(6));
    QVERIFY(lines[0] == (nlohmann::json{{"type", "setting_changed"}, {"step", 3}, {"key", "loss.mask_ratio"},
                                        {"from", 0.5}, {"to", 0.75}}));
    QVERIFY(lines[1] == (nlohmann::json{{"type", "checkpoint"}, {"step", 4}, {"path", "RUN/checkpoints/step_000004"}}));
    QVERIFY(lines[3] == (nlohmann::json{{"type", "error"}, {"step", 9}, {"message", "loss_rec is NaN"}}));
    QVERIFY(lines[4] == (nlohmann::json{{"type", "run_ended"}, {"step", 8}, {"status", "failed"}}));
    QVERIFY(lines[5].is_discarded());

    const auto all = read_setting_changes(path);
    QCOMPARE(all.size(), size_t(2));
    QCOMPARE(all[1].step, int64_t(7));
    QCOMPARE(QString::fromStdString(all[1].key), QString("loss.w_rec"));
    QCOMPARE(all[1].from, 0.67);
    QCOMPARE(all[1].to, 0.5);
    QCOMPARE(read_setting_changes(path, 6).size(), size_t(1));  // up to the checkpoint's step
    QVERIFY(read_setting_changes(path + ".missing").empty());
  }
};

QTEST_GUILESS_MAIN(TestMetricsLog)
#include "tst_metrics_log.moc"
