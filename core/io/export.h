#pragma once
// Export of a trained CAN model as safetensors (docs/method.md "Evaluation and interchange").
//
// The encoder is written under timm's VisionTransformer names exactly (cls_token,
// pos_embed, patch_embed.proj.*, blocks.{i}.*, norm.*), F32, so that
// timm.models.vision_transformer.VisionTransformer(**kwargs).load_state_dict() takes it
// unchanged; a JSON file beside it holds the architecture and those kwargs.

#include <nlohmann/json_fwd.hpp>

#include <string>

#include "core/io/safetensors.h"
#include "core/model/can_model.h"

namespace can::io {

// The encoder's tensors under timm's names (parameters and buffers), F32, CPU, in
// registration order.
NamedTensors encoder_tensors(CanModel& model);

// The architecture in timm terms: {"architecture": "vit_custom", "img_size", "patch_size",
// "in_chans", "embed_dim", "depth", "num_heads", "mlp_ratio", "class_token",
// "global_pool": "avg", "num_classes": 0, "timm_create_model_kwargs": {...}}.
// The kwargs set fc_norm=false: timm's default with global_pool="avg" would move the final
// LayerNorm after pooling (and rename it fc_norm), while ours normalises tokens then pools.
nlohmann::json encoder_architecture(const ModelConfig& cfg);

// "dir/encoder.safetensors" -> "dir/encoder.json" (the stem plus ".json").
std::string architecture_json_path(const std::string& safetensors_path);

// Writes the encoder to path_safetensors and the architecture to architecture_json_path(),
// both atomically. The safetensors __metadata__ holds {"format": "pt"} (what
// safetensors.torch writes) and the architecture JSON. Throws SafetensorsError /
// std::runtime_error naming the file on failure.
void export_encoder(CanModel& model, const std::string& path_safetensors);

// Every parameter and buffer of the whole model under its full name (encoder.*,
// projector.*, decoder.*), F32. __metadata__ holds {"format": "pt"}, the model config,
// the objectives and the noise-embedding scale as JSON strings.
void export_full_model(CanModel& model, const std::string& path_safetensors);

}  // namespace can::io
