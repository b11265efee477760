#include "core/io/safetensors.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
#include "core/util/json_limits.h"

namespace can::io {

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors stores little-endian data; this reader copies bytes as they are"
#endif

namespace {

using json = nlohmann::json;

struct DtypeInfo {
  const char* name;
  uint64_t size;
  torch::ScalarType type;
  bool has_torch;  // LibTorch 1.13 has no unsigned 16/32/64-bit or 8-bit float types
};

const DtypeInfo kDtypes[] = {
    {"BOOL", 1, torch::kBool, true},      {"U8", 1, torch::kByte, true},
    {"I8", 1, torch::kChar, true},        {"F8_E4M3", 1, torch::kByte, false},
    {"F8_E5M2", 1, torch::kByte, false},  {"I16", 2, torch::kShort, true},
    {"U16", 2, torch::kShort, false},     {"F16", 2, torch::kHalf, true},
    {"BF16", 2, torch::kBFloat16, true},  {"I32", 4, torch::kInt, true},
    {"U32", 4, torch::kInt, false},       {"F32", 4, torch::kFloat, true},
    {"I64", 8, torch::kLong, true},       {"U64", 8, torch::kLong, false},
    {"F64", 8, torch::kDouble, true},
};

const DtypeInfo* find_dtype(const std::string& name) {
  for (const auto& d : kDtypes)
    if (name == d.name) return &d;
  return nullptr;
}

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw SafetensorsError(path + ": " + problem);
}

uint64_t read_u64_le(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Tensor names quoted in messages are cut to this many bytes (values to kQuoteChars).
constexpr size_t kNameChars = 200;

// Parses the header JSON, rejecting duplicate top-level names: nlohmann keeps the last of
// duplicate keys silently, so they are caught while parsing. Nesting deeper than
// kMaxJsonDepth is refused while parsing (a deep "shape" once crashed the dump() of the
// message that rejected it).
json parse_header(const uint8_t* begin, const uint8_t* end, const std::string& path) {
  std::set<std::string> seen;
  std::string duplicate;
  json::parser_callback_t on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 && parsed.is_string()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!seen.insert(key).second && duplicate.empty()) duplicate = key;
    }
    return true;
  };
  json header;
  try {
    header = parse_json_bounded(reinterpret_cast<const char*>(begin), reinterpret_cast<const char*>(end),
                                kMaxJsonDepth, on_event);
  } catch (const JsonTextError& e) {
    fail(path, std::string("header: ") + e.what());
  }
  if (!duplicate.empty()) fail(path, "duplicate tensor name \"" + clip_text(duplicate, kNameChars) + "\" in header");
  if (!header.is_object()) fail(path, "header is not a JSON object");
  return header;
}

uint64_t json_u64(const json& v, const std::string& path, const std::string& what) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) fail(path, what + " is negative (" + clip_json(v) + ")");
  fail(path, what + " is not a non-negative integer (" + clip_json(v) + ")");
}

