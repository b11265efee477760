// The objective-balance fields from the engine to the curves: StepMetrics -> MetricsPoint
// (toMetricsPoint, NaN where absent) and metrics.jsonl -> the history the studio loads
// (loadRunHistory).

#include "app/run_controller.h"
#include "app/training_worker.h"
#include "core/train/observer.h"
#include "tests/app/studio_fixtures.h"

#include <QtTest/QtTest>
#include <QtWidgets>

#include <cmath>

using namespace studio_test;

namespace {

double MetricsPoint::*const kFields[] = {&MetricsPoint::gradNormInfoNce, &MetricsPoint::gradNormRec,
                                         &MetricsPoint::gradNormDenoise, &MetricsPoint::gradCosCA,
                                         &MetricsPoint::gradCosCN,       &MetricsPoint::gradCosAN};
const char* const kKeys[] = {"grad_norm_infonce", "grad_norm_rec", "grad_norm_denoise",
                             "grad_cos_c_a",      "grad_cos_c_n",  "grad_cos_a_n"};

}  // namespace

class TestRunHistory : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("CAN Studio tests");
    QCoreApplication::setApplicationName("tst_run_history");
    QSettings().clear();
  }

  void toMetricsPointCarriesTheBalance() {
    can::StepMetrics m;
    m.step = 50;
    m.grad_norm_infonce = 0.125;
    m.grad_norm_rec = 3.0e-3;
    m.grad_norm_denoise = 47.5;
    m.grad_cos_c_a = -0.25;
    m.grad_cos_c_n = 0.0;
    m.grad_cos_a_n = 1.0 / 3.0;
    const MetricsPoint p = toMetricsPoint(m);
    QCOMPARE(p.gradNormInfoNce, 0.125);
    QCOMPARE(p.gradNormRec, 3.0e-3);
    QCOMPARE(p.gradNormDenoise, 47.5);
    QCOMPARE(p.gradCosCA, -0.25);
    QCOMPARE(p.gradCosCN, 0.0);
    QCOMPARE(p.gradCosAN, 1.0 / 3.0);
    // Not measured (another step, or a term that is off): NaN, as knnTop1.
    can::StepMetrics off;
    off.step = 51;
    off.grad_norm_infonce = 0.5;
    const MetricsPoint q = toMetricsPoint(off);
    QCOMPARE(q.gradNormInfoNce, 0.5);
    for (int term = 1; term < 6; ++term) QVERIFY2(std::isnan(q.*kFields[term]), kKeys[term]);
  }

  void historyCarriesTheBalance() {
    const QString dir = scratch("history_balance");
    QFile f(dir + "/metrics.jsonl");
    QVERIFY(f.open(QIODevice::WriteOnly));
    // Written by hand, as the engine documents the keys (core/train/metrics_log.h).
    f.write(R"({"step": 1, "loss": 2.0})"
            "\n");
    f.write(R"({"step": 2, "loss": 1.5, "grad_norm_infonce": 0.25, "grad_norm_rec": 0.0625, )"
            R"("grad_cos_c_a": -0.5})"
            "\n");
    f.write(R"({"step": 3, "loss": 1.25})"
            "\n");
    f.close();
    const RunHistory h = loadRunHistory(dir, -1);
    QCOMPARE(h.points.size(), 3);
    for (int term = 0; term < 6; ++term) {
      QVERIFY2(std::isnan(h.points[0].*kFields[term]), kKeys[term]);
      QVERIFY2(std::isnan(h.points[2].*kFields[term]), kKeys[term]);
    }
    QCOMPARE(h.points[1].gradNormInfoNce, 0.25);
    QCOMPARE(h.points[1].gradNormRec, 0.0625);
    QCOMPARE(h.points[1].gradCosCA, -0.5);
    QVERIFY(std::isnan(h.points[1].gradNormDenoise));
    QVERIFY(std::isnan(h.points[1].gradCosCN));
    QVERIFY(std::isnan(h.points[1].gradCosAN));
  }
};

QTEST_MAIN(TestRunHistory)
#include "tst_run_history.moc"
