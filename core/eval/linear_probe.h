#pragma once
// The linear probe (docs/method.md "Evaluation and interchange"): a linear classifier on frozen
// features, trained with cross-entropy, scored by top-1 on the test set.
//
// Features are standardised with the training set's per-dimension mean and std (so one
// learning rate suits every encoder and raw pixels alike), the classifier starts at zero
// (the problem is convex: no initialisation to seed), and mini-batch AdamW with a cosine
// learning-rate decay trains it. The shuffling order comes from `seed` alone, so a probe
// is reproducible on one machine.
//
// The raw-pixel baseline is this same probe on flattened normalised pixels
// (pixel_features() in features.h): multinomial logistic regression, ~84% on
// Fashion-MNIST.

#include <torch/torch.h>

#include <cstdint>

#include "core/eval/progress_hook.h"

namespace can::eval {

struct LinearProbeOptions {
  int64_t epochs = 100;        // passes over the training features
  double lr = 1e-2;            // AdamW peak learning rate, decayed to 0 by a cosine over all steps
  double weight_decay = 1e-4;  // decoupled weight decay on the weight matrix (not the bias)
  int64_t batch_size = 1024;   // mini-batch rows; >= N_train means full-batch
  uint64_t seed = 0;           // shuffling order
};

struct LinearProbeResult {
  double test_top1 = 0.0;   // accuracy in [0, 1] on the test features
  double train_top1 = 0.0;  // accuracy in [0, 1] on the training features (fit check)
  double train_loss = 0.0;  // mean cross-entropy on the training features after training
  torch::Tensor test_predictions;  // [N_test] int64: the predicted class of each test row
};

// Throws std::invalid_argument for mismatched shapes, labels outside [0, num_classes), an
// empty training set or impossible options. `progress` is called after each epoch with the
// epochs done and options.epochs.
LinearProbeResult linear_probe(const torch::Tensor& train_feats, const torch::Tensor& train_labels,
                               const torch::Tensor& test_feats, const torch::Tensor& test_labels, int64_t num_classes,
                               const LinearProbeOptions& options = {}, const ProgressHook& progress = {});

}  // namespace can::eval
