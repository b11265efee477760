// The objective-balance fields from the engine to the curves: StepMetrics -> MetricsPoint
// (toMetricsPoint, NaN where absent), metrics.jsonl -> the history the studio loads
// (loadRunHistory), and a reopened run whose metrics.jsonl has them draws exactly those
// points in the balance rect. With CAN_BALANCE_SCREENSHOT=FILE.png (and optionally
// CAN_BALANCE_SCREENSHOT_SIZE=WxH, CAN_BALANCE_SCREENSHOT_LANG=de|zh_CN) that window is
// saved as a PNG for a human look.

#include "app/main_window.h"
#include "app/run_controller.h"
#include "app/training_worker.h"
#include "core/train/observer.h"
#include "tests/app/studio_fixtures.h"
#include "widgets/curves_panel.h"

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

// A made-up but plausible measurement at a step: norms decades apart, C's shrinking as the
// contrastive task is learned; A and N nearly aligned, C at odds with both early on.
double balanceAt(int term, qint64 step) {
  const double s = static_cast<double>(step);
  switch (term) {
    case 0:
      return 0.08 * std::exp(-s / 60.0) + 0.01;
    case 1:
      return 0.6 + 0.1 * std::sin(s / 9.0);
    case 2:
      return 2.5 * std::exp(-s / 120.0);
    case 3:
      return -0.35 + s / 400.0;
    case 4:
      return -0.15 + 0.1 * std::cos(s / 7.0);
    default:
      return 0.7 + 0.05 * std::sin(s / 5.0);
  }
}

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

  // A finished run, its metrics.jsonl given balance measurements on every 5th step (as the
  // trainer writes them with train.balance_every 5), opened again: the balance rect holds
  // exactly those points; resumed, the curves continue after them.
  void reopenedRunDrawsItsBalance() {
    const QString lang = qEnvironmentVariable("CAN_BALANCE_SCREENSHOT_LANG", "en");
    qint64 steps = 60;
    QString runDir, checkpoint;
    {
      MainWindow w(scratch("balance_runs"));
      can::RunConfig c = tinyConfig(makeDataset("balance_data"));
      c.train.snapshot_every = 2;
      w.setBaseConfig(c);
      w.show();
      QSignalSpy finished(&w, &MainWindow::runFinished);
      QVERIFY(w.startRun(steps));
      QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
      steps = finished[0][1].toLongLong();  // the step of the run's last checkpoint
      QVERIFY(steps >= 60);
      runDir = w.runDir();
      checkpoint = w.lastCheckpoint();
    }
    QFile file(runDir + "/metrics.jsonl");
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    file.close();
    QCOMPARE(lines.size(), int(steps));
    for (QByteArray& line : lines) {
      QJsonObject o = QJsonDocument::fromJson(line).object();
      const qint64 step = o.value("step").toInteger();
      if (step % 5 == 0)
        for (int term = 0; term < 6; ++term) o.insert(kKeys[term], balanceAt(term, step));
      line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    }
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(lines.join('\n') + '\n');
    file.close();

    MainWindow again(scratch("balance_reopen"));
    again.setConfirmClose(false);
    if (lang != "en") again.switchLanguage(lang);
    const QStringList wh = qEnvironmentVariable("CAN_BALANCE_SCREENSHOT_SIZE", "1366x768").split('x');
    again.resize(wh.value(0).toInt(), wh.value(1).toInt());
    again.show();
    QVERIFY(again.openCheckpoint(checkpoint));
    CurvesPanel* curves = again.curvesPanel();
    QCOMPARE(curves->pointCount(), int(steps));
    QVERIFY(!curves->balanceCollapsed());
    for (int term = 0; term < 6; ++term) {
      const QVector<QPointF> points = curves->plottedPoints(kKeys[term]);
      QCOMPARE(points.size(), int(steps / 5));  // steps 5, 10, ...
      for (int i = 0; i < points.size(); ++i) {
        const qint64 step = 5 * (i + 1);
        QCOMPARE(points[i].x(), double(step));
        QCOMPARE(points[i].y(), balanceAt(term, step));  // JSON keeps every digit
      }
    }
    QCOMPARE(curves->balanceLegendNames().size(), 6);

    // Resumed: the new steps (none measured by this trainer's settings) follow the history.
    QSignalSpy finished(&again, &MainWindow::runFinished);
    QVERIFY(again.startRun(/*stopAfterSteps=*/6));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QTRY_COMPARE(curves->pointCount(), int(steps + 6));
    QCOMPARE(curves->plottedPoints("grad_norm_rec").size(), int(steps / 5));

    const QString shot = qEnvironmentVariable("CAN_BALANCE_SCREENSHOT");
    if (!shot.isEmpty()) {
      QTRY_VERIFY_WITH_TIMEOUT(again.panelsFilled(), 10000);
      QTest::qWait(300);  // the curves' replot timer and the last snapshot
      QVERIFY(again.grab().save(shot));
      QVERIFY(curves->exportPng(shot + ".curves.png", 0, 0));
    }
  }
};

QTEST_MAIN(TestRunHistory)
#include "tst_run_history.moc"
