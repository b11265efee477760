#pragma once
// The validation split: data.val_images images held out of the training split, so that
// model selection (a sweep scored with can-eval --split val) and the training-time kNN
// monitor never read the test split. The held-out images are a fixed pseudo-random choice
// (not the last images: an image folder is sorted by class), the same on every machine and
// for every run of one dataset, independent of train.seed.

#include <cstdint>
#include <memory>
#include <vector>

#include "core/data/dataset.h"

namespace can::data {

// The indices (ascending) of the `count` images of a `size`-image training split that form
// the validation split: the first `count` of a Fisher-Yates shuffle of 0..size-1 driven by
// a fixed mt19937_64. Throws std::invalid_argument unless 0 < count < size.
std::vector<int64_t> holdout_indices(int64_t size, int64_t count);

// The images of `inner` at `indices`, in that order, named `name` in describe().
std::unique_ptr<Dataset> subset_dataset(std::shared_ptr<const Dataset> inner, std::vector<int64_t> indices,
                                        std::string name);

// The Train (everything but the held-out images) or Val part of a training split.
std::unique_ptr<Dataset> holdout_split(std::unique_ptr<Dataset> train, int64_t val_images, Split split);

}  // namespace can::data
