#include "core/experiments/sweep.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/experiments/metrics_tail.h"
#include "core/experiments/run_scan.h"
#include "core/util/json_limits.h"

namespace can::sweep {

namespace fs = std::filesystem;

GridAxis parse_axis(const std::string& spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    throw std::invalid_argument("--grid " + clip_text(spec) + ": expected key=value1,value2,...");
  GridAxis axis{spec.substr(0, eq), {}};
  // Commas separate values, except inside brackets (a list value).
  std::string value;
  int depth = 0;
  for (char c : spec.substr(eq + 1)) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == ',' && depth == 0) {
      axis.values.push_back(value);
      value.clear();
    } else {
      value += c;
    }
  }
  axis.values.push_back(value);
  for (const std::string& v : axis.values)
    if (v.empty()) throw std::invalid_argument(axis.key + ": an empty value in the grid '" + clip_text(spec) + "'");
  return axis;
}

std::vector<Point> expand(const RunConfig& base, const std::vector<GridAxis>& axes,
                          const std::vector<uint64_t>& seeds) {
  if (axes.empty() && seeds.empty())
    throw std::invalid_argument("the grid is empty: give at least one --grid or --seeds");
  std::set<std::string> keys;
  for (const GridAxis& a : axes) {
    if (!keys.insert(a.key).second) throw std::invalid_argument(a.key + ": given twice in the grid");
    if (a.key == "train.seed" && !seeds.empty())
      throw std::invalid_argument("train.seed: in the grid and in --seeds; give the seeds once");
  }
  std::vector<GridAxis> all = axes;
  if (!seeds.empty()) {
    GridAxis s{"train.seed", {}};
    for (uint64_t seed : seeds) s.values.push_back(std::to_string(seed));
    all.push_back(s);
  }
  // Each value alone first, so that the message names the key and value that is wrong
  // rather than the first combination that happens to contain it.
  for (const GridAxis& a : all)
    for (const std::string& v : a.values) {
      RunConfig c = base;
      c.set_key(a.key, v);
      c.validate();
    }
  std::vector<Point> points;
  std::vector<size_t> at(all.size(), 0);
  while (true) {
    Point p;
    p.config = base;
    for (size_t i = 0; i < all.size(); ++i) {
      const std::string& v = all[i].values[at[i]];
      p.config.set_key(all[i].key, v);
      p.settings.emplace_back(all[i].key, v);
      p.name += (p.name.empty() ? "" : "_") + all[i].key + "=" + v;
    }
    p.config.validate();  // combinations too (a batch with a patch size...)
    for (char& c : p.name)
      if (c == '/' || c == ' ' || c == '[' || c == ']' || c == ',') c = c == ',' ? '+' : '-';
    points.push_back(std::move(p));
    size_t i = all.size();
    while (i > 0 && ++at[i - 1] == all[i - 1].values.size()) at[--i] = 0;
    if (i == 0) break;
  }
  return points;
}

RunStatus run_status(const std::string& run_dir) {
  // The runs browser's reading of the folder (one place reads a run's status), mapped to
  // what a sweep does next: a stopped or killed run with a checkpoint resumes.
  const runs::RunSummary run = runs::scan_run(run_dir);
  if (run.state == runs::RunState::kFinished) return RunStatus::kFinished;
  if (run.state == runs::RunState::kFailed) return RunStatus::kFailed;
  return run.has_checkpoint ? RunStatus::kInterrupted : RunStatus::kNotStarted;
}

const char* status_name(RunStatus s) {
  switch (s) {
    case RunStatus::kNotStarted:
      return "not started";
    case RunStatus::kInterrupted:
      return "interrupted";
    case RunStatus::kFinished:
      return "finished";
    case RunStatus::kFailed:
      return "failed";
  }
  return "";
}

std::map<std::string, double> final_losses(const std::string& run_dir) {
  const runs::MetricsTail tail = runs::read_metrics_tail((fs::path(run_dir) / "metrics.jsonl").string(), false);
  if (!tail.has_step) return {};
  std::map<std::string, double> values = tail.values;
  values["step"] = double(tail.step);
  return values;
}

std::string summary_markdown(const std::vector<Row>& rows) {
  // Grid points in the order first seen; the value columns every row has some of.
  std::vector<std::string> points, setting_keys, columns;
  std::map<std::string, std::vector<const Row*>> by_point;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> point_settings;
  for (const Row& r : rows) {
    std::vector<std::pair<std::string, std::string>> s;
    std::string id;
    for (const auto& [k, v] : r.settings) {
      if (k == "train.seed") continue;
      s.emplace_back(k, v);
      id += k + "=" + v + ";";
      if (std::find(setting_keys.begin(), setting_keys.end(), k) == setting_keys.end()) setting_keys.push_back(k);
    }
    if (!by_point.count(id)) points.push_back(id), point_settings[id] = s;
    by_point[id].push_back(&r);
    for (const auto& [k, v] : r.values)
      if (k != "step" && std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
  }
  std::ostringstream md;
  md << "|";
  for (const auto& k : setting_keys) md << " " << k << " |";
  md << " seeds |";
  for (const auto& c : columns) md << " " << c << " |";
  md << "\n|";
  for (size_t i = 0; i < setting_keys.size() + 1 + columns.size(); ++i) md << "---|";
  md << "\n";
  char buf[96];
  for (const std::string& id : points) {
    md << "|";
    for (const auto& k : setting_keys) {
      std::string v;
      for (const auto& [sk, sv] : point_settings[id])
        if (sk == k) v = sv;
      md << " " << v << " |";
    }
    md << " " << by_point[id].size() << " |";
    for (const auto& c : columns) {
      std::vector<double> xs;
      for (const Row* r : by_point[id])
        if (auto it = r->values.find(c); it != r->values.end()) xs.push_back(it->second);
      if (xs.empty()) {
        md << " |";
        continue;
      }
      double mean = 0;
      for (double x : xs) mean += x / xs.size();
      if (xs.size() == 1) {
        std::snprintf(buf, sizeof buf, "%.4g", mean);
      } else {
        double ss = 0;
        for (double x : xs) ss += (x - mean) * (x - mean);
        std::snprintf(buf, sizeof buf, "%.4g ± %.2g", mean, std::sqrt(ss / (xs.size() - 1)));
      }
      md << " " << buf << " |";
    }
    md << "\n";
  }
  return md.str();
}

}  // namespace can::sweep
