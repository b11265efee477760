// can-train: headless CAN pretraining with the studio's Trainer.
//   can-train [--config FILE.json] [--set key=value]... --out DIR
//   can-train --resume RUN_DIR [--set key=value]... [--out DIR]
// Writes DIR/config.json, DIR/metrics.jsonl (one JSON object per step), DIR/events.jsonl,
// checkpoints under DIR/checkpoints and DIR/skipped_files.txt (the files the loader could not use,
// "path<TAB>reason" per line; empty when none). Each skipped file is also printed once
// with its reason (the first 20; then a count), and the total at the end. Exit codes: 0 finished, 1 runtime error, 2
// bad usage or config, 130 interrupted (SIGINT/SIGTERM: the run stops after the current step and saves).
// --resume without --out continues the run in its own folder (RUN_DIR, or the run folder
// holding the checkpoint given): metrics.jsonl and events.jsonl are appended to. With --out
// naming another folder the run branches into it and RUN_DIR is left as it is.
// Launched by torchrun or srun (WORLD_SIZE > 1, docs/distributed.md) it is one rank of a
// data-parallel job: rank 0 writes and prints, the others print only their errors.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config/run_config.h"
#include "core/config/settings_schema.h"
#include "core/data/data_error.h"
#include "core/data/skip_report.h"
#include "core/dist/communicator.h"
#include "core/dist/dist_env.h"
#include "core/dist/distributed_sync.h"
#include "core/io/atomic_file.h"
#include "core/train/checkpoint.h"
#include "core/train/event_log.h"
#include "core/train/metrics_log.h"
#include "core/train/trainer.h"
#include "core/util/cli_options.h"
#include "core/util/threads.h"

namespace {

namespace cli = can::cli;

constexpr int kExitOk = 0, kExitRuntime = 1, kExitUsage = 2, kExitInterrupted = 130;

const char* kUsage =
    "usage: can-train [--config FILE.json] [--set key=value]... --out DIR\n"
    "       can-train --resume PATH [--set key=value]... [--out DIR]\n"
    "  --config FILE   run configuration (JSON; keys in docs/config.md)\n"
    "  --set key=value override one key, e.g. --set loss.tau=0.2 (repeatable, applied in order)\n"
    "  --out DIR       run directory: config.json, metrics.jsonl, events.jsonl, checkpoints/\n"
    "  --resume PATH   continue a run from a checkpoint or a run directory (its config, then --set);\n"
    "                  without --out in that run's own directory, with --out branched into DIR\n"
    "  --config-reference  print every key's table (the settings schema) as docs/config.md holds it\n";

// The handler only flips lock-free atomics (async-signal-safe); the trainer sees the stop
// flag between steps, saves and returns.
std::atomic<can::TrainerControl*> g_control{nullptr};
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_signal(int) {
  g_interrupted = 1;
  if (auto* c = g_control.load()) c->stop();
}

struct Args {
  std::string config, out, resume;
  std::vector<std::pair<std::string, std::string>> sets;
  bool config_reference = false;
};

cli::Options make_options(Args& a) {
  cli::Options o("can-train", kUsage);
  o.value("--config", &a.config).value("--out", &a.out).value("--resume", &a.resume);
  o.flag("--config-reference", &a.config_reference);
  o.value("--set", [&a](const std::string& kv) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw cli::UsageError("--set " + kv + ": expected key=value");
    a.sets.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  });
  return o;
}

void check_args(const Args& a) {
  if (a.out.empty() && a.resume.empty())
    throw cli::UsageError("--out DIR is required (or --resume RUN_DIR, which continues that run in place)");
  if (!a.config.empty() && !a.resume.empty())
    throw cli::UsageError(
        "--config: cannot be combined with --resume (the checkpoint's config is used; override with --set)");
}

// The run folder holding a checkpoint directory (RUN/checkpoints/step_N -> RUN); "" when
// it is not inside one.
std::string run_dir_of(const std::string& checkpoint_dir) {
  const std::filesystem::path p = std::filesystem::path(checkpoint_dir).lexically_normal();
  const std::filesystem::path parent = (p.has_filename() ? p : p.parent_path()).parent_path();
  if (parent.filename() != "checkpoints") return "";
  return parent.parent_path().empty() ? std::string(".") : parent.parent_path().string();
}

