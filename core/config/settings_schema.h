#pragma once
// The settings schema: one table of every config key, with its type, default, range or
// choices, whether it may change during a run, its value in each objectives.mode, and a
// one-line help text. Everything that reads or shows a setting comes from it:
//   - RunConfig::validate checks each key's range and choices here (the rules that combine
//     keys stay with their sections);
//   - set_key (--set) and from_json know a key, and its type, from it;
//   - objectives.mode applies its per-mode values (RunConfig);
//   - the studio's setup form builds its editors, tooltips and live keys from it;
//   - docs/config.md's tables are generated from it (can-train --config-reference), and a
//     test keeps them equal.
// The defaults are the member initialisers of the config structs (RunConfig{}), read back
// through JSON, so that a default is written once. Standard library only (no Qt, no torch).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace can {

enum class SettingType {
  kBool,        // true | false
  kInteger,     // a whole number
  kNumber,      // a real number
  kText,        // free text (data.path)
  kChoice,      // one of `choices`
  kNumberList,  // a list of numbers, "0.9,0.95" or [0.9, 0.95]
};

// A bound of a numeric key's range.
struct Bound {
  double value = 0;
  bool inclusive = true;
};

struct SettingSpec {
  std::string key;  // "loss.tau"
  SettingType type = SettingType::kNumber;
  std::vector<std::string> choices;                              // kChoice: the values accepted
  std::optional<Bound> min, max;                                 // numbers and each element of a list; none = unbounded
  std::string special;                                           // what a value outside the range means, e.g. "0 = off"
  bool live = false;                                             // TrainerControl may change it between steps of a run
  std::vector<std::pair<std::string, std::string>> mode_values;  // objectives.mode -> value
  std::string help;                                              // one line: what the key does
  std::string default_text;  // filled from RunConfig{}: "0.1", "true", "simclr", "[0.9,0.95]"

  // "[0, 1)", "> 0", ">= 1", "can, mae, simclr or custom"; "" when anything of the type goes.
  std::string range_text() const;
  // The mode's value for this key, nullptr when the mode does not set it.
  const std::string* value_in_mode(std::string_view mode) const;
};

// Every key, section by section (model, objectives, loss, data, train), in the order the
// docs list them.
const std::vector<SettingSpec>& settings_schema();
// nullptr for an unknown key.
const SettingSpec* find_setting(std::string_view key);
// The keys TrainerControl can change between steps (spec.live).
std::vector<std::string> live_setting_keys();
// The modes of objectives.mode, "can" first.
const std::vector<std::string>& objective_modes();

// "" when `value` lies in the spec's range, else why not ("must be in [0, 1), got 1.5"),
// with the spec's special values in brackets.
std::string range_problem(const SettingSpec& spec, double value);
// "" when `value` is one of the choices, else "unknown value 'x' (expected a, b or c)".
std::string choice_problem(const SettingSpec& spec, const std::string& value);

// docs/config.md's table of one section ("model", "data"...): | key | default | range | meaning |.
std::string config_reference_markdown(std::string_view section);
// The sections of the schema in order.
std::vector<std::string> schema_sections();

}  // namespace can
