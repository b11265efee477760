#include "core/data/image_check.h"

#include <zlib.h>

#include <cstring>

#include "core/data/image_check_formats.h"

namespace can::data {

namespace image_check_impl {
namespace {

// The chunks passed to libpng: the critical ones and tRNS (which OpenCV turns into alpha).
bool png_chunk_kept(const char type[4]) {
  return !std::memcmp(type, "IHDR", 4) || !std::memcmp(type, "PLTE", 4) || !std::memcmp(type, "IDAT", 4) ||
         !std::memcmp(type, "IEND", 4) || !std::memcmp(type, "tRNS", 4);
}

bool png_depth_ok(unsigned color, unsigned depth) {
  switch (color) {
    case 0:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;  // gray
    case 3:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8;  // palette
    case 2:
    case 4:
    case 6:
      return depth == 8 || depth == 16;  // RGB, gray+alpha, RGBA
    default:
      return false;
  }
}

// Samples per pixel of a PNG colour type (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA).
unsigned png_channels(unsigned color) {
  switch (color) {
    case 2:
      return 3;
    case 4:
      return 2;
    case 6:
      return 4;
    default:
      return 1;
  }
}

}  // namespace

void check_png(const uint8_t* d, size_t n, ImageBytesCheck& r) {
  size_t pos = 8;
  bool ihdr = false, plte = false, idat = false, idat_ended = false;
  unsigned color = 0, depth = 0;
  uint64_t idat_bytes = 0;
  for (;;) {
    if (pos + 8 > n) {
      r.problem = "truncated PNG: the file ends at byte " + std::to_string(n) + " before its IEND chunk";
      return;
    }
    const uint32_t len = get_be32(d + pos);
    char type[5] = {0};
    std::memcpy(type, d + pos + 4, 4);
    for (int i = 0; i < 4; ++i)
      if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z'))) {
        r.problem = "corrupt PNG: no chunk type at byte " + std::to_string(pos + 4);
        return;
      }
    if (len > 0x7FFFFFFFu) {
      r.problem = "corrupt PNG: chunk " + std::string(type) + " claims " + std::to_string(len) + " bytes";
      return;
    }
    if (pos + 12 + uint64_t(len) > n) {
      r.problem = "truncated PNG: chunk " + std::string(type) + " at byte " + std::to_string(pos) + " needs " +
                  std::to_string(12 + uint64_t(len)) + " bytes, the file ends after " + std::to_string(n - pos);
      return;
    }
    const uint8_t* body = d + pos + 8;
    const bool kept = png_chunk_kept(type);
    if (kept && crc32(crc32(0L, Z_NULL, 0), d + pos + 4, len + 4) != get_be32(body + len)) {
      r.problem =
          "damaged PNG: chunk " + std::string(type) + " at byte " + std::to_string(pos) + " fails its CRC check";
      return;
    }
    if (!ihdr && std::memcmp(type, "IHDR", 4) != 0) {
      r.problem = "corrupt PNG: the first chunk is " + std::string(type) + ", not IHDR";
      return;
    }
    if (!std::memcmp(type, "IHDR", 4)) {
      if (ihdr || len != 13) {
        r.problem = "corrupt PNG: " +
                    std::string(ihdr ? "a second IHDR chunk" : "IHDR chunk of " + std::to_string(len) + " bytes");
        return;
      }
      ihdr = true;
      r.width = get_be32(body);
      r.height = get_be32(body + 4);
      depth = body[8];
      color = body[9];
      if (r.width == 0 || r.height == 0 || r.width > 0x7FFFFFFF || r.height > 0x7FFFFFFF) {
        r.problem = "corrupt PNG: image size " + std::to_string(r.width) + "x" + std::to_string(r.height);
        return;
      }
      if (!png_depth_ok(color, depth) || body[10] != 0 || body[11] != 0 || body[12] > 1) {
        r.problem = "corrupt PNG: invalid IHDR (colour type " + std::to_string(color) + ", bit depth " +
                    std::to_string(depth) + ")";
        return;
      }
      r.problem = side_problem(r.width, r.height);
      if (!r.problem.empty()) return;
    } else if (!std::memcmp(type, "PLTE", 4)) {
      if (len == 0 || len % 3 != 0 || len > 768) {
        r.problem = "corrupt PNG: palette of " + std::to_string(len) + " bytes";
        return;
      }
      // libpng's errors "PLTE: duplicate" and "PLTE: out of place" (found by fuzzing: they
      // reached stderr; the decode failed anyway).
      if (plte || idat) {
        r.problem = std::string("corrupt PNG: ") + (plte ? "a second PLTE chunk" : "a PLTE chunk after the image data");
        return;
      }
      plte = true;
    } else if (!std::memcmp(type, "tRNS", 4) && idat) {
      r.problem = "corrupt PNG: a tRNS chunk after the image data";  // libpng's "tRNS: out of place"
      return;
    } else if (!std::memcmp(type, "IDAT", 4)) {
      if (idat_ended) {
        r.problem = "corrupt PNG: IDAT chunks are not consecutive";
        return;
      }
      if (color == 3 && !plte) {
        r.problem = "corrupt PNG: palette image without a PLTE chunk before its data";
        return;
      }
      idat = true;
      idat_bytes += len;
    } else if (!std::memcmp(type, "IEND", 4)) {
      if (!idat) {
        r.problem = "corrupt PNG: no image data (IDAT) before IEND";
        return;
      }
      // The pixels alone (no filter bytes, no row padding: a bound for interlaced images
      // too) against what deflate can expand the IDAT data to, 2 KiB of slack for headers.
      const uint64_t pixel_bytes = (uint64_t(r.width) * uint64_t(r.height) * png_channels(color) * depth + 7) / 8;
      if (pixel_bytes > idat_bytes * kMaxDeflateRatio + 2048)
        r.problem = "truncated PNG: its " + std::to_string(idat_bytes) + " bytes of image data cannot hold a " +
                    std::to_string(r.width) + "x" + std::to_string(r.height) + " image (" +
                    std::to_string(pixel_bytes) + " bytes, deflate expands at most " +
                    std::to_string(kMaxDeflateRatio) + " times)";
      return;  // bytes after IEND are ignored, as libpng does
    } else if (type[0] >= 'A' && type[0] <= 'Z') {
      r.problem = "unsupported PNG: unknown critical chunk " + std::string(type);
      return;
    }
    if (idat && std::memcmp(type, "IDAT", 4) != 0) idat_ended = true;
    pos += 12 + size_t(len);
  }
}

}  // namespace image_check_impl

std::vector<uint8_t> png_without_ancillary_chunks(const uint8_t* d, size_t n) {
  using namespace image_check_impl;
  // Only after check_image_bytes: every chunk up to IEND lies inside the file.
  bool any_dropped = false;
  for (size_t pos = 8; pos + 12 <= n;) {
    const uint32_t len = get_be32(d + pos);
    const char* type = reinterpret_cast<const char*>(d + pos + 4);
    if (!png_chunk_kept(type)) any_dropped = true;
    if (!std::memcmp(type, "IEND", 4) || pos + 12 + uint64_t(len) > n) break;
    pos += 12 + size_t(len);
  }
  if (!any_dropped) return {};
  std::vector<uint8_t> out(d, d + 8);
  for (size_t pos = 8; pos + 12 <= n;) {
    const uint32_t len = get_be32(d + pos);
    const char* type = reinterpret_cast<const char*>(d + pos + 4);
    if (pos + 12 + uint64_t(len) > n) break;
    if (png_chunk_kept(type)) out.insert(out.end(), d + pos, d + pos + 12 + len);
    if (!std::memcmp(type, "IEND", 4)) break;
    pos += 12 + size_t(len);
  }
  return out;
}

}  // namespace can::data
