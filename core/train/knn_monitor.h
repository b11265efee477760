#pragma once
// The kNN monitor run during training (docs/method.md "Evaluation and interchange": cosine, k = 20,
// temperature-weighted votes, T = 0.07), on fixed subsets of the data config's train split
// (the bank) and of its validation split (the queries; data.val_images), or of the test
// split when the run holds no validation images out, so the numbers of one run are
// comparable step to step.

#include <functional>

#include "core/config/run_config.h"
#include "core/model/can_model.h"

namespace can {

// Opens the splits of config.data now (errors surface before training) and returns a
// function scoring a model: features of the first train.knn_train_images train and knn_test_images
// validation (or test) images, top-1 in [0, 1]. Throws std::invalid_argument when the data is unlabelled.
std::function<double(CanModel&)> make_knn_monitor(const RunConfig& config, torch::Device device);

}  // namespace can
