#include "core/experiments/run_lock.h"

#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/util/json_limits.h"

namespace can::runs {

namespace fs = std::filesystem;

namespace {
fs::path run_lock_path(const std::string& run_dir) { return fs::path(run_dir) / "run.lock"; }
}  // namespace

std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

RunLock::RunLock(const std::string& run_dir) : path_(run_lock_path(run_dir).string()) {
  const nlohmann::json j = {
      {"pid", int64_t{::getpid()}}, {"host", this_host()}, {"started", int64_t{std::time(nullptr)}}};
  io::write_file_atomic(path_, j.dump() + "\n");
}

RunLock::~RunLock() {
  // Only our own: a second process that (wrongly) took over the folder keeps its lock.
  try {
    const auto lock = read_run_lock(fs::path(path_).parent_path().string());
    if (lock && lock->pid == ::getpid() && lock->host == this_host()) {
      std::error_code ec;
      fs::remove(path_, ec);
    }
  } catch (const std::exception&) {
    // a lock we cannot read is not ours to remove
  }
}

std::optional<LockInfo> read_run_lock(const std::string& run_dir) {
  const fs::path path = run_lock_path(run_dir);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    throw std::runtime_error(path.string() + ": cannot be read");
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  try {
    const nlohmann::json j = parse_json_bounded(s.data(), s.data() + s.size());
    if (!j.is_object() || !j.contains("pid") || !j["pid"].is_number_integer())
      throw JsonTextError("not a lock (no \"pid\")");
    LockInfo lock;
    lock.pid = j["pid"].get<int64_t>();
    if (j.contains("host") && j["host"].is_string()) lock.host = j["host"].get<std::string>();
    if (j.contains("started") && j["started"].is_number_integer()) lock.started = j["started"].get<int64_t>();
    return lock;
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
}

bool lock_is_live(const LockInfo& lock) {
  if (!lock.host.empty() && lock.host != this_host()) return true;  // cannot tell from here
  if (lock.pid <= 0 || lock.pid > INT32_MAX) return false;          // kill(0) or kill(-1) would mean a group
  return ::kill(static_cast<pid_t>(lock.pid), 0) == 0 || errno == EPERM;
}

bool run_is_locked(const std::string& run_dir) {
  try {
    const auto lock = read_run_lock(run_dir);
    return lock && lock_is_live(*lock);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace can::runs
