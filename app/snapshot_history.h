#pragma once
// What the image panels show: the run's live snapshots, or one the run kept in
// RUN/snapshots, as the step slider (widgets/snapshot_slider.h) asks. Live, every live
// snapshot is shown; with a step picked, live ones are held back (the newest is shown
// when Live is turned on again) and the kept file of that step is read and shown. A
// finished run opened with Open checkpoint has no live snapshots: its newest kept one is
// shown, and the slider reaches every kept one.

#include <QObject>
#include <QString>
#include <QVector>

#include "widgets/snapshot_images.h"

class SnapshotSlider;

class SnapshotHistory : public QObject {
  Q_OBJECT

 public:
  explicit SnapshotHistory(SnapshotSlider* slider, QObject* parent = nullptr);

  // A run is starting in runDir: no live snapshot yet; the slider follows it live.
  void startRun(const QString& runDir);
  // The kept steps of a run folder (an opened checkpoint, a resumed run's history); while
  // live and without a live snapshot, the newest of them is shown.
  void setKept(const QString& runDir, const QVector<qint64>& steps);
  // A new kept snapshot of the run in progress (TrainingWorker::snapshotsKept).
  void setKeptSteps(const QVector<qint64>& steps);
  void onLiveSnapshot(const SnapshotImages& images);
  // Reads and shows the kept snapshot of a step (what picking it on the slider does);
  // false with `failed` emitted when its file is missing or damaged.
  bool showKept(qint64 step);

 Q_SIGNALS:
  void show(const SnapshotImages& images);
  void failed(const QString& error);

 private:
  void onLiveChanged(bool live);

  SnapshotSlider* slider_;
  QString runDir_;
  SnapshotImages latestLive_;  // numSamples 0: none yet
};

// The snapshot of `step` kept in runDir/snapshots as the panels draw it. Throws
// std::runtime_error naming the file when it is missing or damaged.
SnapshotImages loadKeptSnapshot(const QString& runDir, qint64 step);
