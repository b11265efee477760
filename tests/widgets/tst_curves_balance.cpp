// The curves panel's objective-balance rect: its graphs hold exactly the measured points
// (keys and values computed here), NaN and, on the log norm axis, non-positive norms left
// out; a never-measured term has no line and no legend entry; the read-out, the hover and
// the CSV carry the values. How the rect fits the plot: tst_curves_fit.
#include <QtTest/QtTest>

#include <qcustomplot.h>

#include "tests/widgets/balance_fixtures.h"
#include "widgets/curves_panel.h"

using namespace curves_test;

class TestCurvesBalance : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void graphsHoldExactlyTheMeasuredPoints() {
    QVector<MetricsPoint> pts = makePoints(1, 120, 10, allOn);
    pts[69].gradNormDenoise = kNaN;  // step 70: N's norm not measured, the rest is
    pts[69].gradCosAN = kNaN;
    pts[79].gradNormRec = 0.0;  // step 80: a zero norm has no place on the log axis
    CurvesPanel panel;
    // Arrivals as the worker batches them, one batch without any measurement.
    panel.appendPoints(pts.mid(0, 7));
    panel.appendPoints(pts.mid(7, 26));
    panel.appendPoints(pts.mid(33));

    for (int term = 0; term < 6; ++term) {
      QVector<double> keys, values;
      for (qint64 step = 10; step <= 120; step += 10) {
        if (step == 70 && (term == 2 || term == 5)) continue;
        if (step == 80 && term == 1) continue;
        keys.append(static_cast<double>(step));
        values.append(expectedBalance(term, step));
      }
      QCPGraph* g = panel.graph(kBalanceTerms[term], false);
      QVERIFY2(g, qPrintable(kBalanceTerms[term]));
      QCOMPARE(keysOf(g), keys);
      QCOMPARE(valuesOf(g), values);
      QVERIFY(g->visible());
      QVERIFY(g->scatterStyle().shape() != QCPScatterStyle::ssNone);  // sparse: each point marked
      QCOMPARE(g->keyAxis()->axisRect(), panel.balanceRect());
    }
    // The stored values are every point's, NaN where not measured; the zero stays a zero.
    const QVector<double> rec = panel.rawValues("grad_norm_rec");
    QCOMPARE(rec.size(), 120);
    QCOMPARE(rec[79], 0.0);
    QVERIFY(std::isnan(rec[78]));
    QVERIFY(!panel.graph("grad_norm_rec", true));  // no smoothed balance lines

    // Norms on a log left axis, cosines on the right one, fixed around [-1, 1].
    QCPAxis* normAxis = panel.graph("grad_norm_infonce", false)->valueAxis();
    QCPAxis* cosAxis = panel.graph("grad_cos_c_a", false)->valueAxis();
    QCOMPARE(normAxis, panel.balanceRect()->axis(QCPAxis::atLeft));
    QCOMPARE(cosAxis, panel.balanceRect()->axis(QCPAxis::atRight));
    QCOMPARE(normAxis->scaleType(), QCPAxis::stLogarithmic);
    panel.replotNow();
    QCOMPARE(cosAxis->range().lower, -1.12);  // [-1, 1] whatever the data (+ the legend's room)
    QVERIFY(cosAxis->range().upper >= 1.12);
    // The norm axis shows every norm: smallest 2e-3 * (1 + 10/60), largest 40 / 10.
    QVERIFY2(normAxis->range().lower < 2.0e-3 * (1.0 + 10.0 / 60.0) && normAxis->range().upper > 4.0,
             qPrintable(QString("%1..%2").arg(normAxis->range().lower).arg(normAxis->range().upper)));
    // The shared x axis: labelled under this, the bottom rect, over the same range as the others.
    QCOMPARE(panel.balanceRect()->axis(QCPAxis::atBottom)->range(),
             panel.plot()->axisRect(0)->axis(QCPAxis::atBottom)->range());
    QVERIFY(panel.balanceRect()->axis(QCPAxis::atBottom)->tickLabels());
    QVERIFY(!panel.plot()->axisRect(2)->axis(QCPAxis::atBottom)->tickLabels());

