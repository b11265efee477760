#pragma once
// Checkpoints: RUN_DIR/checkpoints/step_000123/ holding
//   model.pt      model weights and buffers (torch archive)
//   optimizer.pt  AdamW state (both parameter groups)
//   rng.pt        generator states: the forward's noise/mask generator and torch's CPU one
//   state.json    step, data position (epoch + batches consumed), schedule
//   config.json   the RunConfig in effect (live loss changes included)
//   manifest.json every other file's name, size and SHA-256, written last
// plus RUN_DIR/checkpoints/latest, a one-line file naming the newest directory.
// A checkpoint is written into a hidden temporary directory, every file fsync'd, the
// manifest written atomically, then the directory is renamed into place, and `latest` is
// replaced the same way (through .latest.tmp; every write and sync goes through
// io/atomic_file); an interrupted write leaves the previous checkpoint and pointer
// intact, and an old checkpoint is renamed out of sight before it is deleted.
//
// Reading: a checkpoint's files are checked against its manifest before any of their bytes
// reach LibTorch (its unpickler is not hardened: a damaged optimizer.pt crashed the
// process); then what LibTorch built is checked against the model and the optimizer (shapes,
// dtypes, tensors inside their storage, generator state lengths) before anything is
// changed. Checkpoints written before manifests (no manifest.json) are read unverified,
// with a warning.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config/run_config.h"
#include "core/model/can_model.h"

namespace can {

// A checkpoint refused. what() names the file, and the tensor where there is one:
// "RUN/.../step_000020/optimizer.pt: exp_avg of encoder.cls_token: lies outside its storage
// (offset 200 + 32 elements of 4 bytes > 128 bytes)". Thrown as it is for what a file
// holds (its checksum matches, but a tensor's shape, dtype or storage does not fit; a
// value out of range; bytes LibTorch cannot read): such a file is what its writer wrote,
// so an older checkpoint of the run would not do better.
class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A damaged checkpoint: its manifest is missing (though announced) or malformed, or a file
// is missing, not listed, or of the wrong size or checksum: "RUN/.../step_000020/
// optimizer.pt: checksum mismatch (file damaged?)". A resume of a run directory falls back.
class CheckpointDamaged : public CheckpointError {
 public:
  using CheckpointError::CheckpointError;
};

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
  // Test seam: runs when an old checkpoint (beyond keep_last) has been renamed out of sight
  // and is about to be deleted. Throwing here simulates a crash mid-removal.
  std::function<void(const std::string& hidden_dir)> before_remove;
};

// Writes a checkpoint of `state.step` under run_dir; returns its directory.
std::string save_checkpoint(const std::string& run_dir, const RunConfig& config, CanModel& model,
                            torch::optim::Optimizer& optimizer, const TrainState& state,
                            const CheckpointWriteOptions& options = {});

// A checkpoint directory, or a run directory (its latest checkpoint; the newest step_
// directory when the pointer is missing). Throws std::runtime_error naming the path.
// Looks at names only: it reads no file but `latest` and verifies nothing.
std::string resolve_checkpoint(const std::string& path);

// Checks a checkpoint directory's files against its manifest.json without parsing any of
// them: every file a checkpoint needs is listed, exists, and has its size and SHA-256.
// Returns true when verified; false for a checkpoint written before manifests (no
// manifest.json, and a state.json that does not announce one), after passing the warning
// to the handler below. Throws CheckpointDamaged naming the first bad file.
bool verify_checkpoint(const std::string& checkpoint_dir);

// The checkpoint a resume reads, verified.
struct CheckpointChoice {
  std::string dir;                 // the checkpoint directory chosen
  bool verified = false;           // false: written before manifests, read unverified
  std::vector<std::string> notes;  // one line per damaged checkpoint passed over; the
                                   // last names the one chosen instead
};

// For a checkpoint directory: itself when it verifies, else CheckpointDamaged (no fallback:
// the caller named it). For a run directory: its latest checkpoint when it verifies, else
// the newest older step_ directory that does, with notes saying so; CheckpointDamaged
// listing what was wrong when none does. Hashes every file of each checkpoint it tries.
CheckpointChoice choose_checkpoint(const std::string& path);

// Where warnings go that no caller collects: a checkpoint read without a manifest. Each
// distinct line is passed once per process. Default (or an empty handler): one line on
// stderr, "warning: <line>". The handler may be called from any thread that reads.
void set_checkpoint_warning_handler(std::function<void(const std::string&)> handler);

// REQUIRED API for the tools and the studio: the config and the model of a checkpoint
// (either kind of path, see resolve_checkpoint: no fallback). The model is in eval mode on
// the CPU. The files read (config.json; model.pt) are verified against the manifest first,
// and every weight is checked against the model's own before any is copied in; a damaged
// or unfitting checkpoint throws CheckpointError naming the file (and the tensor).
RunConfig load_run_config(const std::string& checkpoint_path);
CanModel load_model(const std::string& checkpoint_path, RunConfig* config_out = nullptr);

// Restores a training run: weights into `model`, state into `optimizer` (built with the
// same parameter groups) and returns the step/data/RNG state. The checkpoint is chosen as
// choose_checkpoint does (a damaged latest of a run directory falls back to the previous
// one; its notes and the choice in *choice_out when given, else the notes go to the
// warning handler), every file read once into memory, checked against the manifest and
// parsed from those bytes. What LibTorch built is checked before model or optimizer
// change: every weight and buffer has its parameter's shape and dtype; every AdamW state
// tensor (exp_avg, exp_avg_sq) its parameter's shape, float32, contiguous and inside its
// storage; steps >= 0; generator states their exact length. A damaged checkpoint throws
// CheckpointDamaged (a run directory falls back first), one whose content does not pass
// CheckpointError; either way model and optimizer are left as they were. LibTorch's own
// errors (c10::Error: a key the model lacks, a parameter group of another size) pass as
// they are, with choice_out->dir naming the checkpoint; its other exceptions become
// CheckpointError naming the file.
TrainState load_checkpoint(const std::string& checkpoint_path, CanModel& model, torch::optim::AdamW& optimizer,
                           CheckpointChoice* choice_out = nullptr);

}  // namespace can
