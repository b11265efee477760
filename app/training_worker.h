#pragma once
// TrainingWorker: lives on its own QThread and owns the Trainer while a run lasts. The GUI
// calls start() through a queued invocation and steers the run only through the
// thread-safe request methods below, which set the trainer's control flags (acted on
// between steps). The trainer's observer callbacks arrive on the worker thread; they are
// turned into queued signals here: metrics batched to at most 20 emissions a second,
// snapshots converted to QImage before they leave the thread.

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "app/live_weights.h"
#include "core/config/run_config.h"
#include "widgets/metrics_point.h"
#include "widgets/snapshot_images.h"

namespace can {
class Trainer;
struct StepMetrics;
struct SettingChange;
}

MetricsPoint toMetricsPoint(const can::StepMetrics& metrics);
// The curve marker's text of a live change: "loss.mask_ratio 0.5 → 0.75".
QString settingChangeLabel(const can::SettingChange& change);

struct TrainingRequest {
  can::RunConfig config;
  QString runDir;           // checkpoints/, config.json and metrics.jsonl go here
  QString resumeFrom;       // checkpoint or run directory to continue; empty = a new run
  qint64 stopAfterSteps = 0;  // stop (saving a checkpoint) after this many steps; 0 = run to the end
};
Q_DECLARE_METATYPE(TrainingRequest)

class TrainingWorker : public QObject {
  Q_OBJECT

 public:
  enum class Outcome { Finished, Stopped, Failed };
  Q_ENUM(Outcome)

  explicit TrainingWorker(QObject* parent = nullptr);
  ~TrainingWorker() override;

  // Thread-safe: callable from the GUI thread at any time. Before the trainer exists (the
  // dataset is still opening) pause and stop are remembered and applied when it does.
  void requestPause();
  void requestResume();
  void requestStop();
  void requestSave();
  void requestSnapshot();
  // A copy of the weights between two steps (also while paused), without stopping the run:
  // weightsReady brings it. False when no run trains (nothing will come).
  bool requestWeights();
  void requestLossWeights(double wInfoNce, double wRec, double wDenoise);
  void requestSigmaMax(double sigmaMax);
  void requestMaskRatio(double maskRatio);
  // Test hook: the next step's loss becomes NaN (the engine's non-finite-loss path).
  void requestNanForTest();
  bool isRunning() const { return running_; }
  // The last step the trainer finished, updated on the training thread as it happens
  // (the metrics signal is batched, so the GUI's own count may lag by a few steps).
  qint64 lastStep() const { return lastStep_; }

 public Q_SLOTS:
  // Builds the trainer and runs it to the end on the calling (worker) thread.
  void start(const TrainingRequest& request);

 Q_SIGNALS:
  // The run is set up: device, the steps of the whole schedule, steps per epoch, first step
  // (> 0 when it resumed: its history is the RunController's to load, see loadRunHistory).
  void started(const QString& device, qint64 totalSteps, qint64 stepsPerEpoch, qint64 firstStep);
  void metrics(const QVector<MetricsPoint>& points);
  void snapshot(const SnapshotImages& images);
  // A snapshot was kept in RUN/snapshots: the steps kept there now, ascending (the bound of
  // core/train/snapshot_store.h may have removed older ones).
  void snapshotsKept(const QVector<qint64>& steps);
  void message(const QString& text);
  // A live change took effect at this step (a marker on the curves).
  void settingChanged(qint64 step, const QString& text);
  void checkpointSaved(const QString& path);
  // What requestWeights asked for: the copy and its step (= weights->step).
  void weightsReady(std::shared_ptr<const LiveWeights> weights, qint64 step);
  // Training files found unusable since the last emission ("FILE: REASON", each file once,
  // escaped), and how many there are in all so far.
  void skippedFiles(const QStringList& newlyFound, qint64 total);
  void failed(const QString& error);
  void finished(TrainingWorker::Outcome outcome, qint64 step);

 private:
  friend class WorkerObserver;
  void runTrainer(const TrainingRequest& request);
  void flushMetrics();
  template <typename F>
  void withTrainer(F&& f);

  std::mutex mutex_;  // guards trainer_ (created and destroyed on the worker thread)
  std::shared_ptr<can::Trainer> trainer_;
  std::atomic<qint64> lastStep_{0};
  size_t skipsReported_ = 0;  // files of the trainer's skip report already emitted (worker thread)
  std::atomic<bool> running_{false}, pauseRequested_{false}, stopRequested_{false};
  QVector<MetricsPoint> pending_;
  std::chrono::steady_clock::time_point lastEmit_;
};
