#include "core/train/knn_monitor.h"

#include "core/data/dataset.h"
#include "core/eval/features.h"
#include "core/eval/knn.h"

namespace can {

std::function<double(CanModel&)> make_knn_monitor(const RunConfig& config, torch::Device device) {
  data::DataConfig open = config.data;
  open.min_image_side = std::max(open.min_image_side, config.model.patch_size);
  std::shared_ptr<const data::Dataset> train = data::open_dataset(open, data::Split::Train);
  // Queries from the validation split when there is one: a monitor that picks the step or
  // the settings must not have read the test split.
  std::shared_ptr<const data::Dataset> test =
      data::open_dataset(open, open.val_images > 0 ? data::Split::Val : data::Split::Test);
  if (train->num_classes() <= 0)
    throw std::invalid_argument("train.knn_every: the kNN monitor needs labelled data; " + train->describe());
  const TrainConfig& t = config.train;
  const auto train_labels = eval::dataset_labels(*train, t.knn_train_images);
  const auto test_labels = eval::dataset_labels(*test, t.knn_test_images);
  const auto mean = config.data.resolved_mean(config.model.in_chans);
  const auto std = config.data.resolved_std(config.model.in_chans);
  const int64_t num_classes = train->num_classes();
  const int64_t batch = std::max<int64_t>(t.batch_size, 64);
  const int k = static_cast<int>(t.knn_k);
  return [=](CanModel& model) {
    auto train_feats = eval::extract_features(model, *train, t.knn_train_images, batch, mean, std, device);
    auto test_feats = eval::extract_features(model, *test, t.knn_test_images, batch, mean, std, device);
    return eval::knn_top1(train_feats, train_labels, test_feats, test_labels, num_classes, k);
  };
}

}  // namespace can
