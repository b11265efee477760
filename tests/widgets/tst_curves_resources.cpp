// The curves panel's resource rect: its graphs hold exactly the sampled points (values
// written out here), on the rect under images/s and on the axes they belong to; a run
// without samples leaves the rect a strip; the CSV and the hover read-out carry the values.
// Hiding the rate and resource rects (the context menu) gives their height to the others
// and loses no data.
// The step slider of the image panels: kept steps, picking, Live.
#include <QtTest/QtTest>

#include <qcustomplot.h>

#include "widgets/curves_panel.h"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Steps 1..last; every `every`-th step carries a resource sample (GPU ones when gpu).
QVector<MetricsPoint> makePoints(qint64 last, int every, bool gpu) {
  QVector<MetricsPoint> out;
  for (qint64 step = 1; step <= last; ++step) {
    MetricsPoint p;
    const double s = static_cast<double>(step);
    p.step = step;
    p.epoch = s / 8.0;
    p.loss = p.lossInfoNce = 4.0 * std::exp(-s / 60.0) + 0.9;
    p.lr = 1e-4;
    p.imgPerS = 800.0 + s;
    if (step % every == 0) {
      p.cpuPercent = 150.0 + s / 2.0;
      p.rssMib = 1000.0 + 3.0 * s;
      if (gpu) {
        p.gpuMemMib = 5000.0 + s;
        p.gpuReservedMib = 8192.0;
      }
    }
    out.append(p);
  }
  return out;
}

QVector<QPointF> expected(qint64 last, int every, double (*value)(double)) {
  QVector<QPointF> out;
  for (qint64 step = every; step <= last; step += every) out.append(QPointF(step, value(static_cast<double>(step))));
  return out;
}

}  // namespace

class TestCurvesResources : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void graphsHoldExactlyTheSamples() {
    CurvesPanel panel;
    QVERIFY(panel.resourcesCollapsed());  // no sample yet: a strip
    const QVector<MetricsPoint> pts = makePoints(95, 10, true);
    panel.appendPoints(pts.mid(0, 7));  // arrivals as the worker batches them, the first without a sample
    panel.appendPoints(pts.mid(7));
    QVERIFY(!panel.resourcesCollapsed());
    QCOMPARE(panel.plottedPoints("cpu_percent"), expected(95, 10, [](double s) { return 150.0 + s / 2.0; }));
    QCOMPARE(panel.plottedPoints("rss_mib"), expected(95, 10, [](double s) { return 1000.0 + 3.0 * s; }));
    QCOMPARE(panel.plottedPoints("gpu_mem_mib"), expected(95, 10, [](double s) { return 5000.0 + s; }));
    // The CPU share on the left axis, memory on the right, in the rect under the rate rect.
    QCPGraph* cpu = panel.graph("cpu_percent", false);
    QCPGraph* rss = panel.graph("rss_mib", false);
    QCOMPARE(cpu->keyAxis()->axisRect(), panel.resourceRect());
    QCOMPARE(cpu->valueAxis(), panel.resourceRect()->axis(QCPAxis::atLeft));
    QCOMPARE(rss->valueAxis(), panel.resourceRect()->axis(QCPAxis::atRight));
    QCOMPARE(panel.plot()->axisRect(2), panel.resourceRect());  // right under lr and images/s
    QVERIFY(cpu->visible() && rss->visible() && panel.graph("gpu_mem_mib", false)->visible());
    // Both axes from 0 and high enough for every sample.
    panel.replotNow();
    QCOMPARE(cpu->valueAxis()->range().lower, 0.0);
    QVERIFY(cpu->valueAxis()->range().upper >= 150.0 + 90 / 2.0);
    QVERIFY(rss->valueAxis()->range().upper >= 5090.0);

