#pragma once
// The compare view's table of settings: which keys differ between the configs of runs.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace can::runs {

// One key that differs: its value in each config (compact JSON text), nullopt where absent.
struct DiffRow {
  std::string key;  // dotted: "loss.sigma_max"
  std::vector<std::optional<std::string>> values;
};

// The keys of nested objects, flattened to dotted keys; arrays (and every other value) are
// compared whole. Only the rows where the configs differ, sorted by key.
std::vector<DiffRow> config_diff(const std::vector<nlohmann::json>& configs);

// config_diff of RUN/config.json of each run. Throws std::runtime_error naming the file
// that is missing or not JSON.
std::vector<DiffRow> run_config_diff(const std::vector<std::string>& run_dirs);

}  // namespace can::runs
