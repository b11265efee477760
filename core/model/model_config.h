#pragma once
// The architecture of a CAN model: ViT encoder, light ViT decoder, projector and the
// noise-level MLP. One commented line per field; presets follow timm's ViT sizes.

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/config/objectives.h"  // Objectives, which a model is built with

namespace can {

struct ModelConfig {
  std::string preset = "tiny";     // tiny|small|base|large|huge|custom (sets the five fields below)
  int64_t embed_dim = 192;         // d, encoder width
  int64_t depth = 12;              // encoder blocks
  int64_t num_heads = 3;           // encoder attention heads (must divide d)
  int64_t decoder_embed_dim = 128; // d_dec; the spec's ViT-B default is 512, smaller models use smaller decoders
  int64_t decoder_depth = 2;       // decoder blocks
  int64_t decoder_num_heads = 4;   // decoder attention heads (must divide d_dec)

  int64_t img_size = 28;           // h = w, pixels after augmentation
  int64_t in_chans = 1;            // C, follows the data (1 or 3)
  int64_t patch_size = 4;          // p, must divide img_size; T = (img_size/p)^2
  double mlp_ratio = 4.0;          // hidden width of every block's MLP = mlp_ratio * width
  bool class_token = true;         // timm's cls_token (excluded from the contrastive mean pool)
  int64_t proj_hidden_dim = 0;     // projector hidden width; 0 means d (spec default Linear d->d)
  int64_t proj_dim = 128;          // r, width of the normalised contrastive embedding u
  // Noise-level conditioning: sigma is scaled by noise_embed_scale before the sinusoid.
  // 0 means "1000 / sigma_max at build time" (spec step 6); the value actually used is
  // fixed when the model is built and saved with it, so later sigma_max changes do not
  // change what an embedding means. 1 embeds raw sigma, as the references do.
  double noise_embed_scale = 0.0;
  // A .safetensors encoder under timm's names (can-export's, or a timm ViT's) that a new run
  // starts its encoder from (core/io/import_encoder.h); "" = random initialisation. A
  // tensor missing or of another shape is refused by name before training.
  std::string init_from;

  int64_t grid_size() const { return img_size / patch_size; }
  int64_t num_patches() const { return grid_size() * grid_size(); }        // T
  int64_t patch_dim() const { return patch_size * patch_size * in_chans; } // p*p*C

  // Sets d/depth/heads and the decoder of a named preset; "custom" leaves them alone.
  // Throws std::invalid_argument naming the preset when unknown.
  void apply_preset(const std::string& name);
  // Throws std::invalid_argument naming the first impossible field ("model.patch_size ...").
  void validate() const;
};

void to_json(nlohmann::json& j, const ModelConfig& c);
void from_json(const nlohmann::json& j, ModelConfig& c);

}  // namespace can
