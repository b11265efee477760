#pragma once
// The seam for multi-process training (core/dist/, next): where gradients are all-reduced
// and contrastive embeddings gathered across processes. The Trainer calls it at exactly
// those two points; the single-process implementation is the identity.

#include <torch/torch.h>

#include <vector>

namespace can {

class GradientSync {
 public:
  virtual ~GradientSync() = default;
  virtual int world_size() const { return 1; }
  virtual int rank() const { return 0; }
  // After backward, before clipping and the optimizer step: replace each gradient by its
  // mean over processes.
  virtual void all_reduce_gradients(const std::vector<torch::Tensor>& params) {}
  // InfoNCE's negatives span all devices (CAN-SPEC.md step 5): [n, r] of this process ->
  // [world*n, r], this process's rows keeping their autograd history (SimCLR's GatherLayer),
  // in rank order. Called per view when world_size() > 1.
  virtual torch::Tensor gather_embeddings(const torch::Tensor& u_view) { return u_view; }
};

}  // namespace can
