#include "core/experiments/run_scan.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/experiments/metrics_tail.h"
#include "core/experiments/run_lock.h"
#include "core/experiments/run_notes.h"
#include "core/util/json_limits.h"

namespace can::runs {

namespace fs = std::filesystem;

namespace {

// Files larger than this are not read whole (a config or eval.json is kilobytes).
constexpr std::streamsize kScanFileBytes = std::streamsize{16} << 20;

// A small file's text; nullopt when missing. Too large or unreadable -> a problem.
std::optional<std::string> read_scan_file(const fs::path& path, std::vector<std::string>& problems) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  const std::streamsize size = in.tellg();
  if (size > kScanFileBytes) {
    problems.push_back(path.filename().string() + ": too large to read (" + std::to_string(size) + " bytes)");
    return std::nullopt;
  }
  std::string text(static_cast<size_t>(std::max<std::streamsize>(size, 0)), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) {
    problems.push_back(path.filename().string() + ": cannot be read");
    return std::nullopt;
  }
  return text;
}

int64_t mtime_of(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_mtime) : 0;
}

// What events.jsonl says: the first start, the latest session's total and how it ended.
struct EventsSeen {
  std::optional<int64_t> first_started, total_steps;
  std::string ended;  // the status of a run_ended after the last run_started ("" = none)
};

// Only the run_started / run_ended lines are parsed; the others (setting changes, which a
// dragged slider makes many of) are checked for their braces only.
EventsSeen read_events(const fs::path& path, std::vector<std::string>& problems) {
  EventsSeen seen;
  const auto text = read_scan_file(path, problems);
  if (!text) return seen;
  int64_t line_no = 0, bad = 0;
  for (size_t begin = 0; begin < text->size();) {
    size_t end = text->find('\n', begin);
    const bool has_newline = end != std::string::npos;
    if (!has_newline) end = text->size();
    const std::string_view line(text->data() + begin, end - begin);
    ++line_no;
    begin = end + 1;
    if (line.empty()) continue;
    bool ok = line.front() == '{' && line.back() == '}';
    if (ok && line.find("\"run_") != std::string_view::npos) {
      try {
        const nlohmann::json j = parse_json_bounded(line.data(), line.data() + line.size());
        const std::string type = j.value("type", std::string());
        if (type == "run_started") {
          seen.ended.clear();
          if (auto t = j.find("unix_time"); t != j.end() && t->is_number_integer() && !seen.first_started)
            seen.first_started = t->get<int64_t>();
          if (auto t = j.find("total_steps"); t != j.end() && t->is_number_integer() && t->get<int64_t>() > 0)
            seen.total_steps = t->get<int64_t>();
        } else if (type == "run_ended") {
          seen.ended = j.value("status", std::string("failed"));
        }
      } catch (const std::exception&) {
        ok = false;
      }
    }
    if (!ok && ++bad <= 3)
      problems.push_back("events.jsonl: line " + std::to_string(line_no) + (has_newline ? " is not JSON" : " is cut"));
  }
  return seen;
}

// config.json's parts the browser shows, and train.steps / train.knn_every.
struct ConfigSeen {
  int64_t steps = 0, knn_every = 0;
};

ConfigSeen read_config(const fs::path& path, RunSummary& s) {
  ConfigSeen c;
  const auto text = read_scan_file(path, s.problems);
  if (!text) return c;
  try {
    const nlohmann::json j = parse_json_bounded(text->data(), text->data() + text->size());
    auto str = [&](const char* section, const char* key) {
      const auto sec = j.find(section);
      if (sec == j.end() || !sec->is_object()) return std::string();
      const auto v = sec->find(key);
      return v != sec->end() && v->is_string() ? v->get<std::string>() : std::string();
    };
    auto integer = [&](const char* section, const char* key) {
      const auto sec = j.find(section);
      if (sec == j.end() || !sec->is_object()) return int64_t{0};
      const auto v = sec->find(key);
      return v != sec->end() && v->is_number_integer() ? v->get<int64_t>() : int64_t{0};
    };
    if (!j.is_object()) throw JsonTextError("not an object");
    s.mode = str("objectives", "mode");
    s.dataset = str("data", "dataset");
    c.steps = integer("train", "steps");
    c.knn_every = integer("train", "knn_every");
  } catch (const std::exception& e) {
    s.problems.push_back("config.json: " + std::string(e.what()));
  }
  return c;
}

