#pragma once
// InfoNCE's negatives across processes (docs/method.md step 5): SimCLR's GatherLayer.

#include <torch/torch.h>

#include "core/dist/communicator.h"

namespace can::dist {

// [n, r] on every rank -> [world*n, r], rank order, differentiable. Every rank computes the
// same loss L on the gathered rows; backward all-reduces (sums) dL/d(gathered) over ranks and
// returns this rank's n rows, world * dL/du_rank. Averaging the parameter gradients over
// ranks afterwards (DistributedSync::all_reduce_gradients) then yields exactly the
// single-process gradient of L. `comm` must outlive the backward pass.
torch::Tensor all_gather_with_grad(Communicator& comm, const torch::Tensor& u);

}  // namespace can::dist
