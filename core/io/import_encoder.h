#pragma once
// Encoders from outside a run: a .safetensors file under timm's VisionTransformer names,
// as can-export writes it (the architecture in the .json beside it) or as timm saves any
// ViT (the architecture given by the caller). Used by can-eval on exported encoders and by
// model.init_from, which starts a run's encoder from such weights.

#include <string>

#include "core/model/can_model.h"

namespace can::io {

// The architecture JSON can-export writes beside FILE.safetensors (export.h), as a model
// config: img_size, patch_size, in_chans, embed_dim, depth, num_heads, mlp_ratio,
// class_token. Throws std::runtime_error naming the file when it is missing or lacks a key.
ModelConfig exported_encoder_config(const std::string& safetensors_path);

// Copies every parameter and buffer of `encoder` from the file, by its timm name. A tensor
// the encoder has and the file lacks, or one whose shape differs, is refused by name
// ("blocks.0.attn.qkv.weight: shape [96, 32] in the file, [192, 64] in the model"); tensors
// the encoder does not have (a classifier head) are ignored. Returns how many were copied.
int64_t load_encoder_weights(VisionTransformer& encoder, const std::string& safetensors_path);

// An encoder-only model (no decoder; the projector is not used) with the exported weights,
// for evaluation. The config is exported_encoder_config's.
CanModel load_exported_encoder(const std::string& safetensors_path);

}  // namespace can::io
