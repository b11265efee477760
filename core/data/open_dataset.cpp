// open_dataset(): the one place that maps data.dataset to a Dataset class.
#include <algorithm>
#include <filesystem>

#include "core/data/cifar_dataset.h"
#include "core/data/data_config.h"
#include "core/data/data_error.h"
#include "core/data/dataset.h"
#include "core/data/holdout.h"
#include "core/data/idx_dataset.h"
#include "core/data/image_folder_dataset.h"

namespace can::data {

const char* split_name(Split split) { return split == Split::Train ? "train" : split == Split::Val ? "val" : "test"; }

namespace {

// Forces the configured channel count on a dataset with fixed channels (IDX, CIFAR).
class ChannelAdapter : public Dataset {
 public:
  ChannelAdapter(std::unique_ptr<Dataset> inner, int64_t channels) : inner_(std::move(inner)), channels_(channels) {}
  int64_t size() const override { return inner_->size(); }
  int64_t channels() const override { return channels_; }
  int64_t height() const override { return inner_->height(); }
  int64_t width() const override { return inner_->width(); }
  Image get(int64_t index) const override { return convert_channels(inner_->get(index), channels_); }
  int64_t label(int64_t index) const override { return inner_->label(index); }
  int64_t num_classes() const override { return inner_->num_classes(); }
  std::vector<std::string> class_names() const override { return inner_->class_names(); }
  std::string describe() const override {
    return inner_->describe() + " (as " + std::to_string(channels_) + " channels)";
  }

 private:
  std::unique_ptr<Dataset> inner_;
  int64_t channels_;
};

}  // namespace

std::unique_ptr<Dataset> open_dataset(const DataConfig& config, Split split) {
  config.validate();
  if (split == Split::Val && config.val_images == 0)
    throw std::invalid_argument(
        "data.val_images: is 0, so there is no validation split (set it to hold some "
        "training images out)");
  if (split != Split::Test && config.val_images > 0) {
    DataConfig whole = config;
    whole.val_images = 0;
    return holdout_split(open_dataset(whole, Split::Train), config.val_images, split);
  }
  const std::string path = config.resolved_path();
  if (config.dataset == "folder")
    return std::make_unique<ImageFolderDataset>(path, split, config.channels, config.min_image_side);

  std::unique_ptr<Dataset> ds;
  if (config.dataset == "fashion-mnist" || config.dataset == "mnist") {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) throw DataError(path, "no such folder (expected IDX files)");
    ds = std::make_unique<IdxDataset>(path, split, config.dataset);
  } else if (config.dataset == "cifar10" || config.dataset == "cifar100") {
    ds = std::make_unique<CifarDataset>(path, split, config.dataset == "cifar10" ? 10 : 100);
  } else {  // a DataConfig built in code (a file's is checked against the settings schema)
    throw std::invalid_argument("data.dataset: unknown dataset '" + config.dataset + "'");
  }
  // Fixed-size data is checked here, before training; folders check each image in get().
  if (std::min(ds->height(), ds->width()) < config.min_image_side)
    throw DataError(path, config.dataset + " images are " + std::to_string(ds->width()) + "x" +
                              std::to_string(ds->height()) + ", smaller than data.min_image_side " +
                              std::to_string(config.min_image_side));
  if (config.channels != 0 && config.channels != ds->channels())
    ds = std::make_unique<ChannelAdapter>(std::move(ds), config.channels);
  return ds;
}

}  // namespace can::data
