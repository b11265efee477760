#include "core/model/model_config.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "core/config/json_fields.h"

namespace can {

std::string Objectives::describe() const {
  if (contrastive && reconstruction && denoise) return "CAN";
  if (!contrastive && reconstruction && !denoise) return "MAE";
  if (contrastive && !reconstruction && !denoise) return "SimCLR";
  std::string s;
  auto add = [&s](const char* t) { s += s.empty() ? t : std::string("+") + t; };
  if (contrastive) add("C");
  if (reconstruction) add("A");
  if (denoise) add("N");
  return s.empty() ? "none" : s;
}

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
  auto fail = [](const std::string& key, const std::string& why) {
    throw std::invalid_argument("model." + key + ": " + why);
  };
  if (img_size <= 0) fail("img_size", "must be positive, got " + std::to_string(img_size));
  if (in_chans <= 0) fail("in_chans", "must be positive, got " + std::to_string(in_chans));
  if (patch_size <= 0) fail("patch_size", "must be positive, got " + std::to_string(patch_size));
  if (img_size % patch_size != 0)
    fail("patch_size", std::to_string(patch_size) + " does not divide the image size " +
                           std::to_string(img_size));
  if (embed_dim <= 0 || embed_dim % 2 != 0)
    fail("embed_dim", "must be positive and even (sin-cos embeddings), got " + std::to_string(embed_dim));
  if (embed_dim % 4 != 0)
    fail("embed_dim", "must be a multiple of 4 for the 2D sin-cos position embedding, got " +
                          std::to_string(embed_dim));
  if (depth <= 0) fail("depth", "must be positive, got " + std::to_string(depth));
  if (num_heads <= 0 || embed_dim % num_heads != 0)
    fail("num_heads", std::to_string(num_heads) + " does not divide embed_dim " + std::to_string(embed_dim));
  if (decoder_embed_dim <= 0 || decoder_embed_dim % 4 != 0)
    fail("decoder_embed_dim", "must be a positive multiple of 4, got " + std::to_string(decoder_embed_dim));
  if (decoder_depth < 0) fail("decoder_depth", "must be >= 0, got " + std::to_string(decoder_depth));
  if (decoder_num_heads <= 0 || decoder_embed_dim % decoder_num_heads != 0)
    fail("decoder_num_heads", std::to_string(decoder_num_heads) + " does not divide decoder_embed_dim " +
                                  std::to_string(decoder_embed_dim));
  if (!(mlp_ratio > 0)) fail("mlp_ratio", "must be positive");
  if (proj_hidden_dim < 0) fail("proj_hidden_dim", "must be >= 0 (0 means embed_dim)");
  if (proj_dim <= 0) fail("proj_dim", "must be positive, got " + std::to_string(proj_dim));
  if (noise_embed_scale < 0) fail("noise_embed_scale", "must be >= 0 (0 means 1000/sigma_max)");
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
                     {"noise_embed_scale", c.noise_embed_scale}};
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
}

void to_json(nlohmann::json& j, const Objectives& o) {
  j = nlohmann::json{{"contrastive", o.contrastive},
                     {"reconstruction", o.reconstruction},
                     {"denoise", o.denoise}};
}

void from_json(const nlohmann::json& j, Objectives& o) {
  read_if_present(j, "contrastive", o.contrastive);
  read_if_present(j, "reconstruction", o.reconstruction);
  read_if_present(j, "denoise", o.denoise);
}

}  // namespace can
