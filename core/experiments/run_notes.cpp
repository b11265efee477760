#include "core/experiments/run_notes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/experiments/run_lock.h"
#include "core/experiments/run_scan.h"
#include "core/io/atomic_file.h"
#include "core/util/json_limits.h"

namespace can::runs {

namespace fs = std::filesystem;

namespace {

std::string trimmed_tag(const std::string& s) {
  const char* space = " \t\r\n\f\v";
  const size_t b = s.find_first_not_of(space);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(space) - b + 1);
}

}  // namespace

RunNotes read_run_notes(const std::string& run_dir) {
  const fs::path path = fs::path(run_dir) / "notes.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return {};
    throw std::runtime_error(path.string() + ": cannot be read");
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  RunNotes notes;
  try {
    const nlohmann::json j = parse_json_bounded(s.data(), s.data() + s.size());
    if (!j.is_object()) throw JsonTextError("expected an object {\"tags\": [...], \"note\": \"...\"}");
    if (auto it = j.find("tags"); it != j.end()) {
      if (!it->is_array()) throw JsonTextError("\"tags\" is not a list");
      for (const auto& t : *it) {
        if (!t.is_string()) throw JsonTextError("\"tags\" holds a value that is not text");
        notes.tags.push_back(t.get<std::string>());
      }
    }
    if (auto it = j.find("note"); it != j.end()) {
      if (!it->is_string()) throw JsonTextError("\"note\" is not text");
      notes.note = it->get<std::string>();
    }
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
  return notes;
}

void write_run_notes(const std::string& run_dir, const RunNotes& notes) {
  const fs::path path = fs::path(run_dir) / "notes.json";
  nlohmann::json tags = nlohmann::json::array();
  std::vector<std::string> seen;
  for (const std::string& raw : notes.tags) {
    const std::string tag = trimmed_tag(raw);
    if (tag.empty() || std::find(seen.begin(), seen.end(), tag) != seen.end()) continue;
    seen.push_back(tag);
    tags.push_back(tag);
  }
  std::string text;
  try {  // dump() refuses text that is not UTF-8
    text = nlohmann::json{{"tags", tags}, {"note", notes.note}}.dump(2) + "\n";
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error(path.string() + ": a tag or the note is not UTF-8 text");
  }
  io::write_file_atomic(path.string(), text);
}

void remove_run(const std::string& run_dir) {
  if (!looks_like_run(run_dir))
    throw std::runtime_error(run_dir +
                             ": not a run folder (no config.json, metrics.jsonl or events.jsonl); not deleted");
  if (run_is_locked(run_dir)) throw std::runtime_error(run_dir + ": the run is running (run.lock); stop it first");
  std::error_code ec;
  fs::remove_all(run_dir, ec);
  if (ec) throw std::runtime_error(run_dir + ": cannot delete: " + ec.message());
}

}  // namespace can::runs
