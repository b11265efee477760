// The live loss-curves panel: graph data, smoothing formula, log axis, x axis modes,
// resume, CSV/PNG export, measured-only accuracy points, markers and the hover read-out.
#include <QtTest/QtTest>

#include <qcustomplot.h>

#include <cmath>
#include <limits>

#include "widgets/curves_panel.h"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A plausible run: decaying losses with a little noise-like wiggle, warm-up then cosine
// learning rate, kNN top-1 measured every knnEvery-th step.
MetricsPoint makePoint(qint64 step, double offset = 0.0, int knnEvery = 5) {
  MetricsPoint p;
  const double s = static_cast<double>(step);
  p.step = step;
  p.epoch = s / 8.0;
  p.lossInfoNce = 4.0 * std::exp(-s / 60.0) + 0.9 + 0.15 * std::sin(1.7 * s) + offset;
  p.lossRec = 0.8 * std::exp(-s / 90.0) + 0.25 + 0.04 * std::cos(2.3 * s) + offset;
  p.lossDenoise = 0.3 * std::exp(-s / 40.0) + 0.05 + 0.01 * std::sin(3.1 * s) + offset;
  p.loss = p.lossInfoNce + 0.5 * p.lossRec + 0.5 * p.lossDenoise;
  p.lr = s < 20 ? 1.5e-4 * s / 20.0 : 1.5e-4 * 0.5 * (1.0 + std::cos(M_PI * (s - 20) / 400.0));
  p.imgPerS = 850.0 + 40.0 * std::sin(0.3 * s);
  p.gradNorm = 1.0 / 3.0 + 0.01 * s;
  if (knnEvery > 0 && step % knnEvery == 0) p.knnTop1 = std::min(0.9, 0.1 + 0.002 * s);
  return p;
}

QVector<MetricsPoint> makePoints(qint64 first, qint64 last, double offset = 0.0) {
  QVector<MetricsPoint> out;
  for (qint64 s = first; s <= last; ++s) out.append(makePoint(s, offset));
  return out;
}

QVector<double> keysOf(const QCPGraph* g) {
  QVector<double> out;
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) out.append(it->key);
  return out;
}

QVector<double> valuesOf(const QCPGraph* g) {
  QVector<double> out;
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
    out.append(it->value);
  return out;
}

// The smoothing formula, written out independently of CurvesPanel::smooth.
QVector<double> naiveSmooth(const QVector<double>& x, double w) {
  QVector<double> out;
  double s = 0.0;
  for (int t = 1; t <= x.size(); ++t) {
    s = w * s + (1.0 - w) * x[t - 1];
    out.append(s / (1.0 - std::pow(w, t)));
  }
  return out;
}

bool nearlyEqual(double a, double b) {
  return std::abs(a - b) <= 1e-12 * std::max(1.0, std::max(std::abs(a), std::abs(b)));
}

// Equal within rounding; else false with the first differing index in *why.
bool sameSeries(const QVector<double>& actual, const QVector<double>& expected, QString* why) {
  if (actual.size() != expected.size()) {
    *why = QStringLiteral("%1 values, expected %2").arg(actual.size()).arg(expected.size());
    return false;
  }
  for (int i = 0; i < actual.size(); ++i) {
    if (!nearlyEqual(actual[i], expected[i])) {
      *why = QStringLiteral("index %1: got %2, expected %3")
                 .arg(i)
                 .arg(actual[i], 0, 'g', 17)
                 .arg(expected[i], 0, 'g', 17);
      return false;
    }
  }
  return true;
}

double MetricsPoint::*lossField(const QString& term) {
  if (term == QLatin1String("loss")) return &MetricsPoint::loss;
  if (term == QLatin1String("loss_infonce")) return &MetricsPoint::lossInfoNce;
  if (term == QLatin1String("loss_rec")) return &MetricsPoint::lossRec;
  return &MetricsPoint::lossDenoise;
}

const QStringList kTerms = {"loss", "loss_infonce", "loss_rec", "loss_denoise"};

}  // namespace

class TestCurves : public QObject {
  Q_OBJECT

