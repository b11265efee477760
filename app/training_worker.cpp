#include "app/training_worker.h"

#include <QMap>

#include <filesystem>
#include <optional>

#include "app/snapshot_images.h"
#include "core/experiments/run_lock.h"
#include "core/train/event_log.h"
#include "core/train/metrics_log.h"
#include "core/train/snapshot_store.h"
#include "core/train/trainer.h"

MetricsPoint toMetricsPoint(const can::StepMetrics& m) {
  MetricsPoint p;
  p.step = m.step;
  p.epoch = m.epoch;
  p.loss = m.loss;
  p.lossInfoNce = m.loss_info_nce;
  p.lossRec = m.loss_rec;
  p.lossDenoise = m.loss_denoise;
  p.lr = m.lr;
  p.imgPerS = m.img_per_s;
  p.gradNorm = m.grad_norm;
  if (m.contrastive_top1) p.contrastiveTop1 = *m.contrastive_top1;
  if (m.knn_top1) p.knnTop1 = *m.knn_top1;
  if (m.grad_norm_infonce) p.gradNormInfoNce = *m.grad_norm_infonce;
  if (m.grad_norm_rec) p.gradNormRec = *m.grad_norm_rec;
  if (m.grad_norm_denoise) p.gradNormDenoise = *m.grad_norm_denoise;
  if (m.grad_cos_c_a) p.gradCosCA = *m.grad_cos_c_a;
  if (m.grad_cos_c_n) p.gradCosCN = *m.grad_cos_c_n;
  if (m.grad_cos_a_n) p.gradCosAN = *m.grad_cos_a_n;
  if (m.grad_share_infonce) p.gradShareInfoNce = *m.grad_share_infonce;
  if (m.grad_share_rec) p.gradShareRec = *m.grad_share_rec;
  if (m.grad_share_denoise) p.gradShareDenoise = *m.grad_share_denoise;
  if (m.health_std_ratio) p.healthStdRatio = *m.health_std_ratio;
  if (m.health_effective_rank) p.healthEffectiveRank = *m.health_effective_rank;
  if (m.health_alignment) p.healthAlignment = *m.health_alignment;
  if (m.health_uniformity) p.healthUniformity = *m.health_uniformity;
  if (m.health_pos_cos) p.healthPosCos = *m.health_pos_cos;
  if (m.health_neg_cos) p.healthNegCos = *m.health_neg_cos;
  if (m.cpu_percent) p.cpuPercent = *m.cpu_percent;
  if (m.rss_mib) p.rssMib = *m.rss_mib;
  if (m.gpu_mem_mib) p.gpuMemMib = *m.gpu_mem_mib;
  if (m.gpu_reserved_mib) p.gpuReservedMib = *m.gpu_reserved_mib;
  return p;
}

namespace {

// At most 20 metric emissions a second: a GUI fed faster only repaints more.
constexpr std::chrono::milliseconds kMetricsInterval{50};

}  // namespace

QString settingChangeLabel(const can::SettingChange& change) {
  // The symbols of the setup form and the method (docs/method.md), which read the same in
  // every language; a key without one is shown as it is.
  static const QMap<QString, QString> kSymbols = {{"loss.mask_ratio", "m"},  {"loss.sigma_max", "σ_max"},
                                                  {"loss.w_infonce", "λ_C"}, {"loss.w_rec", "λ_A"},
                                                  {"loss.w_denoise", "λ_N"}, {"loss.tau", "τ"}};
  const QString key = QString::fromStdString(change.key);
  return QString("%1 %2 → %3").arg(kSymbols.value(key, key)).arg(change.from).arg(change.to);
}

// The trainer's observer, called on the worker thread between (and during) steps.
class WorkerObserver : public can::TrainerObserver {
 public:
  WorkerObserver(TrainingWorker* worker, can::Trainer* trainer, can::MetricsLog* log, can::EventLog* events,
                 can::SnapshotStore* store, qint64 firstStep, qint64 stopAfterSteps, std::string runDir)
      : worker_(worker),
        trainer_(trainer),
        log_(log),
        events_(events),
        store_(store),
        firstStep_(firstStep),
        stopAfter_(stopAfterSteps),
        runDir_(std::move(runDir)) {}

