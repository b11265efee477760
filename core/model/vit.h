#pragma once
// ViT encoder with timm's VisionTransformer parameter names (docs/method.md step 4 and
// "Interchange"): cls_token, pos_embed, patch_embed.proj, blocks.{i}.{norm1, attn.qkv,
// attn.proj, norm2, mlp.fc1, mlp.fc2}, norm. The encoder sees only the kept patches.

#include <torch/torch.h>

#include "core/model/model_config.h"

namespace can {

// Multi-head self-attention: attn.qkv (fused, with bias) and attn.proj, as timm.
class AttentionImpl : public torch::nn::Module {
 public:
  AttentionImpl(int64_t dim, int64_t num_heads);
  torch::Tensor forward(const torch::Tensor& x);  // [N, L, D] -> [N, L, D]
  // The attention weights softmax(Q K^T / sqrt(D/H)) forward() applies to x: [N, H, L, L],
  // each row summing to 1. Written out for analysis (core/analysis/attention_maps): the
  // fused kernel forward() uses on LibTorch 2.x never materialises them, and forward()
  // stays as it is.
  torch::Tensor weights(const torch::Tensor& x);

  torch::nn::Linear qkv{nullptr}, proj{nullptr};
  int64_t num_heads;
};
TORCH_MODULE(Attention);

class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(int64_t dim, int64_t hidden);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(Mlp);

// Pre-norm transformer block: x + attn(norm1(x)), then x + mlp(norm2(x)).
class BlockImpl : public torch::nn::Module {
 public:
  BlockImpl(int64_t dim, int64_t num_heads, double mlp_ratio);
  torch::Tensor forward(torch::Tensor x);
  torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
  Attention attn{nullptr};
  Mlp mlp{nullptr};
};
TORCH_MODULE(Block);

// LayerNorm as timm's ViT builds it (eps 1e-6).
torch::nn::LayerNorm vit_layer_norm(int64_t dim);

// timm's PatchEmbed: a p x p convolution with stride p, kept as patch_embed.proj.
class PatchEmbedImpl : public torch::nn::Module {
 public:
  PatchEmbedImpl(int64_t in_chans, int64_t dim, int64_t patch);
  // Embeds patch vectors [N, L, p*p*C] (patchify order) with the convolution's weights as a
  // matrix: identical to the convolution, and lets masked patches be skipped before the
  // embedding instead of after it.
  torch::Tensor forward(const torch::Tensor& patches);
  torch::nn::Conv2d proj{nullptr};
};
TORCH_MODULE(PatchEmbed);

class VisionTransformerImpl : public torch::nn::Module {
 public:
  explicit VisionTransformerImpl(const ModelConfig& cfg);

  // patches: [N, T, p*p*C] (all patches), ids_keep: [N, T'] or undefined for all.
  // Returns z: [N, (1 +) T', d] after the final norm; the class token, when present, first.
  torch::Tensor forward(const torch::Tensor& patches, const torch::Tensor& ids_keep);
  // The tokens the first block sees: patch embedding + positions of the kept patches, the
  // class token (with its position) first when present: [N, (1 +) T', d].
  torch::Tensor embed(const torch::Tensor& patches, const torch::Tensor& ids_keep);
  // The attention weights of every block for the same input (AttentionImpl::weights of each
  // block's norm1 input), one [N, H, L, L] per block; the tokens pass through the blocks
  // exactly as in forward().
  std::vector<torch::Tensor> attention_weights(const torch::Tensor& patches, const torch::Tensor& ids_keep);

  // Mean of the patch tokens, class token excluded (spec step 5): [N, L, d] -> [N, d].
  torch::Tensor pool(const torch::Tensor& z) const;
  int64_t num_prefix_tokens() const { return cfg_.class_token ? 1 : 0; }
  const ModelConfig& config() const { return cfg_; }

  torch::Tensor cls_token, pos_embed;  // pos_embed is fixed sin-cos (requires_grad false)
  PatchEmbed patch_embed{nullptr};
  torch::nn::ModuleList blocks;
  torch::nn::LayerNorm norm{nullptr};

 private:
  ModelConfig cfg_;
};
TORCH_MODULE(VisionTransformer);

// Gathers rows of x [N, T, D] at ids [N, K] -> [N, K, D].
torch::Tensor gather_tokens(const torch::Tensor& x, const torch::Tensor& ids);

// Initialisation of MAE / timm: xavier-uniform Linear weights (patch_embed as a Linear),
// zero biases, unit LayerNorm, tokens N(0, 0.02).
void init_vit_weights(torch::nn::Module& module);

}  // namespace can
