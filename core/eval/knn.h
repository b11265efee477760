#pragma once
// The kNN monitor (docs/method.md "Evaluation and interchange"; InstDisc, Wu et al. 2018, as DINO
// runs it): cosine similarity of L2-normalised features, the k most similar training
// features vote for their labels with weight exp(sim / T), the class with the largest vote
// wins. Cheap enough to run during training.

#include <torch/torch.h>

#include <cstdint>

#include "core/eval/progress_hook.h"

namespace can::eval {

struct KnnOptions {
  int k = 20;                 // neighbours that vote (clamped to the training set size)
  double temperature = 0.07;  // T in exp(sim / T)
  int64_t chunk_size = 256;   // test rows scored at once: memory is chunk_size x N_train floats
};

// Class votes [N_test, num_classes] (the un-normalised weighted sums); the prediction of a
// row is its argmax (exact ties are broken by LibTorch's argmax). Features [N, d] of any float dtype
// and device; labels [N] integer in [0, num_classes). Throws std::invalid_argument for
// mismatched shapes, an empty training set, labels out of range, k < 1 or T <= 0.
// `progress` is called after each chunk with the test rows scored so far and N_test.
torch::Tensor knn_votes(const torch::Tensor& train_feats, const torch::Tensor& train_labels,
                        const torch::Tensor& test_feats, int64_t num_classes, const KnnOptions& options = {},
                        const ProgressHook& progress = {});

// Top-1 accuracy in [0, 1] of the kNN classifier above (0 for an empty test set).
double knn_top1(const torch::Tensor& train_feats, const torch::Tensor& train_labels,
                const torch::Tensor& test_feats, const torch::Tensor& test_labels,
                int64_t num_classes, int k = 20, double temperature = 0.07);

}  // namespace can::eval