  void on_step(const can::StepMetrics& m) override {
    worker_->lastStep_ = m.step;
    log_->append(m);
    worker_->pending_.push_back(toMetricsPoint(m));
    if (std::chrono::steady_clock::now() - worker_->lastEmit_ >= kMetricsInterval) worker_->flushMetrics();
    if (stopAfter_ > 0 && m.step - firstStep_ >= stopAfter_) trainer_->control().stop();
    if (m.skipped_files > static_cast<int64_t>(worker_->skipsReported_)) {
      QStringList lines;
      for (const auto& f : trainer_->skip_report().files(worker_->skipsReported_))
        lines << QString::fromStdString(can::data::escape_list_field(f.file) + ": " + can::data::escape_list_field(f.reason));
      worker_->skipsReported_ += static_cast<size_t>(lines.size());
      Q_EMIT worker_->skippedFiles(lines, static_cast<qint64>(worker_->skipsReported_));
    }
  }
  void on_snapshot(const can::Snapshot& s) override {
    const auto& c = trainer_->config();
    SnapshotContext context{c.loss.mask_ratio, c.loss.sigma_max, c.loss.norm_pix, c.objectives.denoise};
    Q_EMIT worker_->snapshot(toSnapshotImages(s, context));
    if (store_ && store_->is_due(s.step)) keep(s);
  }
  void on_event(const std::string& text) override { Q_EMIT worker_->message(QString::fromStdString(text)); }
  void on_setting_changed(const can::SettingChange& change) override {
    if (events_) events_->setting_changed(change);
    Q_EMIT worker_->settingChanged(change.step, settingChangeLabel(change));
  }
  void on_error(const std::string& text) override {
    if (events_) events_->error(worker_->lastStep_ + 1, text);
    Q_EMIT worker_->failed(QString::fromStdString(text));
  }
  void on_checkpoint(const std::string& path) override {
    if (events_) events_->checkpoint(worker_->lastStep_, path);
    Q_EMIT worker_->checkpointSaved(QString::fromStdString(path));
  }

  void on_weights(const can::CanModel& copy, int64_t step) override {
    auto w = std::make_shared<LiveWeights>();
    w->model = copy;
    w->config = trainer_->config();
    w->step = step;
    w->runDir = QString::fromStdString(runDir_);
    Q_EMIT worker_->weightsReady(std::shared_ptr<const LiveWeights>(std::move(w)), step);
  }

  // Into RUN/snapshots, as can-train does; a failure is said and recorded, never fatal.
  void keep(const can::Snapshot& s) {
    try {
      store_->write(s, can::snapshot_settings_of(trainer_->config()));
      const std::vector<int64_t> steps = store_->steps();
      Q_EMIT worker_->snapshotsKept(QVector<qint64>(steps.begin(), steps.end()));
    } catch (const std::exception& e) {
      if (events_) events_->snapshot_failed(s.step, e.what());
      Q_EMIT worker_->message(TrainingWorker::tr("Snapshot not kept: %1").arg(QString::fromStdString(e.what())));
    }
  }

 private:
  TrainingWorker* worker_;
  can::Trainer* trainer_;
  can::MetricsLog* log_;
  can::EventLog* events_;      // null without a run directory
  can::SnapshotStore* store_;  // likewise
  qint64 firstStep_, stopAfter_;
  std::string runDir_;
};

TrainingWorker::TrainingWorker(QObject* parent) : QObject(parent) {
  qRegisterMetaType<TrainingRequest>();
  qRegisterMetaType<QVector<MetricsPoint>>();
  qRegisterMetaType<SnapshotImages>();
  qRegisterMetaType<TrainingWorker::Outcome>();
  qRegisterMetaType<std::shared_ptr<const LiveWeights>>();
}

TrainingWorker::~TrainingWorker() = default;

template <typename F>
void TrainingWorker::withTrainer(F&& f) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (trainer_) f(trainer_->control());
}

void TrainingWorker::requestPause() {
  pauseRequested_ = true;
  withTrainer([](can::TrainerControl& c) { c.pause(); });
}
void TrainingWorker::requestResume() {
  pauseRequested_ = false;
  withTrainer([](can::TrainerControl& c) { c.resume(); });
}
void TrainingWorker::requestStop() {
  stopRequested_ = true;
  withTrainer([](can::TrainerControl& c) { c.stop(); });
}
void TrainingWorker::requestSave() {
  withTrainer([](can::TrainerControl& c) { c.save_now(); });
}
void TrainingWorker::requestSnapshot() {
  withTrainer([](can::TrainerControl& c) { c.snapshot_now(); });
}
bool TrainingWorker::requestWeights() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!trainer_) return false;
  trainer_->control().weights_now();
  return true;
}
void TrainingWorker::requestNanForTest() {
  withTrainer([](can::TrainerControl& c) { c.inject_nan_next_step(); });
}
void TrainingWorker::requestLossWeights(double wInfoNce, double wRec, double wDenoise) {
  withTrainer([=](can::TrainerControl& c) { c.set_loss_weights(wInfoNce, wRec, wDenoise); });
}
void TrainingWorker::requestSigmaMax(double sigmaMax) {
  withTrainer([=](can::TrainerControl& c) { c.set_sigma_max(sigmaMax); });
}
void TrainingWorker::requestMaskRatio(double maskRatio) {
  withTrainer([=](can::TrainerControl& c) { c.set_mask_ratio(maskRatio); });
}

