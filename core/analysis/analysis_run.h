#pragma once
// One analysis of a checkpoint (docs/bench.md), as can-analyze prints it and the studio's
// Bench window draws it: the model loaded, the fixed batch and draws of a seed, then the
// representation health, the sigma sweep and the encoder's attention on them. Both callers
// go through these two functions, so they cannot drift apart.

#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "core/analysis/analysis_batch.h"
#include "core/analysis/attention_maps.h"
#include "core/analysis/representation_health.h"
#include "core/analysis/sigma_sweep.h"
#include "core/config/run_config.h"
#include "core/model/can_model.h"

namespace can::analysis {

struct AnalysisOptions {
  bool health = true, sweep = true, attention = true;
  int64_t points = 11;     // sigma sweep points
  int64_t bins = 40;       // cosine histogram bins
  int64_t layer = -1;      // attention layer, -1 = the last
  int64_t head = -1;       // attention head, -1 = mean of heads
  double mask_ratio = -1;  // attention mask, -1 = the run's loss.mask_ratio
};

// The model and what every analysis of it runs on.
struct AnalysisInput {
  std::string dir;   // the checkpoint directory read
  RunConfig config;  // the checkpoint's, with data_path applied
  CanModel model{nullptr};
  AnalysisBatch batch;  // n images
  LossParams params;    // config.loss with the batch's pixel_std, as the trainer sets it
  StepDraws draws;      // sweep_draws(model, n, seed)
  uint64_t seed = 0;
  int64_t n = 0;
};

// Loads a checkpoint (a run directory: its latest; or a checkpoint directory) and the first
// `images` images of its training data under `seed`. data_path "" keeps the config's.
// Throws std::runtime_error naming the file for a missing or damaged checkpoint or data.
AnalysisInput load_analysis_input(const std::string& checkpoint, int64_t images, uint64_t seed,
                                  const std::string& data_path = "");

struct AttentionResult {
  int64_t layer = 0, head = -1;  // layer resolved (never -1)
  double mask_ratio = 0;
  std::string query;               // "class_token" or "mean_query"
  EncoderAttention weights;        // every layer, for other layers and heads
  torch::Tensor mask;              // [n, T] view 1's mask, 1 = masked
  torch::Tensor map, rollout;      // [n, T] on the grid, sum 1 over visible patches
  torch::Tensor class_token_self;  // [n]
};

struct AnalysisResult {
  bool has_health = false;
  RepresentationHealth health;
  std::string embedding;  // "projector" or "encoder_pool"
  bool has_sweep = false;
  SigmaSweep sweep;
  std::string sweep_skipped;  // why there is no sweep ("" when it ran or was not asked for)
  bool has_attention = false;
  AttentionResult attention;
};

// The analyses `options` asks for, on input's batch and draws. Throws
// std::invalid_argument for a layer or head the encoder does not have.
AnalysisResult run_analysis(AnalysisInput& input, const AnalysisOptions& options);

// The attention map of another layer / head, or the rollout, from weights already computed:
// [n, T] on the grid. What the Bench window's controls call.
torch::Tensor attention_grid(const AttentionResult& attention, int64_t layer, int64_t head, bool rollout);

}  // namespace can::analysis
