#include "app/can_train_console.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace can_train {

namespace {

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "--:--";
  const long s = static_cast<long>(seconds);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
  return buf;
}

}  // namespace

std::vector<std::string> SkipLister::new_lines() {
  std::vector<std::string> lines;
  if (listed_ >= kSkipsListed) return lines;
  for (const auto& s : report_.files(listed_)) {
    if (listed_ >= kSkipsListed) break;
    lines.push_back("skipped " + can::data::escape_list_field(s.file) + ": " + can::data::escape_list_field(s.reason));
    ++listed_;
  }
  return lines;
}

std::string SkipLister::total(const std::string& list_file) const {
  const size_t n = report_.file_count();
  if (n == 0) return "";
  std::string line = "skipped " + std::to_string(n) + " unusable file" + (n == 1 ? "" : "s") + " in all (" +
                     std::to_string(report_.read_count()) + " failed reads)";
  line += n > listed_ ? ": " + std::to_string(listed_) + " listed above and " + std::to_string(n - listed_) + " more"
                      : ", listed above";
  if (!list_file.empty()) line += "; every one with its reason in " + list_file;
  return line;
}

ConsoleObserver::ConsoleObserver(const std::string& run_dir, int64_t first_step, int64_t total_steps,
                                 const can::RunConfig& config, std::string error_prefix, SkipLister& skips)
    : error_prefix_(std::move(error_prefix)),
      metrics_((std::filesystem::path(run_dir) / "metrics.jsonl").string()),
      events_((std::filesystem::path(run_dir) / "events.jsonl").string()),
      config_(config),
      snapshots_(run_dir, config.train.snapshot_keep, config.train.snapshot_every),
      last_step_(first_step),
      first_step_(first_step),
      total_(total_steps),
      log_every_(config.train.log_every),
      skips_(skips),
      tty_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {
  // A run continued from an earlier checkpoint takes those steps again: as metrics.jsonl's
  // reader drops the abandoned stretch, its snapshots go.
  try {
    snapshots_.drop_after(first_step);
  } catch (const std::exception& e) {
    print("can-train: " + std::string(e.what()));
  }
}

void ConsoleObserver::on_snapshot(const can::Snapshot& snapshot) {
  if (!snapshots_.is_due(snapshot.step)) return;
  try {
    snapshots_.write(snapshot, can::snapshot_settings_of(config_));
  } catch (const std::exception& e) {  // never worth the run: said, recorded, trained on
    print("can-train: snapshot not kept: " + std::string(e.what()));
    events_.snapshot_failed(snapshot.step, e.what());
  }
}

void ConsoleObserver::on_step(const can::StepMetrics& m) {
  metrics_.append(m);
  last_step_ = m.step;
  for (const std::string& line : skips_.new_lines()) print("can-train: " + line);
  if (m.knn_top1) last_knn_ = *m.knn_top1;

  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double done = static_cast<double>(m.step - first_step_);
  const double eta = done > 0 ? elapsed / done * static_cast<double>(total_ - m.step) : -1;
  char stats[160];
  std::snprintf(stats, sizeof stats, "step %lld/%lld  epoch %.2f  loss %.4f  lr %.2e  %.0f img/s", (long long)m.step,
                (long long)total_, m.epoch, m.loss, m.lr, m.img_per_s);
  std::string line = stats;
  if (last_knn_ >= 0) line += "  knn " + std::to_string(last_knn_).substr(0, 5);
  if (tty_) {
    const int width = 24;
    const int filled =
        static_cast<int>(width * static_cast<double>(m.step) / static_cast<double>(std::max<int64_t>(1, total_)));
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r\033[K[%s] %s  ETA %s", bar.c_str(), line.c_str(), format_duration(eta).c_str());
    bar_open_ = true;
  } else if (m.step % log_every_ == 0 || m.step == total_ || m.knn_top1) {
    std::fprintf(stderr, "%s  eta %s\n", line.c_str(), format_duration(eta).c_str());
  }
}

void ConsoleObserver::on_error(const std::string& message) {
  print(error_prefix_ + "error: " + message);
  events_.error(last_step_ + 1, message);
}

void ConsoleObserver::on_checkpoint(const std::string& path) {
  print("can-train: checkpoint " + path);
  events_.checkpoint(last_step_, path);
}

void ConsoleObserver::print(const std::string& text) {
  if (bar_open_) std::fputc('\n', stderr);
  bar_open_ = false;
  std::fprintf(stderr, "%s\n", text.c_str());
}

void ErrorsOnlyObserver::on_step(const can::StepMetrics&) {
  for (const std::string& line : skips_.new_lines()) std::fprintf(stderr, "%s%s\n", prefix_.c_str(), line.c_str());
}

void ErrorsOnlyObserver::on_error(const std::string& message) {
  std::fprintf(stderr, "%serror: %s\n", prefix_.c_str(), message.c_str());
}

}  // namespace can_train