 private:
  QString tempDir() {
    if (!dir_) {
      const QString base = qEnvironmentVariable("CAN_TEST_TMP");
      if (!base.isEmpty()) {
        QDir().mkpath(base);
        dir_.reset(new QTemporaryDir(QDir(base).filePath(QStringLiteral("curves-XXXXXX"))));
      } else {
        dir_.reset(new QTemporaryDir);
      }
    }
    return dir_->path();
  }
  QScopedPointer<QTemporaryDir> dir_;

 private Q_SLOTS:
  void appendFillsRawGraphs() {
    CurvesPanel panel;
    const QVector<MetricsPoint> pts = makePoints(1, 50);
    // Three arrivals, as the worker delivers them.
    panel.appendPoints(pts.mid(0, 1));
    panel.appendPoints(pts.mid(1, 30));
    panel.appendPoints(pts.mid(31));
    QCOMPARE(panel.pointCount(), 50);

    QVector<double> steps;
    for (const MetricsPoint& p : pts) steps.append(static_cast<double>(p.step));
    for (const QString& term : kTerms) {
      QCPGraph* raw = panel.graph(term, false);
      QVERIFY2(raw, qPrintable(term));
      QCOMPARE(raw->dataCount(), 50);
      QCOMPARE(keysOf(raw), steps);
      QVector<double> expected;
      for (const MetricsPoint& p : pts) expected.append(p.*lossField(term));
      QCOMPARE(valuesOf(raw), expected);
      QCOMPARE(panel.rawValues(term), expected);
      QVERIFY(raw->visible());
      QVERIFY(panel.graph(term, true)->visible());
      QCOMPARE(panel.graph(term, true)->dataCount(), 50);
    }
    QVector<double> lr, img;
    for (const MetricsPoint& p : pts) {
      lr.append(p.lr);
      img.append(p.imgPerS);
    }
    QCOMPARE(valuesOf(panel.graph(QStringLiteral("lr"), false)), lr);
    QCOMPARE(valuesOf(panel.graph(QStringLiteral("img_per_s"), false)), img);
    QCOMPARE(keysOf(panel.graph(QStringLiteral("lr"), false)), steps);
    QVERIFY(!panel.graph(QStringLiteral("lr"), true));
    QVERIFY(!panel.graph(QStringLiteral("nonsense"), false));

    // The x axis follows the data once the timer has run (here: forced).
    panel.replotNow();
    QCOMPARE(panel.plot()->axisRect(0)->axis(QCPAxis::atBottom)->range().lower, 1.0);
    QCOMPARE(panel.plot()->axisRect(0)->axis(QCPAxis::atBottom)->range().upper, 50.0);
    QCOMPARE(panel.plot()->axisRect(2)->axis(QCPAxis::atBottom)->range().upper, 50.0);
  }

  void offObjectiveLeavesTheLegend() {
    CurvesPanel panel;
    QVector<MetricsPoint> pts = makePoints(1, 20);
    for (MetricsPoint& p : pts) p.lossDenoise = 0.0;  // N off
    panel.appendPoints(pts);
    QVERIFY(!panel.graph(QStringLiteral("loss_denoise"), true)->visible());
    QVERIFY(!panel.plot()->legend->hasItemWithPlottable(
        panel.graph(QStringLiteral("loss_denoise"), true)));
    QVERIFY(panel.plot()->legend->hasItemWithPlottable(
        panel.graph(QStringLiteral("loss_rec"), true)));
    QCOMPARE(panel.graph(QStringLiteral("loss_denoise"), false)->dataCount(), 20);
  }

  void smoothedMatchesFormula_data() {
    QTest::addColumn<double>("weight");
    QTest::newRow("w=0 (raw)") << 0.0;
    QTest::newRow("w=0.6") << 0.6;
    QTest::newRow("w=0.95") << 0.95;
  }

