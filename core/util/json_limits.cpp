#include "core/util/json_limits.h"

#include "core/util/escape.h"

#include <cstdio>

namespace can {

namespace {

using nlohmann::json;

// Thrown out of the parser callback: unwinds the parse at the first too-deep level.
struct TooDeep {};

// The length of text's first max_chars bytes, shortened so as not to split a UTF-8 sequence.
size_t utf8_cut(std::string_view text, size_t max_chars) {
  size_t cut = std::min(text.size(), max_chars);
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}


// Appends v's JSON text to out until out is longer than limit. Each nesting level writes a
// bracket before it recurses, so the recursion is at most limit + 1 levels deep.
void append_bounded(const json& v, std::string& out, size_t limit) {
  if (out.size() > limit) return;
  if (v.is_array()) {
    out += '[';
    bool first = true;
    for (const json& e : v) {
      if (out.size() > limit) return;
      if (!first) out += ',';
      first = false;
      append_bounded(e, out, limit);
    }
    out += ']';
  } else if (v.is_object()) {
    out += '{';
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (out.size() > limit) return;
      if (!first) out += ',';
      first = false;
      append_bounded(json(it.key()), out, limit);
      out += ':';
      append_bounded(it.value(), out, limit);
    }
    out += '}';
  } else if (v.is_string()) {
    // Only a prefix of a long string is serialised (replacing a UTF-8 sequence the cut split).
    const auto& s = v.get_ref<const std::string&>();
    out += json(s.substr(0, std::min(s.size(), limit + 1))).dump(-1, ' ', false, json::error_handler_t::replace);
  } else {
    out += v.dump();
  }
}

}  // namespace

json parse_json_bounded(const char* begin, const char* end, int max_depth, const json::parser_callback_t& also) {
  json::parser_callback_t on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    // depth = the arrays/objects already open around this one.
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth + 1 > max_depth)
      throw TooDeep{};
    return also ? also(depth, event, parsed) : true;
  };
  try {
    return json::parse(begin, end, on_event);
  } catch (const TooDeep&) {
    throw JsonTextError("nests arrays and objects more than " + std::to_string(max_depth) +
                        " levels deep (the limit for JSON files)");
  } catch (const json::parse_error& e) {  // its what() quotes the last token read, which may be huge
    throw JsonTextError("not valid JSON (syntax error at byte " + std::to_string(e.byte) + ")");
  } catch (const json::out_of_range&) {
    // 406: a number beyond a double's range (1e400); its what() quotes the whole number.
    throw JsonTextError("not valid JSON here (a number too large for a double)");
  }
}

bool is_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t n = utf8_sequence_length(text.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string clip_text(std::string_view text, size_t max_chars) {
  if (text.size() <= max_chars) return escape_controls(text);
  return escape_controls(text.substr(0, utf8_cut(text, max_chars))) + "... (" + std::to_string(text.size()) +
         " bytes)";
}

std::string clip_json(const json& v, size_t max_chars) {
  std::string out;
  append_bounded(v, out, max_chars);
  if (out.size() <= max_chars) return escape_controls(out);
  return escape_controls(std::string_view(out).substr(0, utf8_cut(out, max_chars))) + "...";
}

}  // namespace can
