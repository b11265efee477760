#pragma once
// Data-parallel training over a Communicator (c10d): GradientSync's collectives for the
// Trainer. Every rank holds a full model replica; gradients are averaged in ~25 MB buckets
// (one all-reduce each, as torch's DistributedDataParallel does), InfoNCE embeddings are
// gathered with SimCLR's GatherLayer, and parameters start from rank 0's.

#include <memory>

#include "core/dist/communicator.h"
#include "core/train/gradient_sync.h"

namespace can::dist {

class DistributedSync : public GradientSync {
 public:
  // local_rank: this process's rank on its node (DistEnv::local_rank).
  explicit DistributedSync(std::shared_ptr<Communicator> comm, int local_rank = 0,
                           int64_t bucket_bytes = 25 * 1024 * 1024);

  int world_size() const override { return comm_->size(); }
  int rank() const override { return comm_->rank(); }
  int local_rank() const override { return local_rank_; }
  void broadcast_parameters(torch::nn::Module& module) override;
  void all_reduce_gradients(const std::vector<torch::Tensor>& params) override;
  torch::Tensor gather_embeddings(const torch::Tensor& u_view) override;
  bool any(bool flag) override;
  void reduce_metrics(StepMetrics& metrics) override;

  Communicator& communicator() { return *comm_; }

 private:
  std::shared_ptr<Communicator> comm_;
  int local_rank_;
  int64_t bucket_bytes_;
};

}  // namespace can::dist
