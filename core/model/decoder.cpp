#include "core/model/decoder.h"

#include "core/model/pos_embed.h"
#include "core/util/fast_linear.h"

namespace can {

CanDecoderImpl::CanDecoderImpl(const ModelConfig& cfg, bool with_noise_embed, double sigma_scale)
    : num_patches_(cfg.num_patches()) {
  const int64_t d = cfg.embed_dim, d_dec = cfg.decoder_embed_dim;
  mask_token = register_parameter("mask_token", torch::zeros({1, 1, d}));
  if (with_noise_embed) noise_embed = register_module("noise_embed", NoiseLevelEmbed(d, sigma_scale));
  decoder_embed = register_module("decoder_embed", torch::nn::Linear(d, d_dec));
  decoder_pos_embed = register_parameter(
      "decoder_pos_embed", sincos_pos_embed_2d(d_dec, cfg.grid_size(), false).unsqueeze(0),
      /*requires_grad=*/false);
  decoder_blocks = register_module("decoder_blocks", torch::nn::ModuleList());
  for (int64_t i = 0; i < cfg.decoder_depth; ++i)
    decoder_blocks->push_back(Block(d_dec, cfg.decoder_num_heads, cfg.mlp_ratio));
  decoder_norm = register_module("decoder_norm", vit_layer_norm(d_dec));
  decoder_pred = register_module("decoder_pred", torch::nn::Linear(d_dec, cfg.patch_dim()));
}

torch::Tensor CanDecoderImpl::forward(const torch::Tensor& z, const torch::Tensor& ids_keep,
                                      const torch::Tensor& sigma) {
  const int64_t n = z.size(0), d = z.size(2);
  // [M] everywhere, then the encoder tokens scattered back to their patch positions.
  auto x = mask_token.to(z.dtype()).expand({n, num_patches_, d}).contiguous();  // [N, T, d]
  x = x.scatter(1, ids_keep.unsqueeze(-1).expand({-1, -1, d}), z);
  if (noise_embed) x = x + noise_embed->forward(sigma).to(x.dtype()).unsqueeze(1);  // to every token, [M] too
  x = linear_layer(decoder_embed, x) + decoder_pos_embed;  // [N, T, d_dec]
  for (const auto& block : *decoder_blocks) x = block->as<Block>()->forward(x);
  return linear_layer(decoder_pred, decoder_norm->forward(x));  // [N, T, p*p*C]
}

}  // namespace can
