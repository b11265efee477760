#include "core/data/image_check.h"

#include <zlib.h>

#include <cstring>

namespace can::data {

namespace {
namespace image_check_impl {  // named: these helpers share unity batches with other readers

uint32_t get_be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
uint32_t get_be16(const uint8_t* p) { return (uint32_t(p[0]) << 8) | uint32_t(p[1]); }
uint32_t get_le32(const uint8_t* p) {
  return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}
uint32_t get_le16(const uint8_t* p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8); }

std::string hex2(unsigned v) {
  char s[8];
  std::snprintf(s, sizeof s, "0x%02X", v & 0xFF);
  return s;
}

const uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

// The chunks passed to libpng: the critical ones and tRNS (which OpenCV turns into alpha).
bool png_chunk_kept(const char type[4]) {
  return !std::memcmp(type, "IHDR", 4) || !std::memcmp(type, "PLTE", 4) || !std::memcmp(type, "IDAT", 4) ||
         !std::memcmp(type, "IEND", 4) || !std::memcmp(type, "tRNS", 4);
}

bool png_depth_ok(unsigned color, unsigned depth) {
  switch (color) {
    case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;  // gray
    case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;                 // palette
    case 2: case 4: case 6: return depth == 8 || depth == 16;  // RGB, gray+alpha, RGBA
    default: return false;
  }
}

std::string side_problem(int64_t w, int64_t h) {
  if (w > kMaxImageSide || h > kMaxImageSide || w * h > kMaxImagePixels)
    return "image is " + std::to_string(w) + "x" + std::to_string(h) + ", larger than the decoder's limit (" +
           std::to_string(kMaxImageSide) + " pixels a side, " + std::to_string(kMaxImagePixels) + " in all)";
  return "";
}

// Samples per pixel of a PNG colour type (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA).
unsigned png_channels(unsigned color) {
  switch (color) {
    case 2: return 3;
    case 4: return 2;
    case 6: return 4;
    default: return 1;
  }
}

// Walks the chunks: lengths inside the file, IHDR first and valid, PLTE where a palette
// needs it, IDATs consecutive, the CRC of every chunk passed to libpng, IEND at the end.
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
      r.problem = "damaged PNG: chunk " + std::string(type) + " at byte " + std::to_string(pos) + " fails its CRC check";
      return;
    }
    if (!ihdr && std::memcmp(type, "IHDR", 4) != 0) {
      r.problem = "corrupt PNG: the first chunk is " + std::string(type) + ", not IHDR";
      return;
    }
    if (!std::memcmp(type, "IHDR", 4)) {
      if (ihdr || len != 13) {
        r.problem = "corrupt PNG: " + std::string(ihdr ? "a second IHDR chunk" : "IHDR chunk of " + std::to_string(len) + " bytes");
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
                    std::to_string(pixel_bytes) + " bytes, deflate expands at most " + std::to_string(kMaxDeflateRatio) +
                    " times)";
      return;  // bytes after IEND are ignored, as libpng does
    } else if (type[0] >= 'A' && type[0] <= 'Z') {
      r.problem = "unsupported PNG: unknown critical chunk " + std::string(type);
      return;
    }
    if (idat && std::memcmp(type, "IDAT", 4) != 0) idat_ended = true;
    pos += 12 + size_t(len);
  }
}

