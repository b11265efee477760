// The safetensors reader (core/io/safetensors.cpp parse_safetensors, what read_safetensors
// does after reading the file) on the fuzzer's bytes, then every tensor it admits.
// Allowed outcome: a SafetensorsError; an admitted entry must lie in the data section and
// its tensor, when its dtype has a LibTorch equivalent, must hold exactly its bytes.
#include <cstdlib>

#include "core/io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  can::io::SafetensorsFile file;
  try {
    file = can::io::parse_safetensors(std::vector<uint8_t>(data, data + size), "fuzz.safetensors");
  } catch (const can::io::SafetensorsError&) {
    return 0;
  }
  for (const can::io::SafetensorsEntry& e : file.entries) {
    if (e.begin > e.end || e.end > file.data.size()) std::abort();
    if (!file.contains(e.name) || file.entry(e.name).end != e.end) std::abort();
    try {
      const torch::Tensor t = file.tensor(e.name);
      if (static_cast<uint64_t>(t.numel()) * t.element_size() != e.end - e.begin) std::abort();
    } catch (const can::io::SafetensorsError&) {
      // dtypes with no LibTorch equivalent (U16, U32, U64, F8_*)
    }
  }
  return 0;
}
