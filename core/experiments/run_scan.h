#pragma once
// The runs browser's engine: what a run folder (docs/experiments.md) says about its run,
// read without parsing whole files, so that a runs folder of hundreds of runs lists in well
// under a second. This is the one place that reads a run's status and its last losses;
// can-sweep's run_status and final_losses (sweep.h) are built on it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace can::runs {

// How a run folder's run stands (rules in scan_run below).
enum class RunState { kRunning, kFinished, kStopped, kFailed, kInterrupted, kEmpty };
// "running", "finished", "stopped", "failed", "interrupted", "empty".
const char* state_name(RunState state);

struct RunSummary {
  std::string name, path;                   // folder name, absolute path
  int64_t started = 0;                      // unix seconds: the first run_started event, else config.json's mtime
  std::string mode, dataset;                // objectives.mode, data.dataset of config.json
  int64_t steps_done = 0, total_steps = 0;  // metrics.jsonl's last step; the run's total (0 = unknown)
  RunState state = RunState::kEmpty;
  std::map<std::string, double> final_values;  // loss, loss_infonce, loss_rec, loss_denoise of the last step
  // The latest evaluation in eval.json (the highest step); knn_top1 else the last knn_top1
  // of metrics.jsonl (the kNN monitor).
  std::optional<double> knn_top1, linear_top1;
  std::vector<std::string> tags;  // notes.json
  std::string note;
  // What could not be read, naming the file: "metrics.jsonl: line 17 is not JSON". A bad
  // run gives problems, never an exception.
  std::vector<std::string> problems;
  bool has_checkpoint = false;  // checkpoints/ holds something to resume from
};

// Whether a folder looks like a run folder: it holds config.json, metrics.jsonl or events.jsonl.
bool looks_like_run(const std::string& dir);

// Every direct sub-folder of runs_root that looks like a run, newest started first (then by
// name). A missing or unreadable root gives an empty list.
std::vector<RunSummary> scan_runs(const std::string& runs_root);

// One run folder. The state: the events after the last run_started (the latest session; the
// whole file when there is none) end with a run_ended -> finished, stopped or failed; else a
// live run.lock (run_lock.h) -> running; else a checkpoint or a metrics line -> interrupted;
// else empty. Only metrics.jsonl's tail is read (its last complete line, and back to the
// last knn_top1 within a bound), so a line cut or corrupted there is reported, one earlier
// in the file is not seen.
RunSummary scan_run(const std::string& run_dir);

}  // namespace can::runs
