#pragma once
// TrainerControl: how another thread (the studio's GUI, can-train's signal handler) steers a
// running Trainer. Every request is a flag or a pending value read between steps, so the
// caller never waits for a step and a stop takes effect within one step.

#include <atomic>
#include <mutex>
#include <optional>

namespace can {

class TrainerControl {
 public:
  void pause() { paused_ = true; }
  void resume() { paused_ = false; }
  void stop() { stop_ = true; }             // the run saves a checkpoint and returns
  void save_now() { save_now_ = true; }     // checkpoint after the current step
  void snapshot_now() { snapshot_now_ = true; }  // snapshot of the next step
  // A copy of the weights between two steps (TrainerObserver::on_weights), also while paused.
  void weights_now() { weights_now_ = true; }

  // Live changes of the loss (docs/method.md lambda_c/a/n, sigma_max, m): applied at the start
  // of the next step, validated there and reported as an observer event.
  void set_loss_weights(double w_infonce, double w_rec, double w_denoise) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.weights = {w_infonce, w_rec, w_denoise};
  }
  void set_sigma_max(double sigma_max) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.sigma_max = sigma_max;
  }
  void set_mask_ratio(double mask_ratio) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.mask_ratio = mask_ratio;
  }

  // Test/debug hook: the next step's loss_rec (or loss_info_nce when A is off) becomes NaN,
  // exercising the non-finite-loss path end to end.
  void inject_nan_next_step() { inject_nan_ = true; }

  bool is_paused() const { return paused_; }
  bool stop_requested() const { return stop_; }

  // --- used by the Trainer ---
  struct Weights {
    double w_infonce, w_rec, w_denoise;
  };
  struct LossChanges {
    std::optional<Weights> weights;
    std::optional<double> sigma_max, mask_ratio;
  };
  LossChanges take_loss_changes() {
    std::lock_guard<std::mutex> lock(mutex_);
    LossChanges out = pending_;
    pending_ = {};
    return out;
  }
  bool take_save_now() { return save_now_.exchange(false); }
  bool take_snapshot_now() { return snapshot_now_.exchange(false); }
  bool take_weights_now() { return weights_now_.exchange(false); }
  bool take_inject_nan() { return inject_nan_.exchange(false); }
  void clear_stop() { stop_ = false; }

 private:
  std::atomic<bool> paused_{false}, stop_{false}, save_now_{false}, snapshot_now_{false}, weights_now_{false},
      inject_nan_{false};
  std::mutex mutex_;
  LossChanges pending_;
};

}  // namespace can