void TrainingWorker::flushMetrics() {
  lastEmit_ = std::chrono::steady_clock::now();
  if (pending_.isEmpty()) return;
  Q_EMIT metrics(pending_);
  pending_.clear();
}

void TrainingWorker::start(const TrainingRequest& request) {
  running_ = true;
  Outcome outcome = Outcome::Failed;
  qint64 step = 0;
  try {
    runTrainer(request);
    return;
  } catch (const c10::Error& e) {  // LibTorch's own messages: keep the first line
    Q_EMIT failed(QString::fromStdString(e.what_without_backtrace()).section('\n', 0, 0));
  } catch (const std::exception& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (trainer_) step = trainer_->step();
    trainer_.reset();
  }
  pauseRequested_ = stopRequested_ = false;
  running_ = false;
  Q_EMIT finished(outcome, step);
}

void TrainingWorker::runTrainer(const TrainingRequest& request) {
  namespace fs = std::filesystem;
  const fs::path dir = request.runDir.toStdString();
  if (!dir.empty()) fs::create_directories(dir);
  // RUN/run.lock while this run writes its folder (the runs browser shows it running); it
  // goes when this function returns or throws, after run_ended and skipped_files.txt.
  std::optional<can::runs::RunLock> runLock;
  if (!dir.empty()) runLock.emplace(dir.string());
  auto trainer = std::make_shared<can::Trainer>(request.config, dir.string());
  if (!request.resumeFrom.isEmpty()) trainer->resume(request.resumeFrom.toStdString());
  if (!dir.empty()) can::save_run_config_file(trainer->config(), (dir / "config.json").string());
  const std::string logPath = dir.empty() ? std::string("/dev/null") : (dir / "metrics.jsonl").string();
  can::MetricsLog log(logPath);
  std::unique_ptr<can::EventLog> events;
  std::unique_ptr<can::SnapshotStore> store;
  if (!dir.empty()) {
    events = std::make_unique<can::EventLog>((dir / "events.jsonl").string());
    events->run_started(trainer->step(), trainer->total_steps(), trainer->config().mode);
    const can::TrainConfig& t = trainer->config().train;
    store = std::make_unique<can::SnapshotStore>(dir.string(), t.snapshot_keep, t.snapshot_every);
    // A run continued from an earlier checkpoint takes those steps again (as metrics.jsonl).
    try {
      store->drop_after(trainer->step());
    } catch (const std::exception& e) {
      Q_EMIT message(QString::fromStdString(e.what()));
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    trainer_ = trainer;
    if (pauseRequested_) trainer->control().pause();
    if (stopRequested_) trainer->control().stop();
  }
  trainer->control().snapshot_now();  // the panels fill with the first step
  lastStep_ = trainer->step();
  skipsReported_ = 0;
  WorkerObserver observer(this, trainer.get(), &log, events.get(), store.get(), trainer->step(), request.stopAfterSteps,
                          dir.string());
  trainer->set_observer(&observer);
  Q_EMIT started(QString::fromStdString(trainer->device().str()), trainer->total_steps(), trainer->steps_per_epoch(),
                 trainer->step());
  lastEmit_ = std::chrono::steady_clock::now();
  const can::TrainResult result = trainer->run();
  trainer->set_observer(nullptr);
  if (events) {
    events->run_ended(result.step, result.status == can::TrainResult::Status::Finished  ? "finished"
                                   : result.status == can::TrainResult::Status::Stopped ? "stopped"
                                                                                        : "failed");
  }
  // As can-train: the run folder lists every file the loader could not use (empty: none).
  if (!dir.empty()) {
    try {
      can::data::write_skipped_files(trainer->skip_report(), (dir / "skipped_files.txt").string());
    } catch (const std::exception& e) {
      Q_EMIT message(QString::fromStdString(e.what()));
    }
  }
  flushMetrics();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    trainer_.reset();
  }
  trainer.reset();  // frees the model before the GUI hears the run is over
  pauseRequested_ = stopRequested_ = false;
  running_ = false;
  const Outcome outcome = result.status == can::TrainResult::Status::Finished  ? Outcome::Finished
                          : result.status == can::TrainResult::Status::Stopped ? Outcome::Stopped
                                                                               : Outcome::Failed;
  Q_EMIT finished(outcome, result.step);
}
