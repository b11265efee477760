#pragma once
// DIR/events.jsonl: what happened in a run besides its steps, one typed JSON object per line,
// written by can-train and the studio, read back by the studio (the change markers of a
// reopened run). Lines, each with "type" and "step" (the step it refers to, 1-based; 0 =
// before the first):
//   {"type": "setting_changed", "step": 12, "key": "loss.mask_ratio", "from": 0.5, "to": 0.75}
//   {"type": "checkpoint", "step": 1000, "path": "RUN/checkpoints/step_001000"}
//   {"type": "error", "step": 37, "message": "loss_rec is NaN"}
//   {"type": "run_started", "step": 0, "total_steps": 2000, "unix_time": 1764558000,
//    "time": "2025-12-01T03:00:00Z", "mode": "can"}   (each start or resume; step = the step it starts from)
//   {"type": "snapshot_failed", "step": 300, "message": "RUN/snapshots/step_300.safetensors: ..."}
//       (a snapshot could not be kept in RUN/snapshots; the run trains on)
//   {"type": "run_ended", "step": 2000, "status": "finished" | "stopped" | "failed"}
// The GUI never parses the trainer's text events: this file and the typed observer calls
// are the interface.

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "core/train/observer.h"

namespace can {

class EventLog {
 public:
  // Appends to `path` (created when missing). Throws std::runtime_error naming the file.
  explicit EventLog(const std::string& path);
  void setting_changed(const SettingChange& change);
  void checkpoint(int64_t step, const std::string& path);
  void error(int64_t step, const std::string& message);
  // Now, in unix seconds and as ISO 8601 UTC text; mode: objectives.mode.
  void run_started(int64_t step, int64_t total_steps, const std::string& mode);
  void snapshot_failed(int64_t step, const std::string& message);
  void run_ended(int64_t step, const std::string& status);

 private:
  std::ofstream out_;
};

// The setting changes of an events.jsonl at steps <= last_step (all when < 0), in file
// order. Lines that do not parse or lack a field are skipped (a torn last line after a
// kill); a missing file gives an empty list.
std::vector<SettingChange> read_setting_changes(const std::string& path, int64_t last_step = -1);

}  // namespace can
