#include "core/train/event_log.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <stdexcept>

#include "core/util/json_limits.h"

namespace can {

namespace {
// One line, flushed: a killed run keeps every event written before it.
void write_line(std::ofstream& out, const nlohmann::json& j) {
  out << j.dump() << '\n';
  out.flush();
}
}  // namespace

EventLog::EventLog(const std::string& path) : out_(path, std::ios::app) {
  if (!out_) throw std::runtime_error(path + ": cannot open for writing");
}

void EventLog::setting_changed(const SettingChange& c) {
  write_line(out_, {{"type", "setting_changed"}, {"step", c.step}, {"key", c.key}, {"from", c.from}, {"to", c.to}});
}

void EventLog::checkpoint(int64_t step, const std::string& path) {
  write_line(out_, {{"type", "checkpoint"}, {"step", step}, {"path", path}});
}

void EventLog::error(int64_t step, const std::string& message) {
  write_line(out_, {{"type", "error"}, {"step", step}, {"message", message}});
}

void EventLog::run_started(int64_t step, int64_t total_steps, const std::string& mode) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char iso[32];
  std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &utc);
  write_line(out_, {{"type", "run_started"},
                    {"step", step},
                    {"total_steps", total_steps},
                    {"unix_time", int64_t{now}},
                    {"time", iso},
                    {"mode", mode}});
}

void EventLog::snapshot_failed(int64_t step, const std::string& message) {
  write_line(out_, {{"type", "snapshot_failed"}, {"step", step}, {"message", message}});
}

void EventLog::run_ended(int64_t step, const std::string& status) {
  write_line(out_, {{"type", "run_ended"}, {"step", step}, {"status", status}});
}

std::vector<SettingChange> read_setting_changes(const std::string& path, int64_t last_step) {
  std::vector<SettingChange> changes;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    try {
      const nlohmann::json j = parse_json_bounded(line.data(), line.data() + line.size());
      if (!j.is_object() || j.value("type", std::string()) != "setting_changed") continue;
      SettingChange c{j.at("step").get<int64_t>(), j.at("key").get<std::string>(), j.at("from").get<double>(),
                      j.at("to").get<double>()};
      if (last_step < 0 || c.step <= last_step) changes.push_back(std::move(c));
    } catch (const std::exception&) {
      continue;  // torn or foreign line
    }
  }
  return changes;
}

}  // namespace can