  void smoothedMatchesFormula() {
    QFETCH(double, weight);
    const QVector<MetricsPoint> pts = makePoints(1, 120);

    // Live path: weight set first, points smoothed as they arrive in batches.
    CurvesPanel live;
    live.setSmoothing(weight);
    QCOMPARE(live.smoothing(), weight);
    for (int i = 0; i < pts.size(); i += 7) live.appendPoints(pts.mid(i, 7));
    // Recomputed path: points first, then the weight changes.
    CurvesPanel later;
    later.appendPoints(pts);
    later.setSmoothing(weight == 0.6 ? 0.3 : 0.6);
    later.setSmoothing(weight);

    for (const QString& term : kTerms) {
      QVector<double> raw;
      for (const MetricsPoint& p : pts) raw.append(p.*lossField(term));
      const QVector<double> expected = naiveSmooth(raw, weight);
      QString why;
      QVERIFY2(sameSeries(valuesOf(live.graph(term, true)), expected, &why),
               qPrintable(term + QStringLiteral(" live: ") + why));
      QVERIFY2(sameSeries(valuesOf(later.graph(term, true)), expected, &why),
               qPrintable(term + QStringLiteral(" recomputed: ") + why));
      QVERIFY2(sameSeries(live.smoothedValues(term), expected, &why),
               qPrintable(term + QStringLiteral(" smoothedValues: ") + why));
      if (weight == 0.0) QCOMPARE(valuesOf(live.graph(term, true)), raw);
    }
  }

  void smoothingSkipsNaN() {
    const QVector<double> out = CurvesPanel::smooth({kNaN, 1.0, kNaN, 3.0}, 0.5);
    QCOMPARE(out.size(), 4);
    QVERIFY(std::isnan(out[0]));  // nothing measured yet
    QCOMPARE(out[1], 1.0);        // s_1 = 0.5, debiased by 1 - 0.5
    QCOMPARE(out[2], 1.0);        // carried
    // s_2 = 0.5 * 0.5 + 0.5 * 3 = 1.75, debiased by 1 - 0.25.
    QVERIFY(nearlyEqual(out[3], 1.75 / 0.75));
  }

  void sliderSetsSmoothing() {
    CurvesPanel panel;
    auto* slider = panel.findChild<QSlider*>(QStringLiteral("smoothingSlider"));
    QVERIFY(slider);
    QCOMPARE(slider->value(), 60);  // default 0.6
    QCOMPARE(panel.smoothing(), 0.6);
    slider->setValue(95);
    QCOMPARE(panel.smoothing(), 0.95);
    panel.setSmoothing(2.0);  // clamped
    QCOMPARE(panel.smoothing(), 0.99);
    QCOMPARE(slider->value(), 99);
    for (const char* name : {"logScaleCheck", "xAxisCombo", "exportButton"})
      QVERIFY2(panel.findChild<QWidget*>(QLatin1String(name)), name);
    for (const char* name : {"exportCsvAction", "exportPngAction"})
      QVERIFY2(panel.findChild<QAction*>(QLatin1String(name)), name);
  }

