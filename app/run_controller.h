#pragma once
// RunController: one training run as the studio sees it, without any widget. It owns the
// worker thread and its TrainingWorker, the run state machine (Idle -> Starting -> Running
// <-> Paused -> Stopping -> Idle), the run folder, the checkpoint a Start continues and its
// step, the run's progress (step, epoch, images/s, device, ETA), and the one loader of a
// run's history (metrics.jsonl and the change markers of events.jsonl). The window calls
// its methods and draws what its typed signals bring; user-visible texts stay in the window.

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <QTimer>
#include <QVector>

#include "app/eta.h"
#include "app/training_worker.h"
#include "core/config/run_config.h"
#include "widgets/metrics_point.h"
#include "widgets/snapshot_images.h"

// A run's curves up to a step: its metrics and the markers of its live changes.
struct RunHistory {
  struct Marker {
    qint64 step = 0;
    double epoch = 0.0;  // of the last metrics point at or before the step (0 when none)
    QString text;        // settingChangeLabel()
  };
  QVector<MetricsPoint> points;
  QVector<Marker> markers;
  QString runDir;                 // the run folder these come from
  QVector<qint64> snapshotSteps;  // the snapshots kept in runDir/snapshots up to the step
};
Q_DECLARE_METATYPE(RunHistory)

// RUN/metrics.jsonl, the setting changes of RUN/events.jsonl and the kept snapshots of
// RUN/snapshots at steps <= upToStep (all when < 0). Missing files give an empty history.
RunHistory loadRunHistory(const QString& runDir, qint64 upToStep);
// The step a checkpoint holds, read from its state.json (a checkpoint directory, or a run
// directory: its latest checkpoint, as can::resolve_checkpoint); can::checkpoint_step. Throws
// std::runtime_error naming the file when it is missing, too large or has no valid "step".
qint64 checkpointStep(const QString& checkpointOrRun);
// A run directory from a checkpoint path: DIR/checkpoints/step_N -> DIR; DIR stays DIR
// (can::run_dir_of_checkpoint, absolute); any other path: two levels up.
QString runDirOf(const QString& checkpointOrRun);

class RunController : public QObject {
  Q_OBJECT

 public:
  enum class State { Idle, Starting, Running, Paused, Stopping };

  // runsRoot: where new runs get their folder (a timestamped sub-folder each).
  explicit RunController(const QString& runsRoot, QObject* parent = nullptr);
  ~RunController() override;  // stops a run in progress and joins the worker thread

  // Starts a run of `config` (continuing the opened checkpoint, if any); stopAfterSteps > 0
  // stops (and saves) after that many steps. False when a run is in progress.
  bool start(const can::RunConfig& config, qint64 stopAfterSteps = 0);
  void pause();
  void resume();
  void stop();  // after the current step, saving a checkpoint
  void save();  // a checkpoint now, between steps
  // A copy of the weights between two steps, the run going on (weightsReady brings it);
  // false when no run is training or paused (nothing will come).
  bool requestWeights();
  // A live setting from the setup form: the mask ratio and σ_max alone, a weight with the
  // other two (`values`: the form's current values). Values that are not numbers are ignored.
  void applyLiveChange(const QString& key, const QString& value, const QMap<QString, QString>& values);
  // Opens a checkpoint (or a run folder: its latest): the next start continues it. Returns
  // its config, emits historyLoaded with the run up to the checkpoint and stateChanged; on
  // failure returns false with the reason in *error and changes nothing.
  bool openCheckpoint(const QString& path, can::RunConfig* config, QString* error);

  State state() const { return state_; }
  QString runsRoot() const { return runsRoot_; }
  QString runDir() const { return runDir_; }
  // The checkpoint the next start continues; "" when it begins a new run.
  QString resumeFrom() const { return resumeFrom_; }
  QString lastCheckpoint() const { return lastCheckpoint_; }
  QString lastCheckpointTime() const { return lastCheckpointTime_; }  // "HH:mm:ss", "" before the first
  QString device() const { return device_; }                          // "" before a run has started
  qint64 step() const { return step_; }
  qint64 totalSteps() const { return totalSteps_; }
  qint64 stepsPerEpoch() const { return stepsPerEpoch_; }
  double epoch() const { return epoch_; }
  double imagesPerSecond() const { return imgPerS_; }
  qint64 skippedFiles() const { return skippedFiles_; }
  // Seconds left at the pace of this run so far; < 0 when unknown (not running, no step yet).
  double etaSeconds() const;
  TrainingWorker* worker() const { return worker_; }

 Q_SIGNALS:
  void stateChanged(RunController::State state);
  // A run is about to start in this folder (the curves of the previous one are done).
  void runStarting(const QString& runDir);
  // The progress numbers changed (started, metrics, a checkpoint, skipped files).
  void progressChanged();
  // Replaces the curves: an opened checkpoint's run, or a resumed run's steps before its first.
  void historyLoaded(const RunHistory& history);
  void metrics(const QVector<MetricsPoint>& points);
  void snapshot(const SnapshotImages& images);
  // A snapshot was kept in the run folder: the kept steps now (TrainingWorker::snapshotsKept).
  void snapshotsKept(const QVector<qint64>& steps);
  void settingChanged(qint64 step, double epoch, const QString& text);
  void checkpointSaved(const QString& path);
  void weightsReady(std::shared_ptr<const LiveWeights> weights, qint64 step);
  // Training files found unusable since the last emission, and how many in all this run.
  void filesSkipped(const QStringList& newlyFound, qint64 total);
  void message(const QString& text);
  void failed(const QString& error);
  // After the state is Idle again.
  void runFinished(TrainingWorker::Outcome outcome, qint64 step);

 private:
  void setState(State state);
  void onStarted(const QString& device, qint64 totalSteps, qint64 stepsPerEpoch, qint64 firstStep);
  void onMetrics(const QVector<MetricsPoint>& points);
  void onFinished(TrainingWorker::Outcome outcome, qint64 step);

  QString runsRoot_, runDir_, resumeFrom_, lastCheckpoint_, lastCheckpointTime_, device_;
  State state_ = State::Idle;
  bool newRun_ = false;  // the run being trained got a new folder (not a continued one)
  qint64 step_ = 0, firstStep_ = 0, totalSteps_ = 0, stepsPerEpoch_ = 0, skippedFiles_ = 0;
  double epoch_ = 0, imgPerS_ = 0;
  QElapsedTimer runClock_;
  EtaEstimator eta_;

  QThread thread_;
  TrainingWorker* worker_ = nullptr;
  QTimer snapshotTimer_;
};
