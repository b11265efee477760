#pragma once
// The evaluation protocols of a checkpoint as one library call (docs/evaluation.md):
// features of the train and test splits, the kNN monitor and the linear probe, their
// per-class scores and confusion matrices, gathered in an EvalReport. can-eval runs it on
// the command line; the studio runs it on a worker thread with a progress bar and a cancel
// button, which is why it reports progress and can be stopped between two batches.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/data/data_config.h"
#include "core/data/dataset.h"
#include "core/eval/eval_report.h"
#include "core/eval/knn.h"
#include "core/eval/linear_probe.h"
#include "core/model/can_model.h"

namespace can::eval {

struct EvalRequest {
  std::string checkpoint;          // checkpoint dir, run dir, or an exported ENC.safetensors (+ its .json)
  std::string dataset, data_path;  // overrides; "" = the checkpoint config's (exported: fashion-mnist)
  bool knn = true, linear = true;
  int64_t max_train = 0, max_test = 0;  // first N images of each split; 0 = all
  int64_t batch_size = 256;             // feature-extraction batch
  KnnOptions knn_options;               // k, temperature
  LinearProbeOptions probe;
  std::string device = "auto";  // auto|cpu|cuda, where the encoder runs
  // The split scored: "test", or "val", the training images held out by data.val_images
  // (model selection must not read the test split). The reference/training set is the
  // train split less the held-out images either way.
  std::string split = "test";
  int64_t val_images = -1;  // overrides data.val_images of the checkpoint's config; -1 = keep it
};

// Stages in order: "train features", "test features", "knn", "linear probe". done/total
// count images for the features, test rows for knn, epochs for the probe. Each stage is
// announced with done = 0 before its work, then after every batch / chunk / epoch.
struct EvalProgress {
  std::string stage;
  int64_t done = 0, total = 0;
};
// Called on the thread that runs evaluate(), between two units of work (keep it short: a
// queued signal, an atomic flag read). Returns false to cancel.
using ProgressFn = std::function<bool(const EvalProgress&)>;

struct EvalCancelled : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What an evaluation reads, each loaded once: the encoder (none when the request names no
// checkpoint: the datasets alone, for can-eval's raw-pixel baseline), the data config it is
// scored with, both splits and the labels of the images scored.
struct EvalInputs {
  CanModel model{nullptr};
  int64_t step = -1;  // the checkpoint's step (its state.json); -1 for an exported encoder
  data::DataConfig data;
  std::unique_ptr<data::Dataset> train, test;
  torch::Tensor train_labels, test_labels;  // [N] int64, the first max_train / max_test images
  double seconds = 0.0;                     // time spent loading, counted in the report
};

// Loads the request's checkpoint and datasets. Throws std::runtime_error naming the file for
// a missing or corrupt checkpoint, exported encoder or dataset, and for a dataset without
// labels; std::invalid_argument for an impossible request.
EvalInputs open_evaluation(const EvalRequest& request);

// Runs the request's protocols on loaded inputs (inputs.model must be set). `progress` is
// called as EvalProgress says; when it returns false the evaluation stops at the next batch,
// chunk or epoch and throws EvalCancelled. With test_features, the test split's features
// [N_test, d] are stored there too (can-eval --save-features). The model is left on the
// device it ran on.
EvalReport evaluate(EvalInputs& inputs, const EvalRequest& request, const ProgressFn& progress = {},
                    torch::Tensor* test_features = nullptr);

// open_evaluation and evaluate together.
EvalReport evaluate(const EvalRequest& request, const ProgressFn& progress = {});

}  // namespace can::eval
