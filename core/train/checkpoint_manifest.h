#pragma once
// A checkpoint's manifest.json (internal to core/train/checkpoint.cpp): writing it (every
// other file's name, size and SHA-256), reading it back, and checking a checkpoint's files
// against it before any of their bytes reach LibTorch, whose unpickler is not hardened (a
// damaged optimizer.pt crashed the process). What is found wrong here is damage
// (CheckpointDamaged: the bytes on disk are not those the writer wrote), which a resume of a
// run directory answers by falling back to an older checkpoint. Also where the warnings go
// that no caller collects (set_checkpoint_warning_handler), the first being a checkpoint
// written before manifests, read unverified.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/train/checkpoint.h"

namespace can::checkpoint_detail {

inline constexpr const char* kManifest = "manifest.json";
// Every file a checkpoint holds besides its manifest, in the order they are written.
inline const std::vector<std::string> kCheckpointFiles = {"model.pt", "optimizer.pt", "rng.pt", "state.json",
                                                          "config.json"};

// Damage: the bytes on disk are not those the writer wrote (or the manifest says so).
inline CheckpointDamaged damaged(const std::filesystem::path& file, const std::string& problem) {
  return CheckpointDamaged(file.string() + ": " + problem);
}

// A whole small file, refused (CheckpointError) when missing, unreadable or larger than max_bytes.
std::string read_small(const std::filesystem::path& p, size_t max_bytes);

struct ManifestEntry {
  uint64_t size = 0;
  std::string sha256;  // 64 lowercase hex digits
};
using Manifest = std::map<std::string, ManifestEntry>;

// The manifest of the files of kCheckpointFiles in dir, as they are on disk.
nlohmann::json manifest_json(const std::filesystem::path& dir);

// A warning to the handler (set_checkpoint_warning_handler), each distinct line once.
void warn(const std::string& line);

// The manifest of a checkpoint directory; nullopt for a checkpoint written before manifests
// (no manifest.json, and a state.json without the "manifest" key that announces one),
// after warning once. Throws CheckpointError for a manifest that is missing though
// announced, or malformed.
std::optional<Manifest> read_manifest(const std::filesystem::path& dir);

// Checks that the manifest lists every file in `names`.
void require_listed(const std::filesystem::path& dir, const Manifest& m, const std::vector<std::string>& names);

// Hashes one file as it streams by, against its manifest entry.
void verify_file(const std::filesystem::path& p, const ManifestEntry& e);

// A whole file in memory, checked against its manifest entry when there is one. The
// bytes returned are the bytes checked: nothing reads the file again.
std::string read_checked(const std::filesystem::path& p, const ManifestEntry* e);

// Every file of a checkpoint in memory, verified when it has a manifest.
struct CheckpointBytes {
  bool verified = false;
  std::map<std::string, std::string> files;
};

CheckpointBytes read_checkpoint_bytes(const std::filesystem::path& dir);

// Verifies (without keeping) the files in `names` of a checkpoint; false when it has no
// manifest.
bool verify_files(const std::filesystem::path& dir, const std::vector<std::string>& names);

}  // namespace can::checkpoint_detail
