// can-sweep: a Cartesian grid of settings over a base config, each point an ordinary
// can-train run folder under --out (docs/experiments.md). The grid is checked against the
// settings schema before anything runs. The sweep is resumable: run again with the same
// arguments, it skips finished runs, resumes interrupted ones from their checkpoint and
// starts the rest. It writes DIR/sweep.jsonl (one row per finished run: the grid's keys,
// final losses, eval scores, wall time) and DIR/summary.md (mean ± std over seeds).
//
// Runs are can-train (and can-eval) processes next to this executable, up to --parallel at
// a time, each logging to DIR/logs/NAME.log. A run dies with the sweep: killed, the sweep
// takes its runs with it (they get SIGTERM, save a checkpoint and stop), so a restarted
// sweep never races an orphan. Exit codes: 0 every run finished, 1 a run failed, 2 usage.

#include <sys/prctl.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config/run_config.h"
#include "core/experiments/sweep.h"
#include "core/io/atomic_file.h"
#include "core/util/cli_options.h"

namespace {

namespace fs = std::filesystem;
namespace cli = can::cli;
namespace sweep = can::sweep;

const char* kUsage =
    "usage: can-sweep --grid key=v1,v2,... [--grid ...] [--seeds 0,1] --out DIR\n"
    "                 [--config BASE.json] [--set key=value]... [--eval knn,linear] [--eval-split val]\n"
    "                 [--parallel N]\n"
    "  --grid key=v1,v2  one axis of the grid (a list value in brackets: train.betas=[0.9,0.95])\n"
    "  --seeds 0,1       train.seed values: every grid point runs once per seed\n"
    "  --out DIR         the sweep folder: one run folder per point, sweep.jsonl, summary.md, logs/\n"
    "  --config FILE     the base config (default: the defaults); --set keys apply on top of it\n"
    "  --eval knn,linear score each finished run with can-eval (kNN, linear probe or both)\n"
    "  --eval-split val  score the validation split (data.val_images held out of train) instead\n"
    "                    of the test split: val_knn_top1, val_linear_top1 (for choosing settings)\n"
    "  --parallel N      runs at a time (default 1)\n"
    "Run it again with the same arguments to continue a sweep that was stopped or killed.\n";

struct Args {
  std::string config, out, eval, seeds, eval_split = "test";
  int64_t parallel = 1;
  std::vector<std::string> grid;
  std::vector<std::pair<std::string, std::string>> sets;
};

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) { g_stop = 1; }

std::string tool_path(const char* name) {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return (ec ? fs::path(".") : self.parent_path()) / name;
}

