#pragma once
// Control characters and bytes that are not UTF-8 written visibly (\n, \t, \r, \xNN), so
// that a file name or a value from a user's disk stays on one line of a message or of a
// tab-separated list, cannot move a terminal's cursor, and is valid UTF-8 (JSON, Qt).

#include <string>
#include <string_view>

namespace can {

// With escape_backslash, '\' becomes "\\" as well, which makes the escaping reversible
// (for lists a program reads back, e.g. skipped_files.txt).
std::string escape_controls(std::string_view text, bool escape_backslash = false);

// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF) at the start of text, or 0 when there is none.
size_t utf8_sequence_length(std::string_view text);

}  // namespace can
