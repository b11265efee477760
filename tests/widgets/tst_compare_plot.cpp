// The panels of the experiments views: the overlay of several runs' curves (what is
// plotted is each run's own smoothed values, at x per the chosen alignment), the CSV it
// exports, and the evaluation's per-class bars and confusion matrix.
#include <QtTest/QtTest>

#include <cmath>

#include "widgets/compare_plot.h"
#include "widgets/confusion_matrix_view.h"
#include "widgets/per_class_chart.h"

namespace {

// Run r: steps 1..n, loss = a + r + step/100, InfoNCE on only when withC, epoch = step / 10.
CompareRun makeRun(const QString& name, int n, double a, bool withC, double imagesPerStep) {
  CompareRun run;
  run.name = name;
  run.imagesPerStep = imagesPerStep;
  for (int s = 1; s <= n; ++s) {
    MetricsPoint p;
    p.step = s;
    p.epoch = s / 10.0;
    p.loss = a + s / 100.0 + (s % 3) * 0.05;
    p.lossInfoNce = withC ? 1.0 + 0.01 * s : 0.0;
    p.lossRec = 0.5 - 0.001 * s;
    p.lossDenoise = 0.001;
    run.points.push_back(p);
  }
  return run;
}

// The debiased EMA written out by hand (TensorBoard's).
QVector<double> ema(const QVector<double>& x, double w) {
  QVector<double> out;
  double s = 0.0;
  int t = 0;
  for (double v : x) {
    s = w * s + (1 - w) * v;
    ++t;
    out.push_back(s / (1 - std::pow(w, t)));
  }
  return out;
}

}  // namespace

class TestComparePlot : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void eachRunIsItsOwnSmoothedCurve() {
    ComparePlot plot;
    plot.setRuns({makeRun("a", 40, 1.0, true, 64), makeRun("b", 25, 2.0, false, 128)});
    plot.setSmoothing(0.5);
    for (int r = 0; r < 2; ++r) {
      const CompareRun run = makeRun(r == 0 ? "a" : "b", r == 0 ? 40 : 25, 1.0 + r, r == 0, 0);
      QVector<double> raw;
      for (const auto& p : run.points) raw.push_back(p.loss);
      const QVector<double> expected = ema(raw, 0.5);
      const QVector<QPointF> got = plot.plotted(r, 0);
      QCOMPARE(got.size(), expected.size());
      for (int i = 0; i < got.size(); ++i) {
        QCOMPARE(got[i].x(), double(i + 1));
        QVERIFY(std::abs(got[i].y() - expected[i]) < 1e-12);
      }
    }
    // Run b does not train C: no InfoNCE curve for it, one for a.
    QCOMPARE(plot.plotted(0, 1).size(), 40);
    QVERIFY(plot.plotted(1, 1).isEmpty());
  }

  void alignmentMovesTheKeys() {
    ComparePlot plot;
    plot.setRuns({makeRun("a", 20, 1.0, true, 64), makeRun("b", 20, 1.0, true, 256)});
    plot.setSmoothing(0.0);
    plot.setAlign(ComparePlot::Align::Images);
    QCOMPARE(plot.plotted(0, 0)[9].x(), 10.0 * 64);
    QCOMPARE(plot.plotted(1, 0)[9].x(), 10.0 * 256);
    plot.setAlign(ComparePlot::Align::Epoch);
    QCOMPARE(plot.plotted(1, 2)[14].x(), 1.5);
    QCOMPARE(plot.plotted(1, 2)[14].y(), 0.5 - 0.015);  // no smoothing: the raw value
  }

  void markersInEveryTrainedRect() {
    ComparePlot plot;
    CompareRun a = makeRun("a", 30, 1.0, true, 64), b = makeRun("b", 30, 1.0, false, 64);
    a.markers.push_back({12, "loss.mask_ratio 0.75 -> 0.5"});
    b.markers.push_back({5, "loss.sigma_max 0.05 -> 0.25"});
    plot.setRuns({a, b});
    // a trains all four terms, b three: 4 + 3 lines.
    QCOMPARE(plot.markerLineCount(), 7);
    plot.setAlign(ComparePlot::Align::Epoch);
    QCOMPARE(plot.keyOf(0, 12), 1.2);
  }

  void csvHasEveryRunsRawAndSmoothedValues() {
    ComparePlot plot;
    plot.setRuns({makeRun("a, with comma", 5, 1.0, false, 64)});
    plot.setSmoothing(0.3);
    QTemporaryDir dir;
    const QString path = dir.filePath("compare.csv");
    QVERIFY(plot.exportCsv(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines[0], QByteArray("run,step,epoch,images,term,value,smoothed"));
    QCOMPARE(lines.size(), 1 + 5 * 3);                    // loss, rec, denoise (no InfoNCE) for 5 steps
    const QList<QByteArray> third = lines[3].split(',');  // "a, with comma" is quoted: 8 fields
    QCOMPARE(third.size(), 8);
    QCOMPARE(third[2].toInt(), 3);            // step
    QCOMPARE(third[4].toDouble(), 3 * 64.0);  // images
    QCOMPARE(third[6].toDouble(), makeRun("", 5, 1.0, false, 0).points[2].loss);
    const QVector<double> smoothed = ema({1.01 + 0.05, 1.02 + 0.10, 1.03}, 0.3);
    QVERIFY(std::abs(third[7].toDouble() - smoothed[2]) < 1e-12);
  }

  void confusionSharesAreRowShares() {
    ConfusionMatrixView view;
    view.resize(300, 300);
    view.setMatrix({"cat", "dog", "ship"}, {{8, 2, 0}, {1, 3, 0}, {0, 0, 0}});
    QCOMPARE(view.classCount(), 3);
    QCOMPARE(view.rowShare(0, 0), 0.8);
    QCOMPARE(view.rowShare(1, 0), 0.25);
    QCOMPARE(view.rowShare(2, 2), 0.0);  // an empty row
    QVERIFY(view.cellRect(0, 1).left() > view.cellRect(0, 0).left());
    QVERIFY(!view.cellRect(2, 2).intersects(view.cellRect(1, 1)));
    view.setMatrix({}, {{1, 2}, {3}});  // ragged: shown as empty, not read out of bounds
    QCOMPARE(view.classCount(), 0);
  }

  void perClassBarsCarryTheValues() {
    PerClassChart chart;
    chart.setData({"T-shirt", "Trouser"}, {{"kNN", {0.5, 0.75}}, {"linear", {0.25, 1.0}}});
    QCOMPARE(chart.barValue(0, 1), 0.75);
    QCOMPARE(chart.barValue(1, 0), 0.25);
    QVERIFY(std::isnan(chart.barValue(2, 0)));
    QCOMPARE(chart.tickLabel(1), QString("Trouser"));
    QCOMPARE(chart.tickLabel(5), QString("5"));
  }
};

QTEST_MAIN(TestComparePlot)
#include "tst_compare_plot.moc"
