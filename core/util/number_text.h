#pragma once
// A double as a user typed it: "0", "0.05", "1e-05", not std::to_string's "0.000000".
// Six significant digits, enough to recognise the value in an error message.

#include <cstdio>
#include <string>

namespace can {

inline std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

}  // namespace can
