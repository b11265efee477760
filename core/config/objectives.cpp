#include "core/config/objectives.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "core/config/settings_schema.h"
#include "core/util/json_fields.h"
#include "core/util/json_limits.h"

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

void LossParams::validate(const Objectives& objectives) const {
  auto fail = [](const std::string& key, const std::string& why) {
    throw std::invalid_argument("loss." + key + ": " + why);
  };
  // Each key alone, as the schema bounds it (a live change is checked here too).
  for (const auto& [key, value] : {std::pair<const char*, double>{"mask_ratio", mask_ratio},
                                   {"sigma_max", sigma_max},
                                   {"tau", tau},
                                   {"w_infonce", lambda_c},
                                   {"w_rec", lambda_a},
                                   {"w_denoise", lambda_n}})
    if (const std::string why = range_problem(*find_setting(std::string("loss.") + key), value); !why.empty())
      fail(key, why);
  // The rules that combine a key with the objectives.
  if (objectives.denoise && !(sigma_max > 0.0)) fail("sigma_max", "must be > 0 when the denoising objective (N) is on");
  for (const auto& [key, value] :
       {std::pair<const char*, const std::string*>{"noise_space", &noise_space}, {"denoise_target", &denoise_target}})
    if (const std::string why = choice_problem(*find_setting(std::string("loss.") + key), *value); !why.empty())
      fail(key, why);
  if (objectives.reconstruction && mask_ratio <= 0.0)
    fail("mask_ratio", "must be > 0 when the reconstruction objective (A) is on: nothing would be reconstructed");
}

void apply_mode(const std::string& mode, Objectives& objectives, LossParams& loss) {
  const SettingSpec& spec = *find_setting("objectives.mode");
  if (const std::string why = choice_problem(spec, mode); !why.empty())
    throw std::invalid_argument("objectives.mode: " + why);
  auto flag = [&](const char* key, bool& field) {
    if (const std::string* v = find_setting(key)->value_in_mode(mode)) field = *v == "true";
  };
  flag("objectives.contrastive", objectives.contrastive);
  flag("objectives.reconstruction", objectives.reconstruction);
  flag("objectives.denoise", objectives.denoise);
  if (const std::string* v = find_setting("loss.mask_ratio")->value_in_mode(mode)) loss.mask_ratio = std::stod(*v);
}

void to_json(nlohmann::json& j, const Objectives& o) {
  j = nlohmann::json{{"contrastive", o.contrastive}, {"reconstruction", o.reconstruction}, {"denoise", o.denoise}};
}

void from_json(const nlohmann::json& j, Objectives& o) {
  read_if_present(j, "contrastive", o.contrastive);
  read_if_present(j, "reconstruction", o.reconstruction);
  read_if_present(j, "denoise", o.denoise);
}

void to_json(nlohmann::json& j, const LossParams& l) {
  j = nlohmann::json{
      {"mask_ratio", l.mask_ratio}, {"sigma_max", l.sigma_max},     {"tau", l.tau},
      {"w_infonce", l.lambda_c},    {"w_rec", l.lambda_a},          {"w_denoise", l.lambda_n},
      {"norm_pix", l.norm_pix},     {"noise_space", l.noise_space}, {"denoise_target", l.denoise_target}};
}

void from_json(const nlohmann::json& j, LossParams& l) {
  read_if_present(j, "mask_ratio", l.mask_ratio);
  read_if_present(j, "sigma_max", l.sigma_max);
  read_if_present(j, "tau", l.tau);
  read_if_present(j, "w_infonce", l.lambda_c);
  read_if_present(j, "w_rec", l.lambda_a);
  read_if_present(j, "w_denoise", l.lambda_n);
  read_if_present(j, "norm_pix", l.norm_pix);
  read_if_present(j, "noise_space", l.noise_space);
  read_if_present(j, "denoise_target", l.denoise_target);
}

}  // namespace can
