#include "app/run_controller.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTime>

#include <stdexcept>
#include <string>

#include "core/train/checkpoint.h"
#include "core/train/checkpoint_info.h"
#include "core/train/event_log.h"
#include "core/train/metrics_log.h"
#include "core/train/snapshot_store.h"
#include "core/util/json_limits.h"

RunHistory loadRunHistory(const QString& runDir, qint64 upToStep) {
  RunHistory history;
  const QDir dir(runDir);
  for (const auto& m : can::read_metrics_log(dir.filePath("metrics.jsonl").toStdString(), upToStep))
    history.points.push_back(toMetricsPoint(m));
  for (const auto& change : can::read_setting_changes(dir.filePath("events.jsonl").toStdString(), upToStep)) {
    RunHistory::Marker marker;
    marker.step = change.step;
    for (const auto& p : history.points)
      if (p.step <= change.step) marker.epoch = p.epoch;
    marker.text = settingChangeLabel(change);
    history.markers.push_back(marker);
  }
  history.runDir = runDir;
  for (int64_t step : can::SnapshotStore::list_snapshot_steps(runDir.toStdString()))
    if (upToStep < 0 || step <= upToStep) history.snapshotSteps.push_back(step);
  return history;
}

qint64 checkpointStep(const QString& checkpointOrRun) { return can::checkpoint_step(checkpointOrRun.toStdString()); }

QString runDirOf(const QString& checkpointOrRun) {
  const std::string run = can::run_dir_of_checkpoint(checkpointOrRun.toStdString());
  if (!run.empty()) return QDir(QString::fromStdString(run)).absolutePath();
  QDir dir(checkpointOrRun);  // a checkpoint outside a checkpoints folder: two levels up, as before
  dir.cdUp();
  dir.cdUp();
  return dir.absolutePath();
}

RunController::RunController(const QString& runsRoot, QObject* parent) : QObject(parent), runsRoot_(runsRoot) {
  qRegisterMetaType<RunHistory>();
  worker_ = new TrainingWorker;
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_.setObjectName("training");
  thread_.start();
  connect(worker_, &TrainingWorker::started, this, &RunController::onStarted);
  connect(worker_, &TrainingWorker::metrics, this, &RunController::onMetrics);
  connect(worker_, &TrainingWorker::snapshot, this, &RunController::snapshot);
  connect(worker_, &TrainingWorker::snapshotsKept, this, &RunController::snapshotsKept);
  connect(worker_, &TrainingWorker::message, this, &RunController::message);
  connect(worker_, &TrainingWorker::settingChanged, this, [this](qint64 step, const QString& text) {
    Q_EMIT settingChanged(step, stepsPerEpoch_ > 0 ? double(step) / double(stepsPerEpoch_) : 0.0, text);
  });
  connect(worker_, &TrainingWorker::weightsReady, this, &RunController::weightsReady);
  connect(worker_, &TrainingWorker::checkpointSaved, this, [this](const QString& path) {
    lastCheckpoint_ = path;
    lastCheckpointTime_ = QTime::currentTime().toString("HH:mm:ss");
    Q_EMIT checkpointSaved(path);
    Q_EMIT progressChanged();
  });
  connect(worker_, &TrainingWorker::failed, this, &RunController::failed);
  connect(worker_, &TrainingWorker::skippedFiles, this, [this](const QStringList& found, qint64 total) {
    skippedFiles_ = total;
    Q_EMIT filesSkipped(found, total);
    Q_EMIT progressChanged();
  });
  connect(worker_, &TrainingWorker::finished, this, &RunController::onFinished);
  // Snapshots by wall-clock time, not steps: the panels refresh every two seconds whatever
  // a step costs.
  snapshotTimer_.setInterval(qEnvironmentVariableIntValue("CAN_STUDIO_SNAPSHOT_MS") > 0
                                 ? qEnvironmentVariableIntValue("CAN_STUDIO_SNAPSHOT_MS")
                                 : 2000);
  connect(&snapshotTimer_, &QTimer::timeout, this, [this] { worker_->requestSnapshot(); });
}

RunController::~RunController() {
  worker_->requestStop();
  thread_.quit();
  thread_.wait();
}

void RunController::setState(State state) {
  state_ = state;
  Q_EMIT stateChanged(state);
}