    // A resume from step 40 drops the later samples.
    panel.appendPoints(makePoints(45, 10, true).mid(39));
    QCOMPARE(panel.plottedPoints("rss_mib"), expected(45, 10, [](double s) { return 1000.0 + 3.0 * s; }));
  }

  void withoutGpuOrSamples() {
    CurvesPanel panel;
    panel.appendPoints(makePoints(30, 10, false));
    QVERIFY(!panel.graph("gpu_mem_mib", false)->visible());  // a CPU run: no GPU line
    QCOMPARE(panel.plottedPoints("gpu_mem_mib").size(), 0);
    QCOMPARE(panel.plottedPoints("cpu_percent").size(), 3);
    CurvesPanel old;  // an older metrics.jsonl: no samples at all
    old.appendPoints(makePoints(30, 1000, false));
    QVERIFY(old.resourcesCollapsed());
    QVERIFY(!old.graph("cpu_percent", false)->visible());
  }

  void readoutShowsTheLatestSample() {
    CurvesPanel panel;
    panel.appendPoints(makePoints(25, 10, true));
    // Step 17: the sample of step 10 (cpu 155, rss 1030, gpu 5010 of 8192).
    const QString text = panel.readoutAt(17.0);
    QVERIFY2(text.contains("resources at step 10: CPU 155%, resident 1030 MiB, GPU 5010 MiB (reserved 8192)"),
             qPrintable(text));
    QVERIFY(!panel.readoutAt(5.0).contains("resources"));  // before the first sample
  }

  void hiddenRectsGiveTheirHeightBack() {
    CurvesPanel panel;
    panel.resize(700, 420);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.appendPoints(makePoints(95, 10, false));
    panel.replotNow();
    const int loss = panel.lossRect()->height(), rate = panel.rateRect()->height(),
              resources = panel.resourceRect()->height();
    QVERIFY(rate > 10 && resources > 10);
    auto* rateAction = panel.findChild<QAction*>(QStringLiteral("showRateAction"));
    auto* resourcesAction = panel.findChild<QAction*>(QStringLiteral("showResourcesAction"));
    QVERIFY(rateAction && resourcesAction && rateAction->isChecked() && resourcesAction->isChecked());
    QVERIFY(panel.plot()->actions().contains(rateAction));  // in the plot's context menu
    rateAction->trigger();
    resourcesAction->trigger();
    panel.replotNow();
    QVERIFY(!panel.rateShown() && !panel.resourcesShown() && panel.resourcesCollapsed());
    QVERIFY(panel.rateRect()->height() <= 1);
    QVERIFY(panel.resourceRect()->height() <= 1);
    // Their height goes to the other rects: the loss rect gains at least its 2.6 / (2.6 +
    // 1 + 1 + 1.8) share of it (the layout's stretch factors; the least sizes take some).
    QVERIFY2(panel.lossRect()->height() >= loss + (rate + resources - 2) * 2.6 / 6.4 - 2,
             qPrintable(QString("%1 -> %2").arg(loss).arg(panel.lossRect()->height())));
    // Hidden, not dropped: the data and the read-out stay, and showing them restores the layout.
    QCOMPARE(panel.plottedPoints("cpu_percent"), expected(95, 10, [](double s) { return 150.0 + s / 2.0; }));
    QVERIFY(panel.readoutAt(50.0).contains("resources at step 50"));
    rateAction->trigger();
    resourcesAction->trigger();
    panel.replotNow();
    QCOMPARE(panel.lossRect()->height(), loss);
    QCOMPARE(panel.rateRect()->height(), rate);
    QCOMPARE(panel.resourceRect()->height(), resources);
    // Hidden before any sample arrives, the rect stays a strip when samples come.
    CurvesPanel early;
    early.setResourcesShown(false);
    early.appendPoints(makePoints(30, 10, false));
    QVERIFY(early.resourcesCollapsed());
    early.setResourcesShown(true);
    QVERIFY(!early.resourcesCollapsed());
  }

  void csvCarriesTheResourceColumns() {
    CurvesPanel panel;
    panel.appendPoints(makePoints(20, 10, true));
    QTemporaryDir dir;
    const QString path = dir.filePath("curves.csv");
    QString error;
    QVERIFY2(panel.exportCsv(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    const QStringList header = lines[0].split(',');
    const int cpu = header.indexOf("cpu_percent"), rss = header.indexOf("rss_mib");
    const int gpu = header.indexOf("gpu_mem_mib"), reserved = header.indexOf("gpu_reserved_mib");
    QVERIFY(cpu > 0 && rss > 0 && gpu > 0 && reserved > 0);
    const QStringList step10 = lines[10].split(','), step9 = lines[9].split(',');
    QCOMPARE(step10[0], QString("10"));
    QCOMPARE(step10[cpu].toDouble(), 155.0);
    QCOMPARE(step10[rss].toDouble(), 1030.0);
    QCOMPARE(step10[gpu].toDouble(), 5010.0);
    QCOMPARE(step10[reserved].toDouble(), 8192.0);
    QVERIFY(step9[cpu].isEmpty() && step9[rss].isEmpty());  // not sampled: empty fields
  }
};

QTEST_MAIN(TestCurvesResources)
#include "tst_curves_resources.moc"
