#pragma once
// Control characters written visibly (\n, \t, \r, \xNN), so that a file name or a value
// from a user's disk stays on one line of a message or of a tab-separated list, and cannot
// move a terminal's cursor.

#include <string>
#include <string_view>

namespace can {

// With escape_backslash, '\' becomes "\\" as well, which makes the escaping reversible
// (for lists a program reads back, e.g. skipped_files.txt).
std::string escape_controls(std::string_view text, bool escape_backslash = false);

}  // namespace can
