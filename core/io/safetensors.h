#pragma once
// The safetensors file format (https://github.com/huggingface/safetensors): an 8-byte
// little-endian header length N, N bytes of JSON header, then the data section. The header
// maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative
// to the data section) and may hold a "__metadata__" object of string -> string.
//
// The reader treats the file as hostile: every length, offset, shape and name is checked
// before a byte of tensor data is used, and any violation is a SafetensorsError naming the
// file and the problem. The writer is atomic (temporary file, then rename).

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace can::io {

class SafetensorsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Largest header accepted (the reference implementation's limit): a header is a few KB per
// thousand tensors, so anything larger is a corrupt or hostile length field.
constexpr uint64_t kSafetensorsMaxHeaderBytes = 100ull * 1000 * 1000;

// Bytes per element of a safetensors dtype name ("F32" -> 4); 0 for an unknown name.
// Known: BOOL U8 I8 F8_E4M3 F8_E5M2 I16 U16 F16 BF16 I32 U32 F32 I64 U64 F64.
uint64_t safetensors_dtype_size(const std::string& dtype);
// The safetensors name of a LibTorch dtype; throws SafetensorsError for one with no name.
std::string safetensors_dtype_name(torch::ScalarType type);

struct SafetensorsEntry {
  std::string name;
  std::string dtype;            // safetensors name, e.g. "F32"
  std::vector<int64_t> shape;   // row-major; empty = scalar
  uint64_t begin = 0, end = 0;  // byte offsets into the data section, [begin, end)
};

class SafetensorsFile {
 public:
  std::string path;
  std::map<std::string, std::string> metadata;  // "__metadata__", empty when absent
  std::vector<SafetensorsEntry> entries;        // in data-offset order
  std::vector<uint8_t> data;                    // the whole data section

  bool contains(const std::string& name) const;
  const SafetensorsEntry& entry(const std::string& name) const;  // throws when absent
  // A CPU tensor owning a copy of the entry's bytes. Throws SafetensorsError when the name
  // is absent or its dtype has no LibTorch equivalent (U16, U32, U64, F8_*).
  torch::Tensor tensor(const std::string& name) const;
  std::vector<std::string> names() const;  // in data-offset order
};

// Reads and validates a whole file; throws SafetensorsError("<path>: <problem>").
SafetensorsFile read_safetensors(const std::string& path);
// Validates a file held in memory (what read_safetensors does after reading the bytes).
SafetensorsFile parse_safetensors(std::vector<uint8_t> bytes, const std::string& path_for_errors);
// All tensors of a file by name.
std::map<std::string, torch::Tensor> load_safetensors(const std::string& path);

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// The file's bytes: tensors stored in the given order, each contiguous and row-major in its
// own dtype; the JSON header (keys sorted, compact) padded with spaces to a multiple of 8 so
// the data section is 8-byte aligned, as the reference writer does. Throws SafetensorsError
// for an empty or duplicate name, the reserved name "__metadata__", or an unsupported dtype.
std::vector<uint8_t> serialize_safetensors(const NamedTensors& tensors,
                                           const std::map<std::string, std::string>& metadata = {});
// Writes serialize_safetensors() to path atomically: a temporary file beside it, flushed to
// disk, then renamed over path, so an interrupted write leaves any previous file intact.
void write_safetensors(const std::string& path, const NamedTensors& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace can::io