bool same_dir(const std::string& a, const std::string& b) {
  std::error_code ec1, ec2;
  const auto ca = std::filesystem::weakly_canonical(a, ec1), cb = std::filesystem::weakly_canonical(b, ec2);
  return !ec1 && !ec2 ? ca == cb
                      : std::filesystem::path(a).lexically_normal() == std::filesystem::path(b).lexically_normal();
}

// Skipped files printed one by one; beyond them only counted ("and N more").
constexpr size_t kSkipsListed = 20;

// Turns the skip report of the training set into console lines: each file once, with its
// reason, as the loader meets it, up to kSkipsListed; then the total at the end.
class SkipLister {
 public:
  explicit SkipLister(const can::data::SkipReport& report) : report_(report) {}

  // "skipped FILE: REASON" for the files first met since the last call.
  std::vector<std::string> new_lines() {
    std::vector<std::string> lines;
    if (listed_ >= kSkipsListed) return lines;
    for (const auto& s : report_.files(listed_)) {
      if (listed_ >= kSkipsListed) break;
      lines.push_back("skipped " + can::data::escape_list_field(s.file) + ": " + can::data::escape_list_field(s.reason));
      ++listed_;
    }
    return lines;
  }
  // The total once the run is over; "" when nothing was skipped. list_file: where the whole
  // list was written ("" on ranks that write nothing).
  std::string total(const std::string& list_file) const {
    const size_t n = report_.file_count();
    if (n == 0) return "";
    std::string line = "skipped " + std::to_string(n) + " unusable file" + (n == 1 ? "" : "s") + " in all (" +
                       std::to_string(report_.read_count()) + " failed reads)";
    line += n > listed_ ? ": " + std::to_string(listed_) + " listed above and " + std::to_string(n - listed_) + " more"
                        : ", listed above";
    if (!list_file.empty()) line += "; every one with its reason in " + list_file;
    return line;
  }

 private:
  const can::data::SkipReport& report_;
  size_t listed_ = 0;
};

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "--:--";
  const long s = static_cast<long>(seconds);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
  return buf;
}

// Prints progress (a bar with ETA on a terminal, plain lines otherwise) and appends one
// JSON object per step to metrics.jsonl.
class ConsoleObserver : public can::TrainerObserver {
 public:
  // error_prefix: "can-train: ", or "can-train: rank 0: " in a distributed job.
  ConsoleObserver(const std::string& run_dir, int64_t first_step, int64_t total_steps, int64_t log_every,
                  std::string error_prefix, SkipLister& skips)
      : error_prefix_(std::move(error_prefix)),
        metrics_((std::filesystem::path(run_dir) / "metrics.jsonl").string()),
        events_((std::filesystem::path(run_dir) / "events.jsonl").string()),
        last_step_(first_step),
        first_step_(first_step),
        total_(total_steps),
        log_every_(log_every),
        skips_(skips),
        tty_(::isatty(STDERR_FILENO) != 0),
        start_(std::chrono::steady_clock::now()) {}

  void on_step(const can::StepMetrics& m) override {
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
      const int filled = static_cast<int>(width * static_cast<double>(m.step) / static_cast<double>(std::max<int64_t>(1, total_)));
      std::string bar(filled, '#');
      bar.resize(width, '.');
      std::fprintf(stderr, "\r\033[K[%s] %s  ETA %s", bar.c_str(), line.c_str(), format_duration(eta).c_str());
      bar_open_ = true;
    } else if (m.step % log_every_ == 0 || m.step == total_ || m.knn_top1) {
      std::fprintf(stderr, "%s  eta %s\n", line.c_str(), format_duration(eta).c_str());
    }
  }
  void on_event(const std::string& message) override { print("can-train: " + message); }
  void on_error(const std::string& message) override {
    print(error_prefix_ + "error: " + message);
    events_.error(last_step_ + 1, message);
  }
  void on_checkpoint(const std::string& path) override {
    print("can-train: checkpoint " + path);
    events_.checkpoint(last_step_, path);
  }
  void on_setting_changed(const can::SettingChange& change) override { events_.setting_changed(change); }
  can::EventLog& events() { return events_; }

 private:
  void print(const std::string& text) {
    if (bar_open_) std::fputc('\n', stderr);
    bar_open_ = false;
    std::fprintf(stderr, "%s\n", text.c_str());
  }

  std::string error_prefix_;
  can::MetricsLog metrics_;
  can::EventLog events_;
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
  void on_step(const can::StepMetrics&) override {
    for (const std::string& line : skips_.new_lines()) std::fprintf(stderr, "%s%s\n", prefix_.c_str(), line.c_str());
  }
  void on_error(const std::string& message) override {
    std::fprintf(stderr, "%serror: %s\n", prefix_.c_str(), message.c_str());
  }

 private:
  std::string prefix_;
  SkipLister& skips_;
};

}  // namespace

