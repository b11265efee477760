// can-runs-bench: how fast the runs browser lists a runs folder (can::runs::scan_runs).
// Builds N synthetic run folders in a temporary directory (config.json, events.jsonl with
// run_started / setting changes / checkpoints / run_ended, a metrics.jsonl of realistic
// lines with the objective balance every 50 steps and kNN every 500, eval.json on every
// 5th run, notes.json on every 7th), scans the folder R times, prints the median, min and
// max seconds and runs/s as one JSON line, and removes the folder. The files were just
// written, so they are in the page cache: this measures the scanner, not the disk.
// Usage: can-runs-bench [--runs N] [--lines L] [--repeat R]
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "core/config/run_config.h"
#include "core/experiments/run_scan.h"
#include "core/util/cli_options.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kUsage =
    "usage: can-runs-bench [--runs N] [--lines L] [--repeat R]\n"
    "  --runs N    synthetic run folders (default 500)\n"
    "  --lines L   metrics.jsonl lines per run (default 2000)\n"
    "  --repeat R  scans timed, the median reported (default 7)\n";

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error(path.string() + ": cannot write");
}

// One step as the trainer writes it (StepMetrics' keys), with the measured extras on their steps.
json step_line(int64_t step, int64_t steps_per_epoch, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double loss = 3.0 / (1.0 + 0.01 * step) + 0.05 * u(rng);
  json j = {{"step", step},
            {"epoch", double(step) / double(steps_per_epoch)},
            {"loss", loss},
            {"loss_infonce", 0.6 * loss},
            {"loss_rec", 0.25 * loss},
            {"loss_denoise", 0.15 * loss},
            {"lr", 1.5e-4 * u(rng)},
            {"img_per_s", 1800.0 + 100.0 * u(rng)},
            {"grad_norm", 0.5 + u(rng)},
            {"skipped_files", 0}};
  if (step % 10 == 0) j["contrastive_top1"] = u(rng);
  if (step % 50 == 0)
    for (const char* k :
         {"grad_norm_infonce", "grad_norm_rec", "grad_norm_denoise", "grad_cos_c_a", "grad_cos_c_n", "grad_cos_a_n"})
      j[k] = u(rng);
  if (step % 500 == 0) j["knn_top1"] = u(rng);
  return j;
}

json eval_report(int64_t step, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  json per_class = json::array(), confusion = json::array();
  for (int c = 0; c < 10; ++c) {
    per_class.push_back(u(rng));
    json row = json::array();
    for (int p = 0; p < 10; ++p) row.push_back(p == c ? 800 : 20);
    confusion.push_back(row);
  }
  const json protocol = {{"top1", u(rng)}, {"per_class_top1", per_class}, {"confusion", confusion}};
  return {{"checkpoint", "checkpoints/step_" + std::to_string(step)},
          {"step", step},
          {"dataset", "fashion-mnist"},
          {"num_classes", 10},
          {"feature_dim", 192},
          {"knn", protocol},
          {"linear", protocol}};
}

void make_run(const fs::path& dir, int index, int64_t lines, std::mt19937& rng) {
  fs::create_directories(dir / "checkpoints" / ("step_" + std::to_string(lines)));
  can::RunConfig config;
  config.train.steps = lines;
  config.train.knn_every = 500;
  write_text(dir / "config.json", json(config).dump(2));
  const int64_t t0 = 1760000000 + index * 3600;
  std::string events = json{{"type", "run_started"},          {"step", 0},    {"total_steps", lines}, {"unix_time", t0},
                            {"time", "2025-10-09T08:53:20Z"}, {"mode", "can"}}
                           .dump() +
                       "\n";
  events +=
      json{{"type", "setting_changed"}, {"step", 40}, {"key", "loss.mask_ratio"}, {"from", 0.5}, {"to", 0.75}}.dump() +
      "\n";
  events +=
      json{{"type", "checkpoint"}, {"step", lines}, {"path", "checkpoints/step_" + std::to_string(lines)}}.dump() +
      "\n";
  const char* status[] = {"finished", "finished", "stopped", "failed"};
  if (index % 10 != 9)
    events += json{{"type", "run_ended"}, {"step", lines}, {"status", status[index % 4]}}.dump() + "\n";
  write_text(dir / "events.jsonl", events);
  std::string metrics;
  for (int64_t s = 1; s <= lines; ++s) metrics += step_line(s, 469, rng).dump() + "\n";
  write_text(dir / "metrics.jsonl", metrics);
  if (index % 5 == 0)
    write_text(dir / "eval.json",
               json{{"format", 1}, {"evaluations", {eval_report(lines / 2, rng), eval_report(lines, rng)}}}.dump(2));
  if (index % 7 == 0) write_text(dir / "notes.json", json{{"tags", {"baseline", "sigma"}}, {"note", "a note"}}.dump(2));
}

}  // namespace

int main(int argc, char** argv) {
  std::string runs_text = "500", lines_text = "2000", repeat_text = "7";
  can::cli::Options o("can-runs-bench", kUsage);
  o.value("--runs", &runs_text).value("--lines", &lines_text).value("--repeat", &repeat_text);
  o.parse_or_exit(argc, argv);
  int64_t runs = 0, lines = 0, repeat = 0;
  try {
    runs = can::cli::to_int("--runs", runs_text);
    lines = can::cli::to_int("--lines", lines_text);
    repeat = can::cli::to_int("--repeat", repeat_text);
    if (runs < 1 || lines < 1 || repeat < 1) throw can::cli::UsageError("--runs, --lines and --repeat must be >= 1");
  } catch (const can::cli::UsageError& e) {
    return o.usage_error(e.what());
  }
  const fs::path root = fs::temp_directory_path() / ("can-runs-bench-" + std::to_string(::getpid()));
  int code = 0;
  try {
    std::mt19937 rng(0);
    const auto b0 = std::chrono::steady_clock::now();
    for (int i = 0; i < runs; ++i) make_run(root / ("run_" + std::to_string(i)), i, lines, rng);
    const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - b0).count();
    std::vector<double> seconds;
    size_t found = 0;
    for (int r = 0; r < repeat; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      found = can::runs::scan_runs(root.string()).size();
      seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    std::printf("%s\n", json{{"runs", runs},
                             {"found", found},
                             {"lines", lines},
                             {"repeat", repeat},
                             {"build_s", build_s},
                             {"median_s", median},
                             {"min_s", seconds.front()},
                             {"max_s", seconds.back()},
                             {"runs_per_s", double(runs) / median}}
                            .dump()
                            .c_str());
    if (found != size_t(runs)) code = 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "can-runs-bench: %s\n", e.what());
    code = 1;
  }
  std::error_code ec;
  fs::remove_all(root, ec);
  return code;
}
