#pragma once
// The CAN model (docs/method.md "One training step"): noise -> mask -> encoder ->
// {projector -> InfoNCE, decoder -> reconstruction + denoising}. forward() returns every
// intermediate the studio draws, so a visualiser needs no second pass.

#include <torch/torch.h>

#include <string>

#include "core/model/decoder.h"
#include "core/model/draw_shard.h"
#include "core/model/heads.h"
#include "core/config/objectives.h"
#include "core/model/model_config.h"
#include "core/model/vit.h"
#include "core/objectives/info_nce.h"

namespace can {

struct CanOutput {
  int64_t num_views = 0;   // V: 2 with C, 1 without; tensors below stack the views view-major [V*n]
  torch::Tensor clean;     // [V*n, C, H, W] the augmented views before noise (reconstruction target)
  torch::Tensor noise;     // [V*n, C, H, W] sigma * e, the denoising target (zeros without N)
  torch::Tensor noisy;     // [V*n, C, H, W] clean + noise, what the encoder sees
  torch::Tensor sigma;     // [V*n] noise level of each view
  torch::Tensor mask;      // [V*n, T] 1 = masked, 0 = visible
  torch::Tensor ids_keep;  // [V*n, T'] visible patch indices
  torch::Tensor z;         // [V*n, (1+)T', d] encoder output
  torch::Tensor u;         // [V*n, r] this process's normalised projections (undefined without C)
  torch::Tensor x_hat;     // [V*n, T, p*p*C] decoder predictions (undefined without a decoder)
  torch::Tensor loss_info_nce, loss_rec, loss_denoise;  // scalars, 0 when the term is off
  torch::Tensor loss;      // lambda_c*L_InfoNCE + lambda_a*L_rec + lambda_n*L_denoise
};

// The random draws of one step (spec steps 2 and 3), kept apart from the forward pass so that
// the same draws can be fed to two devices (can-device-check) or written down. Already
// sharded for this process (draw_shard.h); undefined sigma_unit / e without N.
struct StepDraws {
  torch::Tensor sigma_unit;  // [V*n] ~ U[0, 1]; sigma = sigma_unit * loss.sigma_max
  torch::Tensor e;           // [V*n, C, H, W] ~ N(0, I)
  torch::Tensor mask_noise;  // [V*n, T] ~ U[0, 1]; a view keeps its floor(T(1-m)) smallest
  // Not a draw: an analysis seam, never set by draw() or the trainer. When defined ([V*n]),
  // the decoder's noise-level embedding gets this sigma instead of the one the noise was
  // added with, so the sigma sweep (core/analysis/sigma_sweep) can give the decoder a wrong
  // or zero noise level on unchanged noise. Here rather than in the decoder or
  // NoiseLevelEmbed because forward() is the one place both sigmas are known, and a field of
  // the draws leaves every signature and the training path as they were.
  torch::Tensor sigma_embed;

  StepDraws to(const torch::Device& device) const;  // copies every defined tensor
};

class CanModelImpl : public torch::nn::Module {
 public:
  // sigma_max_at_build fixes the noise-level embedding's scale (1000 / sigma_max) when
  // model.noise_embed_scale is 0; see ModelConfig.
  CanModelImpl(const ModelConfig& cfg, const Objectives& objectives, double sigma_max_at_build);

  // view1, view2: [n, C, H, W] normalised views of the same n images (view2 is ignored, and
  // may be undefined, without C). gen: optional generator for noise and masks. shard: in
  // data-parallel training, sigma, e and the mask noise are drawn for the global batch of
  // shard.world * n images and this rank keeps its samples' draws (draw_shard.h); the
  // default (0 of 1) draws exactly what it always did. gather: in data-parallel training,
  // each view's projections are gathered from every process before InfoNCE, so that the
  // term and the total are computed here, once, with the negatives of the global batch
  // (info_nce.h); the default (none) is the single-process loss.
  CanOutput forward(const torch::Tensor& view1, const torch::Tensor& view2, const LossParams& params,
                    c10::optional<at::Generator> gen = c10::nullopt, const DrawShard& shard = {},
                    const EmbeddingGather& gather = {});
  // The same step with its draws given: forward(v1, v2, p, gen, shard, gather) is
  // forward(v1, v2, p, draw(v1.size(0), v1.options(), gen, shard), gather).
  CanOutput forward(const torch::Tensor& view1, const torch::Tensor& view2, const LossParams& params,
                    const StepDraws& draws, const EmbeddingGather& gather = {});
  // The draws of one step for n images per view, in the generator order the trainer has
  // always used (sigma, e, mask noise); options give the dtype and device of sigma and e.
  StepDraws draw(int64_t n, const torch::TensorOptions& options, c10::optional<at::Generator> gen = c10::nullopt,
                 const DrawShard& shard = {}) const;

  // Encoder features of unmasked, noise-free images for evaluation: mean of patch tokens.
  torch::Tensor features(const torch::Tensor& images);

  const ModelConfig& config() const { return cfg_; }
  const Objectives& objectives() const { return objectives_; }
  double noise_embed_scale() const { return noise_embed_scale_; }

  VisionTransformer encoder{nullptr};
  Projector projector{nullptr};  // only with C
  CanDecoder decoder{nullptr};   // only with A or N (SimCLR builds none)

 private:
  ModelConfig cfg_;
  Objectives objectives_;
  double noise_embed_scale_ = 0.0;
};
TORCH_MODULE(CanModel);

}  // namespace can
