#pragma once
// SHA-256 (FIPS 180-4), for the checksums in checkpoint manifests (core/train/checkpoint.h).
// A plain implementation: the engine links no crypto library, and a checksum of a file
// damaged on disk or in transfer needs no more. Tested against NIST's vectors
// (tests/core/tst_sha256.cpp).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace can {

class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;

  Sha256();
  // Appends bytes to the message; any split of a message into updates gives one digest.
  void update(const void* data, size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // Pads the message (FIPS 180-4 5.1.1) and returns its digest; the object is then reset.
  Digest finish();

 private:
  void compress(const uint8_t* block);  // one 64-byte block into state_ (FIPS 180-4 6.2.2)
  void reset();

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;     // bytes of buffer_ in use
  uint64_t length_ = 0;     // message length so far, bytes
};

// Lowercase hex of a digest (64 characters).
std::string to_hex(const Sha256::Digest& digest);

// The digest of bytes, as lowercase hex.
std::string sha256_hex(std::string_view bytes);

// The digest of a file's content, as lowercase hex, read in 1 MiB blocks; its size in bytes
// in *size_out. Throws std::runtime_error("<path>: ...") when it cannot be read.
std::string sha256_file_hex(const std::string& path, uint64_t* size_out = nullptr);

}  // namespace can
