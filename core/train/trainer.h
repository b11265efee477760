#pragma once
// The Trainer (docs/method.md "One training step" + "Optimisation defaults"): owns the model,
// AdamW, the loader and the generator the forward draws masks and noise from; runs steps
// until the schedule ends, a stop request, or an error. Controlled through TrainerControl
// from any thread, reports through a TrainerObserver on the training thread.

#include <torch/torch.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/config/run_config.h"
#include "core/data/loader.h"
#include "core/data/skip_report.h"
#include "core/model/can_model.h"
#include "core/train/checkpoint.h"
#include "core/train/control.h"
#include "core/train/gradient_sync.h"
#include "core/train/observer.h"
#include "core/train/param_groups.h"
#include "core/train/schedule.h"

namespace can {

struct TrainResult {
  enum class Status { Finished, Stopped, Failed };
  Status status = Status::Finished;
  int64_t step = 0;     // optimizer steps done when run() returned
  std::string message;  // the error for Failed
};

// The one-line text of an error that ended a run: LibTorch's message without its C++
// backtrace, and for running out of (GPU or host) memory, what to change.
std::string failure_text(const std::exception& e, const RunConfig& config, const torch::Device& device);

class Trainer {
 public:
  // Validates the config, opens the training split (unless `dataset` is given: tests and
  // the studio's previews), builds the model and AdamW. run_dir receives checkpoints;
  // empty = none. `sync` is the multi-process seam (gradient_sync.h); null = one process.
  // Its rank/world size shard the data and scale the lr, so it is fixed at construction.
  // Throws std::invalid_argument naming the key for an impossible config.
  Trainer(RunConfig config, std::string run_dir, std::shared_ptr<const data::Dataset> dataset = nullptr,
          std::shared_ptr<GradientSync> sync = nullptr);
  ~Trainer();

  // Restores model, optimizer, step, data position and generators from a checkpoint (or a
  // run directory's latest). Live-changed loss settings come with the checkpoint's config
  // only if the caller passes that config to the constructor (see load_run_config).
  void resume(const std::string& checkpoint_path);

  // Trains until total_steps(), a stop request or a failure. Stop and finish write a
  // checkpoint; a failure writes none, so the last good one stays. A stop request stays
  // set (a later run() returns at once) until control().clear_stop().
  TrainResult run();

  // Writes a checkpoint of the current state now (between steps); returns its directory.
  std::string save_checkpoint();

  void set_observer(TrainerObserver* observer) { observer_ = observer; }
  // kNN monitor, run every train.knn_every steps in eval mode; returns top-1 in [0, 1].
  // Unset, run() installs make_knn_monitor (knn_monitor.h) when train.knn_every > 0.
  using KnnMonitor = std::function<double(CanModel& model)>;
  void set_knn_monitor(KnnMonitor monitor) { knn_monitor_ = std::move(monitor); }

  TrainerControl& control() { return control_; }
  CanModel& model() { return model_; }
  torch::optim::AdamW& optimizer() { return *optimizer_; }
  const ParamGroups& param_groups() const { return groups_; }
  const RunConfig& config() const { return config_; }  // loss settings as currently in effect
  const LrSchedule& schedule() const { return schedule_; }
  int64_t step() const { return step_; }
  int64_t total_steps() const { return schedule_.total_steps; }
  int64_t steps_per_epoch() const { return steps_per_epoch_; }
  // The training files found unusable so far, each once with its reason (thread-safe).
  const data::SkipReport& skip_report() const { return skips_->report(); }
  torch::Device device() const { return device_; }

 private:
  struct StepOutcome {
    bool ok = true;
    std::string error;
    StepMetrics metrics;
    std::optional<Snapshot> snapshot;
  };
  // One micro-batch's loss terms and total, as forward() computed them, read as numbers.
  struct LossValues {
    double info_nce = 0, rec = 0, denoise = 0, total = 0;
  };
  StepOutcome train_step(bool want_snapshot);
  // train_step's parts, in order (trainer_step.cpp says what each does).
  bool accumulate_gradients(StepOutcome& r, bool want_snapshot, int64_t& images);
  CanOutput forward_micro_batch(const data::Batch& batch);
  static LossValues loss_values(const CanOutput& out);
  bool agree_finite(const LossValues& v, StepOutcome& r);
  bool reduce_and_clip_gradients(StepOutcome& r);
  void advance_position();
  void record(StepMetrics& m, int64_t images, double seconds);
  void next_batch(data::Batch& batch);
  void apply_loss_changes();
  void wait_while_paused();
  void give_weights_if_asked();  // between steps: TrainerControl::weights_now
  void event(const std::string& message);
  TrainState current_state() const;

  RunConfig config_;
  std::string run_dir_;
  std::shared_ptr<const data::Dataset> dataset_;
  std::shared_ptr<const data::SkipRecordingDataset> skips_;  // dataset_ itself, recording skips
  std::unique_ptr<data::Loader> loader_;
  torch::Device device_{torch::kCPU};
  CanModel model_{nullptr};
  ParamGroups groups_;
  std::unique_ptr<torch::optim::AdamW> optimizer_;
  LrSchedule schedule_;
  at::Generator gen_;  // masks and noise of forward(); its state is checkpointed

  int64_t step_ = 0;            // optimizer steps done
  int64_t epoch_ = 0;           // data position: epoch and batches consumed in it
  int64_t batch_in_epoch_ = 0;
  bool epoch_started_ = false;
  int64_t steps_per_epoch_ = 0;
  int64_t last_saved_step_ = -1;

  std::vector<std::string> startup_notes_;  // constructor events, sent when run() starts
  TrainerControl control_;
  TrainerObserver* observer_ = nullptr;
  std::shared_ptr<GradientSync> sync_;
  KnnMonitor knn_monitor_;
};

}  // namespace can
