#pragma once
// RUN/snapshots/step_<N>.safetensors: the run's snapshots (observer.h Snapshot) kept for
// looking back (the studio's step slider), bounded so a long run cannot fill the disk.
//
// A file holds the snapshot's tensors (pixels and noise as float16, masks as uint8, the
// noise levels as float32) and, in the safetensors header's __metadata__, the step, the
// number of views, the patch size, the data's mean/std and the settings the images need
// (mask ratio, σ_max, norm_pix, whether N is on). Written atomically (core/io/safetensors.h).
//
// The bound, enforced after every write (snapshot_steps_to_keep): the newest `keep`
// snapshots, and of the older ones a history of at most `keep`, evenly spread over the
// run: a snapshot that leaves the newest `keep` is dropped when it lies closer to the
// history's last one than that one to the one before it, and a history that grows past
// `keep` loses every second one (its first, the run's earliest, stays). The history's
// spacing thereby doubles as the run grows, and it always reaches back to the start.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config/run_config.h"
#include "core/train/observer.h"

namespace can {

// What the images of a snapshot need besides its tensors: the settings in effect at its step.
struct SnapshotSettings {
  double mask_ratio = 0.0;
  double sigma_max = 0.0;
  bool norm_pix = false;
  bool denoise = false;  // N on: predicted noise and denoised images exist
};

// The settings of a config (the trainer's, with live changes in effect).
SnapshotSettings snapshot_settings_of(const RunConfig& config);

struct StoredSnapshot {
  Snapshot snapshot;  // float32 tensors again, masks as float 0/1 (as make_snapshot gives them)
  SnapshotSettings settings;
};

class SnapshotStoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Of the steps on disk (any order), the ones the bound keeps, ascending. keep <= 0 keeps none.
std::vector<int64_t> snapshot_steps_to_keep(std::vector<int64_t> steps, int64_t keep);

// Writes one snapshot to path (atomically). Throws SnapshotStoreError naming the file.
void write_snapshot_file(const std::string& path, const Snapshot& snapshot, const SnapshotSettings& settings);
// Reads a file written by write_snapshot_file; a missing, corrupt or incomplete file
// throws SnapshotStoreError("<path>: <problem>").
StoredSnapshot read_snapshot_file(const std::string& path);

class SnapshotStore {
 public:
  // run_dir: the run folder (the files go to run_dir/snapshots, created on the first write);
  // keep: train.snapshot_keep; every: train.snapshot_every (0 = none is due).
  SnapshotStore(const std::string& run_dir, int64_t keep, int64_t every);

  static std::string dir_of(const std::string& run_dir);  // run_dir/snapshots
  std::string path_of(int64_t step) const;                // .../snapshots/step_<N>.safetensors
  // Whether a snapshot of this step is one the run keeps (a multiple of `every`; the
  // studio's other snapshots, taken every few seconds for the live panels, are not).
  bool is_due(int64_t step) const { return keep_ > 0 && every_ > 0 && step > 0 && step % every_ == 0; }
  // Writes the snapshot and enforces the bound. Throws SnapshotStoreError naming the file;
  // the caller reports it and trains on (a snapshot is never worth a run).
  void write(const Snapshot& snapshot, const SnapshotSettings& settings);
  // Removes the snapshots of steps after `step`: a run resumed from an earlier checkpoint
  // abandons them (its own snapshots of those steps come again).
  void drop_after(int64_t step);
  std::vector<int64_t> steps() const { return list_snapshot_steps(run_dir_); }

  // The steps of the files RUN/snapshots holds, ascending (none when it does not exist);
  // names other than step_<N>.safetensors are ignored.
  static std::vector<int64_t> list_snapshot_steps(const std::string& run_dir);

 private:
  std::string run_dir_;
  int64_t keep_, every_;
};

}  // namespace can
