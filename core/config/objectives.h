#pragma once
// What a run optimises: which of CAN's three objectives are on (objectives.*), and the
// loss settings that may change between its steps (loss.*). The keys, defaults, ranges and
// per-mode values are in the settings schema (core/config/settings_schema.h).

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace can {

// Which of CAN's three objectives are on (docs/method.md "Baselines").
struct Objectives {
  bool contrastive = true;     // C: InfoNCE between the two views' pooled embeddings
  bool reconstruction = true;  // A: MSE on masked patches vs the clean view
  bool denoise = true;         // N: MSE on unmasked patches vs the added noise sigma*e

  bool needs_decoder() const { return reconstruction || denoise; }
  // Without C there is no need for two views (MAE uses one view per image).
  int num_views() const { return contrastive ? 2 : 1; }
  std::string describe() const;  // "CAN", "MAE", "SimCLR", or e.g. "C+A"
};

// Per-step loss settings; the live ones (schema: live) may change between steps of a run.
struct LossParams {
  double mask_ratio = 0.5;  // m: fraction of patches masked per view (CAN 0.5, MAE 0.75, SimCLR 0)
  double sigma_max = 0.05;  // sigma ~ U[0, sigma_max] per image and view, normalised pixel units
  double tau = 0.1;         // InfoNCE temperature
  double lambda_c = 0.03;   // loss.w_infonce: weight of L_InfoNCE in the total
  double lambda_a = 0.67;   // loss.w_rec: weight of L_rec
  double lambda_n = 0.3;    // loss.w_denoise: weight of L_denoise
  bool norm_pix = true;     // reconstruction target: each clean patch normalised by its own mean/var
  // Units of sigma (docs/method.md "Noise units"): "normalized" adds sigma*e to the
  // normalised view (the paper's); "pixel" takes sigma in [0,1] pixel units and adds
  // sigma*e/std_c, the same noise on every channel as seen in pixels.
  std::string noise_space = "normalized";
  // What N predicts on visible patches: "noise" = the added noise (the paper's), "unit" = e
  // itself, with sigma given to the decoder (a variant, like diffusion's unweighted
  // epsilon-prediction: L_denoise is of order 1 instead of sigma^2).
  std::string denoise_target = "noise";
  // Not a config key: the data's per-channel std, which "pixel" noise divides by. The
  // trainer sets it from the loader; a model used without it must use "normalized".
  std::vector<double> pixel_std;

  // Each key's range (from the schema), then the rules that combine a key with the
  // objectives. Throws std::invalid_argument naming the key ("loss.mask_ratio: ...").
  void validate(const Objectives& objectives) const;
};

// The baselines of docs/method.md, one switch each: "can", "mae", "simclr" set the
// objectives and the mask ratio to the schema's per-mode values; "custom" leaves both as
// they are. Throws on an unknown mode. (RunConfig applies the mode to every key that has
// per-mode values, the augmentation preset included.)
void apply_mode(const std::string& mode, Objectives& objectives, LossParams& loss);

void to_json(nlohmann::json& j, const Objectives& o);
void from_json(const nlohmann::json& j, Objectives& o);
// The "loss" section: the config keys are w_infonce, w_rec, w_denoise for lambda_c/a/n.
void to_json(nlohmann::json& j, const LossParams& l);
void from_json(const nlohmann::json& j, LossParams& l);

}  // namespace can
