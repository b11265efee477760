#include "core/model/vit.h"

#include "core/model/pos_embed.h"
#include "core/util/autocast.h"
#include "core/util/fast_linear.h"
#include "core/util/torch_compat.h"

namespace can {

namespace F = torch::nn::functional;

AttentionImpl::AttentionImpl(int64_t dim, int64_t heads) : num_heads(heads) {
  qkv = register_module("qkv", torch::nn::Linear(torch::nn::LinearOptions(dim, dim * 3).bias(true)));
  proj = register_module("proj", torch::nn::Linear(dim, dim));
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x) {
  const int64_t n = x.size(0), l = x.size(1), d = x.size(2);
  auto qkv_x = linear_layer(qkv, x).reshape({n, l, 3, num_heads, d / num_heads});
  qkv_x = qkv_x.permute({2, 0, 3, 1, 4});           // [3, N, H, L, D/H]
  auto out = can::scaled_dot_product_attention(qkv_x[0], qkv_x[1], qkv_x[2]);  // not ADL's at:: one
  out = out.transpose(1, 2).reshape({n, l, d});      // [N, L, D]
  return linear_layer(proj, out);
}

torch::Tensor AttentionImpl::weights(const torch::Tensor& x) {
  const int64_t n = x.size(0), l = x.size(1), d = x.size(2);
  auto qkv_x = linear_layer(qkv, x).reshape({n, l, 3, num_heads, d / num_heads}).permute({2, 0, 3, 1, 4});
  const double scale = 1.0 / std::sqrt(static_cast<double>(d / num_heads));
  return torch::matmul(qkv_x[0] * scale, qkv_x[1].transpose(-2, -1)).softmax(-1);  // [N, H, L, L]
}

MlpImpl::MlpImpl(int64_t dim, int64_t hidden) {
  fc1 = register_module("fc1", torch::nn::Linear(dim, hidden));
  fc2 = register_module("fc2", torch::nn::Linear(hidden, dim));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
  return linear_layer(fc2, torch::gelu(linear_layer(fc1, x)));  // exact GELU, as timm
}

torch::nn::LayerNorm vit_layer_norm(int64_t dim) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(1e-6));
}

BlockImpl::BlockImpl(int64_t dim, int64_t heads, double mlp_ratio) {
  norm1 = register_module("norm1", vit_layer_norm(dim));
  attn = register_module("attn", Attention(dim, heads));
  norm2 = register_module("norm2", vit_layer_norm(dim));
  mlp = register_module("mlp", Mlp(dim, static_cast<int64_t>(dim * mlp_ratio)));
}

torch::Tensor BlockImpl::forward(torch::Tensor x) {
  x = x + attn->forward(norm1->forward(x));
  return x + mlp->forward(norm2->forward(x));
}

PatchEmbedImpl::PatchEmbedImpl(int64_t in_chans, int64_t dim, int64_t patch) {
  proj = register_module(
      "proj", torch::nn::Conv2d(torch::nn::Conv2dOptions(in_chans, dim, patch).stride(patch)));
}

torch::Tensor PatchEmbedImpl::forward(const torch::Tensor& patches) {
  // Always float32, also under bf16 autocast: the noisy pixels would be rounded to bf16
  // first (steps of 2^-7 near 1), as coarse as the smallest noise levels sigma*e. The
  // embedding is a small share of the FLOPs (one p*p*C x d GEMM per visible patch).
  AutocastScope fp32(patches.device().type(), false);
  // Conv weight [d, C, p, p] -> [d, p*p*C] in patchify order (row, column, channel).
  const auto& w = proj->weight;
  auto w_mat = w.permute({0, 2, 3, 1}).reshape({w.size(0), -1});
  return linear(patches, w_mat, proj->bias);  // [N, L, d]
}