// eval.json's latest evaluation (the highest step; among reports of that step the run's own
// dataset, else the last). Its per-class lists and confusion matrices are dropped while
// parsing: they are most of the file and not needed here.
void read_eval(const fs::path& path, RunSummary& s) {
  const auto text = read_scan_file(path, s.problems);
  if (!text) return;
  try {
    const nlohmann::json j =
        parse_json_bounded(text->data(), text->data() + text->size(), kMaxJsonDepth,
                           [](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                             return event != nlohmann::json::parse_event_t::key ||
                                    (parsed != "confusion" && parsed != "per_class_top1" && parsed != "class_names");
                           });
    const auto evals = j.find("evaluations");
    if (!j.is_object() || evals == j.end() || !evals->is_array()) throw JsonTextError("no \"evaluations\" list");
    const nlohmann::json* latest = nullptr;
    int64_t latest_step = 0;
    for (const nlohmann::json& r : *evals) {
      if (!r.is_object() || !r.contains("step") || !r["step"].is_number_integer()) continue;
      if (r.value("split", std::string("test")) != "test") continue;  // the dock shows test scores
      const int64_t step = r["step"].get<int64_t>();
      const bool own = r.value("dataset", std::string()) == s.dataset;
      if (!latest || step > latest_step ||
          (step == latest_step && (own || latest->value("dataset", std::string()) != s.dataset)))
        latest = &r, latest_step = step;
    }
    if (!latest) return;
    auto top1 = [&](const char* protocol) -> std::optional<double> {
      const auto p = latest->find(protocol);
      if (p == latest->end() || !p->is_object()) return std::nullopt;
      const auto t = p->find("top1");
      return t != p->end() && t->is_number() ? std::optional<double>(t->get<double>()) : std::nullopt;
    };
    s.knn_top1 = top1("knn");
    s.linear_top1 = top1("linear");
  } catch (const std::exception& e) {
    s.problems.push_back("eval.json: " + std::string(e.what()));
  }
}

}  // namespace

const char* state_name(RunState state) {
  switch (state) {
    case RunState::kRunning:
      return "running";
    case RunState::kFinished:
      return "finished";
    case RunState::kStopped:
      return "stopped";
    case RunState::kFailed:
      return "failed";
    case RunState::kInterrupted:
      return "interrupted";
    case RunState::kEmpty:
      return "empty";
  }
  return "";
}

bool looks_like_run(const std::string& dir) {
  std::error_code ec;
  for (const char* file : {"config.json", "metrics.jsonl", "events.jsonl"})
    if (fs::is_regular_file(fs::path(dir) / file, ec)) return true;
  return false;
}

RunSummary scan_run(const std::string& run_dir) {
  RunSummary s;
  std::error_code ec;
  const fs::path dir = fs::absolute(run_dir, ec).lexically_normal();
  s.path = (dir.has_filename() ? dir : dir.parent_path()).string();
  s.name = fs::path(s.path).filename().string();
  if (!fs::is_directory(dir, ec)) {
    s.problems.push_back(s.path + ": no such folder");
    return s;
  }
  const ConfigSeen config = read_config(dir / "config.json", s);
  const EventsSeen events = read_events(dir / "events.jsonl", s.problems);
  read_eval(dir / "eval.json", s);
  const MetricsTail tail = read_metrics_tail((dir / "metrics.jsonl").string(), !s.knn_top1 && config.knn_every > 0);
  s.problems.insert(s.problems.end(), tail.problems.begin(), tail.problems.end());
  s.steps_done = tail.has_step ? tail.step : 0;
  s.final_values = tail.values;
  if (!s.knn_top1) s.knn_top1 = tail.knn_top1;
  s.total_steps = events.total_steps ? *events.total_steps : std::max<int64_t>(config.steps, 0);
  s.started = events.first_started ? *events.first_started : mtime_of(dir / "config.json");
  if (s.started == 0) s.started = mtime_of(dir);
  const fs::path checkpoints = dir / "checkpoints";
  s.has_checkpoint = fs::is_directory(checkpoints, ec) && !fs::is_empty(checkpoints, ec);
  try {
    RunNotes notes = read_run_notes(dir.string());
    s.tags = std::move(notes.tags);
    s.note = std::move(notes.note);
  } catch (const std::exception& e) {
    s.problems.push_back(e.what());
  }
  bool locked = false;
  try {
    const auto lock = read_run_lock(dir.string());
    locked = lock && lock_is_live(*lock);
  } catch (const std::exception& e) {
    s.problems.push_back(e.what());
  }
  if (events.ended == "finished")
    s.state = RunState::kFinished;
  else if (events.ended == "stopped")
    s.state = RunState::kStopped;
  else if (!events.ended.empty())
    s.state = RunState::kFailed;
  else if (locked)
    s.state = RunState::kRunning;
  else if (s.has_checkpoint || tail.has_step)
    s.state = RunState::kInterrupted;
  else
    s.state = RunState::kEmpty;
  return s;
}

std::vector<RunSummary> scan_runs(const std::string& runs_root) {
  std::vector<RunSummary> runs;
  std::error_code ec;
  for (fs::directory_iterator it(runs_root, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_directory(type_ec) && looks_like_run(it->path().string())) runs.push_back(scan_run(it->path().string()));
  }
  std::sort(runs.begin(), runs.end(), [](const RunSummary& a, const RunSummary& b) {
    return a.started != b.started ? a.started > b.started : a.name < b.name;
  });
  return runs;
}

}  // namespace can::runs
