#include "core/config/run_config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "core/config/json_fields.h"
#include "core/util/json_limits.h"
#include "core/util/number_text.h"

namespace can {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument(key + ": " + why);
}

json loss_to_json(const LossParams& l) {
  return json{{"mask_ratio", l.mask_ratio}, {"sigma_max", l.sigma_max}, {"tau", l.tau},
              {"w_infonce", l.lambda_c},    {"w_rec", l.lambda_a},       {"w_denoise", l.lambda_n},
              {"norm_pix", l.norm_pix}};
}

void loss_from_json(const json& j, LossParams& l) {
  read_if_present(j, "mask_ratio", l.mask_ratio);
  read_if_present(j, "sigma_max", l.sigma_max);
  read_if_present(j, "tau", l.tau);
  read_if_present(j, "w_infonce", l.lambda_c);
  read_if_present(j, "w_rec", l.lambda_a);
  read_if_present(j, "w_denoise", l.lambda_n);
  read_if_present(j, "norm_pix", l.norm_pix);
}

// The JSON of a default config: the set of known keys and the type each must have.
const json& reference_json() {
  static const json ref = [] {
    // A named default rather than a RunConfig{} temporary: GCC 12 warns (falsely) that the
    // temporary's strings may be used uninitialized once this lambda is inlined.
    const RunConfig defaults;
    json j;
    to_json(j, defaults);
    return j;
  }();
  return ref;
}

std::string type_name(const json& v) {
  if (v.is_boolean()) return "true or false";
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "a list";
  return "an object";
}

bool is_known_mode(const std::string& mode) {
  return mode == "can" || mode == "mae" || mode == "simclr" || mode == "custom";
}

// The longest string a key takes: data.path is a file name (PATH_MAX); every other string
// key is a short name (preset, mode, dataset, device), so messages that quote one quote at
// most kQuoteChars of it, whichever module writes them.
size_t max_string_bytes(const std::string& key) { return key == "data.path" ? 4096 : kQuoteChars; }

// A string a config holds must be UTF-8: config.json and checkpoints are JSON, and dump()
// throws on anything else (a folder name in another encoding is a legal Linux path).
std::string not_utf8(const std::string& value) {
  return "is not UTF-8 text: '" + clip_text(value) +
         "' (configs are JSON, which holds UTF-8 only; for a folder, rename it or link to it under a UTF-8 name)";
}

