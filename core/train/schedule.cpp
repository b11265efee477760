#include "core/train/schedule.h"

#include <algorithm>
#include <cmath>

namespace can {

double LrSchedule::lr_at(int64_t s) const {
  if (s < warmup_steps) return peak_lr * static_cast<double>(s + 1) / static_cast<double>(warmup_steps);
  const int64_t decay_steps = std::max<int64_t>(1, total_steps - warmup_steps);
  const double t = std::min(1.0, static_cast<double>(s - warmup_steps) / static_cast<double>(decay_steps));
  return min_lr + (peak_lr - min_lr) * 0.5 * (1.0 + std::cos(M_PI * t));
}

LrSchedule make_lr_schedule(double base_lr, int64_t effective_batch, double min_lr, int64_t warmup_steps,
                            int64_t total_steps) {
  LrSchedule s;
  s.peak_lr = base_lr * static_cast<double>(effective_batch) / 256.0;
  s.min_lr = min_lr;
  s.total_steps = std::max<int64_t>(1, total_steps);
  s.warmup_steps = std::clamp<int64_t>(warmup_steps, 0, s.total_steps);
  return s;
}

}  // namespace can