  void logScaleToggles() {
    CurvesPanel panel;
    QVector<MetricsPoint> pts = makePoints(1, 40);
    pts[3].loss = -1.0;  // non-positive values must not break a log axis
    pts[4].lossRec = 0.0;
    panel.appendPoints(pts);
    QCPAxis* axis = panel.lossAxis();
    QCOMPARE(axis, panel.graph(QStringLiteral("loss"), false)->valueAxis());
    QCOMPARE(axis->scaleType(), QCPAxis::stLinear);

    panel.setLogScale(true);
    QVERIFY(panel.logScale());
    QCOMPARE(axis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(axis->ticker().dynamicCast<QCPAxisTickerLog>());
    QVERIFY(panel.findChild<QCheckBox*>(QStringLiteral("logScaleCheck"))->isChecked());
    panel.replotNow();
    QVERIFY(axis->range().lower > 0.0);
    QVERIFY(std::isfinite(axis->range().upper));
    int labelledTicks = 0;  // readable on a range of two decades, not just 0.1 and 1
    for (double t : axis->tickVector()) labelledTicks += axis->range().contains(t) ? 1 : 0;
    QVERIFY2(labelledTicks >= 4, qPrintable(QString::number(labelledTicks)));
    QVERIFY(std::isnan(panel.graph(QStringLiteral("loss"), false)->data()->at(3)->value));
    QVERIFY(std::isnan(panel.graph(QStringLiteral("loss_rec"), false)->data()->at(4)->value));
    // Appending while logarithmic keeps working.
    panel.appendPoints(makePoints(41, 45));
    panel.replotNow();
    QCOMPARE(panel.graph(QStringLiteral("loss"), false)->dataCount(), 45);

    panel.setLogScale(false);
    QCOMPARE(axis->scaleType(), QCPAxis::stLinear);
    QVERIFY(!axis->ticker().dynamicCast<QCPAxisTickerLog>());
    QCOMPARE(panel.graph(QStringLiteral("loss"), false)->data()->at(3)->value, -1.0);
    panel.replotNow();
    QVERIFY(axis->range().lower < -1.0);
  }

  void epochsModeUsesEpochKeys() {
    CurvesPanel panel;
    const QVector<MetricsPoint> pts = makePoints(1, 30);
    panel.appendPoints(pts.mid(0, 20));
    panel.addMarker(12, 1.5, QStringLiteral("mask ratio 0.75"));
    panel.setXAxis(CurvesPanel::XAxis::Epochs);
    QCOMPARE(panel.findChild<QComboBox*>(QStringLiteral("xAxisCombo"))->currentIndex(), 1);
    panel.appendPoints(pts.mid(20));  // live appends use epochs too

    QVector<double> epochs, knnEpochs;
    for (const MetricsPoint& p : pts) {
      epochs.append(p.epoch);
      if (!std::isnan(p.knnTop1)) knnEpochs.append(p.epoch);
    }
    for (const QString& term : kTerms) {
      QCOMPARE(keysOf(panel.graph(term, false)), epochs);
      QCOMPARE(keysOf(panel.graph(term, true)), epochs);
    }
    QCOMPARE(keysOf(panel.graph(QStringLiteral("lr"), false)), epochs);
    QCOMPARE(keysOf(panel.graph(QStringLiteral("knn_top1"), false)), knnEpochs);
    QCOMPARE(markerKeys(panel), QVector<double>({1.5, 1.5, 1.5, 1.5, 1.5}));  // one per rect

    panel.setXAxis(CurvesPanel::XAxis::Steps);
    QCOMPARE(keysOf(panel.graph(QStringLiteral("loss"), false)).first(), 1.0);
    QCOMPARE(keysOf(panel.graph(QStringLiteral("loss"), false)).last(), 30.0);
    QCOMPARE(markerKeys(panel), QVector<double>({12.0, 12.0, 12.0, 12.0, 12.0}));
  }

  void resumeContinuesFromEarlierStep() {
    CurvesPanel panel;
    panel.appendPoints(makePoints(1, 10));
    panel.addMarker(3, 0.375, QStringLiteral("kept"));
    panel.addMarker(9, 1.125, QStringLiteral("abandoned branch"));
    // Resumed from the checkpoint at step 4: steps 5..8 again, with other values.
    const QVector<MetricsPoint> resumed = makePoints(5, 8, 0.5);
    panel.appendPoints(resumed);

    QCOMPARE(panel.pointCount(), 8);
    QCOMPARE(keysOf(panel.graph(QStringLiteral("loss"), false)),
             QVector<double>({1, 2, 3, 4, 5, 6, 7, 8}));
    QCOMPARE(keysOf(panel.graph(QStringLiteral("loss"), true)),
             QVector<double>({1, 2, 3, 4, 5, 6, 7, 8}));
    QVector<double> expected;
    for (const MetricsPoint& p : makePoints(1, 4)) expected.append(p.loss);
    for (const MetricsPoint& p : resumed) expected.append(p.loss);
    QCOMPARE(valuesOf(panel.graph(QStringLiteral("loss"), false)), expected);
    QString why;
    QVERIFY2(sameSeries(valuesOf(panel.graph(QStringLiteral("loss"), true)),
                        naiveSmooth(expected, 0.6), &why),
             qPrintable(why));
    QCOMPARE(keysOf(panel.graph(QStringLiteral("knn_top1"), false)), QVector<double>({5}));
    QCOMPARE(panel.markerCount(), 1);

    // A resume inside one batch works the same way.
    QVector<MetricsPoint> batch = makePoints(9, 12);
    batch += makePoints(10, 11, 1.0);
    panel.appendPoints(batch);
    QCOMPARE(keysOf(panel.graph(QStringLiteral("lr"), false)),
             QVector<double>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
    QCOMPARE(panel.rawValues(QStringLiteral("loss")).last(), makePoint(11, 1.0).loss);
  }

  void csvRoundTrips() {
    CurvesPanel panel;
    QVector<MetricsPoint> pts = makePoints(1, 25);
    pts[2].contrastiveTop1 = 0.125;
    pts[7].lr = 1.0 / 3.0e4;  // needs every digit
    panel.appendPoints(pts);
    const QString path = QDir(tempDir()).filePath(QStringLiteral("curves.csv"));
    QString error;
    QVERIFY2(panel.exportCsv(path, &error), qPrintable(error));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), pts.size() + 1);
    QCOMPARE(lines[0], QStringLiteral("step,epoch,loss,loss_infonce,loss_rec,loss_denoise,lr,"
                                      "img_per_s,grad_norm,contrastive_top1,knn_top1,"
                                      "grad_norm_infonce,grad_norm_rec,grad_norm_denoise,"
                                      "grad_cos_c_a,grad_cos_c_n,grad_cos_a_n,"
                                      "grad_share_infonce,grad_share_rec,grad_share_denoise,"
                                      "health_std_ratio,health_effective_rank,health_alignment,"
                                      "health_uniformity,health_pos_cos,health_neg_cos,"
                                      "cpu_percent,rss_mib,gpu_mem_mib,gpu_reserved_mib"));
    double MetricsPoint::*fields[] = {
        &MetricsPoint::epoch, &MetricsPoint::loss, &MetricsPoint::lossInfoNce, &MetricsPoint::lossRec,
        &MetricsPoint::lossDenoise, &MetricsPoint::lr, &MetricsPoint::imgPerS, &MetricsPoint::gradNorm,
        &MetricsPoint::contrastiveTop1, &MetricsPoint::knnTop1,
        // never measured here; their values: tst_curves_balance
        &MetricsPoint::gradNormInfoNce, &MetricsPoint::gradNormRec, &MetricsPoint::gradNormDenoise,
        &MetricsPoint::gradCosCA, &MetricsPoint::gradCosCN, &MetricsPoint::gradCosAN, &MetricsPoint::gradShareInfoNce,
        &MetricsPoint::gradShareRec, &MetricsPoint::gradShareDenoise, &MetricsPoint::healthStdRatio,
        &MetricsPoint::healthEffectiveRank, &MetricsPoint::healthAlignment, &MetricsPoint::healthUniformity,
        &MetricsPoint::healthPosCos, &MetricsPoint::healthNegCos,
        // likewise: tst_curves_resources
        &MetricsPoint::cpuPercent, &MetricsPoint::rssMib, &MetricsPoint::gpuMemMib, &MetricsPoint::gpuReservedMib};
    int emptyFields = 0;
    for (int i = 0; i < pts.size(); ++i) {
      const QStringList f = lines[i + 1].split(',');
      QCOMPARE(f.size(), 30);
      QCOMPARE(f[0].toLongLong(), pts[i].step);
      for (int c = 0; c < 29; ++c) {
        const double v = pts[i].*fields[c];
        if (std::isnan(v)) {
          QVERIFY2(f[c + 1].isEmpty(), qPrintable(lines[i + 1]));
          ++emptyFields;
        } else {
          bool ok = false;
          QCOMPARE(f[c + 1].toDouble(&ok), v);  // exact: full precision
          QVERIFY(ok);
        }
      }
    }
    // Contrastive measured once, kNN on 5 of 25 steps; the nine balance, six health and four
    // resource terms never.
    QCOMPARE(emptyFields, 24 + 20 + 9 * 25 + 6 * 25 + 4 * 25);

    const QString bad = QDir(tempDir()).filePath(QStringLiteral("no/such/dir/curves.csv"));
    QVERIFY(!panel.exportCsv(bad, &error));
    QVERIFY2(error.contains(QDir::toNativeSeparators(bad)), qPrintable(error));
  }

