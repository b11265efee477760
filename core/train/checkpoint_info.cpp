#include "core/train/checkpoint_info.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/train/checkpoint.h"
#include "core/util/json_limits.h"

namespace can {

namespace fs = std::filesystem;

std::string run_dir_of_checkpoint(const std::string& path) {
  if (path.empty()) return "";
  const fs::path p = fs::path(path).lexically_normal();
  std::error_code ec;
  if (fs::is_directory(p / "checkpoints", ec)) return path;
  const fs::path dir = p.has_filename() ? p : p.parent_path();  // "RUN/checkpoints/step_1/"
  const fs::path parent = dir.parent_path();
  if (parent.filename() != "checkpoints") return "";
  return parent.parent_path().empty() ? std::string(".") : parent.parent_path().string();
}

int64_t checkpoint_step(const std::string& checkpoint_or_run) {
  // state.json is a few hundred bytes; the bound is the one the checkpoint reader uses.
  constexpr std::streamsize kMaxStateBytes = 64 * 1024;
  const std::string path = resolve_checkpoint(checkpoint_or_run) + "/state.json";
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(path + ": cannot open");
  std::string text(static_cast<size_t>(kMaxStateBytes) + 1, '\0');
  f.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(f.gcount()));
  if (static_cast<std::streamsize>(text.size()) > kMaxStateBytes) throw std::runtime_error(path + ": too large");
  nlohmann::json state;
  try {
    state = parse_json_bounded(text.data(), text.data() + text.size());
  } catch (const JsonTextError& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  if (!state.is_object() || !state.contains("step") || !state["step"].is_number_integer() ||
      state["step"].get<int64_t>() < 0)
    throw std::runtime_error(path + ": no valid \"step\"");
  return state["step"].get<int64_t>();
}

}  // namespace can
