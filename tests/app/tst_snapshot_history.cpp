// Looking back in the studio: a run keeps its snapshots in RUN/snapshots within the bound,
// the step slider lists exactly the kept steps, picking one shows that step's snapshot in
// the image panels, Live shows the newest live one again, an opened finished run shows its
// kept ones, and a damaged file is an error naming it. The resource samples reach the curves.

#include "app/main_window.h"
#include "app/run_controller.h"
#include "app/snapshot_history.h"
#include "core/train/snapshot_store.h"
#include "tests/app/studio_fixtures.h"
#include "widgets/curves_panel.h"
#include "widgets/snapshot_slider.h"

#include <QtTest/QtTest>
#include <QtWidgets>

using namespace studio_test;

namespace {

QVector<qint64> keptOnDisk(const QString& runDir) {
  QVector<qint64> out;
  for (const QString& name : QDir(runDir + "/snapshots").entryList({"step_*.safetensors"}, QDir::Files))
    out.append(name.mid(5, name.size() - 5 - 12).toLongLong());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

class TestSnapshotHistory : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("CAN Studio tests");
    QCoreApplication::setApplicationName("tst_snapshot_history");
    QSettings().clear();
  }

  void pickAStepLiveAndReopen() {
    MainWindow w(scratch("history"));
    can::RunConfig c = tinyConfig(makeDataset("history_data"));
    c.train.snapshot_every = 2;
    c.train.snapshot_keep = 3;
    c.train.log_every = 5;
    w.setBaseConfig(c);
    w.show();
    QSignalSpy finished(&w, &MainWindow::runFinished);
    qint64 lastLive = -1;
    connect(w.runController(), &RunController::snapshot, this, [&](const SnapshotImages& s) { lastLive = s.step; });
    QVERIFY(w.startRun(/*stopAfterSteps=*/20));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QTRY_VERIFY(w.panelsFilled());
    const QString run = w.runDir();
    const qint64 last = finished[0][1].toLongLong();

    // Kept: within 2 x keep, the newest 3 of the due steps (multiples of 2) all there.
    const QVector<qint64> kept = keptOnDisk(run);
    QVERIFY2(kept.size() <= 6 && kept.size() >= 3, qPrintable(QString::number(kept.size())));
    const qint64 newestDue = last / 2 * 2;
    for (qint64 s : {newestDue - 4, newestDue - 2, newestDue}) QVERIFY(kept.contains(s));
    QCOMPARE(kept.first(), qint64(2));  // the history reaches back to the start
    SnapshotSlider* slider = w.snapshotSlider();
    QCOMPARE(slider->steps(), kept);
    QVERIFY(slider->isLive());
    QCOMPARE(w.shownSnapshot().step, lastLive);

    // Pick the oldest kept step: every panel shows that step's snapshot.
    QElapsedTimer timer;
    timer.start();
    slider->pickStep(kept.first());
    const qint64 loadMs = timer.elapsed();
    qInfo("picking a kept snapshot on the GUI thread: %lld ms", static_cast<long long>(loadMs));
    QCOMPARE(w.shownSnapshot().step, kept.first());
    const SnapshotImages fromFile = loadKeptSnapshot(run, kept.first());
    QCOMPARE(w.shownSnapshot().views, fromFile.views);
    QCOMPARE(w.shownSnapshot().masks, fromFile.masks);
    QVERIFY(w.shownSnapshot().views != loadKeptSnapshot(run, kept.last()).views);  // a different picture
    // Live again: the newest live snapshot.
    slider->setLive(true);
    QCOMPARE(w.shownSnapshot().step, lastLive);

    // The resource samples reached the curves: every log_every-th step, CPU and resident memory.
    const QVector<QPointF> cpu = w.curvesPanel()->plottedPoints("cpu_percent");
    QVERIFY(!cpu.isEmpty());
    for (const QPointF& p : cpu) QCOMPARE(qint64(p.x()) % 5, qint64(0));
    QCOMPARE(w.curvesPanel()->plottedPoints("rss_mib").size(), cpu.size());

    // The finished run opened again: its kept snapshots, the newest shown.
    MainWindow again(scratch("history_reopen"));
    again.show();
    QVERIFY(again.openCheckpoint(run));
    QCOMPARE(again.snapshotSlider()->steps(), kept);
    QCOMPARE(again.shownSnapshot().step, kept.last());
    again.snapshotSlider()->pickStep(kept[1]);
    QCOMPARE(again.shownSnapshot().step, kept[1]);

    // A damaged file: an error naming it, the panels keep what they show.
    const QString damaged = run + QString("/snapshots/step_%1.safetensors").arg(kept.first());
    {
      QFile f(damaged);
      QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
      f.write("not a snapshot");
    }
    again.snapshotSlider()->pickStep(kept.first());
    QVERIFY2(again.errorText().contains(damaged), qPrintable(again.errorText()));
    QCOMPARE(again.shownSnapshot().step, kept[1]);
  }
};

QTEST_MAIN(TestSnapshotHistory)
#include "tst_snapshot_history.moc"
