// The curves panel's objective-balance rect: its graphs hold exactly the measured points
// (keys and values computed here), NaN and, on the log norm axis, non-positive norms left
// out; a never-measured term has no line and no legend entry; a run without measurements
// shrinks the rect to a strip; the read-out, the hover and the CSV carry the values.
#include <QtTest/QtTest>

#include <qcustomplot.h>

#include <cmath>
#include <functional>
#include <limits>

#include "widgets/curves_panel.h"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const QStringList kBalanceTerms = {"grad_norm_infonce", "grad_norm_rec", "grad_norm_denoise",
                                   "grad_cos_c_a",      "grad_cos_c_n",  "grad_cos_a_n"};

// The six values of a balance step, written out here rather than read from the panel.
// Norms spanning four decades (as real runs do), cosines across [-1, 1].
double expectedBalance(int term, qint64 step) {
  const double s = static_cast<double>(step);
  switch (term) {
    case 0:
      return 0.8 * std::exp(-s / 150.0);
    case 1:
      return 2.0e-3 * (1.0 + s / 60.0);
    case 2:
      return 40.0 / s;
    case 3:
      return 0.9 * std::cos(s / 40.0);
    case 4:
      return -0.3 + s / 1000.0;
    default:
      return std::sin(s / 25.0);
  }
}

double MetricsPoint::*const kFields[] = {&MetricsPoint::gradNormInfoNce, &MetricsPoint::gradNormRec,
                                         &MetricsPoint::gradNormDenoise, &MetricsPoint::gradCosCA,
                                         &MetricsPoint::gradCosCN,       &MetricsPoint::gradCosAN};

// Steps 1..last with plausible losses; every `every`-th step measures the balance terms
// `on` says are on (a cosine is on when both of its norms are).
QVector<MetricsPoint> makePoints(qint64 first, qint64 last, int every, const std::function<bool(int)>& on) {
  QVector<MetricsPoint> out;
  for (qint64 step = first; step <= last; ++step) {
    MetricsPoint p;
    const double s = static_cast<double>(step);
    p.step = step;
    p.epoch = s / 8.0;
    p.lossInfoNce = 4.0 * std::exp(-s / 60.0) + 0.9;
    p.lossRec = 0.8 * std::exp(-s / 90.0) + 0.25;
    p.lossDenoise = on(2) ? 0.3 * std::exp(-s / 40.0) + 0.05 : 0.0;
    p.loss = p.lossInfoNce + p.lossRec + p.lossDenoise;
    p.lr = 1e-4;
    p.imgPerS = 800.0;
    p.gradNorm = 1.0;
    if (every > 0 && step % every == 0)
      for (int term = 0; term < 6; ++term)
        if (on(term)) p.*kFields[term] = expectedBalance(term, step);
    out.append(p);
  }
  return out;
}

bool allOn(int) { return true; }
// N off: its norm and both cosines with it are never measured.
bool nOff(int term) { return term != 2 && term != 4 && term != 5; }

QVector<double> keysOf(const QCPGraph* g) {
  QVector<double> out;
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) out.append(it->key);
  return out;
}

QVector<double> valuesOf(const QCPGraph* g) {
  QVector<double> out;
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) out.append(it->value);
  return out;
}

