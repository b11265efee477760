#include "core/train/checkpoint_manifest.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/util/json_limits.h"
#include "core/util/sha256.h"

namespace can {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::mutex g_warning_mutex;
std::function<void(const std::string&)> g_warning_handler;
std::set<std::string> g_warned;

}  // namespace

namespace checkpoint_detail {

namespace {

const char* kManifestFormat = "can-checkpoint-manifest";
constexpr int kManifestVersion = 1;
// Bounds on the small files read before anything is verified.
constexpr size_t kMaxManifestBytes = 64 * 1024;
constexpr size_t kMaxStateBytes = 64 * 1024;
constexpr size_t kMaxFileNameBytes = 100;

json parse_small_json(const fs::path& p, size_t max_bytes) {
  const std::string text = read_small(p, max_bytes);
  try {
    return parse_json_bounded(text.data(), text.data() + text.size());
  } catch (const JsonTextError& e) {
    throw damaged(p, e.what());
  }
}

bool is_plain_file_name(const std::string& name) {
  return !name.empty() && name.size() <= kMaxFileNameBytes && name != "." && name != ".." && name != kManifest &&
         name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

bool is_sha256_hex(const std::string& s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string size_mismatch(uint64_t actual, uint64_t expected) {
  return std::to_string(actual) + " bytes, manifest.json says " + std::to_string(expected) +
         " (file truncated or damaged?)";
}

const char* kChecksumMismatch = "checksum mismatch (file damaged?)";

// Size of a regular file; CheckpointError when missing or not a regular file.
uint64_t file_size_of(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) {
    if (errno == ENOENT) throw damaged(p, "missing");
    throw damaged(p, std::string("cannot read: ") + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) throw damaged(p, "not a regular file");
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

std::string read_small(const fs::path& p, size_t max_bytes) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw damaged(p, "cannot open");
  std::string text(max_bytes + 1, '\0');
  f.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (f.bad()) throw damaged(p, "cannot read");
  text.resize(static_cast<size_t>(f.gcount()));
  if (text.size() > max_bytes) throw damaged(p, "larger than " + std::to_string(max_bytes) + " bytes (damaged?)");
  return text;
}

json manifest_json(const fs::path& dir) {
  json files = json::array();
  for (const std::string& name : kCheckpointFiles) {
    uint64_t size = 0;
    const std::string digest = sha256_file_hex((dir / name).string(), &size);
    files.push_back({{"name", name}, {"size", size}, {"sha256", digest}});
  }
  return {{"format", kManifestFormat}, {"version", kManifestVersion}, {"files", files}};
}

void warn(const std::string& line) {
  std::function<void(const std::string&)> handler;
  {
    std::lock_guard<std::mutex> lock(g_warning_mutex);
    if (!g_warned.insert(line).second) return;
    handler = g_warning_handler;
  }
  if (handler)
    handler(line);
  else
    std::fprintf(stderr, "warning: %s\n", line.c_str());
}

std::optional<Manifest> read_manifest(const fs::path& dir) {
  const fs::path path = dir / kManifest;
  std::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    const json state = parse_small_json(dir / "state.json", kMaxStateBytes);
    if (state.is_object() && state.contains("manifest"))
      throw damaged(path, "missing, though state.json says the checkpoint has one (deleted?)");
    warn(dir.string() +
         ": no manifest.json (written before checkpoints carried checksums): its files are read unverified");
    return std::nullopt;
  }
  if (status.type() != fs::file_type::regular) throw damaged(path, "not a regular file");
  const json j = parse_small_json(path, kMaxManifestBytes);
  auto bad = [&](const std::string& what) { return damaged(path, what + " (damaged?)"); };
  if (!j.is_object() || !j.contains("format") || j["format"] != kManifestFormat) throw bad("not a checkpoint manifest");
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int64_t>() != kManifestVersion)
    throw bad("unsupported manifest version");
  if (!j.contains("files") || !j["files"].is_array()) throw bad("no list of files");
  Manifest m;
  for (const json& e : j["files"]) {
    if (!e.is_object() || !e.contains("name") || !e["name"].is_string() || !e.contains("size") ||
        !e["size"].is_number_unsigned() || !e.contains("sha256") || !e["sha256"].is_string())
      throw bad("an entry without name, size and sha256");
    const std::string name = e["name"].get<std::string>();
    if (!is_plain_file_name(name)) throw bad("an entry names " + clip_text(name) + ", not a file of the checkpoint");
    const std::string digest = e["sha256"].get<std::string>();
    if (!is_sha256_hex(digest)) throw bad(name + ": sha256 is not 64 lowercase hex digits");
    if (!m.emplace(name, ManifestEntry{e["size"].get<uint64_t>(), digest}).second) throw bad(name + " listed twice");
  }
  return m;
}

void require_listed(const fs::path& dir, const Manifest& m, const std::vector<std::string>& names) {
  for (const std::string& name : names)
    if (!m.count(name)) throw damaged(dir / name, "not listed in manifest.json (checkpoint incomplete or altered?)");
}

void verify_file(const fs::path& p, const ManifestEntry& e) {
  const uint64_t size = file_size_of(p);
  if (size != e.size) throw damaged(p, size_mismatch(size, e.size));
  uint64_t hashed = 0;
  std::string digest;
  try {
    digest = sha256_file_hex(p.string(), &hashed);
  } catch (const std::runtime_error& ex) {
    throw CheckpointDamaged(ex.what());
  }
  if (hashed != e.size) throw damaged(p, size_mismatch(hashed, e.size));
  if (digest != e.sha256) throw damaged(p, kChecksumMismatch);
}

std::string read_checked(const fs::path& p, const ManifestEntry* e) {
  const uint64_t size = file_size_of(p);
  if (e && size != e->size) throw damaged(p, size_mismatch(size, e->size));
  std::ifstream f(p, std::ios::binary);
  if (!f) throw damaged(p, "cannot open");
  std::string bytes(static_cast<size_t>(size) + 1, '\0');  // one more: a file that grew since stat
  f.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (f.bad()) throw damaged(p, "cannot read");
  bytes.resize(static_cast<size_t>(f.gcount()));
  if (e && bytes.size() != e->size) throw damaged(p, size_mismatch(bytes.size(), e->size));
  if (e && sha256_hex(bytes) != e->sha256) throw damaged(p, kChecksumMismatch);
  return bytes;
}

CheckpointBytes read_checkpoint_bytes(const fs::path& dir) {
  CheckpointBytes out;
  const std::optional<Manifest> m = read_manifest(dir);
  if (m) require_listed(dir, *m, kCheckpointFiles);
  out.verified = m.has_value();
  for (const std::string& name : kCheckpointFiles)
    out.files[name] = read_checked(dir / name, m ? &m->at(name) : nullptr);
  return out;
}

bool verify_files(const fs::path& dir, const std::vector<std::string>& names) {
  const std::optional<Manifest> m = read_manifest(dir);
  if (!m) return false;
  require_listed(dir, *m, names);
  for (const std::string& name : names) verify_file(dir / name, m->at(name));
  return true;
}

}  // namespace checkpoint_detail

void set_checkpoint_warning_handler(std::function<void(const std::string&)> handler) {
  std::lock_guard<std::mutex> lock(g_warning_mutex);
  g_warning_handler = std::move(handler);
}

}  // namespace can
