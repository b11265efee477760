#include "core/io/export.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"

namespace can::io {

namespace {

// Parameters then buffers of a module, detached F32 CPU copies under their full names.
NamedTensors module_tensors(torch::nn::Module& module) {
  NamedTensors out;
  for (const auto& item : module.named_parameters(/*recurse=*/true))
    out.emplace_back(item.key(), item.value().detach().to(torch::kCPU, torch::kFloat32).contiguous());
  for (const auto& item : module.named_buffers(/*recurse=*/true))
    out.emplace_back(item.key(), item.value().detach().to(torch::kCPU, torch::kFloat32).contiguous());
  return out;
}

}  // namespace

NamedTensors encoder_tensors(CanModel& model) { return module_tensors(*model->encoder); }

nlohmann::json encoder_architecture(const ModelConfig& cfg) {
  nlohmann::json kwargs = {
      {"img_size", cfg.img_size},
      {"patch_size", cfg.patch_size},
      {"in_chans", cfg.in_chans},
      {"num_classes", 0},
      {"global_pool", "avg"},
      {"embed_dim", cfg.embed_dim},
      {"depth", cfg.depth},
      {"num_heads", cfg.num_heads},
      {"mlp_ratio", cfg.mlp_ratio},
      {"qkv_bias", true},
      {"class_token", cfg.class_token},
      {"fc_norm", false},
  };
  return {
      {"architecture", "vit_custom"},
      {"img_size", cfg.img_size},
      {"patch_size", cfg.patch_size},
      {"in_chans", cfg.in_chans},
      {"embed_dim", cfg.embed_dim},
      {"depth", cfg.depth},
      {"num_heads", cfg.num_heads},
      {"mlp_ratio", cfg.mlp_ratio},
      {"class_token", cfg.class_token},
      {"global_pool", "avg"},
      {"num_classes", 0},
      {"pos_embed", "fixed 2D sine-cosine (stored; not learned)"},
      {"layer_norm_eps", 1e-6},
      {"timm_create_model_kwargs", kwargs},
  };
}

std::string architecture_json_path(const std::string& safetensors_path) {
  return std::filesystem::path(safetensors_path).replace_extension(".json").string();
}

void export_encoder(CanModel& model, const std::string& path_safetensors) {
  const nlohmann::json arch = encoder_architecture(model->config());
  const std::string json_path = architecture_json_path(path_safetensors);
  if (json_path == path_safetensors)
    throw SafetensorsError(path_safetensors + ": the encoder file must not end in .json");
  write_safetensors(path_safetensors, encoder_tensors(model),
                    {{"format", "pt"}, {"can_architecture", arch.dump()}});
  write_file_atomic(json_path, arch.dump(2) + "\n");
}

void export_full_model(CanModel& model, const std::string& path_safetensors) {
  nlohmann::json cfg = model->config();
  nlohmann::json objectives = model->objectives();
  write_safetensors(path_safetensors, module_tensors(*model),
                    {{"format", "pt"},
                     {"can_model_config", cfg.dump()},
                     {"can_objectives", objectives.dump()},
                     {"can_noise_embed_scale", nlohmann::json(model->noise_embed_scale()).dump()}});
}

}  // namespace can::io
