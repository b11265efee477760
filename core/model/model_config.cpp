#include "core/model/model_config.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "core/util/json_fields.h"

namespace can {

namespace {
struct Preset {
  const char* name;
  int64_t d, depth, heads, dec_d, dec_depth, dec_heads;
};
// Encoder sizes are timm's; decoders: the spec's ViT-B default (512/8/16) for base and up,
// proportionally lighter ones below.
constexpr Preset kPresets[] = {
    {"tiny", 192, 12, 3, 128, 2, 4},   {"small", 384, 12, 6, 256, 4, 8},
    {"base", 768, 12, 12, 512, 8, 16}, {"large", 1024, 24, 16, 512, 8, 16},
    {"huge", 1280, 32, 16, 512, 8, 16},
};
}  // namespace

void ModelConfig::apply_preset(const std::string& name) {
  preset = name;
  if (name == "custom") return;
  for (const auto& p : kPresets) {
    if (name == p.name) {
      embed_dim = p.d;
      depth = p.depth;
      num_heads = p.heads;
      decoder_embed_dim = p.dec_d;
      decoder_depth = p.dec_depth;
      decoder_num_heads = p.dec_heads;
      return;
    }
  }
  throw std::invalid_argument("model.preset: unknown preset '" + name +
                              "' (expected tiny, small, base, large, huge or custom)");
}

void ModelConfig::validate() const {
  // The rules that combine keys. Each key's own range is checked by the settings schema
  // (RunConfig::validate); the positivity tests here guard the divisions that follow, for
  // a ModelConfig built in code.
  auto fail = [](const std::string& key, const std::string& why) {
    throw std::invalid_argument("model." + key + ": " + why);
  };
  if (patch_size <= 0 || img_size <= 0 || img_size % patch_size != 0)
    fail("patch_size", std::to_string(patch_size) + " does not divide the image size " + std::to_string(img_size));
  if (embed_dim <= 0 || embed_dim % 4 != 0)
    fail("embed_dim",
         "must be a multiple of 4 for the 2D sin-cos position embedding, got " + std::to_string(embed_dim));
  if (num_heads <= 0 || embed_dim % num_heads != 0)
    fail("num_heads", std::to_string(num_heads) + " does not divide embed_dim " + std::to_string(embed_dim));
  if (decoder_embed_dim <= 0 || decoder_embed_dim % 4 != 0)
    fail("decoder_embed_dim", "must be a positive multiple of 4, got " + std::to_string(decoder_embed_dim));
  if (decoder_num_heads <= 0 || decoder_embed_dim % decoder_num_heads != 0)
    fail("decoder_num_heads", std::to_string(decoder_num_heads) + " does not divide decoder_embed_dim " +
                                  std::to_string(decoder_embed_dim));
  if (depth <= 0 || in_chans <= 0 || proj_dim <= 0 || !(mlp_ratio > 0))
    fail(depth <= 0      ? "depth"
         : in_chans <= 0 ? "in_chans"
         : proj_dim <= 0 ? "proj_dim"
                         : "mlp_ratio",
         "must be positive");
}

void to_json(nlohmann::json& j, const ModelConfig& c) {
  j = nlohmann::json{{"preset", c.preset},
                     {"embed_dim", c.embed_dim},
                     {"depth", c.depth},
                     {"num_heads", c.num_heads},
                     {"decoder_embed_dim", c.decoder_embed_dim},
                     {"decoder_depth", c.decoder_depth},
                     {"decoder_num_heads", c.decoder_num_heads},
                     {"img_size", c.img_size},
                     {"in_chans", c.in_chans},
                     {"patch_size", c.patch_size},
                     {"mlp_ratio", c.mlp_ratio},
                     {"class_token", c.class_token},
                     {"proj_hidden_dim", c.proj_hidden_dim},
                     {"proj_dim", c.proj_dim},
                     {"noise_embed_scale", c.noise_embed_scale},
                     {"init_from", c.init_from}};
}

void from_json(const nlohmann::json& j, ModelConfig& c) {
  // A preset first, so that explicit sizes in the same object override it.
  if (j.contains("preset")) c.apply_preset(j.at("preset").get<std::string>());
  read_if_present(j, "embed_dim", c.embed_dim);
  read_if_present(j, "depth", c.depth);
  read_if_present(j, "num_heads", c.num_heads);
  read_if_present(j, "decoder_embed_dim", c.decoder_embed_dim);
  read_if_present(j, "decoder_depth", c.decoder_depth);
  read_if_present(j, "decoder_num_heads", c.decoder_num_heads);
  read_if_present(j, "img_size", c.img_size);
  read_if_present(j, "in_chans", c.in_chans);
  read_if_present(j, "patch_size", c.patch_size);
  read_if_present(j, "mlp_ratio", c.mlp_ratio);
  read_if_present(j, "class_token", c.class_token);
  read_if_present(j, "proj_hidden_dim", c.proj_hidden_dim);
  read_if_present(j, "proj_dim", c.proj_dim);
  read_if_present(j, "noise_embed_scale", c.noise_embed_scale);
  read_if_present(j, "init_from", c.init_from);
}

}  // namespace can
