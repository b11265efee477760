#include "core/data/image_check.h"

#include <cstring>

#include "core/data/image_check_formats.h"

namespace can::data {

namespace image_check_impl {

std::string side_problem(int64_t w, int64_t h) {
  if (w > kMaxImageSide || h > kMaxImageSide || w * h > kMaxImagePixels)
    return "image is " + std::to_string(w) + "x" + std::to_string(h) + ", larger than the decoder's limit (" +
           std::to_string(kMaxImageSide) + " pixels a side, " + std::to_string(kMaxImagePixels) + " in all)";
  return "";
}

namespace {

const uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

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

}  // namespace
}  // namespace image_check_impl

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

}  // namespace can::data
