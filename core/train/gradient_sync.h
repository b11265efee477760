#pragma once
// The seam for multi-process training: where gradients are all-reduced, contrastive
// embeddings gathered, metrics reduced and the stop decision agreed across processes. The
// Trainer calls it at exactly those points; this single-process implementation is the
// identity, and core/dist/distributed_sync.h is the c10d one.

#include <torch/torch.h>

#include <vector>

#include "core/train/observer.h"

namespace can {

class GradientSync {
 public:
  virtual ~GradientSync() = default;
  virtual int world_size() const { return 1; }
  virtual int rank() const { return 0; }
  // Rank on this node: the CUDA device index of this process.
  virtual int local_rank() const { return 0; }
  // Once, before training: every rank takes rank 0's parameters and buffers, so that all
  // start from identical weights whatever their own initialisation drew.
  virtual void broadcast_parameters(torch::nn::Module& module) {}
  // After backward, before clipping and the optimizer step: replace each gradient by its
  // mean over processes.
  virtual void all_reduce_gradients(const std::vector<torch::Tensor>& params) {}
  // InfoNCE's negatives span all devices (docs/method.md step 5): [n, r] of this process ->
  // [world*n, r], this process's rows keeping their autograd history (SimCLR's GatherLayer),
  // in rank order. Called per view when world_size() > 1.
  virtual torch::Tensor gather_embeddings(const torch::Tensor& u_view) { return u_view; }
  // True on every rank when `flag` is true on any (a stop request reaches ranks at different
  // times; all must stop after the same step).
  virtual bool any(bool flag) { return flag; }
  // Before the observer sees a step: the loss terms, grad_norm and contrastive top-1 become
  // their means over ranks, img_per_s the sum (this rank's images per second in, the job's out).
  virtual void reduce_metrics(StepMetrics& metrics) {}
};

}  // namespace can
