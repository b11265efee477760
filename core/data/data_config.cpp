#include "core/data/data_config.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "core/util/json_fields.h"
#include "core/util/json_limits.h"
#include "core/util/number_text.h"

namespace can::data {

namespace {

const char* kDefaultFashionMnist = "/usr/share/datasets/fashion-mnist";

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument("data." + key + ": " + why);
}

struct Stats {
  std::vector<float> mean, std;
};

// Per-channel statistics of each dataset's training split, in [0,1] pixel units.
Stats dataset_stats(const std::string& dataset, int64_t channels) {
  Stats s;
  if (dataset == "fashion-mnist") s = {{0.2860f}, {0.3530f}};
  else if (dataset == "mnist") s = {{0.1307f}, {0.3081f}};
  else if (dataset == "cifar10") s = {{0.4914f, 0.4822f, 0.4465f}, {0.2470f, 0.2435f, 0.2616f}};
  else if (dataset == "cifar100") s = {{0.5071f, 0.4865f, 0.4409f}, {0.2673f, 0.2564f, 0.2762f}};
  else s = {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};  // ImageNet, for folders
  if (static_cast<int64_t>(s.mean.size()) == channels) return s;
  // The run forces another channel count: gray from colour statistics takes their mean,
  // colour from gray statistics repeats them.
  float m = 0, d = 0;
  for (size_t i = 0; i < s.mean.size(); ++i) m += s.mean[i], d += s.std[i];
  m /= static_cast<float>(s.mean.size());
  d /= static_cast<float>(s.std.size());
  return {std::vector<float>(static_cast<size_t>(channels), m), std::vector<float>(static_cast<size_t>(channels), d)};
}

}  // namespace

void AugmentConfig::apply_preset(const std::string& name) {
  const AugmentConfig simclr;  // the defaults are the SimCLR recipe
  if (name == "simclr") {
    *this = simclr;
  } else if (name == "mae") {
    // MAE pretraining: RandomResizedCrop(scale=(0.2, 1.0)) + RandomHorizontalFlip only.
    *this = simclr;
    crop_scale_min = 0.2;
    jitter_prob = 0.0;
    grayscale_prob = 0.0;
    blur_prob = 0.0;
  } else if (name == "none") {
    *this = simclr;
    random_crop = false;
    hflip_prob = 0.0;
    jitter_prob = 0.0;
    grayscale_prob = 0.0;
    blur_prob = 0.0;
  } else {
    throw std::invalid_argument("data.augment.preset: unknown preset '" + clip_text(name) + "' (expected simclr, mae or none)");
  }
  preset = name;
}

void AugmentConfig::validate() const {
  // The ranges that combine two keys; each key's own range is the settings schema's
  // (RunConfig::validate). The loader calls this for an AugmentConfig built in code too,
  // so the bounds the sampling code relies on are kept here.
  if (!(crop_scale_min > 0.0 && crop_scale_min <= crop_scale_max && crop_scale_max <= 1.0))
    fail("augment.crop_scale_min", "need 0 < crop_scale_min <= crop_scale_max <= 1, got " +
                                       number_text(crop_scale_min) + " and " + number_text(crop_scale_max));
  if (!(crop_ratio_min > 0.0 && crop_ratio_min <= crop_ratio_max))
    fail("augment.crop_ratio_min", "need 0 < crop_ratio_min <= crop_ratio_max, got " + number_text(crop_ratio_min) +
                                       " and " + number_text(crop_ratio_max));
  if (!(blur_sigma_min > 0 && blur_sigma_min <= blur_sigma_max))
    fail("augment.blur_sigma_min", "need 0 < blur_sigma_min <= blur_sigma_max, got " + number_text(blur_sigma_min) +
                                       " and " + number_text(blur_sigma_max));
}

void DataConfig::validate() const {
  if (path.empty() && dataset != "fashion-mnist")
    fail("path", "must be set for dataset '" + clip_text(dataset) + "' (only fashion-mnist has a default)");
  if (channels != 0 && channels != 1 && channels != 3)
    fail("channels", "must be 0 (follow the data), 1 or 3, got " + std::to_string(channels));
  if (val_images < 0) fail("val_images", "must be >= 0, got " + std::to_string(val_images));
  if (mean.size() != std.size())
    fail("mean", "has " + std::to_string(mean.size()) + " values but data.std has " + std::to_string(std.size()));
  if (!mean.empty() && mean.size() != 1 && mean.size() != 3)
    fail("mean", "needs 1 or 3 values (one per channel), got " + std::to_string(mean.size()));
  augment.validate();
}

std::string DataConfig::resolved_path() const {
  return path.empty() && dataset == "fashion-mnist" ? kDefaultFashionMnist : path;
}

std::vector<float> DataConfig::resolved_mean(int64_t run_channels) const {
  if (static_cast<int64_t>(mean.size()) == run_channels) return mean;
  if (!mean.empty())
    fail("mean", "has " + std::to_string(mean.size()) + " values but the data has " + std::to_string(run_channels) + " channels");
  return dataset_stats(dataset, run_channels).mean;
}

std::vector<float> DataConfig::resolved_std(int64_t run_channels) const {
  if (static_cast<int64_t>(std.size()) == run_channels) return std;
  if (!std.empty())
    fail("std", "has " + std::to_string(std.size()) + " values but the data has " + std::to_string(run_channels) + " channels");
  return dataset_stats(dataset, run_channels).std;
}

#define CAN_AUGMENT_FIELDS(X)                                                                              \
  X(random_crop) X(crop_scale_min) X(crop_scale_max) X(crop_ratio_min) X(crop_ratio_max) X(hflip_prob)     \
  X(jitter_prob) X(brightness) X(contrast) X(saturation) X(hue) X(grayscale_prob) X(blur_prob)             \
  X(blur_sigma_min) X(blur_sigma_max) X(blur_kernel_frac) X(blur_min_size)

void to_json(nlohmann::json& j, const AugmentConfig& c) {
  j = nlohmann::json::object();
  j["preset"] = c.preset;
#define X(f) j[#f] = c.f;
  CAN_AUGMENT_FIELDS(X)
#undef X
}

void from_json(const nlohmann::json& j, AugmentConfig& c) {
  // A preset first, then explicit keys override it: {"preset": "mae", "hflip_prob": 0}.
  if (j.contains("preset")) c.apply_preset(j.at("preset").get<std::string>());
#define X(f) read_if_present(j, #f, c.f);
  CAN_AUGMENT_FIELDS(X)
#undef X
}

void to_json(nlohmann::json& j, const DataConfig& c) {
  j = nlohmann::json{{"dataset", c.dataset},
                     {"path", c.path},
                     {"channels", c.channels},
                     {"val_images", c.val_images},
                     {"min_image_side", c.min_image_side},
                     {"num_workers", c.num_workers},
                     {"prefetch_batches", c.prefetch_batches},
                     {"mean", c.mean},
                     {"std", c.std},
                     {"augment", c.augment}};
}

void from_json(const nlohmann::json& j, DataConfig& c) {
  read_if_present(j, "dataset", c.dataset);
  read_if_present(j, "path", c.path);
  read_if_present(j, "channels", c.channels);
  read_if_present(j, "val_images", c.val_images);
  read_if_present(j, "min_image_side", c.min_image_side);
  read_if_present(j, "num_workers", c.num_workers);
  read_if_present(j, "prefetch_batches", c.prefetch_batches);
  read_if_present(j, "mean", c.mean);
  read_if_present(j, "std", c.std);
  read_if_present(j, "augment", c.augment);
}

}  // namespace can::data
