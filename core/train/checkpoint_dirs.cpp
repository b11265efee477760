#include "core/train/checkpoint_dirs.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/train/checkpoint.h"
#include "core/train/checkpoint_manifest.h"

namespace can {

namespace fs = std::filesystem;

namespace checkpoint_detail {

// Bound on `latest`, a small file read before anything is verified.
constexpr size_t kMaxLatestBytes = 256;

std::string step_name(int64_t step) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "step_%06lld", static_cast<long long>(step));
  return buf;
}

std::optional<int64_t> step_of(const std::string& name) {
  if (name.size() <= 5 || name.size() > 5 + 18 || name.rfind("step_", 0) != 0) return std::nullopt;
  for (size_t i = 5; i < name.size(); ++i)
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
  return std::stoll(name.substr(5));
}

std::vector<std::pair<int64_t, fs::path>> list_checkpoints(const fs::path& dir) {
  std::vector<std::pair<int64_t, fs::path>> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_directory()) continue;
    if (const auto step = step_of(e.path().filename().string())) out.emplace_back(*step, e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> read_latest(const fs::path& dir) {
  const fs::path p = dir / kLatest;
  if (!fs::is_regular_file(p)) return std::nullopt;
  std::string name;
  try {
    name = read_small(p, kMaxLatestBytes);
  } catch (const CheckpointError&) {
    return std::nullopt;
  }
  name.erase(name.find_last_not_of(" \n\r\t") + 1);
  if (!step_of(name)) return std::nullopt;
  return name;
}

void publish_latest(const fs::path& dir, const std::string& name) {
  io::AtomicWriteOptions options;
  options.temp_path = (dir / ".latest.tmp").string();  // hidden: readers and the listing ignore it
  options.sync_directory = true;
  io::write_file_atomic((dir / kLatest).string(), name + "\n", options);
}

void remove_out_of_sight(const fs::path& dir, const std::function<void(const std::string&)>& before_remove) {
  const fs::path hidden = dir.parent_path() / (".del_" + dir.filename().string());
  if (fs::exists(hidden)) fs::remove_all(hidden);
  fs::rename(dir, hidden);
  if (before_remove) before_remove(hidden.string());
  fs::remove_all(hidden);
}

void publish_dir(const fs::path& tmp, const fs::path& final_dir) {
  if (!fs::exists(final_dir)) {
    fs::rename(tmp, final_dir);
    return;
  }
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, final_dir.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(tmp);
    return;
  }
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    throw std::runtime_error(final_dir.string() + ": cannot replace: " + std::strerror(errno));
  // A file system without the exchange: out of sight first; a crash between the two renames
  // leaves the name missing (resume then takes the previous checkpoint), never half-written.
  remove_out_of_sight(final_dir);
  fs::rename(tmp, final_dir);
}

}  // namespace checkpoint_detail
}  // namespace can
