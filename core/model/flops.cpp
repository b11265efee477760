#include "core/model/flops.h"

#include "core/model/patchify.h"

namespace can {

namespace {
// One pre-norm ViT block on L tokens of width D with MLP ratio r:
// qkv 2*L*D*3D, scores and weighted sum 2 * 2*L*L*D, proj 2*L*D*D, MLP 2 * 2*L*D*rD.
double block_flops(double L, double D, double r) {
  return 2 * L * D * 3 * D + 4 * L * L * D + 2 * L * D * D + 4 * L * D * r * D;
}
}  // namespace

StepFlops can_step_flops(const ModelConfig& cfg, const Objectives& objectives, double mask_ratio,
                         int64_t batch_size) {
  StepFlops f;
  const double views = objectives.num_views();
  const double T = static_cast<double>(cfg.num_patches());
  const double keep = static_cast<double>(num_keep(cfg.num_patches(), mask_ratio));
  const double L = keep + (cfg.class_token ? 1 : 0);
  const double d = static_cast<double>(cfg.embed_dim), dd = static_cast<double>(cfg.decoder_embed_dim);
  const double K = static_cast<double>(cfg.patch_dim());
  f.encoder = views * (2 * keep * K * d + cfg.depth * block_flops(L, d, cfg.mlp_ratio));
  if (objectives.contrastive) {
    const double hidden = cfg.proj_hidden_dim > 0 ? cfg.proj_hidden_dim : d;
    f.projector = views * (2 * d * hidden + 2 * hidden * cfg.proj_dim);
    // [2n, r] x [r, 2n] similarities, shared by the n images.
    f.info_nce = 2.0 * (2.0 * batch_size) * (2.0 * batch_size) * cfg.proj_dim / batch_size;
  }
  if (objectives.needs_decoder()) {
    const double noise_mlp = objectives.denoise ? 2 * 2 * d * d : 0;
    f.decoder = views * (noise_mlp + 2 * T * d * dd + cfg.decoder_depth * block_flops(T, dd, cfg.mlp_ratio) +
                         2 * T * dd * K);
  }
  return f;
}

}  // namespace can
