#include "core/config/run_config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "core/config/settings_schema.h"
#include "core/util/cli_options.h"
#include "core/util/json_fields.h"
#include "core/util/json_limits.h"
#include "core/util/number_text.h"

namespace can {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument(key + ": " + why);
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

// The longest string a key takes: data.path and model.init_from are file names (PATH_MAX); every other string
// key is a short name (preset, mode, dataset, device), so messages that quote one quote at
// most kQuoteChars of it, whichever module writes them.
size_t max_string_bytes(const std::string& key) {
  return key == "data.path" || key == "model.init_from" ? 4096 : kQuoteChars;
}

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

// "model.patch_size" -> "/model/patch_size", to reach a key in a config's JSON.
json::json_pointer pointer_of(const std::string& key) {
  std::string path = "/" + key;
  for (char& c : path)
    if (c == '.') c = '/';
  return json::json_pointer(path);
}

bool is_section(const std::string& key) {
  for (const SettingSpec& s : settings_schema())
    if (s.key.size() > key.size() && s.key.compare(0, key.size(), key) == 0 && s.key[key.size()] == '.') return true;
  return false;
}

[[noreturn]] void fail_unknown(const std::string& key) {
  std::vector<std::string> known;
  for (const SettingSpec& s : settings_schema()) known.push_back(s.key);
  // The suggestion's edit distance is quadratic in the key's length: a name longer than any
  // known key by far (a fuzzed or pasted blob) gets none rather than seconds of work.
  const std::string near = key.size() <= 64 ? cli::nearest(key, known) : "";
  fail(clip_text(key), near.empty() ? "unknown key" : "unknown key (did you mean " + near + "?)");
}

// Rejects unknown keys, values of the wrong type and choices the schema does not list,
// naming the full key, before nlohmann's own conversions (whose messages do not name the
// key) run and before a preset or mode is applied. A bad value is quoted by its first
// kQuoteChars characters only.
void check_keys(const json& given, const std::string& prefix) {
  if (!given.is_object()) fail(prefix.empty() ? "config" : prefix, "expected an object, got " + clip_json(given));
  for (auto it = given.begin(); it != given.end(); ++it) {
    const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    const json& v = it.value();
    const SettingSpec* spec = find_setting(key);
    if (!spec) {
      if (!is_section(key)) fail_unknown(key);
      check_keys(v, key);
      continue;
    }
    const json& r = reference_json().at(pointer_of(key));  // the field's C++ width
    bool ok = false;
    switch (spec->type) {
      case SettingType::kBool:
        ok = v.is_boolean();
        break;
      case SettingType::kInteger:
        ok = v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
        break;
      case SettingType::kNumber:
        ok = v.is_number();
        break;
      case SettingType::kText:
      case SettingType::kChoice:
        ok = v.is_string();
        break;
      case SettingType::kNumberList:
        ok = v.is_array() && std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_number(); });
        break;
    }
    if (!ok) fail(key, "expected " + type_name(r) + ", got " + clip_json(v));
    if (const std::string range = range_problem(key, v, r); !range.empty()) fail(key, range);
    if (r.is_number_unsigned() && v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() < 0)
      fail(key, "must be >= 0, got " + clip_json(v));
    if (v.is_string()) {
      const std::string& text = v.get_ref<const std::string&>();
      if (!is_utf8(text)) fail(key, not_utf8(text));
      if (text.size() > max_string_bytes(key))
        fail(key, "longer than " + std::to_string(max_string_bytes(key)) + " bytes: '" + clip_text(text) + "'");
      if (spec->type == SettingType::kChoice)
        if (const std::string why = choice_problem(*spec, text); !why.empty()) fail(key, why);
    }
  }
}

// The range and choices of every key of one section, as the schema states them.
void check_schema(const json& j, const std::string& section) {
  for (const SettingSpec& spec : settings_schema()) {
    if (spec.key.compare(0, section.size() + 1, section + ".") != 0) continue;
    const json& v = j.at(pointer_of(spec.key));
    std::string why;
    if (spec.type == SettingType::kChoice) why = choice_problem(spec, v.get<std::string>());
    if (spec.type == SettingType::kInteger || spec.type == SettingType::kNumber)
      why = range_problem(spec, v.get<double>());
    if (spec.type == SettingType::kNumberList)
      for (const json& e : v)
        if (why.empty()) why = range_problem(spec, e.get<double>());
    if (!why.empty()) fail(spec.key, why);
  }
}

// Whether objectives.mode leaves `key` alone: the user set it, or (for the augmentation
// preset) set any augmentation key, whose value the preset would otherwise reset.
bool kept_from_mode(const RunConfig& c, const std::string& key) {
  if (c.explicit_keys.count(key)) return true;
  if (key != "data.augment.preset") return false;
  for (const std::string& k : c.explicit_keys)
    if (k.rfind("data.augment.", 0) == 0) return true;
  return false;
}

