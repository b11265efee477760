#pragma once
// Shared by the trainer and checkpoint tests: an observer that records everything, and
// helpers over checkpoint directories.

#include "core/train/observer.h"
#include "tests/core/synthetic_dataset.h"

#include <QtCore/QDir>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>

namespace can::test {

class RecordingObserver : public TrainerObserver {
 public:
  std::function<void(const StepMetrics&)> step_hook;  // runs on the training thread after recording

  void on_step(const StepMetrics& m) override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      steps.push_back(m);
    }
    step_count = m.step;
    if (step_hook) step_hook(m);
  }
  void on_snapshot(const Snapshot& s) override {
    std::lock_guard<std::mutex> lock(mutex);
    snapshots.push_back(s);
  }
  void on_event(const std::string& e) override {
    std::lock_guard<std::mutex> lock(mutex);
    events.push_back(e);
  }
  void on_error(const std::string& e) override {
    std::lock_guard<std::mutex> lock(mutex);
    errors.push_back(e);
  }
  void on_checkpoint(const std::string& p) override {
    std::lock_guard<std::mutex> lock(mutex);
    checkpoints.push_back(p);
  }
  void on_setting_changed(const SettingChange& c) override {
    std::lock_guard<std::mutex> lock(mutex);
    changes.push_back(c);
  }
  bool has_event(const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& e : events)
      if (e.find(text) != std::string::npos) return true;
    return false;
  }

  std::mutex mutex;
  std::atomic<int64_t> step_count{0};
  std::vector<StepMetrics> steps;
  std::vector<Snapshot> snapshots;
  std::vector<std::string> events, errors, checkpoints;
  std::vector<SettingChange> changes;
};

// A fresh, empty scratch directory under CAN_TEST_TMP.
inline std::string fresh_dir(const std::string& name) {
  const QString dir = qEnvironmentVariable("CAN_TEST_TMP", QDir::tempPath()) + "/train/" + QString::fromStdString(name);
  QDir(dir).removeRecursively();
  QDir().mkpath(dir);
  return dir.toStdString();
}

// Every file of a directory tree with its bytes, keyed by relative path.
inline std::map<std::string, std::string> read_tree(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream f(e.path(), std::ios::binary);
    out[std::filesystem::relative(e.path(), dir).string()] = std::string(std::istreambuf_iterator<char>(f), {});
  }
  return out;
}

inline std::map<std::string, torch::Tensor> clone_params(torch::nn::Module& m) {
  std::map<std::string, torch::Tensor> out;
  for (const auto& p : m.named_parameters()) out[p.key()] = p.value().detach().clone();
  for (const auto& b : m.named_buffers()) out[b.key()] = b.value().detach().clone();
  return out;
}

inline bool same_params(const std::map<std::string, torch::Tensor>& a, const std::map<std::string, torch::Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [k, v] : a)
    if (!b.count(k) || !torch::equal(v, b.at(k))) return false;
  return true;
}

}  // namespace can::test
