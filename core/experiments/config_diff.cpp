#include "core/experiments/config_diff.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "core/util/json_limits.h"

namespace can::runs {

namespace {

// Every leaf of nested objects under its dotted key, as compact JSON text. An empty object
// is a value of its own ("{}"), so that {} against absent still shows.
void flatten_config(const nlohmann::json& j, const std::string& prefix, std::map<std::string, std::string>& out) {
  if (j.is_object() && !j.empty()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      flatten_config(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    return;
  }
  out[prefix] = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // a caller's bad UTF-8 too
}

}  // namespace

std::vector<DiffRow> config_diff(const std::vector<nlohmann::json>& configs) {
  std::vector<std::map<std::string, std::string>> flat(configs.size());
  std::map<std::string, bool> keys;  // sorted, each once
  for (size_t i = 0; i < configs.size(); ++i) {
    flatten_config(configs[i], "", flat[i]);
    for (const auto& kv : flat[i]) keys[kv.first] = true;
  }
  std::vector<DiffRow> rows;
  for (const auto& kv : keys) {
    DiffRow row{kv.first, {}};
    bool differs = false;
    for (const auto& f : flat) {
      const auto it = f.find(kv.first);
      row.values.push_back(it == f.end() ? std::nullopt : std::optional<std::string>(it->second));
      differs = differs || row.values.back() != row.values.front();
    }
    if (differs) rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<DiffRow> run_config_diff(const std::vector<std::string>& run_dirs) {
  std::vector<nlohmann::json> configs;
  for (const std::string& dir : run_dirs) {
    const std::string path = (std::filesystem::path(dir) / "config.json").string();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    try {
      configs.push_back(parse_json_bounded(s.data(), s.data() + s.size()));
    } catch (const std::exception& e) {
      throw std::runtime_error(path + ": " + e.what());
    }
  }
  return config_diff(configs);
}

}  // namespace can::runs
