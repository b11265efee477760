#pragma once
// What the fuzz targets share: a private scratch folder for readers that take a path, files
// written from the fuzzer's bytes, gzip compression (so mutations of the uncompressed bytes
// reach the gzip path with a valid stream), and splitting one input into parts.

#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace can_fuzz {

// /dev/shm/can-fuzz-<pid> (TMPDIR or /tmp when /dev/shm is missing), created on first use and
// removed when the process exits normally. One per process, so parallel fuzzers never share.
// The string is never destroyed: the atexit handler that removes the folder runs after
// the destructors of statics constructed later than its registration.
inline const std::string& scratch_dir() {
  static const std::string* dir = [] {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::string base = fs::is_directory("/dev/shm", ec) ? "/dev/shm" : "";
    if (base.empty()) base = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
    auto* d = new std::string(base + "/can-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(*d);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(scratch_dir(), ignored);
    });
    return d;
  }();
  return *dir;
}

inline void write_file(const std::string& path, const uint8_t* data, size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();  // the harness's own failure, not a finding
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

inline void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  write_file(path, bytes.data(), bytes.size());
}

// A complete gzip member holding `size` bytes (what gzip(1) writes).
inline std::vector<uint8_t> gzip(const uint8_t* data, size_t size) {
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::vector<uint8_t> out(deflateBound(&z, static_cast<uLong>(size)) + 32);
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Splits at the first NUL byte: {before, after}; {all, ""} and found = false without one.
struct Parts {
  std::string first, second;
  bool found = false;
};
inline Parts split_at_nul(const uint8_t* data, size_t size) {
  const std::string s(reinterpret_cast<const char*>(data), size);
  const size_t at = s.find('\0');
  if (at == std::string::npos) return {s, "", false};
  return {s.substr(0, at), s.substr(at + 1), true};
}

}  // namespace can_fuzz