// The mode's value of every key that has one (schema: mode_values), except the keys the
// user set explicitly. The objective switches are the mode's definition: apply_mode sets
// them whatever was set before.
void apply_mode_values(RunConfig& c) {
  json patch = c;  // the config as it was, with the mode's values written over it
  apply_mode(c.mode, c.objectives, c.loss);
  if (c.mode == "custom") return;
  for (const SettingSpec& spec : settings_schema()) {
    const std::string* v = spec.value_in_mode(c.mode);
    if (!v || spec.key.rfind("objectives.", 0) == 0 || kept_from_mode(c, spec.key)) continue;
    patch[pointer_of(spec.key)] = spec.type == SettingType::kChoice ? json(*v) : json::parse(*v);
  }
  // The augmentation preset resets every augmentation key: the explicit ones go on top.
  json& augment = patch["data"]["augment"];
  for (auto it = augment.begin(); it != augment.end();)
    if (it.key() != "preset" && !c.explicit_keys.count("data.augment." + it.key()))
      it = augment.erase(it);
    else
      ++it;
  from_json(patch.at("loss"), c.loss);
  from_json(patch.at("data"), c.data);
}

// Every leaf key present in `given` (objects are sections), with its full name.
void collect_keys(const json& given, const std::string& prefix, std::set<std::string>& keys) {
  for (auto it = given.begin(); it != given.end(); ++it) {
    const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (it.value().is_object())
      collect_keys(it.value(), key, keys);
    else
      keys.insert(key);
  }
}

// Text of --set key=value -> JSON of the key's type in the schema.
json parse_value(const SettingSpec& spec, const std::string& text) {
  const json& ref = reference_json().at(pointer_of(spec.key));
  auto bad = [&]() -> json { fail(spec.key, "expected " + type_name(ref) + ", got '" + clip_text(text) + "'"); };
  switch (spec.type) {
    case SettingType::kText:
    case SettingType::kChoice:
      return text;
    case SettingType::kBool:
      if (text == "true" || text == "1" || text == "on") return true;
      if (text == "false" || text == "0" || text == "off") return false;
      return bad();
    case SettingType::kNumberList: {
      std::string t = text;
      if (t.empty() || t.front() != '[') t = "[" + t + "]";
      try {
        return parse_json_bounded(t.data(), t.data() + t.size());
      } catch (const JsonTextError&) {
        return bad();
      }
    }
    case SettingType::kInteger:
    case SettingType::kNumber:
      break;
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

void RunConfig::validate() const {
  // Set in code rather than through from_json/set_key, a string may not be UTF-8 yet.
  for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"model.preset", &model.preset},
                                   {"objectives.mode", &mode},
                                   {"data.dataset", &data.dataset},
                                   {"data.path", &data.path},
                                   {"model.init_from", &model.init_from},
                                   {"data.augment.preset", &data.augment.preset},
                                   {"train.device", &train.device},
                                   {"train.precision", &train.precision}})
    if (!is_utf8(*value)) fail(key, not_utf8(*value));
  // Section by section, in the order of the docs: each key's range (the schema), then the
  // rules that combine keys of the section.
  const json j = *this;
  check_schema(j, "model");
  model.validate();
  check_schema(j, "objectives");
  if (!objectives.contrastive && !objectives.needs_decoder())
    fail("objectives.contrastive", "at least one of contrastive, reconstruction, denoise must be on");
  loss.validate(objectives);  // the schema's ranges and the rules with the objectives
  check_schema(j, "data");
  data.validate();
  check_schema(j, "train");
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
  // A one-key JSON patch through from_json: presets and modes act as in a file.
  const SettingSpec* spec = find_setting(key);
  if (!spec) {
    if (is_section(key)) fail(key, "is a section, not a key");
    if (key.find('.') == std::string::npos) fail(clip_text(key), "unknown key (expected section.name, e.g. loss.tau)");
    fail_unknown(key);
  }
  json patch;
  patch[pointer_of(key)] = parse_value(*spec, value);
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

void to_json(json& j, const RunConfig& c) {
  json objectives = c.objectives;
  objectives["mode"] = c.mode;
  j = json{{"model", c.model}, {"objectives", objectives}, {"loss", c.loss}, {"data", c.data}, {"train", c.train}};
}

void from_json(const json& j, RunConfig& c) {
  check_keys(j, "");
  std::set<std::string> given;
  collect_keys(j, "", given);
  c.explicit_keys.insert(given.begin(), given.end());
  // The mode first: every explicit key (in this object or set before) overrides it.
  if (given.count("objectives.mode")) {
    c.mode = j.at("objectives").at("mode").get<std::string>();
    apply_mode_values(c);
  }
  read_if_present(j, "model", c.model);
  read_if_present(j, "data", c.data);
  read_if_present(j, "train", c.train);
  read_if_present(j, "loss", c.loss);
  if (j.contains("objectives")) {
    // Explicit switches apply after the mode; if they change what it set, the run is custom.
    const Objectives before = c.objectives;
    j.at("objectives").get_to(c.objectives);
    if (c.objectives.contrastive != before.contrastive || c.objectives.reconstruction != before.reconstruction ||
        c.objectives.denoise != before.denoise)
      c.mode = "custom";
  }
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