bool jpeg_is_sof(unsigned m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

// Walks the markers: every segment inside the file, one frame header (SOF) with a size
// before the first scan, entropy-coded data skipped up to the next marker, and an EOI. For
// Huffman coding (SOF0-2: baseline, extended, progressive), every 8x8 block of the
// full-resolution component costs at least one bit (its DC code, in the first DC scan of a
// progressive file), so the scans must hold at least blocks / 8 bytes. Arithmetic coding
// can go below that: only the size limit applies to it.
void check_jpeg(const uint8_t* d, size_t n, ImageBytesCheck& r) {
  size_t pos = 2;  // after SOI
  bool sof = false, scan = false;
  unsigned sof_marker = 0;
  uint64_t scan_bytes = 0;  // entropy-coded data of every scan, stuffing and restarts included
  for (;;) {
    if (pos >= n) {
      r.problem = "truncated JPEG: the file ends at byte " + std::to_string(n) + " before its end-of-image marker";
      return;
    }
    if (d[pos] != 0xFF) {
      r.problem = "corrupt JPEG: no marker at byte " + std::to_string(pos);
      return;
    }
    while (pos < n && d[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= n) continue;
    const unsigned m = d[pos++];
    if (m == 0xD9) {  // EOI; bytes after it are ignored, as libjpeg does
      if (!scan) {
        r.problem = "corrupt JPEG: end-of-image marker before any image data";
        return;
      }
      const uint64_t blocks = uint64_t((r.width + 7) / 8) * uint64_t((r.height + 7) / 8);
      if (sof_marker <= 0xC2 && scan_bytes * 8 < blocks)
        r.problem = "truncated JPEG: its " + std::to_string(scan_bytes) + " bytes of image data cannot hold a " +
                    std::to_string(r.width) + "x" + std::to_string(r.height) + " image (" + std::to_string(blocks) +
                    " blocks of at least one bit each)";
      return;
    }
    if (m == 0x00 || m == 0xD8) {
      r.problem = "corrupt JPEG: unexpected marker " + hex2(m) + " at byte " + std::to_string(pos - 1);
      return;
    }
    if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) continue;  // no length
    if (pos + 2 > n) {
      r.problem = "truncated JPEG: the file ends at byte " + std::to_string(n) + " inside marker " + hex2(m);
      return;
    }
    const size_t len = get_be16(d + pos);
    if (len < 2) {
      r.problem = "corrupt JPEG: segment " + hex2(m) + " at byte " + std::to_string(pos - 2) + " has length " + std::to_string(len);
      return;
    }
    if (pos + len > n) {
      r.problem = "truncated JPEG: segment " + hex2(m) + " at byte " + std::to_string(pos - 2) + " needs " +
                  std::to_string(len) + " bytes, the file ends after " + std::to_string(n - pos);
      return;
    }
    if (jpeg_is_sof(m)) {
      if (len < 8) {
        r.problem = "corrupt JPEG: frame header of " + std::to_string(len) + " bytes";
        return;
      }
      r.height = get_be16(d + pos + 3);
      r.width = get_be16(d + pos + 5);
      if (sof) {
        r.problem = "unsupported JPEG: a second frame header at byte " + std::to_string(pos - 2) + " (hierarchical JPEG)";
        return;
      }
      if (r.width == 0 || r.height == 0) {
        r.problem = "unsupported JPEG: image size " + std::to_string(r.width) + "x" + std::to_string(r.height);
        return;
      }
      r.problem = side_problem(r.width, r.height);
      if (!r.problem.empty()) return;
      sof = true;
      sof_marker = m;
    }
    pos += len;
    if (m == 0xDA) {  // SOS: entropy-coded data follows, up to the next marker that is not RSTn
      if (!sof) {
        r.problem = "corrupt JPEG: image data before the frame header";
        return;
      }
      scan = true;
      const size_t scan_start = pos;
      for (;;) {
        const void* ff = pos < n ? std::memchr(d + pos, 0xFF, n - pos) : nullptr;
        if (!ff) {
          pos = n;
          break;
        }
        pos = static_cast<size_t>(static_cast<const uint8_t*>(ff) - d);
        if (pos + 1 >= n) {
          pos = n;
          break;
        }
        const unsigned next = d[pos + 1];
        if (next == 0x00 || (next >= 0xD0 && next <= 0xD7) || next == 0xFF) {
          pos += next == 0xFF ? 1 : 2;  // stuffed byte, restart marker, or fill before a marker
          continue;
        }
        break;  // a marker: the loop above reads it
      }
      scan_bytes += pos - scan_start;
    }
  }
}

// The file header and the info header: a known size, a pixel array that starts inside the
// file and, uncompressed, ends inside it.
void check_bmp(const uint8_t* d, size_t n, ImageBytesCheck& r) {
  if (n < 26) {
    r.problem = "truncated BMP: " + std::to_string(n) + " bytes, shorter than its headers";
    return;
  }
  const uint32_t offset = get_le32(d + 10);
  const uint32_t info = get_le32(d + 14);
  if (info != 12 && info != 40 && info != 52 && info != 56 && info != 108 && info != 124) {
    r.problem = "unsupported BMP: info header of " + std::to_string(info) + " bytes";
    return;
  }
  if (14 + uint64_t(info) > n) {
    r.problem = "truncated BMP: " + std::to_string(n) + " bytes, shorter than its headers";
    return;
  }
  int64_t w = 0, h = 0;
  uint32_t bpp = 0, compression = 0;
  if (info == 12) {
    w = get_le16(d + 18);
    h = get_le16(d + 20);
    bpp = get_le16(d + 24);
  } else {
    w = static_cast<int32_t>(get_le32(d + 18));
    h = static_cast<int32_t>(get_le32(d + 22));
    bpp = get_le16(d + 28);
    compression = get_le32(d + 30);
  }
  if (h < 0) h = -h;  // top-down rows
  r.width = w;
  r.height = h;
  if (w <= 0 || h == 0) {
    r.problem = "corrupt BMP: image size " + std::to_string(w) + "x" + std::to_string(h);
    return;
  }
  if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
    r.problem = "unsupported BMP: " + std::to_string(bpp) + " bits per pixel";
    return;
  }
  // What OpenCV's BMP reader asserts (found by fuzzing: its "imdecode_(''): can't read
  // header ... Assertion failed" reached stderr): a compression it knows, at most 256
  // palette colours, and the palette inside the file.
  if (compression > 3) {  // BI_RGB, BI_RLE8, BI_RLE4, BI_BITFIELDS
    r.problem = "unsupported BMP: compression " + std::to_string(compression);
    return;
  }
  const uint32_t colors_used = info >= 40 ? get_le32(d + 46) : 0;
  if (colors_used > 256) {
    r.problem = "corrupt BMP: " + std::to_string(colors_used) + " palette colours";
    return;
  }
  if (bpp <= 8) {
    const uint64_t palette_end = 14 + uint64_t(info) + uint64_t(colors_used ? colors_used : 1u << bpp) * (info == 12 ? 3 : 4);
    if (palette_end > n) {
      r.problem = "truncated BMP: its palette ends at byte " + std::to_string(palette_end) + ", the file has " + std::to_string(n);
      return;
    }
  }
  r.problem = side_problem(w, h);
  if (!r.problem.empty()) return;
  if (offset < 14 + info || offset >= n) {
    r.problem = "truncated BMP: pixel data at byte " + std::to_string(offset) + ", the file has " + std::to_string(n);
    return;
  }
  if (compression == 0 || compression == 3) {  // BI_RGB, BI_BITFIELDS: rows padded to 4 bytes
    const uint64_t row = (uint64_t(w) * bpp + 31) / 32 * 4;
    const uint64_t need = uint64_t(offset) + row * uint64_t(h);
    if (need > n)
      r.problem = "truncated BMP: its pixels need " + std::to_string(need) + " bytes, the file has " + std::to_string(n);
  }
}

