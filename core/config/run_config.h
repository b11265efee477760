#pragma once
// The whole configuration of a training run: model, objectives, loss settings, data and
// optimisation. The studio, can-train, checkpoints and docs/config.md share these keys:
// "model.patch_size", "objectives.mode", "loss.tau", "data.path", "train.batch_size"...

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/data/data_config.h"
#include "core/config/objectives.h"
#include "core/config/train_config.h"
#include "core/model/model_config.h"

namespace can {

struct RunConfig {
  ModelConfig model;
  std::string mode = "can";  // objectives.mode: can|mae|simclr|custom (see apply_mode)
  Objectives objectives;
  LossParams loss;
  data::DataConfig data;
  TrainConfig train;
  // The keys given explicitly (in a file or by set_key): a later objectives.mode keeps
  // their values instead of its own (loss.mask_ratio; the augmentation keys). Not saved.
  std::set<std::string> explicit_keys;

  // Sets one key from its text form, as --set key=value does (the key and its type come from
  // the settings schema, core/config/settings_schema.h). Lists take "0.9,0.95" or
  // JSON. Throws std::invalid_argument starting with the key for an unknown key or a value
  // of the wrong type; impossible values are caught by validate().
  void set_key(const std::string& key, const std::string& value);
  // Every section's own validate() plus the cross-section rules (channels, batch vs InfoNCE).
  void validate() const;
};

// The data config a run opens its training split with: data.min_image_side raised to
// model.patch_size (an image smaller than one patch cannot be cropped into patches).
// The Trainer applies the same rule when it opens the data itself.
data::DataConfig training_data_config(const RunConfig& config);

void to_json(nlohmann::json& j, const RunConfig& c);
// Sections and keys may be missing (defaults stay); unknown keys throw with their full name.
// Within "objectives", mode is applied first, explicit flags then override it (the mode
// becomes "custom" when they change it); an explicit loss.mask_ratio always wins over the mode's.
void from_json(const nlohmann::json& j, RunConfig& c);

// Config files larger than this are refused before parsing (a full config is ~2 KiB).
constexpr size_t kMaxConfigFileBytes = size_t{1} << 20;  // 1 MiB

// Throws std::invalid_argument naming the file when it cannot be read, is larger than
// kMaxConfigFileBytes, is not JSON, or nests arrays/objects deeper than kMaxJsonDepth (64,
// core/util/json_limits.h); a bad key or value throws as from_json does, naming the key.
RunConfig load_run_config_file(const std::string& path);
// What load_run_config_file does with the text it read; `path` only names it in errors.
RunConfig parse_run_config_text(std::string_view text, const std::string& path);
void save_run_config_file(const RunConfig& config, const std::string& path);

}  // namespace can
