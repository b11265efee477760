#pragma once
// The checkpoints folder of a run, as names and renames (internal to core/train/checkpoint.cpp):
// the step_ directories it publishes, the `latest` pointer naming the newest, and how a
// directory is published or deleted so that no reader ever sees half of one (a rename into
// place, an atomic exchange for a re-save, a rename out of sight before a removal; `latest`
// through io/atomic_file). Apart from the save and load logic because it is the same for every
// file a checkpoint holds and never reads their contents.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace can::checkpoint_detail {

inline constexpr const char* kLatest = "latest";

std::string step_name(int64_t step);

// "step_" followed by 1 to 18 digits: the only names a checkpoints folder publishes.
std::optional<int64_t> step_of(const std::string& name);

// step_ directories of a checkpoints folder, oldest first.
std::vector<std::pair<int64_t, std::filesystem::path>> list_checkpoints(const std::filesystem::path& dir);

// The directory name `latest` holds, when it holds a valid one.
std::optional<std::string> read_latest(const std::filesystem::path& dir);

// Atomically replaces `latest` with the name of a checkpoint directory.
void publish_latest(const std::filesystem::path& dir, const std::string& name);

// Deletes a checkpoint directory so that no reader sees half of it: renamed to a hidden
// name first (atomic), then removed; a crash mid-removal leaves only a hidden leftover,
// cleared by the next save.
void remove_out_of_sight(const std::filesystem::path& dir,
                         const std::function<void(const std::string&)>& before_remove = nullptr);

// Moves a complete checkpoint directory `tmp` to `final_dir`. When final_dir exists (a
// re-save of the same step) the two are swapped atomically (renameat2 RENAME_EXCHANGE), so
// the name always holds a complete checkpoint, and the old one is removed from tmp's name.
void publish_dir(const std::filesystem::path& tmp, const std::filesystem::path& final_dir);

}  // namespace can::checkpoint_detail
