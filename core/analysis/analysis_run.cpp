#include "core/analysis/analysis_run.h"

#include <stdexcept>

#include "core/analysis/embeddings.h"
#include "core/model/patchify.h"
#include "core/train/checkpoint.h"

namespace can::analysis {

AnalysisInput load_analysis_input(const std::string& checkpoint, int64_t images, uint64_t seed,
                                  const std::string& data_path) {
  AnalysisInput in;
  try {
    in.dir = resolve_checkpoint(checkpoint);
    in.model = load_model(checkpoint, &in.config);
  } catch (const c10::Error& e) {  // LibTorch's archive errors do not name the file
    throw std::runtime_error(checkpoint + ": cannot load the model: " + e.what_without_backtrace());
  }
  if (!data_path.empty()) in.config.data.path = data_path;
  in.batch = load_analysis_batch(in.config, images, seed);
  in.n = in.batch.view1.size(0);
  if (in.n < 2) throw std::runtime_error("the training data has fewer than 2 images to analyse");
  in.params = in.config.loss;
  in.params.pixel_std.assign(in.batch.std.begin(), in.batch.std.end());  // as the trainer sets it
  in.draws = sweep_draws(in.model, in.n, seed);
  in.seed = seed;
  return in;
}

AnalysisResult run_analysis(AnalysisInput& in, const AnalysisOptions& options) {
  torch::NoGradGuard no_grad;
  AnalysisResult r;
  CanModel& model = in.model;
  if (options.health) {
    auto e = view_embeddings(model, in.batch.view1, in.batch.view2, in.params, in.draws);
    r.health = representation_health(e.u1, e.u2, options.bins);
    r.embedding = e.source;
    r.has_health = true;
  }
  if (options.sweep) {
    if (!model->objectives().denoise) {
      r.sweep_skipped = "the model was trained without N: it has no noise-level embedding";
    } else {
      SigmaSweepOptions o;
      o.points = options.points;
      o.seed = in.seed;
      r.sweep = sigma_sweep(model, in.batch.view1, in.batch.view2, in.params, in.draws, o);
      r.has_sweep = true;
    }
  }
  if (options.attention) {
    const int64_t depth = model->config().depth;
    const int64_t layer = options.layer < 0 ? depth + options.layer : options.layer;
    if (layer < 0 || layer >= depth)
      throw std::invalid_argument("--layer " + std::to_string(options.layer) + ": the encoder has " +
                                  std::to_string(depth) + " layers");
    if (options.head >= model->config().num_heads)
      throw std::invalid_argument("--head " + std::to_string(options.head) + ": the encoder has " +
                                  std::to_string(model->config().num_heads) + " heads");
    AttentionResult& a = r.attention;
    a.layer = layer;
    a.head = options.head;
    a.mask_ratio = options.mask_ratio >= 0 ? options.mask_ratio : in.params.mask_ratio;
    auto m = random_masking_from_noise(in.draws.mask_noise.narrow(0, 0, in.n), a.mask_ratio);  // view 1's mask
    a.weights = encoder_attention(model, in.batch.view1, m.ids_keep);
    a.mask = m.mask;
    a.query = a.weights.prefix > 0 ? "class_token" : "mean_query";
    const int64_t t = a.weights.num_patches;
    a.map = to_grid(layer_map(a.weights, layer, a.head, &a.class_token_self), a.weights.ids_keep, t);
    a.rollout = to_grid(rollout_map(a.weights), a.weights.ids_keep, t);
    r.has_attention = true;
  }
  return r;
}

torch::Tensor attention_grid(const AttentionResult& a, int64_t layer, int64_t head, bool rollout) {
  torch::NoGradGuard no_grad;
  const auto& w = a.weights;
  if (rollout) return to_grid(rollout_map(w), w.ids_keep, w.num_patches);
  return to_grid(layer_map(w, layer, head), w.ids_keep, w.num_patches);
}

}  // namespace can::analysis