// The range of the field a number is read into. nlohmann converts with static_cast: a
// double beyond int64 is undefined behaviour (found by fuzz_run_config: train.batch_size=
// 77777779699999999997 parses as the double 7.8e19), an integer beyond int wraps, a double
// beyond float becomes inf, an integer beyond int64 wraps to a negative one. Integer keys
// are int64 (seed uint64), except the int fields listed here; data.mean and data.std are
// lists of float.
std::string range_problem(const std::string& key, const json& v, const json& ref) {
  auto out_of_range = [&](const char* range) { return "out of range (" + std::string(range) + "), got " + clip_json(v); };
  const bool int32_field = key == "train.threads" || key == "data.num_workers" || key == "data.prefetch_batches";
  if (ref.is_number_integer()) {
    if (v.is_number_float()) {
      const double d = v.get<double>();
      // 2^63 and 2^64 are doubles; every double below them converts exactly.
      if (ref.is_number_unsigned() ? !(d >= 0 && d < 18446744073709551616.0)
                                   : !(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
        return out_of_range(ref.is_number_unsigned() ? "0 to 2^64 - 1" : "-2^63 to 2^63 - 1");
    } else if (!ref.is_number_unsigned() && v.is_number_unsigned() &&
               v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
      return out_of_range("-2^63 to 2^63 - 1");  // would wrap to a negative number
    }
    if (int32_field) {
      const double d = v.get<double>();
      if (d < std::numeric_limits<int>::min() || d > std::numeric_limits<int>::max())
        return out_of_range("-2^31 to 2^31 - 1");
    }
  }
  if (ref.is_array() && (key == "data.mean" || key == "data.std"))
    for (const json& e : v)
      if (std::fabs(e.get<double>()) > std::numeric_limits<float>::max()) return out_of_range("a float");
  return "";
}

// Rejects unknown keys and values of the wrong JSON type, naming the full key, before
// nlohmann's own conversions (whose messages do not name the key) run. A bad value is
// quoted by its first kQuoteChars characters only.
void check_keys(const json& given, const json& ref, const std::string& prefix) {
  if (!given.is_object()) fail(prefix.empty() ? "config" : prefix, "expected an object, got " + clip_json(given));
  for (auto it = given.begin(); it != given.end(); ++it) {
    const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (!ref.contains(it.key())) fail(clip_text(key), "unknown key");
    const json& r = ref.at(it.key());
    const json& v = it.value();
    if (r.is_object()) {
      check_keys(v, r, key);
      continue;
    }
    bool ok = false;
    if (r.is_boolean()) ok = v.is_boolean();
    else if (r.is_number_integer()) ok = v.is_number_integer() ||
             (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
    else if (r.is_number()) ok = v.is_number();
    else if (r.is_string()) ok = v.is_string();
    else if (r.is_array()) ok = v.is_array() && std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_number(); });
    if (!ok) fail(key, "expected " + type_name(r) + ", got " + clip_json(v));
    if (const std::string range = range_problem(key, v, r); !range.empty()) fail(key, range);
    if (r.is_number_unsigned() && v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() < 0)
      fail(key, "must be >= 0, got " + clip_json(v));
    if (r.is_string() && !is_utf8(v.get_ref<const std::string&>())) fail(key, not_utf8(v.get_ref<const std::string&>()));
    if (r.is_string() && v.get_ref<const std::string&>().size() > max_string_bytes(key))
      fail(key, "longer than " + std::to_string(max_string_bytes(key)) + " bytes: '" +
                    clip_text(v.get_ref<const std::string&>()) + "'");
  }
}

// Text of --set key=value -> JSON of the type the key has in the reference config.
json parse_value(const std::string& key, const std::string& text, const json& ref) {
  auto bad = [&]() -> json { fail(key, "expected " + type_name(ref) + ", got '" + clip_text(text) + "'"); };
  if (ref.is_string()) return text;
  if (ref.is_boolean()) {
    if (text == "true" || text == "1" || text == "on") return true;
    if (text == "false" || text == "0" || text == "off") return false;
    return bad();
  }
  if (ref.is_array()) {
    std::string t = text;
    if (t.empty() || t.front() != '[') t = "[" + t + "]";
    try {
      return parse_json_bounded(t.data(), t.data() + t.size());
    } catch (const JsonTextError&) {
      return bad();
    }
  }
  json v;
  try {
    v = parse_json_bounded(text.data(), text.data() + text.size());
  } catch (const JsonTextError&) {
    return bad();
  }
  if (!v.is_number()) return bad();
  return v;
}

}  // namespace

void TrainConfig::validate() const {
  auto k = [](const char* f) { return std::string("train.") + f; };
  auto need = [&](bool ok, const char* f, const std::string& why) {
    if (!ok) fail(k(f), why);
  };
  need(batch_size >= 1, "batch_size", "must be >= 1, got " + std::to_string(batch_size));
  need(steps >= 0, "steps", "must be >= 0 (0 = use train.epochs), got " + std::to_string(steps));
  need(steps > 0 || epochs >= 1, "epochs", "must be >= 1 when train.steps is 0, got " + std::to_string(epochs));
  need(base_lr > 0 && std::isfinite(base_lr), "base_lr", "must be > 0, got " + number_text(base_lr));
  need(min_lr >= 0 && std::isfinite(min_lr), "min_lr", "must be >= 0, got " + number_text(min_lr));
  need(warmup_steps >= -1, "warmup_steps", "must be >= 0, or -1 to use train.warmup_epochs");
  need(warmup_epochs >= 0, "warmup_epochs", "must be >= 0, got " + number_text(warmup_epochs));
  need(weight_decay >= 0, "weight_decay", "must be >= 0, got " + number_text(weight_decay));
  need(betas.size() == 2, "betas", "must be two numbers (beta1, beta2)");
  for (double b : betas) need(b >= 0 && b < 1, "betas", "each must be in [0, 1), got " + number_text(b));
  need(grad_clip >= 0, "grad_clip", "must be >= 0 (0 = off), got " + number_text(grad_clip));
  need(accum_steps >= 1, "accum_steps", "must be >= 1, got " + std::to_string(accum_steps));
  need(device == "auto" || device == "cpu" || device == "cuda", "device",
       "unknown device '" + clip_text(device) + "' (expected auto, cpu or cuda)");
  need(precision == "auto" || precision == "fp32" || precision == "bf16", "precision",
       "unknown precision '" + clip_text(precision) + "' (expected auto, fp32 or bf16)");
  need(threads >= 0, "threads", "must be >= 0 (0 = all cores), got " + std::to_string(threads));
  need(log_every >= 1, "log_every", "must be >= 1, got " + std::to_string(log_every));
  need(snapshot_every >= 0, "snapshot_every", "must be >= 0 (0 = only on request)");
  need(snapshot_samples >= 1, "snapshot_samples", "must be >= 1, got " + std::to_string(snapshot_samples));
  need(knn_every >= 0, "knn_every", "must be >= 0 (0 = off)");
  need(knn_train_images >= 1, "knn_train_images", "must be >= 1");
  need(knn_test_images >= 1, "knn_test_images", "must be >= 1");
  need(knn_k >= 1, "knn_k", "must be >= 1, got " + std::to_string(knn_k));
  need(checkpoint_every >= 0, "checkpoint_every", "must be >= 0 (0 = only at the end)");
  need(keep_last >= 0, "keep_last", "must be >= 0 (0 = keep all)");
}