QStringList legendNames(const QCPLegend* legend) {
  QStringList out;
  for (int i = 0; i < legend->itemCount(); ++i)
    if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i))) out << item->plottable()->name();
  return out;
}

}  // namespace

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

  // The legend is a row above the short rect, not in it: it hides no point, even at a
  // laptop's size and with points at the top right.
  // The legend is a row above the short rect, not in it: it hides no point, even at a
  // laptop's size and with points at the top right.
  void debugSizes() {
    for (int h : {300, 320, 340, 540}) {
      CurvesPanel panel;
      panel.resize(580, h);
      panel.show();
      QVERIFY(QTest::qWaitForWindowExposed(&panel));
      panel.appendPoints(makePoints(1, 300, 10, allOn));
      panel.replotNow();
      QString line = QString("panel h %1 plot %2:").arg(h).arg(panel.plot()->height());
      for (int i = 0; i < 4; ++i) {
        auto* r = panel.plot()->axisRect(i);
        line += QString(" [%1 inner %2 outer %3 min %4 m %5/%6 minm %7/%8 pad %9]")
                    .arg(i)
                    .arg(r->rect().height())
                    .arg(r->outerRect().height())
                    .arg(r->minimumSize().height())
                    .arg(r->margins().top())
                    .arg(r->margins().bottom())
                    .arg(r->minimumMargins().top())
                    .arg(r->minimumMargins().bottom())
                    .arg(r->axis(QCPAxis::atTop)->padding());
      }
      qWarning("%s", qPrintable(line));
    }
  }

  void legendHidesNoPoint_data() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("laptop") << QSize(580, 340);  // the panel at 1366x768: a ~40 px balance rect
    QTest::newRow("desktop") << QSize(900, 640);
  }

  void legendHidesNoPoint() {
    QFETCH(QSize, size);
    CurvesPanel panel;
    panel.resize(size);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVector<MetricsPoint> pts = makePoints(1, 300, 10, allOn);
    pts[289].gradCosCA = 1.0;        // at the top of the cosine axis, under the legend's corner
    pts[289].gradNormDenoise = 1e3;  // the largest norm there too
    panel.appendPoints(pts);
    panel.replotNow();
    const QRectF legend = panel.balanceLegend()->outerRect();
    QVERIFY(legend.isValid() && panel.balanceLegend()->itemCount() == 6);
    int checked = 0;
    for (const QString& term : kBalanceTerms) {
      const QCPGraph* g = panel.graph(term, false);
      for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it, ++checked) {
        const QPointF px(g->keyAxis()->coordToPixel(it->key), g->valueAxis()->coordToPixel(it->value));
        QVERIFY2(
            !legend.adjusted(-2, -2, 2, 2).contains(px),
            qPrintable(
                QString("%1 at step %2 (%3, %4) under the legend").arg(term).arg(it->key).arg(px.x()).arg(px.y())));
        QVERIFY2(QRectF(panel.balanceRect()->rect()).adjusted(-1, -1, 1, 1).contains(px), qPrintable(term));
      }
    }
    QCOMPARE(checked, 6 * 30);
    // For a human look: CAN_BALANCE_PNG=/tmp/balance writes /tmp/balance-laptop.png etc.
    const QString look = qEnvironmentVariable("CAN_BALANCE_PNG");
    if (!look.isEmpty()) QVERIFY(panel.grab().save(look + "-" + QTest::currentDataTag() + ".png"));
  }

  // Four rects in a laptop's ~250 px plot are short: a rotated axis label longer than its
  // rect would run into the next rect's, and tick labels would pile up. What is shown fits.
  void shortRectsShowOnlyWhatFits_data() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("laptop") << QSize(580, 340);
    QTest::newRow("desktop") << QSize(900, 800);
  }

  void shortRectsShowOnlyWhatFits() {
    QFETCH(QSize, size);
    CurvesPanel panel;
    panel.resize(size);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVector<MetricsPoint> pts = makePoints(1, 300, 10, allOn);
    for (int i = 4; i < pts.size(); i += 5) pts[i].knnTop1 = 0.2 + i / 1000.0;
    panel.appendPoints(pts);
    panel.replotNow();
    int shown = 0, left = 0;
    for (int r = 0; r < 4; ++r) {
      QCPAxisRect* rect = panel.plot()->axisRect(r);
      for (QCPAxis* axis : {rect->axis(QCPAxis::atLeft), rect->axis(QCPAxis::atRight)}) {
        if (!axis->tickLabels()) continue;  // the frame lines of the loss rect's right side
        const QString where = QString("rect %1 axis %2").arg(r).arg(int(axis->axisType()));
        if (!axis->label().isEmpty()) {
          ++shown;
          // Drawn along the axis, centred: it may reach into the margins (5 px each side).
          const int length = QFontMetrics(axis->labelFont()).horizontalAdvance(axis->label());
          QVERIFY2(length <= rect->height() + 10, qPrintable(QString("%1: '%2' %3 px along a %4 px rect")
                                                                 .arg(where, axis->label())
                                                                 .arg(length)
                                                                 .arg(rect->height())));
        } else {
          ++left;
        }
        // Tick labels (a line each) do not overlap their neighbours.
        QVector<double> px;
        for (double t : axis->tickVector())
          if (axis->range().contains(t)) px.append(axis->coordToPixel(t));
        std::sort(px.begin(), px.end());
        const int lineHeight = QFontMetrics(axis->tickLabelFont()).height();
        for (int i = 1; i < px.size(); ++i)
          QVERIFY2(px[i] - px[i - 1] >= lineHeight - 3, qPrintable(QString("%1: ticks %2 px apart, labels %3 px high")
                                                                       .arg(where)
                                                                       .arg(px[i] - px[i - 1])
                                                                       .arg(lineHeight)));
      }
    }
    if (QByteArray(QTest::currentDataTag()) == "desktop") {
      QCOMPARE(left, 0);  // room for every label: Loss, Learning rate, Images/s, Top-1, ‖∇‖, cos
      QCOMPARE(shown, 6);
    } else {
      QVERIFY2(left > 0, "at a laptop's size the learning rate rect cannot hold its label");
    }
  }

  void runWithoutMeasurementsShrinksTheRect() {
    CurvesPanel panel;
    panel.resize(700, 520);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.appendPoints(makePoints(1, 40, 0, allOn));  // an old run: no balance keys at all
    panel.replotNow();
    QVERIFY(panel.balanceCollapsed());
    QCOMPARE(panel.balanceLegend()->itemCount(), 0);
    for (const QString& term : kBalanceTerms) QVERIFY(!panel.graph(term, false)->visible());
    const int strip = panel.balanceRect()->height();
    const int fontHeight = QFontMetrics(panel.font()).height();
    QVERIFY2(strip <= fontHeight + 8, qPrintable(QString::number(strip)));
    const int lossCollapsed = panel.plot()->axisRect(0)->height();
    QVERIFY(!panel.readoutAt(20.0).contains("objective balance"));

    // The first measurement arrives: the rect opens, the others give it room.
    panel.appendPoints(makePoints(41, 50, 50, allOn));
    panel.replotNow();
    QVERIFY(!panel.balanceCollapsed());
    QVERIFY2(panel.balanceRect()->height() > 3 * strip,
             qPrintable(QString("%1 vs strip %2").arg(panel.balanceRect()->height()).arg(strip)));
    QVERIFY(panel.plot()->axisRect(0)->height() < lossCollapsed);
    QCOMPARE(panel.balanceLegend()->itemCount(), 6);
    const QString look = qEnvironmentVariable("CAN_BALANCE_PNG");
    if (!look.isEmpty()) {
      QVERIFY(panel.grab().save(look + "-open.png"));
      panel.appendPoints(makePoints(51, 60, 0, allOn));  // more steps, still no new measurement
      QVERIFY(!panel.balanceCollapsed());
    }

    panel.clear();  // a new run: back to the strip
    panel.appendPoints(makePoints(1, 40, 0, allOn));
    panel.replotNow();
    if (!look.isEmpty()) QVERIFY(panel.grab().save(look + "-strip.png"));
    QVERIFY(panel.balanceCollapsed());
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
    QCOMPARE(header.mid(header.size() - 6), kBalanceTerms);
    for (int i = 0; i < pts.size(); ++i) {
      const QStringList f = lines[i + 1].split(',');
      QCOMPARE(f.size(), header.size());
      for (int term = 0; term < 6; ++term) {
        const QString& field = f[header.size() - 6 + term];
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
};

QTEST_MAIN(TestCurvesBalance)
#include "tst_curves_balance.moc"
