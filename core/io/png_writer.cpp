#include "core/io/png_writer.h"

#include <zlib.h>

#include <stdexcept>
#include <vector>

#include "core/io/atomic_file.h"

namespace can::io {

namespace {

void put_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// length, type, data, CRC-32 of type + data (PNG spec section 5.3).
void put_chunk(std::string& out, const char* type, const std::string& data) {
  put_u32(out, static_cast<uint32_t>(data.size()));
  const std::string body = std::string(type, 4) + data;
  out += body;
  put_u32(out, static_cast<uint32_t>(
                   crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

}  // namespace

std::string encode_png(const data::Image& img) {
  if ((img.c != 1 && img.c != 3) || img.h < 1 || img.w < 1 ||
      img.pixels.size() != static_cast<size_t>(img.h * img.w * img.c))
    throw std::invalid_argument("encode_png: needs an 8-bit gray or RGB image with h*w*c bytes");
  // Scanlines, each preceded by filter type 0 (none).
  const size_t row = static_cast<size_t>(img.w * img.c);
  std::vector<uint8_t> raw;
  raw.reserve(static_cast<size_t>(img.h) * (row + 1));
  for (int64_t y = 0; y < img.h; ++y) {
    raw.push_back(0);
    raw.insert(raw.end(), img.pixels.begin() + static_cast<std::ptrdiff_t>(y * row),
               img.pixels.begin() + static_cast<std::ptrdiff_t>((y + 1) * row));
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, raw.data(), static_cast<uLong>(raw.size()),
                Z_BEST_COMPRESSION) != Z_OK)
    throw std::runtime_error("encode_png: zlib failed");
  packed.resize(packed_size);

  std::string ihdr;
  put_u32(ihdr, static_cast<uint32_t>(img.w));
  put_u32(ihdr, static_cast<uint32_t>(img.h));
  ihdr.push_back(8);                                      // bit depth
  ihdr.push_back(static_cast<char>(img.c == 1 ? 0 : 2));  // colour type: gray / RGB
  ihdr.append(3, '\0');                                   // compression, filter, interlace
  std::string out = "\x89PNG\r\n\x1a\n";
  put_chunk(out, "IHDR", ihdr);
  put_chunk(out, "IDAT", packed);
  put_chunk(out, "IEND", "");
  return out;
}

void write_png(const std::string& path, const data::Image& img) { write_file_atomic(path, encode_png(img)); }

}  // namespace can::io
