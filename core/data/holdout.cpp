#include "core/data/holdout.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace can::data {

namespace {

class SubsetDataset : public Dataset {
 public:
  SubsetDataset(std::shared_ptr<const Dataset> inner, std::vector<int64_t> indices, std::string name)
      : inner_(std::move(inner)), indices_(std::move(indices)), name_(std::move(name)) {}
  int64_t size() const override { return static_cast<int64_t>(indices_.size()); }
  int64_t channels() const override { return inner_->channels(); }
  int64_t height() const override { return inner_->height(); }
  int64_t width() const override { return inner_->width(); }
  Image get(int64_t index) const override { return inner_->get(at(index)); }
  int64_t label(int64_t index) const override { return inner_->label(at(index)); }
  int64_t num_classes() const override { return inner_->num_classes(); }
  std::vector<std::string> class_names() const override { return inner_->class_names(); }
  std::string describe() const override { return name_; }

 private:
  int64_t at(int64_t index) const {
    if (index < 0 || index >= size())
      throw std::out_of_range(name_ + ": index " + std::to_string(index) + " out of range");
    return indices_[static_cast<size_t>(index)];
  }
  std::shared_ptr<const Dataset> inner_;
  std::vector<int64_t> indices_;
  std::string name_;
};

}  // namespace

std::vector<int64_t> holdout_indices(int64_t size, int64_t count) {
  if (count <= 0 || count >= size)
    throw std::invalid_argument("data.val_images: " + std::to_string(count) + " must be between 1 and " +
                                std::to_string(size - 1) + " (the training split has " + std::to_string(size) +
                                " images and must keep some)");
  std::vector<int64_t> order(static_cast<size_t>(size));
  std::iota(order.begin(), order.end(), 0);
  // Fisher-Yates written out: std::shuffle's algorithm differs between standard libraries,
  // and the split must not. The modulo's bias is below 2^-40 for any real dataset.
  std::mt19937_64 gen(0x76616c5f73706c74ULL);  // "val_splt"
  for (int64_t i = size - 1; i > 0; --i) {
    const auto j = static_cast<int64_t>(gen() % static_cast<uint64_t>(i + 1));
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
  }
  order.resize(static_cast<size_t>(count));
  std::sort(order.begin(), order.end());
  return order;
}

std::unique_ptr<Dataset> subset_dataset(std::shared_ptr<const Dataset> inner, std::vector<int64_t> indices,
                                        std::string name) {
  return std::make_unique<SubsetDataset>(std::move(inner), std::move(indices), std::move(name));
}

std::unique_ptr<Dataset> holdout_split(std::unique_ptr<Dataset> train, int64_t val_images, Split split) {
  std::shared_ptr<const Dataset> inner(std::move(train));
  const int64_t size = inner->size();
  std::vector<int64_t> val = holdout_indices(size, val_images);
  const std::string base = inner->describe();
  if (split == Split::Val)
    return subset_dataset(
        inner, std::move(val),
        base + ", validation split: " + std::to_string(val_images) + " images held out (data.val_images)");
  std::vector<int64_t> rest;
  rest.reserve(static_cast<size_t>(size - val_images));
  size_t v = 0;
  for (int64_t i = 0; i < size; ++i) {
    if (v < val.size() && val[v] == i) {
      ++v;
      continue;
    }
    rest.push_back(i);
  }
  return subset_dataset(inner, std::move(rest),
                        base + ", less " + std::to_string(val_images) + " held out for validation (data.val_images)");
}

}  // namespace can::data
