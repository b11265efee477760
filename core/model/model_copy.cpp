#include "core/model/model_copy.h"

#include <ATen/CPUGeneratorImpl.h>

#include <mutex>
#include <stdexcept>
#include <string>

namespace can {

CanModel copy_model(const CanModel& source, const torch::Device& device) {
  // The resolved noise scale goes into the config: the copy must not recompute it from a
  // sigma_max that may have changed live since the source was built.
  ModelConfig cfg = source->config();
  cfg.noise_embed_scale = source->noise_embed_scale();
  // Building a model draws its initial weights from the default CPU generator, which a run
  // checkpoints (rng.pt) and may draw from: a copy taken mid-run must leave it as it was, or
  // asking for live weights would change the rest of the run.
  auto generator = at::detail::getDefaultCPUGenerator();
  at::Tensor rng_state;
  {
    std::lock_guard<std::mutex> lock(generator.mutex());
    rng_state = generator.get_state();
  }
  CanModel copy(cfg, source->objectives(), 0.0);
  {
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(rng_state);
  }
  copy->to(device);
  torch::NoGradGuard no_grad;
  auto copy_all = [](const torch::OrderedDict<std::string, torch::Tensor>& from,
                     const torch::OrderedDict<std::string, torch::Tensor>& to, const char* what) {
    if (from.size() != to.size())
      throw std::logic_error(std::string("copy_model: the copy has a different number of ") + what);
    for (const auto& item : from) {
      const torch::Tensor* dst = to.find(item.key());
      if (!dst || !item.value().defined()) throw std::logic_error("copy_model: no " + item.key() + " in the copy");
      // copy_ writes into the copy's own storage (never an alias of the source's).
      dst->copy_(item.value());
    }
  };
  copy_all(source->named_parameters(true), copy->named_parameters(true), "parameters");
  copy_all(source->named_buffers(true), copy->named_buffers(true), "buffers");
  copy->eval();
  return copy;
}

}  // namespace can
