#include <cstdio>
#include <cstring>

#include "core/data/image_check_formats.h"

namespace can::data::image_check_impl {

namespace {

std::string hex2(unsigned v) {
  char s[8];
  std::snprintf(s, sizeof s, "0x%02X", v & 0xFF);
  return s;
}

bool jpeg_is_sof(unsigned m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

}  // namespace

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
      r.problem = "corrupt JPEG: segment " + hex2(m) + " at byte " + std::to_string(pos - 2) + " has length " +
                  std::to_string(len);
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
        r.problem =
            "unsupported JPEG: a second frame header at byte " + std::to_string(pos - 2) + " (hierarchical JPEG)";
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

}  // namespace can::data::image_check_impl
