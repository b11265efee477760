// The studio under stress (issue 11, part 7): 50 cycles of Start, Pause, Resume, a live
// change, Stop and Open checkpoint through the real buttons and fields, on a tiny model.
// Every cycle continues the same run from the checkpoint the previous Stop wrote. Checks
// that each cycle ends as a user expects (stopped, checkpoint at the step it stopped at, the
// curves holding every step of the run so far), that resident memory after the last cycle
// is within 10% of what it was after the first, and that the event loop never stalls for
// more than a second. CAN_STRESS_CYCLES overrides the count.

#include "tests/app/studio_fixtures.h"
#include "widgets/curves_panel.h"
#include "widgets/run_setup_panel.h"

#include <unistd.h>

#include <fstream>

using namespace studio_test;

namespace {

// Resident set size of this process in bytes (/proc/self/statm: pages).
double residentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return double(resident) * double(sysconf(_SC_PAGESIZE));
}

}  // namespace

class TestStudioStress : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CanStudioTests");
    QSettings().clear();
  }

  void startPauseResumeChangeStopOpenCycles() {
    const int cycles = qEnvironmentVariableIsSet("CAN_STRESS_CYCLES") ? qEnvironmentVariableIntValue("CAN_STRESS_CYCLES") : 50;
    MainWindow w(scratch("stress"));
    // Batch 32 of the 64 images: steps of some milliseconds, so that a cycle trains tens of
    // steps, not thousands, and 50 cycles stay a run of a few thousand steps.
    can::RunConfig config = tinyConfig(makeDataset("stress_data"));
    config.train.batch_size = 32;
    w.setBaseConfig(config);
    w.setConfirmClose(false);
    w.show();
    QSignalSpy finished(&w, &MainWindow::runFinished);

    // The event loop's longest gap: a 10 ms timer that notes how late each tick is.
    QElapsedTimer sinceTick;
    qint64 maxGapMs = 0;
    QString phase = "window", maxGapPhase;  // what the test was doing when the longest gap ended
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] {
      const qint64 gap = sinceTick.restart();
      if (gap > maxGapMs) maxGapMs = gap, maxGapPhase = phase;
    });
    sinceTick.start();
    ticker.start();

    double rssAfterFirst = 0;
    for (int i = 0; i < cycles; ++i) {
      const QString cycle = QString("cycle %1").arg(i);
      phase = cycle + ": start";
      click(w, "start");
      QTRY_VERIFY2_WITH_TIMEOUT(w.state() == MainWindow::State::Running, qPrintable(cycle), 30000);
      const qint64 first = w.worker()->lastStep();
      QVERIFY2(waitForStep(w, first + 1), qPrintable(cycle));

      phase = cycle + ": pause, resume, live change";
      click(w, "pause");
      QCOMPARE(w.state(), MainWindow::State::Paused);
      click(w, "resume");
      QCOMPARE(w.state(), MainWindow::State::Running);

      auto* ratio = qobject_cast<QLineEdit*>(w.setupPanel()->field("loss.mask_ratio"));
      QVERIFY2(ratio && ratio->isEnabled(), qPrintable(cycle));
      ratio->selectAll();
      QTest::keyClicks(ratio, i % 2 ? "0.5" : "0.25");  // differs from the value in effect
      QTest::keyClick(ratio, Qt::Key_Return);           // a live change is sent on Enter
      const int markers = w.curvesPanel()->markerCount();
      QTRY_VERIFY2_WITH_TIMEOUT(w.curvesPanel()->markerCount() > markers, qPrintable(cycle), 30000);

      phase = cycle + ": stop";
      click(w, "stop");
      QTRY_COMPARE_WITH_TIMEOUT(finished.size(), i + 1, 30000);
      QCOMPARE(finished[i][0].value<TrainingWorker::Outcome>(), TrainingWorker::Outcome::Stopped);
      const qint64 stoppedAt = finished[i][1].toLongLong();
      QCOMPARE(QFileInfo(w.lastCheckpoint()).fileName(), QString("step_%1").arg(stoppedAt, 6, 10, QChar('0')));
      QTRY_COMPARE(w.curvesPanel()->pointCount(), int(stoppedAt));

      // Open the checkpoint the stop wrote: the next Start continues this run.
      phase = cycle + ": open checkpoint";
      QVERIFY2(w.openCheckpoint(w.runDir()), qPrintable(cycle));
      QCOMPARE(w.curvesPanel()->pointCount(), int(stoppedAt));
      if (i == 0) rssAfterFirst = residentBytes();
    }
    const double rssEnd = residentBytes();
    QVERIFY2(rssEnd <= 1.10 * rssAfterFirst, qPrintable(QString("resident memory %1 MB after cycle 1, %2 MB after %3")
                                                            .arg(rssAfterFirst / 1e6, 0, 'f', 1)
                                                            .arg(rssEnd / 1e6, 0, 'f', 1)
                                                            .arg(cycles)));
    QVERIFY2(maxGapMs < 1000, qPrintable(QString("the event loop stalled for %1 ms (%2)").arg(maxGapMs).arg(maxGapPhase)));
    qInfo("%d cycles, %lld steps: resident %.1f MB after the first, %.1f MB after the last; longest event-loop gap "
          "%lld ms (%s)", cycles, finished.back()[1].toLongLong(), rssAfterFirst / 1e6, rssEnd / 1e6,
          static_cast<long long>(maxGapMs), qPrintable(maxGapPhase));
  }
};

QTEST_MAIN(TestStudioStress)
#include "tst_studio_stress.moc"
