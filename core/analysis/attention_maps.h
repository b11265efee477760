#pragma once
// Attention maps of the encoder (docs/bench.md): where does a token look? From the weights
// softmax(Q K^T / sqrt(D/H)) of each block (VisionTransformerImpl::attention_weights, which
// recomputes them beside an unchanged forward):
//   - the map of one layer and head: the class token's row, or without a class token the
//     mean of the patch tokens' rows (the "mean query"), over the visible patch tokens;
//   - attention rollout (Abnar & Zuidema 2020): per layer the heads averaged, the identity
//     added for the residual path and the rows renormalised, A_l = (mean_h W_l + I) / 2,
//     then R = A_L ... A_2 A_1; its class-token (or mean-query) row over the visible patches.
// A map over visible patches is renormalised to sum to 1 (the class token's attention to
// itself is dropped and reported apart), then scattered to the T-patch grid for drawing.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/model/can_model.h"

namespace can::analysis {

struct EncoderAttention {
  std::vector<torch::Tensor> weights;  // per block [N, H, L, L], L = prefix + T'
  torch::Tensor ids_keep;              // [N, T'] the visible patches (all T when none masked)
  int64_t prefix = 0;                  // 1 with a class token
  int64_t num_patches = 0;             // T
};

// The encoder's attention for images [N, C, H, W] (normalised, as the encoder sees them)
// with the visible patches ids_keep [N, T'] (undefined = all). NoGradGuard.
EncoderAttention encoder_attention(CanModel& model, const torch::Tensor& images, const torch::Tensor& ids_keep);

// The query row of a [N, H, L, L] (or head-averaged [N, L, L]) weight tensor that the maps
// follow: row 0 with a class token, else the mean of the rows. head: -1 = mean of heads.
// Returns [N, L] over every key token (sums to 1).
torch::Tensor query_row(const torch::Tensor& weights, int64_t head, int64_t prefix);

// One layer and head: [N, T'] over the visible patches, renormalised to sum to 1.
// self_weight, when given, receives [N] the weight the query put on the class token (0
// without one).
torch::Tensor layer_map(const EncoderAttention& a, int64_t layer, int64_t head, torch::Tensor* self_weight = nullptr);

// Abnar & Zuidema's rollout through layers [0, layers) (-1 = all): [N, L, L].
torch::Tensor rollout_matrix(const std::vector<torch::Tensor>& weights, int64_t layers = -1);
// Its query row over the visible patches, renormalised: [N, T'].
torch::Tensor rollout_map(const EncoderAttention& a, int64_t layers = -1);

// A [N, T'] map over visible patches on the full grid: [N, T], 0 at masked patches.
torch::Tensor to_grid(const torch::Tensor& map, const torch::Tensor& ids_keep, int64_t num_patches);

}  // namespace can::analysis
