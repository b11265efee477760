#include "core/io/import_encoder.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/io/export.h"
#include "core/io/safetensors.h"
#include "core/util/json_limits.h"

namespace can::io {

namespace {

std::string shape_text(at::IntArrayRef shape) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
  s << "]";
  return s.str();
}

}  // namespace

ModelConfig exported_encoder_config(const std::string& safetensors_path) {
  const std::string json_path = architecture_json_path(safetensors_path);
  std::ifstream in(json_path);
  if (!in)
    throw std::runtime_error(json_path + ": cannot open the architecture file that can-export writes beside " +
                             safetensors_path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json j;
  try {
    j = parse_json_bounded(text.data(), text.data() + text.size());
  } catch (const JsonTextError& e) {
    throw std::runtime_error(json_path + ": " + e.what());
  }
  ModelConfig c;
  c.apply_preset("custom");
  try {
    c.img_size = j.at("img_size").get<int64_t>();
    c.patch_size = j.at("patch_size").get<int64_t>();
    c.in_chans = j.at("in_chans").get<int64_t>();
    c.embed_dim = j.at("embed_dim").get<int64_t>();
    c.depth = j.at("depth").get<int64_t>();
    c.num_heads = j.at("num_heads").get<int64_t>();
    c.mlp_ratio = j.at("mlp_ratio").get<double>();
    c.class_token = j.value("class_token", true);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(json_path + ": not an encoder architecture (" + std::string(e.what()) + ")");
  }
  try {
    c.validate();
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(json_path + ": " + e.what());
  }
  return c;
}

int64_t load_encoder_weights(VisionTransformer& encoder, const std::string& safetensors_path) {
  const SafetensorsFile file = read_safetensors(safetensors_path);
  torch::NoGradGuard no_grad;
  int64_t copied = 0;
  auto copy = [&](const std::string& name, torch::Tensor& target) {
    if (!file.contains(name))
      throw std::runtime_error(safetensors_path + ": " + name + ": missing (the model has " +
                               shape_text(target.sizes()) + ")");
    const torch::Tensor t = file.tensor(name);
    if (t.sizes() != target.sizes())
      throw std::runtime_error(safetensors_path + ": " + name + ": shape " + shape_text(t.sizes()) + " in the file, " +
                               shape_text(target.sizes()) + " in the model");
    target.copy_(t.to(target.dtype()));
    ++copied;
  };
  for (auto& item : encoder->named_parameters(/*recurse=*/true)) copy(item.key(), item.value());
  for (auto& item : encoder->named_buffers(/*recurse=*/true)) copy(item.key(), item.value());
  return copied;
}

CanModel load_exported_encoder(const std::string& safetensors_path) {
  const ModelConfig cfg = exported_encoder_config(safetensors_path);
  // C alone builds no decoder; its small projector is left unused by features().
  CanModel model(cfg, Objectives{true, false, false}, 0.0);
  load_encoder_weights(model->encoder, safetensors_path);
  model->eval();
  return model;
}

}  // namespace can::io
