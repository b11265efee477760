#pragma once
// The kNN monitor run during training (docs/method.md "Evaluation and interchange": cosine, k = 20,
// temperature-weighted votes, T = 0.07), on fixed subsets of the data config's train and
// test splits, so the numbers of one run are comparable step to step.

#include <functional>

#include "core/config/run_config.h"
#include "core/model/can_model.h"

namespace can {

// Opens both splits of config.data now (errors surface before training) and returns a
// function scoring a model: features of the first train.knn_train_images / knn_test_images
// images, top-1 in [0, 1]. Throws std::invalid_argument when the data is unlabelled.
std::function<double(CanModel&)> make_knn_monitor(const RunConfig& config, torch::Device device);

}  // namespace can
