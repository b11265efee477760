#pragma once
// A sweep: a Cartesian grid of settings over a base config, one ordinary run folder per
// grid point and seed (docs/experiments.md). This file is what a sweep is, without
// processes: the grid read from "key=v1,v2" axes and checked against the settings schema
// before anything runs, the points' names and configs, a run folder's status, and the
// summary table over seeds. can-sweep (app/can_sweep.cpp) runs the points.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config/run_config.h"

namespace can::sweep {

// One axis of the grid: a config key and the values it takes, as --set would take them.
struct GridAxis {
  std::string key;
  std::vector<std::string> values;
};

// "loss.sigma_max=0.05,0.25,1.0" -> {loss.sigma_max, [0.05, 0.25, 1.0]}. A value that is a
// list is written in brackets ("train.betas=[0.9,0.95],[0.9,0.999]"). Throws
// std::invalid_argument naming the axis when it has no '=', no key or no value.
GridAxis parse_axis(const std::string& spec);

struct Point {
  std::string name;  // the run folder's name: "loss.sigma_max=0.25_train.seed=1"
  std::vector<std::pair<std::string, std::string>> settings;  // the grid's keys (seed last)
  RunConfig config;                                           // the base with the settings applied, validated
};

// Every combination of the axes' values, then of the seeds (train.seed; none given: the
// base's seed), in order: the first axis varies slowest. Each point's config is the base
// with its settings applied through set_key and validated, so a bad grid (unknown key,
// impossible value, a key given twice, no axis at all) throws std::invalid_argument naming
// the key before anything runs.
std::vector<Point> expand(const RunConfig& base, const std::vector<GridAxis>& axes, const std::vector<uint64_t>& seeds);

// What a run folder says about its run, as the runs scanner reads it (run_scan.h), for what
// a sweep does next: not started (no folder, or nothing in it to continue from),
// interrupted (killed or stopped, with a checkpoint to resume), finished, or failed.
enum class RunStatus { kNotStarted, kInterrupted, kFinished, kFailed };
RunStatus run_status(const std::string& run_dir);
const char* status_name(RunStatus s);

// One row of sweep.jsonl: a point's settings, its final losses (the last line of
// metrics.jsonl), its evaluation scores and wall time.
struct Row {
  std::string name;
  std::vector<std::pair<std::string, std::string>> settings;
  std::map<std::string, double> values;  // loss, loss_infonce, ..., knn_top1, linear_top1, wall_s
};

// The final losses of a run folder (metrics.jsonl's last step, read from its end), as
// Row::values keys, with "step"; empty when it has no step.
std::map<std::string, double> final_losses(const std::string& run_dir);

// summary.md: one table row per grid point (the settings except train.seed), each value
// column as "mean ± std (n)" over its seeds (std over n-1; "mean (1)" for one seed).
std::string summary_markdown(const std::vector<Row>& rows);

}  // namespace can::sweep
