#pragma once
// What data a run reads and how its views are made: the "data" section of a run config.
// One commented line per field; every augmentation parameter of the SimCLR recipe
// (docs/method.md step 1) is a key. JSON keys are the field names.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace can::data {

// Two-view augmentation. Defaults are SimCLR's (torchvision names in brackets).
struct AugmentConfig {
  std::string preset = "simclr";  // simclr|mae|none: apply_preset() sets the fields below; from_json applies it before explicit keys
  bool random_crop = true;        // RandomResizedCrop at source resolution; false = whole image resized
  double crop_scale_min = 0.08;   // smallest crop area, fraction of the source image [scale]
  double crop_scale_max = 1.0;    // largest crop area, fraction of the source image
  double crop_ratio_min = 3.0 / 4.0;  // smallest crop aspect ratio w/h, sampled log-uniformly [ratio]
  double crop_ratio_max = 4.0 / 3.0;  // largest crop aspect ratio w/h
  double hflip_prob = 0.5;        // probability of a horizontal flip
  double jitter_prob = 0.8;       // probability of applying colour jitter [RandomApply p]
  double brightness = 0.8;        // brightness factor drawn from [max(0,1-b), 1+b]
  double contrast = 0.8;          // contrast factor drawn from [max(0,1-c), 1+c]
  double saturation = 0.8;        // saturation factor drawn from [max(0,1-s), 1+s]; RGB only
  double hue = 0.2;               // hue shift drawn from [-hue, hue] turns (<= 0.5); RGB only
  double grayscale_prob = 0.2;    // probability of converting to gray (kept at C channels); no-op on 1-channel data
  double blur_prob = 0.5;         // probability of a Gaussian blur
  double blur_sigma_min = 0.1;    // blur sigma range, output pixels
  double blur_sigma_max = 2.0;
  double blur_kernel_frac = 0.1;  // kernel side = this * output side, rounded to odd (SimCLR: 10%)
  int64_t blur_min_size = 64;     // no blur for outputs smaller than this many pixels (issue 3)

  // Sets the fields of a named preset. Throws std::invalid_argument("data.augment.preset: ...").
  void apply_preset(const std::string& name);
  void validate() const;  // throws std::invalid_argument naming the key, "data.augment.<key>: ..."
};

struct DataConfig {
  std::string dataset = "fashion-mnist";  // fashion-mnist|mnist|cifar10|cifar100|folder
  std::string path;               // file/folder to read; empty = /usr/share/datasets/fashion-mnist (fashion-mnist only)
  int64_t channels = 0;           // 0 = follow the data (folders: 3 if any of the first images has colour); 1 or 3 forces a conversion
  // Training images held out as the validation split (Split::Val): a fixed pseudo-random
  // choice (core/data/holdout.h), so model selection and the kNN monitor never read the test
  // split; 0 = none (the kNN monitor then reads the test split).
  int64_t val_images = 0;
  int64_t min_image_side = 0;     // images with a side below this are rejected (IDX/CIFAR: error at open; folders: skipped); trainers pass the patch size
  int num_workers = 2;            // loader threads; 0 = build batches on the consuming thread
  int prefetch_batches = 4;       // batches prepared ahead of the consumer (bounded queue)
  std::vector<float> mean;        // per-channel normalisation mean in [0,1] units; empty = dataset default (see default_mean)
  std::vector<float> std;         // per-channel normalisation std; empty = dataset default
  AugmentConfig augment;          // how the two views are made

  void validate() const;  // throws std::invalid_argument whose message starts with the key, "data.path: ..."
  std::string resolved_path() const;  // path, or the packaged Fashion-MNIST folder when empty
  // Normalisation for a run with this many channels: the configured values when set, else
  // the dataset's statistics (Fashion-MNIST 0.2860/0.3530, MNIST 0.1307/0.3081, CIFAR's own,
  // ImageNet's for folders; a gray folder uses the mean of ImageNet's three channels).
  std::vector<float> resolved_mean(int64_t run_channels) const;
  std::vector<float> resolved_std(int64_t run_channels) const;
};

void to_json(nlohmann::json& j, const AugmentConfig& c);
void from_json(const nlohmann::json& j, AugmentConfig& c);
void to_json(nlohmann::json& j, const DataConfig& c);
void from_json(const nlohmann::json& j, DataConfig& c);

}  // namespace can::data
