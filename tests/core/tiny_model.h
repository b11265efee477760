#pragma once
// A tiny CAN configuration that keeps the model tests fast (d=32, 2 blocks, 16x16 images).

#include "core/model/model_config.h"

namespace can::test {

inline ModelConfig tiny_model_config(int64_t channels = 1) {
  ModelConfig c;
  c.apply_preset("custom");
  c.embed_dim = 32;
  c.depth = 2;
  c.num_heads = 2;
  c.decoder_embed_dim = 16;
  c.decoder_depth = 1;
  c.decoder_num_heads = 2;
  c.img_size = 16;
  c.in_chans = channels;
  c.patch_size = 4;  // T = 16
  c.proj_dim = 8;
  return c;
}

}  // namespace can::test
