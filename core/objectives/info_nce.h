#pragma once
// Contrastive objective C (docs/method.md step 5): NT-Xent / InfoNCE over 2n embeddings.

#include <torch/torch.h>

#include <functional>

namespace can {

// Data-parallel training (docs/distributed.md): one view's embeddings on this process,
// [n, r], to every process's, [world*n, r] in rank order, this process's rows keeping their
// autograd history (GradientSync::gather_embeddings fills it). Empty: one process.
using EmbeddingGather = std::function<torch::Tensor(const torch::Tensor& u_view)>;

// u = [u1; u2] ([2n, r], view-major) -> [gather(u1); gather(u2)] ([2*world*n, r]), the
// layout info_nce_from_embeddings takes: row a's positive stays (a + world*n) mod 2*world*n,
// and every other process's embeddings become negatives. Without a gather, u itself.
torch::Tensor gather_views(const torch::Tensor& u, const EmbeddingGather& gather);

// L_InfoNCE = 1/(2n) sum_v sum_i -log( exp(u_i^1.u_i^2/tau) /
//             (exp(u_i^1.u_i^2/tau) + sum_{u- in N_i} exp(u_i^v.u-/tau)) )
// u1, u2: [n, r] unit-length embeddings of view 1 and view 2 of the same n images; the
// negatives of u_i^v are the other 2n-2 embeddings. Returns a scalar.
torch::Tensor info_nce(const torch::Tensor& u1, const torch::Tensor& u2, double tau);

// The same loss from the 2n x 2n similarity logits of u = [u1; u2]: row a's positive is
// column (a + n) mod 2n, the diagonal (self-similarity) is excluded.
torch::Tensor info_nce_from_embeddings(const torch::Tensor& u, double tau);

// Fraction of the 2n embeddings whose most similar other embedding is their positive
// (contrastive top-1 accuracy, a training metric).
double info_nce_top1(const torch::Tensor& u1, const torch::Tensor& u2);

}  // namespace can