void RunConfig::validate() const {
  // Set in code rather than through from_json/set_key, a string may not be UTF-8 yet.
  for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"model.preset", &model.preset},
                                   {"objectives.mode", &mode},
                                   {"data.dataset", &data.dataset},
                                   {"data.path", &data.path},
                                   {"data.augment.preset", &data.augment.preset},
                                   {"train.device", &train.device},
                                   {"train.precision", &train.precision}})
    if (!is_utf8(*value)) fail(key, not_utf8(*value));
  model.validate();
  if (!is_known_mode(mode))
    fail("objectives.mode", "unknown mode '" + clip_text(mode) + "' (expected can, mae, simclr or custom)");
  if (!objectives.contrastive && !objectives.needs_decoder())
    fail("objectives.contrastive", "at least one of contrastive, reconstruction, denoise must be on");
  loss.validate(objectives);
  data.validate();
  train.validate();
  if (objectives.contrastive && train.batch_size < 2)
    fail("train.batch_size", "must be >= 2 with the contrastive objective (InfoNCE needs negatives), got " +
                                 std::to_string(train.batch_size));
  if (data.channels != 0 && data.channels != model.in_chans)
    fail("model.in_chans", std::to_string(model.in_chans) + " but data.channels is " + std::to_string(data.channels));
  if (data.min_image_side > model.img_size)
    fail("data.min_image_side", "is larger than model.img_size " + std::to_string(model.img_size));
}

void RunConfig::set_key(const std::string& key, const std::string& value) {
  // Walk the reference config to the key, then apply a one-key JSON patch: every section's
  // from_json touches only the keys present, so presets and modes act as in a file.
  const json* ref = &reference_json();
  std::vector<std::string> parts;
  std::stringstream ss(key);
  for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
  if (parts.size() < 2) fail(clip_text(key), "unknown key (expected section.name, e.g. loss.tau)");
  for (const auto& p : parts) {
    if (!ref->is_object() || !ref->contains(p)) fail(clip_text(key), "unknown key");
    ref = &ref->at(p);
  }
  if (ref->is_object()) fail(key, "is a section, not a key");
  json patch = parse_value(key, value, *ref);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) patch = json{{*it, patch}};
  // On a copy: a refused value leaves the config as it was. (apply_preset stores the name
  // before it refuses an unknown one, so a failed model.preset=bogus used to stay behind,
  // pass validate() and make every checkpoint of the run unloadable.)
  RunConfig next = *this;
  from_json(patch, next);
  *this = std::move(next);
}

data::DataConfig training_data_config(const RunConfig& config) {
  data::DataConfig d = config.data;
  d.min_image_side = std::max(d.min_image_side, config.model.patch_size);
  return d;
}

void to_json(json& j, const TrainConfig& c) {
  j = json{{"batch_size", c.batch_size},       {"steps", c.steps},
           {"epochs", c.epochs},               {"base_lr", c.base_lr},
           {"warmup_steps", c.warmup_steps},   {"warmup_epochs", c.warmup_epochs},
           {"min_lr", c.min_lr},               {"weight_decay", c.weight_decay},
           {"betas", c.betas},                 {"grad_clip", c.grad_clip},
           {"accum_steps", c.accum_steps},     {"seed", c.seed},
           {"device", c.device},               {"precision", c.precision},
           {"threads", c.threads},
           {"log_every", c.log_every},         {"snapshot_every", c.snapshot_every},
           {"snapshot_samples", c.snapshot_samples}, {"knn_every", c.knn_every},
           {"knn_train_images", c.knn_train_images}, {"knn_test_images", c.knn_test_images},
           {"knn_k", c.knn_k},                 {"checkpoint_every", c.checkpoint_every},
           {"keep_last", c.keep_last}};
}

