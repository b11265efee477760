#pragma once
// Frozen-encoder features for the evaluation protocols (docs/method.md "Evaluation and
// interchange"): un-augmented, unmasked, noise-free images through the encoder, the patch
// tokens mean-pooled (class token excluded), exactly what the contrastive branch pools.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/data/dataset.h"
#include "core/eval/progress_hook.h"
#include "core/model/can_model.h"

namespace can::eval {

// The images a protocol uses: the first max_images of the dataset (0 or more than the
// dataset = all). A prefix, not a random subset, so that every tool and every run of a
// tool scores the same images; IDX/CIFAR files are not sorted by class.
int64_t eval_count(const data::Dataset& ds, int64_t max_images);

// Images [first, first + count) as a normalised float batch [count, C, S, S] with C and S
// the model's in_chans and img_size: converted to C channels if the dataset differs,
// resized (whole image, bilinear/area) only when not already S x S, scaled to [0, 1], then
// (x - mean[c]) / std[c]. mean/std need C values (one value is repeated). Throws
// std::invalid_argument for a bad range or mean/std size.
torch::Tensor eval_batch(const data::Dataset& ds, int64_t first, int64_t count, int64_t channels,
                         int64_t img_size, const std::vector<float>& mean,
                         const std::vector<float>& std);

// [N, d] float CPU features of the first eval_count(ds, max_images) images, in batches of
// batch_size, in eval mode under NoGradGuard (the model's train/eval mode is restored;
// the model is moved to device and left there). `progress` is called after each batch with
// the images done so far and N.
torch::Tensor extract_features(CanModel& model, const data::Dataset& ds, int64_t max_images, int64_t batch_size,
                               const std::vector<float>& mean, const std::vector<float>& std, torch::Device device,
                               const ProgressHook& progress = {});

// [N] int64 labels of the same images. Throws std::invalid_argument when an image is
// unlabelled (label -1).
torch::Tensor dataset_labels(const data::Dataset& ds, int64_t max_images);

// Flattened normalised pixels [N, C*S*S] of the same images: the input of the raw-pixel
// baseline (a linear probe on pixels; see linear_probe.h).
torch::Tensor pixel_features(const data::Dataset& ds, int64_t max_images, int64_t channels,
                             int64_t img_size, const std::vector<float>& mean,
                             const std::vector<float>& std);

}  // namespace can::eval
