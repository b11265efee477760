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

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/can_train_console.h"
#include "core/config/run_config.h"
#include "core/config/settings_schema.h"
#include "core/data/data_error.h"
#include "core/data/skip_report.h"
#include "core/dist/communicator.h"
#include "core/dist/dist_env.h"
#include "core/dist/distributed_sync.h"
#include "core/experiments/run_lock.h"
#include "core/io/atomic_file.h"
#include "core/train/checkpoint.h"
#include "core/train/checkpoint_info.h"
#include "core/train/trainer.h"
#include "core/util/cli_options.h"
#include "core/util/threads.h"

namespace {

namespace cli = can::cli;
using can_train::ConsoleObserver;
using can_train::ErrorsOnlyObserver;
using can_train::SkipLister;

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

bool same_dir(const std::string& a, const std::string& b) {
  std::error_code ec1, ec2;
  const auto ca = std::filesystem::weakly_canonical(a, ec1), cb = std::filesystem::weakly_canonical(b, ec2);
  return !ec1 && !ec2 ? ca == cb
                      : std::filesystem::path(a).lexically_normal() == std::filesystem::path(b).lexically_normal();
}

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
      resumed_run = can::run_dir_of_checkpoint(resume_from.dir);
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
  // RUN/run.lock while this process writes the folder: the runs browser shows it running.
  // Declared before the trainer, so that it is removed last, once everything is written.
  std::optional<can::runs::RunLock> run_lock;
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
    if (writer) {
      std::filesystem::create_directories(args.out);
      run_lock.emplace(args.out);
    }
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
      observer = std::make_unique<ConsoleObserver>(args.out, trainer->step(), trainer->total_steps(), trainer->config(),
                                                   prefix, skips);
    } else {
      observer = std::make_unique<ErrorsOnlyObserver>(prefix, skips);
    }
    trainer->set_observer(observer.get());
    if (auto* console = dynamic_cast<ConsoleObserver*>(observer.get()))
      console->events().run_started(trainer->step(), trainer->total_steps(), trainer->config().mode);
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
