// app/eta.h: the studio's time-to-finish. A run whose first steps are slow (warm-up) and
// then steady at 0.5 s/step must show the steady estimate, not one that starts hours high
// and falls; a pause must not count; a change of speed must show within about a minute.

#include "app/eta.h"

#include <QtTest/QtTest>

class TestEta : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void warmUpDoesNotInflateTheEstimate() {
    EtaEstimator eta;
    eta.reset(0);
    double t = 0;
    // Five warm-up steps of 20 s each (kNN bank, first kernels), then 0.5 s per step,
    // metrics arriving every 4 steps.
    for (int step = 1; step <= 5; ++step) {
      t += 20.0;
      eta.observe(step, t);
      QCOMPARE(eta.secondsLeft(step, 1000), -1.0);  // unknown during warm-up
    }
    for (int step = 9; step <= 41; step += 4) {
      t += 4 * 0.5;
      eta.observe(step, t);
    }
    // Exactly the steady rate: 0.5 s x (1000 - 41) steps. Counting from the start it was
    // (100 + 18) s / 41 steps x 959 = 2760 s, 5.8x too high.
    QCOMPARE(eta.secondsLeft(41, 1000), 0.5 * 959);
  }

  void aPauseIsNotTrainingTime() {
    EtaEstimator eta;
    eta.reset(0);
    double t = 0;
    for (int step = 5; step <= 25; step += 5) eta.observe(step, t += 5 * 0.2);
    t += 600;  // paused for ten minutes
    eta.restart();
    for (int step = 30; step <= 40; step += 5) eta.observe(step, t += 5 * 0.2);
    QVERIFY(qAbs(eta.secondsLeft(40, 140) - 0.2 * 100) < 1e-9);
  }

  void followsAChangeOfSpeedWithinAMinute() {
    EtaEstimator eta;
    eta.reset(0);
    double t = 0;
    int step = 5;
    eta.observe(step, t);
    for (; step < 205; step += 10) eta.observe(step + 10, t += 10 * 0.1);  // 0.1 s/step
    QVERIFY(qAbs(eta.secondsLeft(step, 10000) / (10000 - step) - 0.1) < 1e-9);
    // Twice as slow from here (another job on the machine): after 60 s of it, the
    // estimate is within 15% of the new rate: 1 - exp(-60/30) = 86% of the way.
    const double until = t + 60.0;
    while (t < until - 1e-9) {
      eta.observe(step + 10, t += 10 * 0.2);
      step += 10;
    }
    const double perStep = eta.secondsLeft(step, 10000) / (10000 - step);
    QVERIFY2(perStep > 0.2 * 0.85 && perStep < 0.2, qPrintable(QString::number(perStep)));
  }
};

QTEST_MAIN(TestEta)
#include "tst_eta.moc"