SafetensorsEntry parse_entry(const std::string& name, const json& v, uint64_t data_size,
                             const std::string& path) {
  const std::string where = "tensor \"" + clip_text(name, kNameChars) + "\"";
  if (name.empty()) fail(path, "empty tensor name in header");
  if (!v.is_object()) fail(path, where + ": entry is not a JSON object");
  for (const auto& item : v.items())
    if (item.key() != "dtype" && item.key() != "shape" && item.key() != "data_offsets")
      fail(path, where + ": unknown field \"" + clip_text(item.key()) + "\"");
  if (!v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets"))
    fail(path, where + ": entry needs dtype, shape and data_offsets");

  SafetensorsEntry e;
  e.name = name;
  if (!v["dtype"].is_string()) fail(path, where + ": dtype is not a string");
  e.dtype = v["dtype"].get<std::string>();
  const DtypeInfo* dtype = find_dtype(e.dtype);
  if (!dtype) fail(path, where + ": unknown dtype \"" + clip_text(e.dtype) + "\"");

  const json& shape = v["shape"];
  if (!shape.is_array()) fail(path, where + ": shape is not an array");
  uint64_t numel = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    const uint64_t dim = json_u64(shape[i], path, where + ": shape[" + std::to_string(i) + "]");
    if (dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      fail(path, where + ": shape[" + std::to_string(i) + "] is too large");
    if (__builtin_mul_overflow(numel, dim, &numel))
      fail(path, where + ": shape " + clip_json(shape) + " overflows 64 bits");
    e.shape.push_back(static_cast<int64_t>(dim));
  }
  uint64_t nbytes = 0;
  if (__builtin_mul_overflow(numel, dtype->size, &nbytes))
    fail(path, where + ": shape " + clip_json(shape) + " overflows 64 bits in bytes");

  const json& offsets = v["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2)
    fail(path, where + ": data_offsets is not an array [begin, end]");
  e.begin = json_u64(offsets[0], path, where + ": data_offsets begin");
  e.end = json_u64(offsets[1], path, where + ": data_offsets end");
  if (e.begin > e.end)
    fail(path, where + ": data_offsets begin " + std::to_string(e.begin) + " > end " +
                   std::to_string(e.end));
  if (e.end > data_size)
    fail(path, where + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                   ") out of range of the " + std::to_string(data_size) + "-byte data section");
  if (e.end - e.begin != nbytes)
    fail(path, where + ": shape " + clip_json(shape) + " of " + e.dtype + " needs " +
                   std::to_string(nbytes) + " bytes but data_offsets span " +
                   std::to_string(e.end - e.begin) + " (does not match)");
  return e;
}

std::map<std::string, std::string> parse_metadata(const json& v, const std::string& path) {
  if (!v.is_object()) fail(path, "__metadata__ is not a JSON object");
  std::map<std::string, std::string> out;
  for (const auto& item : v.items()) {
    if (!item.value().is_string())
      fail(path, "__metadata__ value of \"" + clip_text(item.key(), kNameChars) + "\" is not a string");
    out[item.key()] = item.value().get<std::string>();
  }
  return out;
}

}  // namespace

uint64_t safetensors_dtype_size(const std::string& dtype) {
  const DtypeInfo* d = find_dtype(dtype);
  return d ? d->size : 0;
}

std::string safetensors_dtype_name(torch::ScalarType type) {
  for (const auto& d : kDtypes)
    if (d.has_torch && d.type == type) return d.name;
  throw SafetensorsError(std::string("no safetensors dtype for LibTorch dtype ") +
                         c10::toString(type));
}

bool SafetensorsFile::contains(const std::string& name) const {
  return std::any_of(entries.begin(), entries.end(),
                     [&](const SafetensorsEntry& e) { return e.name == name; });
}

const SafetensorsEntry& SafetensorsFile::entry(const std::string& name) const {
  for (const auto& e : entries)
    if (e.name == name) return e;
  fail(path, "no tensor named \"" + clip_text(name, kNameChars) + "\"");
}

torch::Tensor SafetensorsFile::tensor(const std::string& name) const {
  const SafetensorsEntry& e = entry(name);
  const DtypeInfo* dtype = find_dtype(e.dtype);
  if (!dtype || !dtype->has_torch)
    fail(path, "tensor \"" + clip_text(name, kNameChars) + "\": dtype " + e.dtype + " has no LibTorch equivalent");
  const uint8_t* src = data.data() + e.begin;
  const size_t nbytes = static_cast<size_t>(e.end - e.begin);
  // A bool byte other than 0 or 1 is undefined behaviour once read as bool.
  if (dtype->type == torch::kBool)
    for (size_t i = 0; i < nbytes; ++i)
      if (src[i] > 1)
        fail(path, "tensor \"" + clip_text(name, kNameChars) + "\": BOOL byte " + std::to_string(src[i]));
  // Copied into a fresh (aligned) tensor: offsets in the file need not be aligned.
  auto t = torch::empty(e.shape, torch::TensorOptions().dtype(dtype->type));
  if (nbytes > 0) std::memcpy(t.data_ptr(), src, nbytes);
  return t;
}

std::vector<std::string> SafetensorsFile::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.name);
  return out;
}