int main(int argc, char** argv) {
  Args args;
  can::RunConfig config;
  can::dist::DistEnv env;
  const cli::Options options = make_options(args);
  options.parse_or_exit(argc, argv);  // the command line itself: refused with the usage
  if (args.config_reference) {        // scripts/update-config-docs splices this into docs/config.md
    for (const std::string& section : can::schema_sections())
      std::cout << "<!-- schema:" << section << " -->\n"
                << can::config_reference_markdown(section) << "<!-- /schema -->\n";
    return kExitOk;
  }
  try {
    check_args(args);
  } catch (const cli::UsageError& e) {
    return options.usage_error(e.what());
  }
  // The checkpoint a resume reads: chosen (and verified) once, so that its config and its
  // weights come from the same directory; a damaged latest falls back to the previous one.
  can::CheckpointChoice resume_from;
  std::string resumed_run;  // the run folder holding that checkpoint ("" when none does)
  try {
    env = can::dist::dist_env_from_environment();
    const std::string warn_prefix =
        env.distributed() ? "can-train: rank " + std::to_string(env.rank) + ": warning: " : "can-train: warning: ";
    can::set_checkpoint_warning_handler(
        [warn_prefix](const std::string& line) { std::fprintf(stderr, "%s%s\n", warn_prefix.c_str(), line.c_str()); });
    if (!args.resume.empty()) {
      resume_from = can::choose_checkpoint(args.resume);
      if (env.rank == 0)
        for (const std::string& note : resume_from.notes) std::fprintf(stderr, "can-train: %s\n", note.c_str());
      // Without --out the run continues in its own folder; with another one it branches.
      resumed_run = run_dir_of(resume_from.dir);
      if (args.out.empty()) {
        if (resumed_run.empty())
          throw cli::UsageError("--resume " + args.resume + ": " + resume_from.dir +
                                " is not inside a run folder (RUN/checkpoints/step_N): give --out DIR");
        args.out = resumed_run;
      }
    }
    config = args.resume.empty() ? (args.config.empty() ? can::RunConfig{} : can::load_run_config_file(args.config))
                                 : can::load_run_config(resume_from.dir);
    for (const auto& [key, value] : args.sets) config.set_key(key, value);
    config.validate();
  } catch (const can::CheckpointError& e) {  // damaged: names the file; not a usage error
    std::fprintf(stderr, "can-train: %s\n", e.what());
    return kExitRuntime;
  } catch (const cli::UsageError& e) {
    std::fprintf(stderr, "can-train: %s\n", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {  // a config value or file: the message names it
    std::fprintf(stderr, "can-train: %s\n(config keys and their ranges: docs/config.md)\n", e.what());
    return kExitUsage;
  }
  // Only rank 0 writes and reports; every message of another rank names it.
  const bool writer = env.rank == 0;
  const std::string prefix = env.distributed() ? "can-train: rank " + std::to_string(env.rank) + ": " : "can-train: ";

  std::unique_ptr<can::Trainer> trainer;
  std::shared_ptr<can::data::SkipRecordingDataset> dataset;
  try {
    std::shared_ptr<can::GradientSync> sync;
    if (env.distributed()) {
      const bool cuda = config.train.device == "cuda" || (config.train.device == "auto" && torch::cuda::is_available());
      auto comm = can::dist::connect(env, cuda);
      sync = std::make_shared<can::dist::DistributedSync>(comm, env.local_rank);
      if (writer)
        std::fprintf(stderr, "can-train: distributed over %s: %d processes (%d on this node), store %s:%d\n",
                     comm->backend().c_str(), env.world_size, env.local_world_size, env.master_addr.c_str(),
                     env.master_port);
    }
    // The training set is opened here, not by the Trainer, so that every file the loader
    // skips is recorded for the report below; a folder of only bad files stops here, before
    // the run directory exists.
    dataset = std::make_shared<can::data::SkipRecordingDataset>(
        can::data::open_dataset(can::training_data_config(config), can::data::Split::Train));
    if (writer) std::filesystem::create_directories(args.out);
    trainer = std::make_unique<can::Trainer>(config, writer ? args.out : std::string(), dataset, sync);
    // Processes sharing a node share its cores: by default each takes its share, not all.
    if (config.train.threads <= 0 && env.local_world_size > 1)
      can::set_torch_threads(std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / env.local_world_size));
    if (!args.resume.empty()) {
      trainer->resume(resume_from.dir);  // every rank reads the checkpoint rank 0 wrote
      if (writer) {
        std::fprintf(stderr, "can-train: resumed from %s at step %lld%s\n", resume_from.dir.c_str(),
                     (long long)trainer->step(), resume_from.verified ? "" : " (unverified: no manifest.json)");
        // Without --out (or with the run's own folder) the run continues in place; else it branches.
        if (resumed_run.empty() || !same_dir(resumed_run, args.out))
          std::fprintf(stderr, "can-train: branching from %s into %s\n",
                       (resumed_run.empty() ? resume_from.dir : resumed_run).c_str(), args.out.c_str());
        else
          std::fprintf(stderr, "can-train: continuing the run in %s (metrics.jsonl and events.jsonl appended to)\n",
                       args.out.c_str());
      }
    }
    // The config as the trainer resolved it (channels, noise-embedding scale).
    if (writer) can::save_run_config_file(trainer->config(), (std::filesystem::path(args.out) / "config.json").string());
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "%s%s\n", prefix.c_str(), e.what());
    return kExitUsage;
  } catch (const can::data::DataError& e) {  // missing or malformed data named by the config
    std::fprintf(stderr, "%s%s\n", prefix.c_str(), e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s%s\n", prefix.c_str(), e.what());
    return kExitRuntime;
  }

  SkipLister skips(dataset->report());
  int code = kExitRuntime;
  try {
    std::unique_ptr<can::TrainerObserver> observer;
    if (writer) {
      observer = std::make_unique<ConsoleObserver>(args.out, trainer->step(), trainer->total_steps(),
                                                   config.train.log_every, prefix, skips);
    } else {
      observer = std::make_unique<ErrorsOnlyObserver>(prefix, skips);
    }
    trainer->set_observer(observer.get());
    g_control = &trainer->control();
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    if (writer)
      std::fprintf(stderr, "can-train: %s, %lld steps (%lld per epoch) on %s, output %s\n",
                   trainer->config().objectives.describe().c_str(), (long long)trainer->total_steps(),
                   (long long)trainer->steps_per_epoch(), trainer->device().str().c_str(), args.out.c_str());
    const can::TrainResult r = trainer->run();
    g_control = nullptr;
    if (writer) std::fputc('\n', stderr);
    switch (r.status) {
      case can::TrainResult::Status::Finished: code = kExitOk; break;
      // In a job the stop is agreed across ranks: the signal reached one of them at least.
      case can::TrainResult::Status::Stopped:
        code = g_interrupted || env.distributed() ? kExitInterrupted : kExitOk;
        break;
      case can::TrainResult::Status::Failed: code = kExitRuntime; break;
    }
    if (auto* console = dynamic_cast<ConsoleObserver*>(observer.get())) {
      const char* status = r.status == can::TrainResult::Status::Finished  ? "finished"
                           : r.status == can::TrainResult::Status::Stopped ? "stopped"
                                                                           : "failed";
      console->events().run_ended(r.step, status);
    }
  } catch (const std::exception& e) {
    g_control = nullptr;
    std::fprintf(stderr, "\n%s%s\n", prefix.c_str(), e.what());
    code = kExitRuntime;
  }

  // However the run ended: the files not listed yet (up to the bound), the total, and the
  // whole list in the run directory.
  const std::string list_file = writer ? (std::filesystem::path(args.out) / "skipped_files.txt").string() : "";
  for (const std::string& line : skips.new_lines()) std::fprintf(stderr, "%s%s\n", prefix.c_str(), line.c_str());
  if (const std::string total = skips.total(list_file); !total.empty())
    std::fprintf(stderr, "%s%s\n", prefix.c_str(), total.c_str());
  if (writer) {
    try {
      can::data::write_skipped_files(dataset->report(), list_file);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s%s\n", prefix.c_str(), e.what());
      if (code == kExitOk) code = kExitRuntime;
    }
  }
  return code;
}
