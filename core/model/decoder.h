#pragma once
// CAN's light ViT decoder (spec steps 6-7): z back at its positions with the learned mask
// token [M] elsewhere, the noise-level embedding added to all T tokens, then
// Linear d->d_dec, fixed sin-cos position embedding, pre-norm blocks, LayerNorm and a
// Linear d_dec -> p*p*C prediction for every patch.

#include <torch/torch.h>

#include "core/model/heads.h"
#include "core/model/model_config.h"
#include "core/model/vit.h"

namespace can {

class CanDecoderImpl : public torch::nn::Module {
 public:
  // with_noise_embed: build the noise-level MLP (only when the N objective is on).
  CanDecoderImpl(const ModelConfig& cfg, bool with_noise_embed, double sigma_scale);

  // z: [N, T', d] encoder patch tokens (class token removed), ids_keep: [N, T'],
  // sigma: [N] (ignored without a noise embedding). Returns x_hat [N, T, p*p*C].
  torch::Tensor forward(const torch::Tensor& z, const torch::Tensor& ids_keep,
                        const torch::Tensor& sigma);

  torch::Tensor mask_token;         // [1, 1, d]
  NoiseLevelEmbed noise_embed{nullptr};
  torch::nn::Linear decoder_embed{nullptr};
  torch::Tensor decoder_pos_embed;  // [1, T, d_dec], fixed
  torch::nn::ModuleList decoder_blocks;
  torch::nn::LayerNorm decoder_norm{nullptr};
  torch::nn::Linear decoder_pred{nullptr};

 private:
  int64_t num_patches_;
};
TORCH_MODULE(CanDecoder);

}  // namespace can
