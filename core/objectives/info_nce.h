#pragma once
// Contrastive objective C (docs/method.md step 5): NT-Xent / InfoNCE over 2n embeddings.

#include <torch/torch.h>

namespace can {

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
