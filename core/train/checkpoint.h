#pragma once
// Checkpoints: RUN_DIR/checkpoints/step_000123/ holding
//   model.pt      model weights and buffers (torch archive)
//   optimizer.pt  AdamW state (both parameter groups)
//   rng.pt        generator states: the forward's noise/mask generator and torch's CPU one
//   state.json    step, data position (epoch + batches consumed), schedule
//   config.json   the RunConfig in effect (live loss changes included)
// plus RUN_DIR/checkpoints/latest, a one-line file naming the newest directory.
// A checkpoint is written into a hidden temporary directory, every file fsync'd, then
// renamed into place, and `latest` is replaced the same way; an interrupted write leaves
// the previous checkpoint and pointer intact.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>

#include "core/config/run_config.h"
#include "core/model/can_model.h"

namespace can {

struct TrainState {
  int64_t step = 0;            // optimizer steps done
  int64_t epoch = 0;           // epoch the data position is in (0-based)
  int64_t batch_in_epoch = 0;  // batches of that epoch already consumed
  int64_t total_steps = 0;     // schedule length the run was started with (informational)
  int64_t warmup_steps = 0;
  torch::Tensor generator_state;  // state of the generator forward() draws masks and noise from
  torch::Tensor cpu_rng_state;    // torch's default CPU generator
};

struct CheckpointWriteOptions {
  int64_t keep_last = 0;  // delete older step_ directories beyond this many; 0 = keep all
  // Test seam: runs after every file is written and synced, before the rename that
  // publishes the checkpoint. Throwing here simulates a crash mid-write.
  std::function<void(const std::string& temp_dir)> before_publish;
};

// Writes a checkpoint of `state.step` under run_dir; returns its directory.
std::string save_checkpoint(const std::string& run_dir, const RunConfig& config, CanModel& model,
                            torch::optim::Optimizer& optimizer, const TrainState& state,
                            const CheckpointWriteOptions& options = {});

// A checkpoint directory, or a run directory (its latest checkpoint; the newest step_
// directory when the pointer is missing). Throws std::runtime_error naming the path.
std::string resolve_checkpoint(const std::string& path);

// REQUIRED API for the tools and the studio: the config and the model of a checkpoint
// (either kind of path, see resolve_checkpoint). The model is in eval mode on the CPU.
RunConfig load_run_config(const std::string& checkpoint_path);
CanModel load_model(const std::string& checkpoint_path, RunConfig* config_out = nullptr);

// Restores a training run: weights into `model`, state into `optimizer` (built with the
// same parameter groups) and returns the step/data/RNG state.
TrainState load_checkpoint(const std::string& checkpoint_path, CanModel& model, torch::optim::Optimizer& optimizer);

}  // namespace can
