#include "core/data/data_config.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "core/config/json_fields.h"
#include "core/util/json_limits.h"

namespace can::data {

namespace {

const char* kDefaultFashionMnist = "/usr/share/datasets/fashion-mnist";

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument("data." + key + ": " + why);
}

void check_unit(const std::string& key, double v) {
  if (!(v >= 0.0 && v <= 1.0)) fail(key, "must be a probability in [0, 1], got " + std::to_string(v));
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
  if (preset != "simclr" && preset != "mae" && preset != "none")
    fail("augment.preset", "unknown preset '" + clip_text(preset) + "' (expected simclr, mae or none)");
  if (!(crop_scale_min > 0.0 && crop_scale_min <= crop_scale_max && crop_scale_max <= 1.0))
    fail("augment.crop_scale_min", "need 0 < crop_scale_min <= crop_scale_max <= 1, got " +
                                       std::to_string(crop_scale_min) + " and " + std::to_string(crop_scale_max));
  if (!(crop_ratio_min > 0.0 && crop_ratio_min <= crop_ratio_max))
    fail("augment.crop_ratio_min", "need 0 < crop_ratio_min <= crop_ratio_max, got " +
                                       std::to_string(crop_ratio_min) + " and " + std::to_string(crop_ratio_max));
  check_unit("augment.hflip_prob", hflip_prob);
  check_unit("augment.jitter_prob", jitter_prob);
  check_unit("augment.grayscale_prob", grayscale_prob);
  check_unit("augment.blur_prob", blur_prob);
  if (!(brightness >= 0)) fail("augment.brightness", "must be >= 0");
  if (!(contrast >= 0)) fail("augment.contrast", "must be >= 0");
  if (!(saturation >= 0)) fail("augment.saturation", "must be >= 0");
  if (!(hue >= 0 && hue <= 0.5)) fail("augment.hue", "must be in [0, 0.5], got " + std::to_string(hue));
  if (!(blur_sigma_min > 0 && blur_sigma_min <= blur_sigma_max))
    fail("augment.blur_sigma_min", "need 0 < blur_sigma_min <= blur_sigma_max");
  if (!(blur_kernel_frac > 0 && blur_kernel_frac <= 1)) fail("augment.blur_kernel_frac", "must be in (0, 1]");
  if (blur_min_size < 0) fail("augment.blur_min_size", "must be >= 0");
}

void DataConfig::validate() const {
  if (dataset != "fashion-mnist" && dataset != "mnist" && dataset != "cifar10" && dataset != "cifar100" &&
      dataset != "folder")
    fail("dataset", "unknown dataset '" + clip_text(dataset) + "' (expected fashion-mnist, mnist, cifar10, cifar100 or folder)");
  if (path.empty() && dataset != "fashion-mnist")
    fail("path", "must be set for dataset '" + clip_text(dataset) + "' (only fashion-mnist has a default)");
  if (channels != 0 && channels != 1 && channels != 3)
    fail("channels", "must be 0 (follow the data), 1 or 3, got " + std::to_string(channels));
  if (min_image_side < 0) fail("min_image_side", "must be >= 0");
  if (num_workers < 0) fail("num_workers", "must be >= 0, got " + std::to_string(num_workers));
  if (prefetch_batches < 1) fail("prefetch_batches", "must be >= 1, got " + std::to_string(prefetch_batches));
  if (mean.size() != std.size())
    fail("mean", "has " + std::to_string(mean.size()) + " values but data.std has " + std::to_string(std.size()));
  if (!mean.empty() && mean.size() != 1 && mean.size() != 3)
    fail("mean", "needs 1 or 3 values (one per channel), got " + std::to_string(mean.size()));
  for (float s : std)
    if (!(s > 0)) fail("std", "every value must be positive");
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
  read_if_present(j, "min_image_side", c.min_image_side);
  read_if_present(j, "num_workers", c.num_workers);
  read_if_present(j, "prefetch_batches", c.prefetch_batches);
  read_if_present(j, "mean", c.mean);
  read_if_present(j, "std", c.std);
  read_if_present(j, "augment", c.augment);
}

}  // namespace can::data
