#pragma once
// The learning-rate schedule of docs/method.md "Optimisation": lr = base_lr*batch/256,
// linear warmup, then cosine decay to min_lr, set per optimizer step (closed form, so a
// resumed run needs only the step).

#include <cstdint>

namespace can {

struct LrSchedule {
  double peak_lr = 0.0;      // base_lr * effective_batch / 256
  double min_lr = 0.0;       // lr reached at the end of the cosine
  int64_t warmup_steps = 0;  // W
  int64_t total_steps = 1;   // S

  // lr of the optimizer step with 0-based index s:
  //   s <  W:  peak * (s + 1) / W                      (the first step is not wasted at lr 0)
  //   s >= W:  min + (peak - min) * (1 + cos(pi * (s - W) / (S - W))) / 2
  double lr_at(int64_t s) const;
};

// effective_batch = batch_size * accum_steps * world_size.
LrSchedule make_lr_schedule(double base_lr, int64_t effective_batch, double min_lr, int64_t warmup_steps,
                            int64_t total_steps);

}  // namespace can