    // Epochs: the same points at their epochs; a resume drops the abandoned measurements.
    panel.setXAxis(CurvesPanel::XAxis::Epochs);
    QCOMPARE(keysOf(panel.graph("grad_cos_c_n", false)).first(), 10.0 / 8.0);
    panel.setXAxis(CurvesPanel::XAxis::Steps);
    panel.appendPoints(makePoints(45, 60, 10, allOn));  // resumed from step 44
    QCOMPARE(keysOf(panel.graph("grad_cos_c_n", false)), QVector<double>({10, 20, 30, 40, 50, 60}));
  }

  void neverMeasuredTermHasNoLineNorLegendEntry() {
    CurvesPanel panel;
    panel.appendPoints(makePoints(1, 25, 10, nOff));
    for (const char* off : {"grad_norm_denoise", "grad_cos_c_n", "grad_cos_a_n"}) {
      QVERIFY2(!panel.graph(off, false)->visible(), off);
      QCOMPARE(panel.graph(off, false)->dataCount(), 0);
      QVERIFY2(!panel.balanceLegend()->hasItemWithPlottable(panel.graph(off, false)), off);
    }
    // The measured ones, in legend order: the norms, then the cosine.
    const QStringList names = {panel.graph("grad_norm_infonce", false)->name(),
                               panel.graph("grad_norm_rec", false)->name(), panel.graph("grad_cos_c_a", false)->name()};
    QCOMPARE(legendNames(panel.balanceLegend()), names);
    QCOMPARE(panel.graph("grad_cos_c_a", false)->dataCount(), 2);  // steps 10, 20
    QVERIFY(panel.graph("grad_cos_c_a", false)->pen().style() == Qt::DashLine);
    QVERIFY(panel.graph("grad_norm_rec", false)->pen().style() == Qt::SolidLine);
    // Each norm in its loss term's colour.
    QCOMPARE(panel.graph("grad_norm_infonce", false)->pen().color(), panel.graph("loss_infonce", true)->pen().color());
    QCOMPARE(panel.graph("grad_norm_rec", false)->pen().color(), panel.graph("loss_rec", true)->pen().color());

    CurvesPanel all;
    all.appendPoints(makePoints(1, 10, 10, allOn));
    QCOMPARE(all.balanceLegend()->itemCount(), 6);
    QCOMPARE(all.graph("grad_norm_denoise", false)->pen().color(), all.graph("loss_denoise", true)->pen().color());
  }

  void readoutShowsTheLatestMeasurement() {
    CurvesPanel panel;
    QVector<MetricsPoint> pts = makePoints(1, 35, 10, nOff);
    panel.appendPoints(pts);
    const auto expectLine = [&](double key, qint64 measured) {
      const QString text = panel.readoutAt(key);
      QVERIFY2(text.contains(QString("objective balance at step %1:").arg(measured)), qPrintable(text));
      for (int term : {0, 1, 3})
        QVERIFY2(text.contains(panel.graph(kBalanceTerms[term], false)->name() + " " +
                               QString::number(expectedBalance(term, measured), 'g', 4)),
                 qPrintable(text));
      QVERIFY2(!text.contains(panel.graph("grad_norm_denoise", false)->name()), qPrintable(text));
    };
    expectLine(20.0, 20);  // at a measured step: its own values
    expectLine(27.0, 20);  // between measurements: the latest before, with its step
    expectLine(1e9, 30);
    // Before the first measurement there is nothing to show.
    QVERIFY(!panel.readoutAt(5.0).contains("objective balance"));
    QVERIFY(panel.readoutAt(5.0).contains("step 5"));
  }

  void hoverOverTheBalanceRectSnapsToMeasurements() {
    CurvesPanel panel;
    panel.resize(800, 560);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.appendPoints(makePoints(1, 100, 10, allOn));
    panel.replotNow();
    auto* readout = panel.findChild<QLabel*>("readoutLabel");
    QVERIFY(readout);
    QCPAxisRect* balance = panel.balanceRect();
    const int x = qRound(balance->axis(QCPAxis::atBottom)->coordToPixel(33.0));
    QTest::mouseMove(panel.plot(), QPoint(x, balance->rect().center().y()));
    QTRY_COMPARE(readout->text(), panel.readoutAt(30.0));  // step 33 is nearest to 30's measurement
    QVERIFY(readout->text().startsWith("step 30"));
    // Over the loss rect at the same x: the step under the cursor.
    QTest::mouseMove(panel.plot(), QPoint(x, panel.plot()->axisRect(0)->rect().center().y()));
    QTRY_COMPARE(readout->text(), panel.readoutAt(33.0));
    QVERIFY(readout->text().startsWith("step 33"));
  }

  void csvCarriesTheBalanceColumns() {
    CurvesPanel panel;
    QVector<MetricsPoint> pts = makePoints(1, 30, 10, nOff);
    pts[9].gradCosCA = 1.0 / 3.0;  // needs every digit
    panel.appendPoints(pts);
    QTemporaryDir dir;
    const QString path = dir.filePath("curves.csv");
    QString error;
    QVERIFY2(panel.exportCsv(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 31);
    const QStringList header = lines[0].split(',');
    const int first = header.indexOf("grad_norm_infonce");
    QCOMPARE(header.mid(first, 6), kBalanceTerms);
    for (int i = 0; i < pts.size(); ++i) {
      const QStringList f = lines[i + 1].split(',');
      QCOMPARE(f.size(), header.size());
      for (int term = 0; term < 6; ++term) {
        const QString& field = f[first + term];
        const double v = pts[i].*kFields[term];
        if (std::isnan(v)) {
          QVERIFY2(field.isEmpty(), qPrintable(lines[i + 1]));
        } else {
          QCOMPARE(field.toDouble(), v);  // exact: shortest round-trip digits
        }
      }
    }
    QCOMPARE(lines[10].split(',')[header.indexOf("grad_cos_c_a")].toDouble(), 1.0 / 3.0);
    QCOMPARE(lines[10].split(',')[header.indexOf("grad_norm_denoise")], QString());  // N off
  }

  // Share mode: the bands' top edges are the running sums of the shares, C then A then N,
  // computed here; a term that is off has no band and the next one fills down to the band
  // below it; switching back restores the norms and cosines with their legend.
  void shareModeStacksTheShares() {
    QVector<MetricsPoint> pts = makePoints(1, 40, 10, allOn);
    const double shares[4][3] = {{0.2, 0.7, 0.1}, {0.05, 1.1, -0.15}, {0.3, 0.3, 0.4}, {0.0, 0.9, 0.1}};
    for (int m = 0; m < 4; ++m) {
      MetricsPoint& p = pts[(m + 1) * 10 - 1];
      p.gradShareInfoNce = shares[m][0];
      p.gradShareRec = shares[m][1];
      p.gradShareDenoise = shares[m][2];
    }
    CurvesPanel panel;
    panel.appendPoints(pts.mid(0, 25));
    panel.setBalanceShare(true);
    panel.appendPoints(pts.mid(25));  // points arriving in share mode
    QVERIFY(panel.balanceShare());
    for (int k = 0; k < 3; ++k) {
      const QVector<QPointF> band = panel.shareBand(k);
      QCOMPARE(band.size(), 4);
      for (int m = 0; m < 4; ++m) {
        double top = 0;
        for (int j = 0; j <= k; ++j) top += shares[m][j];
        QCOMPARE(band[m].x(), double((m + 1) * 10));
        QVERIFY2(std::abs(band[m].y() - top) < 1e-12, qPrintable(QString("band %1 at %2").arg(k).arg(m)));
      }
    }
    QCOMPARE(legendNames(panel.balanceLegend()), QStringList({"C share", "A share", "N share"}));
    for (const QString& term : kBalanceTerms) QVERIFY2(!panel.graph(term, false)->visible(), qPrintable(term));
    panel.replotNow();  // the axis shows [0, 1] and the band that folds below 0 (-0.15 + 1.15 = 1)
    QCPAxis* shareAxis = panel.balanceRect()->axes(QCPAxis::atLeft).last();  // the second left axis
    QVERIFY(shareAxis != panel.balanceRect()->axis(QCPAxis::atLeft) && shareAxis->visible());
    QVERIFY(!panel.balanceRect()->axis(QCPAxis::atLeft)->visible());
    QVERIFY(shareAxis->range().lower < 0.0 && shareAxis->range().upper > 1.15);

    panel.setBalanceShare(false);
    QCOMPARE(panel.balanceLegend()->itemCount(), 6);
    QVERIFY(panel.graph("grad_cos_a_n", false)->visible());
    QVERIFY(panel.balanceRect()->axis(QCPAxis::atLeft)->visible());

    // N off: two bands, the second filled down to the first.
    CurvesPanel twoTerms;
    QVector<MetricsPoint> noN = makePoints(1, 10, 10, nOff);
    noN[9].gradShareInfoNce = 0.25;
    noN[9].gradShareRec = 0.75;
    twoTerms.appendPoints(noN);
    twoTerms.setBalanceShare(true);
    QCOMPARE(legendNames(twoTerms.balanceLegend()), QStringList({"C share", "A share"}));
    QCOMPARE(twoTerms.shareBand(1).first().y(), 1.0);
  }

  // The embedding's spread (representation health) in the accuracy rect: exactly the
  // measured points, with a legend entry once there is one.
  void healthSpreadIsDrawnWhereMeasured() {
    QVector<MetricsPoint> pts = makePoints(1, 30, 10, allOn);
    CurvesPanel panel;
    panel.appendPoints(pts.mid(0, 5));
    QVERIFY(panel.plottedPoints("health_std_ratio").isEmpty());
    pts[9].healthStdRatio = 0.8;
    pts[29].healthStdRatio = 0.35;
    panel.appendPoints(pts.mid(5));
    QCOMPARE(panel.plottedPoints("health_std_ratio"), QVector<QPointF>({QPointF(10, 0.8), QPointF(30, 0.35)}));
    QCPGraph* g = panel.graph("health_std_ratio", false);
    QVERIFY(g && g->keyAxis()->axisRect() == panel.graph("knn_top1", false)->keyAxis()->axisRect());
    QCPLayoutInset* inset = g->keyAxis()->axisRect()->insetLayout();
    QVERIFY(inset->elementCount() > 0);
    auto* legend = qobject_cast<QCPLegend*>(inset->elementAt(0));  // the rect's legend (makeLegend)
    QVERIFY(legend && legendNames(legend).contains(g->name()));
  }
};

QTEST_MAIN(TestCurvesBalance)
#include "tst_curves_balance.moc"