void from_json(const json& j, TrainConfig& c) {
  read_if_present(j, "batch_size", c.batch_size);
  read_if_present(j, "steps", c.steps);
  read_if_present(j, "epochs", c.epochs);
  read_if_present(j, "base_lr", c.base_lr);
  read_if_present(j, "warmup_steps", c.warmup_steps);
  read_if_present(j, "warmup_epochs", c.warmup_epochs);
  read_if_present(j, "min_lr", c.min_lr);
  read_if_present(j, "weight_decay", c.weight_decay);
  read_if_present(j, "betas", c.betas);
  read_if_present(j, "grad_clip", c.grad_clip);
  read_if_present(j, "accum_steps", c.accum_steps);
  read_if_present(j, "seed", c.seed);
  read_if_present(j, "device", c.device);
  read_if_present(j, "precision", c.precision);
  read_if_present(j, "threads", c.threads);
  read_if_present(j, "log_every", c.log_every);
  read_if_present(j, "snapshot_every", c.snapshot_every);
  read_if_present(j, "snapshot_samples", c.snapshot_samples);
  read_if_present(j, "knn_every", c.knn_every);
  read_if_present(j, "knn_train_images", c.knn_train_images);
  read_if_present(j, "knn_test_images", c.knn_test_images);
  read_if_present(j, "knn_k", c.knn_k);
  read_if_present(j, "checkpoint_every", c.checkpoint_every);
  read_if_present(j, "keep_last", c.keep_last);
}

void to_json(json& j, const RunConfig& c) {
  json objectives = c.objectives;
  objectives["mode"] = c.mode;
  j = json{{"model", c.model}, {"objectives", objectives}, {"loss", loss_to_json(c.loss)},
           {"data", c.data},   {"train", c.train}};
}

void from_json(const json& j, RunConfig& c) {
  check_keys(j, reference_json(), "");
  read_if_present(j, "model", c.model);
  read_if_present(j, "data", c.data);
  read_if_present(j, "train", c.train);
  const bool explicit_ratio = j.contains("loss") && j.at("loss").contains("mask_ratio");
  if (j.contains("objectives")) {
    const json& o = j.at("objectives");
    if (o.contains("mode")) {
      const double kept_ratio = c.loss.mask_ratio;
      c.mode = o.at("mode").get<std::string>();
      apply_mode(c.mode, c.objectives, c.loss);
      if (c.mask_ratio_explicit) c.loss.mask_ratio = kept_ratio;
    }
    const Objectives before = c.objectives;
    o.get_to(c.objectives);
    if (c.objectives.contrastive != before.contrastive || c.objectives.reconstruction != before.reconstruction ||
        c.objectives.denoise != before.denoise)
      c.mode = "custom";
  }
  if (j.contains("loss")) loss_from_json(j.at("loss"), c.loss);
  if (explicit_ratio) c.mask_ratio_explicit = true;
}

RunConfig load_run_config_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::invalid_argument(path + ": cannot open the config file");
  // One byte more than the limit tells a file at the limit from a larger one (and the
  // stream may be a pipe, whose size is unknown until read).
  std::string text(kMaxConfigFileBytes + 1, '\0');
  f.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (f.bad()) throw std::invalid_argument(path + ": cannot read the config file");
  text.resize(static_cast<size_t>(f.gcount()));
  return parse_run_config_text(text, path);
}

RunConfig parse_run_config_text(std::string_view text, const std::string& path) {
  if (text.size() > kMaxConfigFileBytes)
    throw std::invalid_argument(path + ": larger than " + std::to_string(kMaxConfigFileBytes) +
                                " bytes, the limit for a config file");
  json j;
  try {
    j = parse_json_bounded(text.data(), text.data() + text.size());
  } catch (const JsonTextError& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
  RunConfig c;
  from_json(j, c);
  return c;
}

void save_run_config_file(const RunConfig& config, const std::string& path) {
  std::ofstream f(path, std::ios::trunc);
  if (!f) throw std::runtime_error(path + ": cannot write the config file");
  f << json(config).dump(2) << "\n";
  if (!f.flush()) throw std::runtime_error(path + ": write failed");
}

}  // namespace can
