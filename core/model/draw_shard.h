#pragma once
// Random draws that do not depend on the number of processes. In data-parallel training
// every rank holds the same generator state and draws sigma, e and the masks' noise for
// the whole global batch, then keeps its own samples; so 2 processes x batch n see exactly
// the draws 1 process x batch 2n sees, and the runs agree step for step (docs/distributed.md).
// The cost: each rank generates the global batch's noise, world times its own share, which
// is small next to the forward pass on CPU and for moderate world sizes.

#include <torch/torch.h>

namespace can {

struct DrawShard {
  int64_t rank = 0;   // this process's rank in [0, world)
  int64_t world = 1;  // processes sharing the global batch

  // Throws std::invalid_argument unless 0 <= rank < world.
  void validate() const;
};

// `global`: [V * world * n, ...] drawn for the global batch, view-major like CanOutput.
// Returns this rank's rows [V * n, ...]. The loader gives rank r the global batch positions
// r, r + world, r + 2*world, ... (DistributedSampler's sharding), so its sample j is global
// position j*world + r: reshape [V, n, world, ...] and take index r of the world axis.
// With world == 1 it returns `global` itself.
torch::Tensor take_shard(const torch::Tensor& global, int64_t views, const DrawShard& shard);

}  // namespace can
