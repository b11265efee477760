#pragma once
// The per-format structure checks of check_image_bytes (core/data/image_check.h) that walk a
// file's parts: a PNG's chunks (image_check_png.cpp) and a JPEG's markers
// (image_check_jpeg.cpp), each in its own file because each follows its own format's rules;
// the fixed headers of BMP and WebP are checked beside the dispatch in image_check.cpp. Here:
// what they share (reading big- and little-endian integers, the size limit) and what
// image_check.cpp calls. Internal to the image checks.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/data/image_check.h"

namespace can::data::image_check_impl {  // named: these helpers share unity batches with other readers

inline uint32_t get_be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
inline uint32_t get_be16(const uint8_t* p) { return (uint32_t(p[0]) << 8) | uint32_t(p[1]); }
inline uint32_t get_le32(const uint8_t* p) {
  return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}
inline uint32_t get_le16(const uint8_t* p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8); }

// "image is WxH, larger than the decoder's limit (...)" when the size passes kMaxImageSide or
// kMaxImagePixels; "" when it fits.
std::string side_problem(int64_t w, int64_t h);

// Walks the chunks: lengths inside the file, IHDR first and valid, PLTE where a palette
// needs it, IDATs consecutive, the CRC of every chunk passed to libpng, IEND at the end.
void check_png(const uint8_t* d, size_t n, ImageBytesCheck& r);

// Walks the markers: every segment inside the file, one frame header (SOF) with a size
// before the first scan, entropy-coded data skipped up to the next marker, and an EOI.
void check_jpeg(const uint8_t* d, size_t n, ImageBytesCheck& r);

}  // namespace can::data::image_check_impl
