// The run-config parser with validation (core/config/run_config.cpp), as can-train uses it:
// parse_run_config_text (what load_run_config_file does with a file's text), then --set
// key=value lines through RunConfig::set_key, then RunConfig::validate.
// Input: the config file's text, optionally followed by a NUL byte and "key=value" lines.
// Allowed outcome: std::invalid_argument (every config error names its key or the file).
// A config that validates must survive what a checkpoint does with it: written as JSON
// (config.json) and read back, it gives the same JSON and validates again.
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/config/run_config.h"
#include "fuzz_util.h"

namespace {

// Called once config.validate() passed: anything thrown here is a finding.
void check_round_trip(const can::RunConfig& config) {
  try {
    const nlohmann::json saved = config;
    const can::RunConfig loaded = can::parse_run_config_text(saved.dump(2), "round-trip.json");
    loaded.validate();
    const nlohmann::json again = loaded;
    if (again != saved) {
      std::fprintf(stderr, "round trip changed the config:\n%s\n%s\n", saved.dump().c_str(), again.dump().c_str());
      std::abort();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "a config that validates fails its round trip: %s\n", e.what());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const can_fuzz::Parts parts = can_fuzz::split_at_nul(data, size);
  can::RunConfig config;
  try {
    config = can::parse_run_config_text(parts.first, "fuzz.json");
    config.validate();
    check_round_trip(config);
  } catch (const std::invalid_argument&) {
  }
  if (!parts.found) return 0;
  std::istringstream lines(parts.second);
  for (std::string line; std::getline(lines, line);) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    try {
      config.set_key(line.substr(0, eq), line.substr(eq + 1));
    } catch (const std::invalid_argument&) {
    }
  }
  try {
    config.validate();
    check_round_trip(config);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
