#pragma once
// JSON that comes from users' files (run configs, safetensors headers): parsed with a bound
// on nesting depth, and quoted in error messages by a short prefix only.
//
// Why: nlohmann's parser itself is iterative, but dump(), copies and comparisons recurse
// once per nesting level, so a config whose value is an array nested a million levels
// deep overflowed the stack as soon as a message dumped it. And a message that dumps a
// hostile value whole can be megabytes long.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace can {

// Arrays and objects nested inside each other (the root counts as level 1). A run config
// needs 4 (root, data, augment, a list); safetensors headers need 3.
constexpr int kMaxJsonDepth = 64;
// Characters of a bad value (or an unknown key) that an error message quotes.
constexpr size_t kQuoteChars = 40;

// What parse_json_bounded refuses; what() is the problem alone, without a file name, so
// that each caller can name its file in its own error type.
class JsonTextError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses [begin, end). Throws JsonTextError for text that is not JSON ("not valid JSON
// (syntax error at byte N)"), a number beyond a double's range (1e400, whose nlohmann
// message would quote it whole), or text that nests arrays/objects more than max_depth
// levels; the depth is checked as each array or object opens, so nothing deeper is built.
// `also` is an optional nlohmann parser callback run on every event after the depth check.
nlohmann::json parse_json_bounded(const char* begin, const char* end, int max_depth = kMaxJsonDepth,
                                  const nlohmann::json::parser_callback_t& also = nullptr);

// Whether text is well-formed UTF-8 (RFC 3629), the only text a JSON file can hold: a string
// that is not cannot be written to config.json (nlohmann's dump() throws type_error 316).
bool is_utf8(std::string_view text);

// `text` itself when it has at most max_chars bytes, else its first max_chars bytes (cut at
// a UTF-8 character boundary) + "... (N bytes)". Control characters are escaped (\n, \x1b),
// so a value cannot move the terminal's cursor either, and so are bytes that are not UTF-8
// (\xff), so a message can itself be written as JSON.
std::string clip_text(std::string_view text, size_t max_chars = kQuoteChars);

// The JSON text of v, cut like clip_text. Writes at most ~max_chars characters and never
// recurses deeper than that, whatever v holds (dump() would recurse through all of it).
std::string clip_json(const nlohmann::json& v, size_t max_chars = kQuoteChars);

}  // namespace can