bool RunController::start(const can::RunConfig& config, qint64 stopAfterSteps) {
  if (state_ != State::Idle) return false;
  TrainingRequest request;
  request.config = config;
  request.resumeFrom = resumeFrom_;
  request.stopAfterSteps = stopAfterSteps;
  if (resumeFrom_.isEmpty()) {
    // A folder of its own, even for two starts within one second (the second used to
    // write into the first's folder).
    const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    request.runDir = QDir(runsRoot_).filePath(stamp);
    for (int n = 2; QFileInfo::exists(request.runDir); ++n)
      request.runDir = QDir(runsRoot_).filePath(QString("%1-%2").arg(stamp).arg(n));
  } else {
    request.runDir = runDirOf(resumeFrom_);
  }
  newRun_ = resumeFrom_.isEmpty();
  resumeFrom_.clear();
  runDir_ = request.runDir;
  // The status bar and Export show this run's facts only: nothing of the run before.
  lastCheckpointTime_.clear();
  if (newRun_) lastCheckpoint_.clear();
  skippedFiles_ = 0;
  step_ = firstStep_ = totalSteps_ = 0;
  epoch_ = imgPerS_ = 0;
  Q_EMIT runStarting(runDir_);
  setState(State::Starting);
  QMetaObject::invokeMethod(
      worker_, [w = worker_, request] { w->start(request); }, Qt::QueuedConnection);
  return true;
}

void RunController::pause() {
  worker_->requestPause();
  setState(State::Paused);
}

void RunController::resume() {
  eta_.restart();  // the pause is not time per step
  worker_->requestResume();
  setState(State::Running);
}

void RunController::stop() {
  worker_->requestStop();
  setState(State::Stopping);
}

void RunController::save() { worker_->requestSave(); }

bool RunController::requestWeights() {
  if (state_ != State::Running && state_ != State::Paused) return false;
  return worker_->requestWeights();
}

void RunController::applyLiveChange(const QString& key, const QString& value, const QMap<QString, QString>& values) {
  bool ok = false;
  const double v = value.toDouble(&ok);
  if (!ok) return;
  if (key == "loss.mask_ratio") {
    worker_->requestMaskRatio(v);
  } else if (key == "loss.sigma_max") {
    worker_->requestSigmaMax(v);
  } else {  // the three weights travel together
    worker_->requestLossWeights(values["loss.w_infonce"].toDouble(), values["loss.w_rec"].toDouble(),
                                values["loss.w_denoise"].toDouble());
  }
}

bool RunController::openCheckpoint(const QString& path, can::RunConfig* config, QString* error) {
  if (state_ != State::Idle) return false;
  QString resolved;
  qint64 step = 0;
  try {
    resolved = QString::fromStdString(can::resolve_checkpoint(path.toStdString()));
    *config = can::load_run_config(resolved.toStdString());
    step = checkpointStep(resolved);  // the step the checkpoint itself holds (its state.json)
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  resumeFrom_ = lastCheckpoint_ = resolved;
  // Inspecting a run starts with its curves and markers up to the checkpoint (a resumed
  // start continues them).
  Q_EMIT historyLoaded(loadRunHistory(runDirOf(resolved), step));
  step_ = step;
  setState(State::Idle);
  return true;
}

double RunController::etaSeconds() const {
  return state_ == State::Running ? eta_.secondsLeft(step_, totalSteps_) : -1.0;
}

void RunController::onStarted(const QString& device, qint64 totalSteps, qint64 stepsPerEpoch, qint64 firstStep) {
  device_ = device;
  totalSteps_ = totalSteps;
  stepsPerEpoch_ = stepsPerEpoch;
  step_ = firstStep_ = firstStep;
  // A resumed run's curves continue from its history: the steps before the first one of
  // this start, as the checkpoint the trainer loaded left them, and their markers. The
  // worker queues its metrics after `started`, so they arrive after these.
  if (firstStep > 0 && !runDir_.isEmpty()) {
    const RunHistory history = loadRunHistory(runDir_, firstStep);
    if (!history.points.isEmpty() || !history.markers.isEmpty() || !history.snapshotSteps.isEmpty())
      Q_EMIT historyLoaded(history);
  }
  runClock_.start();
  eta_.reset(firstStep);
  snapshotTimer_.start();
  if (state_ == State::Starting) setState(State::Running);
  Q_EMIT progressChanged();
}

void RunController::onMetrics(const QVector<MetricsPoint>& points) {
  Q_EMIT metrics(points);
  const MetricsPoint& last = points.back();
  step_ = last.step;
  epoch_ = last.epoch;
  imgPerS_ = last.imgPerS;
  if (state_ == State::Running && runClock_.isValid()) eta_.observe(step_, runClock_.elapsed() / 1000.0);
  Q_EMIT progressChanged();
}

void RunController::onFinished(TrainingWorker::Outcome outcome, qint64 step) {
  snapshotTimer_.stop();
  step_ = step;
  // A new run that failed before its first step (a missing dataset, an impossible model)
  // leaves no folder behind: it holds no checkpoint and no metrics, and the error is shown.
  if (outcome == TrainingWorker::Outcome::Failed && newRun_ && step <= 0 && lastCheckpoint_.isEmpty() &&
      !runDir_.isEmpty()) {
    QDir(runDir_).removeRecursively();
    runDir_.clear();
  }
  setState(State::Idle);
  Q_EMIT runFinished(outcome, step);
}