  void pngHasRequestedSize() {
    CurvesPanel panel;
    panel.appendPoints(makePoints(1, 300));
    panel.addMarker(120, 15.0, QStringLiteral("mask ratio 0.75 → 0.6"));
    panel.addMarker(200, 25.0, QStringLiteral("lr × 0.5"));
    const QString path = QDir(tempDir()).filePath(QStringLiteral("curves.png"));
    QString error;
    QVERIFY2(panel.exportPng(path, 900, 600, &error), qPrintable(error));
    const QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(900, 600));
    // Something was drawn in the curves' colours, not just a blank frame.
    int blue = 0;
    for (int y = 0; y < image.height(); y += 2)
      for (int x = 0; x < image.width(); x += 2) {
        const QColor c = image.pixelColor(x, y);
        if (c.blue() > 150 && c.red() < 120 && c.green() < 160) ++blue;
      }
    QVERIFY2(blue > 100, qPrintable(QString::number(blue)));
    // For a human look: CAN_CURVES_PNG=/tmp/curves.png.
    const QString look = qEnvironmentVariable("CAN_CURVES_PNG");
    if (!look.isEmpty()) {
      panel.setLogScale(qEnvironmentVariableIsSet("CAN_CURVES_LOG"));
      QVERIFY(panel.exportPng(look, 900, 600, &error));
      panel.resize(900, 680);
      panel.show();
      QVERIFY(QTest::qWaitForWindowExposed(&panel));
      QTest::mouseMove(panel.plot(), QPoint(450, 150));
      QTest::qWait(100);
      QVERIFY(panel.grab().save(look + QStringLiteral(".widget.png")));
    }
  }

  void knnGraphHasOnlyMeasuredPoints() {
    CurvesPanel panel;
    const QVector<MetricsPoint> pts = makePoints(1, 23);
    panel.appendPoints(pts.mid(0, 12));
    panel.appendPoints(pts.mid(12));
    QCPGraph* knn = panel.graph(QStringLiteral("knn_top1"), false);
    QVERIFY(knn);
    QCOMPARE(keysOf(knn), QVector<double>({5, 10, 15, 20}));
    QVector<double> expected;
    for (qint64 s : {5, 10, 15, 20}) expected.append(makePoint(s).knnTop1);
    QCOMPARE(valuesOf(knn), expected);
    QCOMPARE(panel.graph(QStringLiteral("contrastive_top1"), false)->dataCount(), 0);
    QVERIFY(knn->scatterStyle().shape() != QCPScatterStyle::ssNone);
  }

  void markersCount() {
    CurvesPanel panel;
    QCOMPARE(panel.markerCount(), 0);
    const int items = panel.plot()->itemCount();
    panel.addMarker(10, 1.25, QStringLiteral("sigma_max 0.5"));
    QCOMPARE(panel.markerCount(), 1);
    QVERIFY(panel.plot()->itemCount() >= items + 5);  // a line on each of the five rects
    panel.addMarker(20, 2.5, QStringLiteral("lr 1e-4"));
    QCOMPARE(panel.markerCount(), 2);
    panel.clear();
    QCOMPARE(panel.markerCount(), 0);
    QCOMPARE(panel.plot()->itemCount(), items);
    QCOMPARE(panel.pointCount(), 0);
    QCOMPARE(panel.graph(QStringLiteral("loss"), false)->dataCount(), 0);
  }

  void readoutShowsValuesAtStep() {
    CurvesPanel panel;
    QCOMPARE(panel.readoutAt(3.0), QString());
    const QVector<MetricsPoint> pts = makePoints(1, 30);
    panel.appendPoints(pts);
    const MetricsPoint& p = pts[6];  // step 7
    for (double key : {7.0, 7.3, 6.6}) {
      const QString text = panel.readoutAt(key);
      QVERIFY2(text.contains(QStringLiteral("step 7")), qPrintable(text));
      for (double v : {p.loss, p.lossInfoNce, p.lossRec, p.lossDenoise, p.lr, p.imgPerS})
        QVERIFY2(text.contains(QString::number(v, 'g', 4)), qPrintable(text));
    }
    QVector<double> raw;
    for (int i = 0; i <= 6; ++i) raw.append(pts[i].lossRec);
    const double smoothedRec = naiveSmooth(raw, 0.6).last();
    QVERIFY(panel.readoutAt(7.0).contains(QString::number(smoothedRec, 'g', 4)));
    // Beyond the ends: the nearest point.
    QVERIFY(panel.readoutAt(1e9).contains(QStringLiteral("step 30")));
    QVERIFY(panel.readoutAt(-5).contains(QStringLiteral("step 1")));
    // Measured accuracies appear, unmeasured ones do not.
    QVERIFY(panel.readoutAt(10.0).contains(QString::number(pts[9].knnTop1, 'g', 4)));
    QVERIFY(!panel.readoutAt(7.0).contains(QStringLiteral("kNN")));

    panel.setXAxis(CurvesPanel::XAxis::Epochs);
    QVERIFY(panel.readoutAt(p.epoch).contains(QStringLiteral("step 7")));
  }

  void markerLabelsAvoidTheLegendAndEachOther() {
    CurvesPanel panel;
    panel.resize(700, 500);
    panel.show();
    panel.appendPoints(makePoints(1, 100));
    // Three changes close together, and one under the legend (top right, near the last step).
    panel.addMarker(40, 5.0, QStringLiteral("σ_max 0.05 → 0.2"));
    panel.addMarker(42, 5.2, QStringLiteral("m 0.5 → 0.75"));
    panel.addMarker(44, 5.5, QStringLiteral("λ_N 0.3 → 1"));
    panel.addMarker(97, 12.1, QStringLiteral("λ_C 0.03 → 0.1"));
    panel.replotNow();
    const QRectF legend = panel.lossLegendRect();
    QVERIFY(legend.isValid());
    const QVector<QRectF> labels = panel.markerLabelRects();
    QCOMPARE(labels.size(), 4);
    for (int i = 0; i < labels.size(); ++i) {
      QVERIFY2(!labels[i].intersects(legend), qPrintable(QString("label %1 under the legend").arg(i)));
      for (int j = 0; j < i; ++j)
        QVERIFY2(!labels[i].intersects(labels[j]), qPrintable(QString("labels %1 and %2 overlap").arg(j).arg(i)));
    }
    // Hidden legend: the label near the end may use the top row again.
    panel.setLegendPlace(CurvesPanel::LegendPlace::Hidden);
    panel.replotNow();
    QVERIFY(!panel.lossLegendRect().isValid());
    QCOMPARE(panel.markerLabelRects()[3].top(), panel.markerLabelRects()[0].top());
  }

  void viewSettingsAreRemembered() {
    QTemporaryDir dir;
    QSettings settings(dir.filePath("studio.ini"), QSettings::IniFormat);
    {
      CurvesPanel panel;
      panel.setSmoothing(0.85);
      panel.setLogScale(true);
      panel.setXAxis(CurvesPanel::XAxis::Epochs);
      panel.setLegendPlace(CurvesPanel::LegendPlace::BottomLeft);
      panel.setBalanceShare(true);
      panel.setRateShown(false);
      panel.saveViewSettings(settings);
    }
    CurvesPanel again;
    again.restoreViewSettings(settings);
    QCOMPARE(again.smoothing(), 0.85);
    QVERIFY(again.logScale());
    QCOMPARE(again.xAxis(), CurvesPanel::XAxis::Epochs);
    QCOMPARE(again.legendPlace(), CurvesPanel::LegendPlace::BottomLeft);
    QVERIFY(again.balanceShare());
    QVERIFY(!again.rateShown() && again.resourcesShown());
    QVERIFY(!again.findChild<QAction*>(QStringLiteral("showRateAction"))->isChecked());
    QCOMPARE(again.findChild<QSlider*>(QStringLiteral("smoothingSlider"))->value(), 85);
    // Values a hand-edited file got wrong are ignored, not applied.
    settings.setValue("curves/smoothing", 7.0);
    settings.setValue("curves/legend", 99);
    CurvesPanel third;
    third.restoreViewSettings(settings);
    QCOMPARE(third.smoothing(), 0.6);
    QCOMPARE(third.legendPlace(), CurvesPanel::LegendPlace::TopRight);
  }

  void retranslatesOnLanguageChange() {
    CurvesPanel panel;
    panel.lossAxis()->setLabel(QString());
    QEvent change(QEvent::LanguageChange);
    QCoreApplication::sendEvent(&panel, &change);
    QVERIFY(!panel.lossAxis()->label().isEmpty());
    QVERIFY(!panel.findChild<QAction*>(QStringLiteral("exportCsvAction"))->text().isEmpty());
  }

 private:
  static QVector<double> markerKeys(const CurvesPanel& panel) {
    QVector<double> out;
    for (int i = 0; i < panel.plot()->itemCount(); ++i) {
      auto* line = qobject_cast<QCPItemStraightLine*>(panel.plot()->item(i));
      if (line && line->layer()->name() == QLatin1String("markers"))
        out.append(line->point1->key());
    }
    return out;
  }
};

QTEST_MAIN(TestCurves)
#include "tst_curves.moc"