VisionTransformerImpl::VisionTransformerImpl(const ModelConfig& cfg) : cfg_(cfg) {
  const int64_t d = cfg.embed_dim;
  patch_embed = register_module("patch_embed", PatchEmbed(cfg.in_chans, d, cfg.patch_size));
  if (cfg.class_token) cls_token = register_parameter("cls_token", torch::zeros({1, 1, d}));
  // Fixed, not learned (spec step 4); a parameter without gradient so that it is saved
  // and exported under timm's name.
  pos_embed = register_parameter(
      "pos_embed", sincos_pos_embed_2d(d, cfg.grid_size(), cfg.class_token).unsqueeze(0),
      /*requires_grad=*/false);
  blocks = register_module("blocks", torch::nn::ModuleList());
  for (int64_t i = 0; i < cfg.depth; ++i) blocks->push_back(Block(d, cfg.num_heads, cfg.mlp_ratio));
  norm = register_module("norm", vit_layer_norm(d));
}

torch::Tensor gather_tokens(const torch::Tensor& x, const torch::Tensor& ids) {
  return torch::gather(x, 1, ids.unsqueeze(-1).expand({-1, -1, x.size(2)}));
}

torch::Tensor VisionTransformerImpl::embed(const torch::Tensor& patches, const torch::Tensor& ids_keep) {
  const int64_t prefix = num_prefix_tokens();
  auto pos = pos_embed.narrow(1, prefix, cfg_.num_patches());  // [1, T, d]
  torch::Tensor x;
  if (ids_keep.defined()) {
    // Embed only the kept patches: [N, T', p*p*C] -> [N, T', d].
    x = patch_embed->forward(gather_tokens(patches, ids_keep));
    x = x + gather_tokens(pos.expand({patches.size(0), -1, -1}), ids_keep);
  } else {
    x = patch_embed->forward(patches) + pos;
  }
  if (cfg_.class_token) {
    auto cls = (cls_token + pos_embed.narrow(1, 0, 1)).expand({x.size(0), -1, -1});
    x = torch::cat({cls, x}, 1);  // [N, 1 + T', d]
  }
  return x;
}

torch::Tensor VisionTransformerImpl::forward(const torch::Tensor& patches, const torch::Tensor& ids_keep) {
  auto x = embed(patches, ids_keep);
  for (const auto& block : *blocks) x = block->as<Block>()->forward(x);
  return norm->forward(x);
}

std::vector<torch::Tensor> VisionTransformerImpl::attention_weights(const torch::Tensor& patches,
                                                                    const torch::Tensor& ids_keep) {
  std::vector<torch::Tensor> out;
  auto x = embed(patches, ids_keep);
  for (const auto& item : *blocks) {
    auto* block = item->as<Block>();
    out.push_back(block->attn->weights(block->norm1->forward(x)));
    x = block->forward(x);
  }
  return out;
}

torch::Tensor VisionTransformerImpl::pool(const torch::Tensor& z) const {
  const int64_t prefix = num_prefix_tokens();
  return z.narrow(1, prefix, z.size(1) - prefix).mean(1);
}

void init_vit_weights(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& item : module.named_modules("", /*include_self=*/false)) {
    auto& m = *item.value();
    if (auto* lin = m.as<torch::nn::Linear>()) {
      torch::nn::init::xavier_uniform_(lin->weight);
      if (lin->bias.defined()) lin->bias.zero_();
    } else if (auto* ln = m.as<torch::nn::LayerNorm>()) {
      ln->weight.fill_(1.0);
      ln->bias.zero_();
    } else if (auto* conv = m.as<torch::nn::Conv2d>()) {
      // MAE: initialise patch_embed like nn.Linear (xavier on the [d, p*p*C] view).
      auto w = conv->weight.view({conv->weight.size(0), -1});
      torch::nn::init::xavier_uniform_(w);
      if (conv->bias.defined()) conv->bias.zero_();
    }
  }
  auto ends_with = [](const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  for (auto& p : module.named_parameters(/*recurse=*/true)) {
    if (ends_with(p.key(), "cls_token") || ends_with(p.key(), "mask_token"))
      torch::nn::init::normal_(p.value(), 0.0, 0.02);
  }
}

}  // namespace can