// Starts `argv` with stdout and stderr into `log`; the child gets SIGTERM when the sweep dies.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(1);  // the sweep died before prctl
  const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd >= 0) {
    dup2(fd, 1);
    dup2(fd, 2);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// can-eval on a finished run: its scores, read from the JSON line it prints. (can-eval also
// records its report in the run's eval.json, with per-class scores; the line is read
// because it holds exactly this evaluation, where eval.json would have to be searched for
// the step and dataset evaluated.)
std::map<std::string, double> evaluate(const std::string& run_dir, const std::string& eval, const std::string& split,
                                       const std::string& log) {
  std::vector<std::string> argv = {tool_path("can-eval"), "--checkpoint", run_dir, "--split", split};
  if (eval.find("knn") != std::string::npos) argv.push_back("--knn");
  if (eval.find("linear") != std::string::npos) argv.push_back("--linear");
  const std::string out = log + ".json";
  fs::remove(out);
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    const int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644),
              err = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(err, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  if (wait_for(pid) != 0) throw std::runtime_error("can-eval failed on " + run_dir + " (see " + log + ")");
  std::ifstream in(out);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  std::map<std::string, double> scores;
  const nlohmann::json j = nlohmann::json::parse(last);
  // Validation scores get their own names, so a summary cannot pass them off as test scores.
  const std::string prefix = split == "val" ? "val_" : "";
  for (const char* k : {"knn_top1", "linear_top1"})
    if (j.contains(k)) scores[prefix + k] = j.at(k).get<double>();
  return scores;
}

nlohmann::json row_json(const sweep::Row& r) {
  nlohmann::json settings = nlohmann::json::object();
  for (const auto& [k, v] : r.settings) settings[k] = v;
  return {{"name", r.name}, {"settings", settings}, {"values", r.values}};
}

sweep::Row row_from_json(const nlohmann::json& j) {
  sweep::Row r;
  r.name = j.at("name").get<std::string>();
  for (auto it = j.at("settings").begin(); it != j.at("settings").end(); ++it)
    r.settings.emplace_back(it.key(), it.value().get<std::string>());
  r.values = j.at("values").get<std::map<std::string, double>>();
  return r;
}

// sweep.jsonl and summary.md from the rows of the finished runs, in grid order.
void write_results(const std::string& out, const std::vector<sweep::Point>& points) {
  std::vector<sweep::Row> rows;
  std::string jsonl;
  for (const sweep::Point& p : points) {
    std::ifstream in(fs::path(out) / p.name / "sweep_row.json");
    if (!in) continue;
    try {
      sweep::Row r = row_from_json(nlohmann::json::parse(in));
      r.settings = p.settings;  // in the grid's order
      jsonl += row_json(r).dump() + "\n";
      rows.push_back(std::move(r));
    } catch (const std::exception&) {
      continue;  // written again when that run is revisited
    }
  }
  can::io::write_file_atomic((fs::path(out) / "sweep.jsonl").string(), jsonl);
  can::io::write_file_atomic((fs::path(out) / "summary.md").string(),
                             "# Sweep summary\n\nMean ± standard deviation over seeds of the final values.\n\n" +
                                 sweep::summary_markdown(rows));
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  cli::Options options("can-sweep", kUsage);
  options.value("--config", &a.config).value("--out", &a.out).value("--eval", &a.eval).value("--seeds", &a.seeds);
  options.value("--eval-split", &a.eval_split);
  options.value("--grid", [&a](const std::string& v) { a.grid.push_back(v); });
  options.value("--parallel", [&a](const std::string& v) { a.parallel = cli::to_int("--parallel", v); });
  options.value("--set", [&a](const std::string& kv) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw cli::UsageError("--set " + kv + ": expected key=value");
    a.sets.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  });
  options.parse_or_exit(argc, argv);

  std::vector<sweep::Point> points;
  try {
    if (a.out.empty()) throw cli::UsageError("--out DIR is required");
    if (a.parallel < 1) throw cli::UsageError("--parallel must be >= 1");
    if (!a.eval.empty() && a.eval != "knn" && a.eval != "linear" && a.eval != "knn,linear" && a.eval != "linear,knn")
      throw cli::UsageError("--eval: expected knn, linear or knn,linear, got '" + a.eval + "'");
    if (a.eval_split != "test" && a.eval_split != "val")
      throw cli::UsageError("--eval-split: expected test or val, got '" + a.eval_split + "'");
    can::RunConfig base = a.config.empty() ? can::RunConfig{} : can::load_run_config_file(a.config);
    for (const auto& [k, v] : a.sets) base.set_key(k, v);
    std::vector<sweep::GridAxis> axes;
    for (const std::string& g : a.grid) axes.push_back(sweep::parse_axis(g));
    std::vector<uint64_t> seeds;
    if (!a.seeds.empty()) {
      std::stringstream ss(a.seeds);
      for (std::string s; std::getline(ss, s, ',');) seeds.push_back(static_cast<uint64_t>(cli::to_int("--seeds", s)));
    }
    points = sweep::expand(base, axes, seeds);
  } catch (const std::invalid_argument& e) {  // a bad grid or config: nothing has run
    return options.usage_error(e.what());
  }

  fs::create_directories(fs::path(a.out) / "logs");
  fs::create_directories(fs::path(a.out) / "configs");
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::cout << "can-sweep: " << points.size() << " runs in " << a.out << std::endl;

  struct Running {
    size_t point;
    std::chrono::steady_clock::time_point start;
  };
  std::map<pid_t, Running> running;
  size_t next = 0, failed = 0;
  auto finish = [&](size_t i, double wall_s) {
    const sweep::Point& p = points[i];
    const std::string dir = (fs::path(a.out) / p.name).string();
    sweep::Row row{p.name, p.settings, sweep::final_losses(dir)};
    row.values.erase("step");
    if (wall_s > 0) row.values["wall_s"] = wall_s;
    if (!a.eval.empty()) {
      const auto scores = evaluate(dir, a.eval, a.eval_split, (fs::path(a.out) / "logs" / (p.name + ".eval")).string());
      row.values.insert(scores.begin(), scores.end());
    }
    can::io::write_file_atomic((fs::path(dir) / "sweep_row.json").string(), row_json(row).dump() + "\n");
    write_results(a.out, points);
  };
  while ((next < points.size() || !running.empty()) && !g_stop) {
    while (next < points.size() && static_cast<int64_t>(running.size()) < a.parallel && !g_stop) {
      const size_t i = next++;
      const sweep::Point& p = points[i];
      const std::string dir = (fs::path(a.out) / p.name).string();
      const std::string log = (fs::path(a.out) / "logs" / (p.name + ".log")).string();
      const sweep::RunStatus status = sweep::run_status(dir);
      std::vector<std::string> cmd = {tool_path("can-train")};
      if (status == sweep::RunStatus::kFinished) {
        std::cout << "skip " << p.name << " (finished)" << std::endl;
        if (!fs::exists(fs::path(dir) / "sweep_row.json")) {
          try {
            finish(i, 0);
          } catch (const std::exception& e) {
            std::cerr << "can-sweep: " << p.name << ": " << e.what() << "\n";
            ++failed;
          }
        }
        continue;
      }
      if (status == sweep::RunStatus::kInterrupted) {
        std::cout << "resume " << p.name << std::endl;
        cmd.insert(cmd.end(), {"--resume", dir});
      } else {
        std::cout << (status == sweep::RunStatus::kFailed ? "restart " : "start ") << p.name << std::endl;
        fs::remove_all(dir);  // nothing there to continue from
        const std::string config = (fs::path(a.out) / "configs" / (p.name + ".json")).string();
        can::save_run_config_file(p.config, config);
        cmd.insert(cmd.end(), {"--config", config, "--out", dir});
      }
      running[spawn(cmd, log)] = {i, std::chrono::steady_clock::now()};
    }
    if (running.empty()) break;
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) continue;  // a signal: the loop checks g_stop
    const Running r = running.at(pid);
    running.erase(pid);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - r.start).count();
    const sweep::Point& p = points[r.point];
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code == 0 && sweep::run_status((fs::path(a.out) / p.name).string()) == sweep::RunStatus::kFinished) {
      try {
        finish(r.point, wall);
        std::cout << "done " << p.name << " (" << static_cast<int>(wall) << " s)" << std::endl;
      } catch (const std::exception& e) {
        std::cerr << "can-sweep: " << p.name << ": " << e.what() << "\n";
        ++failed;
      }
    } else if (!g_stop) {
      std::cerr << "can-sweep: " << p.name << " failed (exit " << code << "); see " << a.out << "/logs/" << p.name
                << ".log\n";
      ++failed;
    }
  }
  if (g_stop) {  // the runs got the signal too (same process group) and save as they stop
    for (const auto& [pid, r] : running) {
      kill(pid, SIGTERM);
      wait_for(pid);
    }
    std::cerr << "can-sweep: stopped; run it again with the same arguments to continue\n";
    return 130;
  }
  write_results(a.out, points);
  std::cout << "can-sweep: " << (points.size() - failed) << " of " << points.size() << " runs finished; " << a.out
            << "/summary.md" << std::endl;
  return failed ? 1 : 0;
}
