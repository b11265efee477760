#include "core/model/can_model.h"

#include "core/model/patchify.h"
#include "core/objectives/info_nce.h"
#include "core/objectives/masked_mse.h"

#include <stdexcept>

namespace can {

void LossParams::validate(const Objectives& objectives) const {
  auto fail = [](const std::string& key, const std::string& why) {
    throw std::invalid_argument("loss." + key + ": " + why);
  };
  if (!(mask_ratio >= 0.0 && mask_ratio < 1.0))
    fail("mask_ratio", "must be in [0, 1), got " + std::to_string(mask_ratio));
  if (!(sigma_max >= 0.0)) fail("sigma_max", "must be >= 0, got " + std::to_string(sigma_max));
  if (objectives.denoise && !(sigma_max > 0.0))
    fail("sigma_max", "must be > 0 when the denoising objective (N) is on");
  if (!(tau > 0.0)) fail("tau", "must be > 0, got " + std::to_string(tau));
  for (auto [key, value] : {std::pair{"w_infonce", lambda_c}, {"w_rec", lambda_a}, {"w_denoise", lambda_n}})
    if (!(value >= 0.0) || !std::isfinite(value))
      fail(key, "must be a finite number >= 0, got " + std::to_string(value));
  if (objectives.reconstruction && mask_ratio <= 0.0)
    fail("mask_ratio", "must be > 0 when the reconstruction objective (A) is on: nothing would be reconstructed");
}

void apply_mode(const std::string& mode, Objectives& objectives, LossParams& loss) {
  if (mode == "can") {
    objectives = {true, true, true};
    loss.mask_ratio = 0.5;
  } else if (mode == "mae") {
    objectives = {false, true, false};
    loss.mask_ratio = 0.75;
  } else if (mode == "simclr") {
    objectives = {true, false, false};
    loss.mask_ratio = 0.0;
  } else if (mode != "custom") {
    throw std::invalid_argument("objectives.mode: unknown mode '" + mode +
                                "' (expected can, mae, simclr or custom)");
  }
}

CanModelImpl::CanModelImpl(const ModelConfig& cfg, const Objectives& objectives,
                           double sigma_max_at_build)
    : cfg_(cfg), objectives_(objectives) {
  cfg_.validate();
  if (!objectives.contrastive && !objectives.needs_decoder())
    throw std::invalid_argument("objectives: at least one of C, A, N must be on");
  noise_embed_scale_ = cfg.noise_embed_scale > 0 ? cfg.noise_embed_scale
                       : sigma_max_at_build > 0  ? 1000.0 / sigma_max_at_build
                                                 : 1.0;
  encoder = register_module("encoder", VisionTransformer(cfg_));
  if (objectives.contrastive) {
    const int64_t hidden = cfg.proj_hidden_dim > 0 ? cfg.proj_hidden_dim : cfg.embed_dim;
    projector = register_module("projector", Projector(cfg.embed_dim, hidden, cfg.proj_dim));
  }
  if (objectives.needs_decoder())
    decoder = register_module("decoder", CanDecoder(cfg_, objectives.denoise, noise_embed_scale_));
  init_vit_weights(*this);
}

CanOutput CanModelImpl::forward(const torch::Tensor& view1, const torch::Tensor& view2,
                                const LossParams& params, c10::optional<at::Generator> gen,
                                const DrawShard& shard) {
  shard.validate();
  CanOutput out;
  out.num_views = objectives_.num_views();
  // Step 1: the views, stacked view-major so that one pass of every module serves both.
  out.clean = out.num_views == 2 ? torch::cat({view1, view2}, 0) : view1;  // [V*n, C, H, W]
  const int64_t batch = out.clean.size(0);
  const int64_t global = batch * shard.world;  // V * world * n rows drawn, V * n kept
  const auto opts = out.clean.options();
  auto draw_sizes = out.clean.sizes().vec();
  draw_sizes[0] = global;

  // Step 2: noise sigma ~ U[0, sigma_max] per image and view; none without N.
  if (objectives_.denoise) {
    out.sigma = take_shard(at::rand({global}, gen, opts), out.num_views, shard) * params.sigma_max;
    out.noise = take_shard(at::randn(draw_sizes, gen, opts), out.num_views, shard) * out.sigma.view({-1, 1, 1, 1});
    out.noisy = out.clean + out.noise;
  } else {
    out.sigma = torch::zeros({batch}, opts);
    out.noise = torch::zeros_like(out.clean);
    out.noisy = out.clean;
  }

  // Step 3: patches and a per-view mask keeping exactly floor(T(1-m)) patches.
  const int64_t p = cfg_.patch_size;
  auto patches = patchify(out.noisy, p);  // [V*n, T, p*p*C]
  auto mask_noise = at::rand({global, cfg_.num_patches()}, gen, torch::TensorOptions().device(out.clean.device()));
  auto m = random_masking_from_noise(take_shard(mask_noise, out.num_views, shard), params.mask_ratio);
  out.mask = m.mask;
  out.ids_keep = m.ids_keep;

  // Step 4: the encoder on the visible patches only.
  out.z = encoder->forward(patches, out.ids_keep);  // [V*n, (1+)T', d]
  const int64_t prefix = encoder->num_prefix_tokens();
  auto zero = torch::zeros({}, opts);
  out.loss_info_nce = out.loss_rec = out.loss_denoise = zero;

  // Step 5: contrastive branch.
  if (objectives_.contrastive) {
    out.u = projector->forward(encoder->pool(out.z));  // [2n, r]
    out.loss_info_nce = info_nce_from_embeddings(out.u, params.tau);
  }

  // Steps 6-9: decoder, reconstruction of masked patches, denoising of visible ones.
  if (decoder) {
    auto z_patches = out.z.narrow(1, prefix, out.z.size(1) - prefix);
    out.x_hat = decoder->forward(z_patches, out.ids_keep, out.sigma);  // [V*n, T, p*p*C]
    if (objectives_.reconstruction)
      out.loss_rec = reconstruction_loss(out.x_hat, patchify(out.clean, p), out.mask, params.norm_pix);
    if (objectives_.denoise)
      out.loss_denoise = denoise_loss(out.x_hat, patchify(out.noise, p), out.mask);
  }

  // Step 10: the weighted total.
  out.loss = params.lambda_c * out.loss_info_nce + params.lambda_a * out.loss_rec +
             params.lambda_n * out.loss_denoise;
  return out;
}

torch::Tensor CanModelImpl::features(const torch::Tensor& images) {
  auto z = encoder->forward(patchify(images, cfg_.patch_size), torch::Tensor());
  return encoder->pool(z);
}

}  // namespace can
