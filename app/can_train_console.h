#pragma once
// What can-train (app/can_train.cpp) shows on the console while it trains: the progress of
// the steps (a bar with ETA on a terminal, plain lines otherwise), the run's events and
// errors, and the files the loader skipped, each once with its reason up to a bound, then
// the total. The observers also keep the run's own record (metrics.jsonl, events.jsonl).
// Apart from main() so that the tool's file reads as what it does: arguments, resume, run.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/skip_report.h"
#include "core/train/event_log.h"
#include "core/train/metrics_log.h"
#include "core/train/observer.h"
#include "core/train/snapshot_store.h"

namespace can_train {

// Skipped files printed one by one; beyond them only counted ("and N more").
constexpr size_t kSkipsListed = 20;

// Turns the skip report of the training set into console lines: each file once, with its
// reason, as the loader meets it, up to kSkipsListed; then the total at the end.
class SkipLister {
 public:
  explicit SkipLister(const can::data::SkipReport& report) : report_(report) {}

  // "skipped FILE: REASON" for the files first met since the last call.
  std::vector<std::string> new_lines();
  // The total once the run is over; "" when nothing was skipped. list_file: where the whole
  // list was written ("" on ranks that write nothing).
  std::string total(const std::string& list_file) const;

 private:
  const can::data::SkipReport& report_;
  size_t listed_ = 0;
};

// Prints progress (a bar with ETA on a terminal, plain lines otherwise), appends one
// JSON object per step to metrics.jsonl and keeps the due snapshots in RUN/snapshots.
class ConsoleObserver : public can::TrainerObserver {
 public:
  // error_prefix: "can-train: ", or "can-train: rank 0: " in a distributed job. config: the
  // trainer's (live changes in effect), read for the snapshot keys and the snapshots' settings.
  ConsoleObserver(const std::string& run_dir, int64_t first_step, int64_t total_steps, const can::RunConfig& config,
                  std::string error_prefix, SkipLister& skips);

  void on_step(const can::StepMetrics& m) override;
  void on_event(const std::string& message) override { print("can-train: " + message); }
  void on_error(const std::string& message) override;
  void on_checkpoint(const std::string& path) override;
  void on_snapshot(const can::Snapshot& snapshot) override;
  void on_setting_changed(const can::SettingChange& change) override { events_.setting_changed(change); }
  can::EventLog& events() { return events_; }

 private:
  void print(const std::string& text);

  std::string error_prefix_;
  can::MetricsLog metrics_;
  can::EventLog events_;
  const can::RunConfig& config_;
  can::SnapshotStore snapshots_;
  int64_t last_step_;  // the last step done: events name the step they refer to
  int64_t first_step_, total_, log_every_;
  SkipLister& skips_;
  bool tty_;
  bool bar_open_ = false;
  double last_knn_ = -1;
  std::chrono::steady_clock::time_point start_;
};

// Ranks other than 0 of a distributed job: silent but for their errors and the files
// their shard skipped, which name the rank.
class ErrorsOnlyObserver : public can::TrainerObserver {
 public:
  ErrorsOnlyObserver(std::string prefix, SkipLister& skips) : prefix_(std::move(prefix)), skips_(skips) {}
  void on_step(const can::StepMetrics&) override;
  void on_error(const std::string& message) override;

 private:
  std::string prefix_;
  SkipLister& skips_;
};

}  // namespace can_train