SafetensorsFile parse_safetensors(std::vector<uint8_t> bytes, const std::string& path) {
  const uint64_t file_size = bytes.size();
  if (file_size < 8)
    fail(path, "file is " + std::to_string(file_size) +
                   " bytes, too small for the 8-byte header length (truncated)");
  const uint64_t header_len = read_u64_le(bytes.data());
  if (header_len > file_size - 8)
    fail(path, "header length " + std::to_string(header_len) + " is larger than the " +
                   std::to_string(file_size - 8) + " bytes after it (truncated or corrupt)");
  if (header_len > kSafetensorsMaxHeaderBytes)
    fail(path, "header length " + std::to_string(header_len) + " exceeds the limit of " +
                   std::to_string(kSafetensorsMaxHeaderBytes) + " bytes");
  if (header_len < 2) fail(path, "header is not valid JSON: too short for a JSON object");

  const uint8_t* header_begin = bytes.data() + 8;
  const json header = parse_header(header_begin, header_begin + header_len, path);
  const uint64_t data_size = file_size - 8 - header_len;

  SafetensorsFile file;
  file.path = path;
  for (const auto& item : header.items()) {
    if (item.key() == "__metadata__")
      file.metadata = parse_metadata(item.value(), path);
    else
      file.entries.push_back(parse_entry(item.key(), item.value(), data_size, path));
  }

  // Tensors must tile the data section exactly: no overlap, no gap, nothing left over.
  std::sort(file.entries.begin(), file.entries.end(),
            [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
              return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
            });
  uint64_t pos = 0;
  const SafetensorsEntry* previous = nullptr;
  for (const auto& e : file.entries) {
    if (e.begin < pos)
      fail(path, "tensors \"" + clip_text(previous->name, kNameChars) + "\" and \"" + clip_text(e.name, kNameChars) +
                     "\" overlap (bytes [" +
                     std::to_string(e.begin) + ", " + std::to_string(pos) + "))");
    if (e.begin > pos)
      fail(path, "data bytes [" + std::to_string(pos) + ", " + std::to_string(e.begin) +
                     ") are not covered by any tensor");
    pos = e.end;
    previous = &e;
  }
  if (pos != data_size)
    fail(path, "data bytes [" + std::to_string(pos) + ", " + std::to_string(data_size) +
                   ") are not covered by any tensor");

  bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(8 + header_len));
  file.data = std::move(bytes);
  return file;
}

SafetensorsFile read_safetensors(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail(path, "cannot open file");
  const std::streamoff size = in.tellg();
  if (size < 0) fail(path, "cannot determine the file size");
  in.seekg(0);
  // Check the length field before allocating for the whole file.
  if (size >= 8) {
    uint8_t head[8];
    if (!in.read(reinterpret_cast<char*>(head), 8)) fail(path, "read failed");
    const uint64_t header_len = read_u64_le(head);
    if (header_len > static_cast<uint64_t>(size) - 8)
      fail(path, "header length " + std::to_string(header_len) + " is larger than the " +
                     std::to_string(size - 8) + " bytes after it (truncated or corrupt)");
    in.seekg(0);
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size))
    fail(path, "read failed");
  return parse_safetensors(std::move(bytes), path);
}

std::map<std::string, torch::Tensor> load_safetensors(const std::string& path) {
  const SafetensorsFile file = read_safetensors(path);
  std::map<std::string, torch::Tensor> out;
  for (const auto& e : file.entries) out[e.name] = file.tensor(e.name);
  return out;
}

std::vector<uint8_t> serialize_safetensors(const NamedTensors& tensors,
                                           const std::map<std::string, std::string>& metadata) {
  std::vector<torch::Tensor> cpu;
  json header = json::object();
  std::set<std::string> names;
  uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    if (name.empty()) throw SafetensorsError("safetensors: empty tensor name");
    if (name == "__metadata__") throw SafetensorsError("safetensors: \"__metadata__\" is reserved");
    if (!names.insert(name).second)
      throw SafetensorsError("safetensors: duplicate tensor name \"" + name + "\"");
    if (!t.defined()) throw SafetensorsError("safetensors: tensor \"" + name + "\" is undefined");
    auto c = t.detach().to(torch::kCPU).contiguous();
    const uint64_t nbytes = static_cast<uint64_t>(c.numel()) * c.element_size();
    header[name] = {{"dtype", safetensors_dtype_name(c.scalar_type())},
                    {"shape", c.sizes().vec()},
                    {"data_offsets", {offset, offset + nbytes}}};
    offset += nbytes;
    cpu.push_back(c);
  }
  if (!metadata.empty()) header["__metadata__"] = metadata;

  std::string text;
  try {
    text = header.dump();
  } catch (const json::exception& e) {  // e.g. a name that is not valid UTF-8
    throw SafetensorsError(std::string("safetensors: cannot write header: ") + e.what());
  }
  // Pad with spaces (valid trailing JSON whitespace) so tensor data starts 8-byte aligned.
  text.append((8 - text.size() % 8) % 8, ' ');

  std::vector<uint8_t> out(8 + text.size() + offset);
  uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(n >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  uint8_t* dst = out.data() + 8 + text.size();
  for (const auto& c : cpu) {
    const size_t nbytes = static_cast<size_t>(c.numel()) * c.element_size();
    if (nbytes > 0) std::memcpy(dst, c.data_ptr(), nbytes);
    dst += nbytes;
  }
  return out;
}

void write_safetensors(const std::string& path, const NamedTensors& tensors,
                       const std::map<std::string, std::string>& metadata) {
  const std::vector<uint8_t> bytes = serialize_safetensors(tensors, metadata);
  try {
    write_file_atomic(path, bytes.data(), bytes.size());
  } catch (const SafetensorsError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw SafetensorsError(e.what());
  }
}

}  // namespace can::io
