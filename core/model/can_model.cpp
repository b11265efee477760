#include "core/model/can_model.h"

#include "core/model/patchify.h"
#include "core/objectives/info_nce.h"
#include "core/util/number_text.h"
#include "core/objectives/masked_mse.h"

#include <stdexcept>

namespace can {

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

StepDraws StepDraws::to(const torch::Device& device) const {
  auto move = [&device](const torch::Tensor& t) { return t.defined() ? t.to(device) : t; };
  return {move(sigma_unit), move(e), move(mask_noise), move(sigma_embed)};
}

StepDraws CanModelImpl::draw(int64_t n, const torch::TensorOptions& options, c10::optional<at::Generator> gen,
                             const DrawShard& shard) const {
  shard.validate();
  const int64_t views = objectives_.num_views();
  const int64_t global = views * n * shard.world;  // V * world * n rows drawn, V * n kept
  StepDraws d;
  if (objectives_.denoise) {
    d.sigma_unit = take_shard(at::rand({global}, gen, options), views, shard);
    d.e = take_shard(at::randn({global, cfg_.in_chans, cfg_.img_size, cfg_.img_size}, gen, options), views, shard);
  }
  auto mask_noise = at::rand({global, cfg_.num_patches()}, gen, torch::TensorOptions().device(options.device()));
  d.mask_noise = take_shard(mask_noise, views, shard);
  return d;
}

CanOutput CanModelImpl::forward(const torch::Tensor& view1, const torch::Tensor& view2, const LossParams& params,
                                c10::optional<at::Generator> gen, const DrawShard& shard,
                                const EmbeddingGather& gather) {
  return forward(view1, view2, params, draw(view1.size(0), view1.options(), gen, shard), gather);
}

CanOutput CanModelImpl::forward(const torch::Tensor& view1, const torch::Tensor& view2, const LossParams& params,
                                const StepDraws& draws, const EmbeddingGather& gather) {
  CanOutput out;
  out.num_views = objectives_.num_views();
  // Step 1: the views, stacked view-major so that one pass of every module serves both.
  out.clean = out.num_views == 2 ? torch::cat({view1, view2}, 0) : view1;  // [V*n, C, H, W]
  const int64_t batch = out.clean.size(0);
  const auto opts = out.clean.options();
  TORCH_CHECK(draws.mask_noise.defined() && draws.mask_noise.size(0) == batch,
              "CanModel::forward: the draws are for another batch size");

  // Step 2: noise sigma ~ U[0, sigma_max] per image and view; none without N. Float32 (the
  // views' type), also under autocast: the smallest noise levels are below bf16's step.
  if (objectives_.denoise) {
    TORCH_CHECK(draws.sigma_unit.defined() && draws.e.defined(), "CanModel::forward: N needs sigma and e draws");
    out.sigma = draws.sigma_unit * params.sigma_max;
    out.noise = draws.e * out.sigma.view({-1, 1, 1, 1});
    if (params.noise_space == "pixel") {  // sigma in pixel units: sigma*e/std_c in the normalised view
      TORCH_CHECK(static_cast<int64_t>(params.pixel_std.size()) == cfg_.in_chans,
                  "loss.noise_space pixel: needs the data's std for each of the ", cfg_.in_chans, " channels");
      out.noise = out.noise / torch::tensor(params.pixel_std, opts).view({1, -1, 1, 1});
    }
    out.noisy = out.clean + out.noise;
  } else {
    out.sigma = torch::zeros({batch}, opts);
    out.noise = torch::zeros_like(out.clean);
    out.noisy = out.clean;
  }

  // Step 3: patches and a per-view mask keeping exactly floor(T(1-m)) patches.
  const int64_t p = cfg_.patch_size;
  auto patches = patchify(out.noisy, p);  // [V*n, T, p*p*C]
  auto m = random_masking_from_noise(draws.mask_noise, params.mask_ratio);
  out.mask = m.mask;
  out.ids_keep = m.ids_keep;

  // Step 4: the encoder on the visible patches only.
  out.z = encoder->forward(patches, out.ids_keep);  // [V*n, (1+)T', d]
  const int64_t prefix = encoder->num_prefix_tokens();
  auto zero = torch::zeros({}, opts);
  out.loss_info_nce = out.loss_rec = out.loss_denoise = zero;

  // Step 5: contrastive branch; the negatives span every process (gather_views).
  if (objectives_.contrastive) {
    out.u = projector->forward(encoder->pool(out.z));  // [2n, r], float32
    out.loss_info_nce = info_nce_from_embeddings(gather_views(out.u, gather), params.tau);
  }

  // Steps 6-9: decoder, reconstruction of masked patches, denoising of visible ones.
  if (decoder) {
    auto z_patches = out.z.narrow(1, prefix, out.z.size(1) - prefix);
    const torch::Tensor& sigma_embed = draws.sigma_embed.defined() ? draws.sigma_embed : out.sigma;  // the sweep's seam
    out.x_hat = decoder->forward(z_patches, out.ids_keep, sigma_embed)
                    .to(torch::kFloat32);  // [V*n, T, p*p*C]; float32 under autocast too
    if (objectives_.reconstruction)
      out.loss_rec = reconstruction_loss(out.x_hat, patchify(out.clean, p), out.mask, params.norm_pix);
    if (objectives_.denoise) {
      const torch::Tensor& target = params.denoise_target == "unit" ? draws.e : out.noise;
      out.loss_denoise = denoise_loss(out.x_hat, patchify(target, p), out.mask);
    }
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
