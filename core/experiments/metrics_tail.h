#pragma once
// The end of a run's metrics.jsonl, read by seeking from the end: a run of 100k steps has a
// file of tens of megabytes, and the runs browser lists hundreds of runs at once, so it
// reads the last few kilobytes of each, never the whole file.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace can::runs {

// How far back from the end a line is looked for: the last line with a step (past lines
// that do not parse) and the last knn_top1 (the kNN monitor measures every
// train.knn_every steps: at 1000 steps of ~400 bytes that is 400 KB back).
constexpr int64_t kTailSearchBytes = int64_t{2} << 20;

struct MetricsTail {
  bool has_step = false;                 // a complete line with a step was found
  int64_t step = 0;                      // its step
  std::map<std::string, double> values;  // its loss, loss_infonce, loss_rec, loss_denoise (those that are numbers)
  std::optional<double> knn_top1;        // the last knn_top1 (only when asked for)
  // "metrics.jsonl: line 17 is not JSON", "metrics.jsonl: line 2001 is cut (no newline)".
  std::vector<std::string> problems;
};

// The last complete line of `path` that is a JSON object with a step (a last line without
// its newline counts when it parses: a file written by hand). Lines after it that do not
// parse are reported by number in problems. With find_knn, also the last numeric
// knn_top1, both within kTailSearchBytes of the end. A missing file gives an empty tail.
MetricsTail read_metrics_tail(const std::string& path, bool find_knn);

}  // namespace can::runs
