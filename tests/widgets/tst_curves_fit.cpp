// How the curves panel's five rects share a short plot: the objective-balance rect's legend
// hides no point, rotated axis labels and tick labels are shown only where they fit, and a
// run without balance measurements shrinks that rect to a strip until the first arrives.
#include <QtTest/QtTest>

#include <qcustomplot.h>

#include <algorithm>

#include "tests/widgets/balance_fixtures.h"
#include "widgets/curves_panel.h"

using namespace curves_test;

class TestCurvesFit : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // The legend is a row above the short rect, not in it: it hides no point, even at a
  // laptop's size and with points at the top right.
  void legendHidesNoPoint_data() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("laptop") << QSize(580, 340);  // about the panel at 1366x768: a ~32 px balance rect
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
    for (int i = 9; i < pts.size(); i += 10) {  // resource samples every 10 steps
      pts[i].cpuPercent = 180.0 + i % 30;
      pts[i].rssMib = 2000.0 + i;
    }
    panel.appendPoints(pts);
    panel.replotNow();
    int shown = 0, left = 0;
    for (int r = 0; r < panel.plot()->axisRectCount(); ++r) {
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
      QCOMPARE(left, 0);  // room for every label: Loss, Learning rate, Images/s, CPU %, MiB, Top-1, ‖∇‖, cos
      QCOMPARE(shown, 8);
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
};

QTEST_MAIN(TestCurvesFit)
#include "tst_curves_fit.moc"
