#pragma once
// The studio's time-to-finish estimate. Steps are timed as they arrive, after a warm-up
// (the first steps fill caches, build the kNN bank and compile kernels: counted from the
// start they made the ETA fall from 3:57:31 to 2:19:06 to ~40 min within 20 steps), and
// the seconds per step are an exponential moving average with a 30 s time constant, so
// the estimate follows a real change in speed within a minute without jumping at every
// batch. A pause is not time spent training: restart() after it.

#include <cmath>
#include <cstdint>

class EtaEstimator {
 public:
  static constexpr int64_t kWarmupSteps = 5;
  static constexpr double kTimeConstantSeconds = 30.0;

  // Forgets everything: a new run (firstStep is the step it starts after).
  void reset(int64_t firstStep) {
    first_ = firstStep;
    lastStep_ = -1;
    secondsPerStep_ = -1.0;
  }
  // The next observation starts a new interval (after a pause, a resume).
  void restart() { lastStep_ = -1; }

  // `step` was reached at `seconds` (any monotonic clock).
  void observe(int64_t step, double seconds) {
    if (step - first_ < kWarmupSteps) return;
    if (lastStep_ >= 0 && step > lastStep_ && seconds > lastSeconds_) {
      const double dt = seconds - lastSeconds_;
      const double perStep = dt / double(step - lastStep_);
      const double keep = std::exp(-dt / kTimeConstantSeconds);
      secondsPerStep_ = secondsPerStep_ < 0 ? perStep : keep * secondsPerStep_ + (1.0 - keep) * perStep;
    }
    lastStep_ = step;
    lastSeconds_ = seconds;
  }

  // Seconds left until totalSteps, -1 while unknown (warm-up).
  double secondsLeft(int64_t step, int64_t totalSteps) const {
    if (secondsPerStep_ < 0 || totalSteps <= step) return secondsPerStep_ < 0 ? -1.0 : 0.0;
    return secondsPerStep_ * double(totalSteps - step);
  }

 private:
  int64_t first_ = 0, lastStep_ = -1;
  double lastSeconds_ = 0.0, secondsPerStep_ = -1.0;
};