// RIFF container: the size it declares lies inside the file; the image size, from the first
// chunk (VP8 lossy, VP8L lossless or VP8X extended), within the limits. A lossless WebP can
// describe its largest image, 16383 x 16383, in a few dozen valid bytes.
void check_webp(const uint8_t* d, size_t n, ImageBytesCheck& r) {
  const uint64_t riff = get_le32(d + 4);
  if (riff < 4 + 8) {
    r.problem = "corrupt WebP: RIFF size " + std::to_string(riff);
    return;
  }
  if (riff + 8 > n) {
    r.problem = "truncated WebP: its RIFF header declares " + std::to_string(riff + 8) + " bytes, the file has " +
                std::to_string(n);
    return;
  }
  if (n < 30) {
    r.problem = "truncated WebP: " + std::to_string(n) + " bytes, shorter than its image header";
    return;
  }
  const uint8_t* c = d + 12;  // the first chunk: 4-byte type, 4-byte size, its data at d + 20
  if (!std::memcmp(c, "VP8 ", 4)) {
    if (d[23] != 0x9D || d[24] != 0x01 || d[25] != 0x2A) {
      r.problem = "corrupt WebP: no VP8 start code";
      return;
    }
    r.width = get_le16(d + 26) & 0x3FFF;
    r.height = get_le16(d + 28) & 0x3FFF;
  } else if (!std::memcmp(c, "VP8L", 4)) {
    if (d[20] != 0x2F) {
      r.problem = "corrupt WebP: no VP8L signature";
      return;
    }
    const uint32_t bits = get_le32(d + 21);
    r.width = int64_t(bits & 0x3FFF) + 1;
    r.height = int64_t((bits >> 14) & 0x3FFF) + 1;
  } else if (!std::memcmp(c, "VP8X", 4)) {
    r.width = int64_t(uint32_t(d[24]) | (uint32_t(d[25]) << 8) | (uint32_t(d[26]) << 16)) + 1;
    r.height = int64_t(uint32_t(d[27]) | (uint32_t(d[28]) << 8) | (uint32_t(d[29]) << 16)) + 1;
  } else {
    r.problem = "unsupported WebP: first chunk is not VP8, VP8L or VP8X";
    return;
  }
  if (r.width == 0 || r.height == 0) {
    r.problem = "corrupt WebP: image size " + std::to_string(r.width) + "x" + std::to_string(r.height);
    return;
  }
  r.problem = side_problem(r.width, r.height);
}

}  // namespace image_check_impl
}  // namespace

ImageBytesCheck check_image_bytes(const uint8_t* d, size_t n) {
  using namespace image_check_impl;
  ImageBytesCheck r;
  if (n >= 8 && !std::memcmp(d, kPngSignature, 8)) {
    r.format = ImageFormat::Png;
    check_png(d, n, r);
  } else if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
    r.format = ImageFormat::Jpeg;
    check_jpeg(d, n, r);
  } else if (n >= 2 && d[0] == 'B' && d[1] == 'M') {
    r.format = ImageFormat::Bmp;
    check_bmp(d, n, r);
  } else if (n >= 12 && !std::memcmp(d, "RIFF", 4) && !std::memcmp(d + 8, "WEBP", 4)) {
    r.format = ImageFormat::Webp;
    check_webp(d, n, r);
  } else {
    r.problem = "is not a JPEG, PNG, BMP or WebP file (unknown signature)";
  }
  // cv::imdecode asks every decoder it has whether the bytes are its format, and the first
  // yes decodes. A file our checks pass can still be refused by libwebp's own header check,
  // and then OpenCV's DICOM reader (gdcm) claims it when byte 128 starts "DICM", and
  // aborts the process on a damaged one (found by fuzz/fuzz_image_file: a WebP header,
  // then "DICM" at 128). None of the four formats puts anything there on purpose.
  if (r.problem.empty() && n >= 132 && !std::memcmp(d + 128, "DICM", 4))
    r.problem = "has a DICOM signature at byte 128 (refused: OpenCV would hand it to its DICOM reader)";
  return r;
}

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
