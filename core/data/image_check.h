#pragma once
// The structure of an encoded image file, checked in its bytes before a decoder sees them.
//
// Why: libpng, libjpeg and OpenCV's codecs print their own complaints on stderr ("libpng
// error: Read Error", "Premature end of JPEG file", "imdecode_(''): can't read data"),
// without a file name, and some still return a half-decoded image. The folder dataset
// checks what can be checked without decoding (signature, chunk/segment structure, PNG
// CRCs, the end marker, sizes in the header against the file size), refuses a bad file in
// its own words (CorruptSampleError naming the file), and passes libpng only the chunks
// that make the pixels, so the decoders have nothing left to say about damaged files.
// What is still possible: compressed data crafted with valid checksums but invalid
// content (a JPEG's entropy-coded data, a PNG's zlib stream) reaches the decoder, which
// may print its message.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace can::data {

enum class ImageFormat { Unknown, Png, Jpeg, Bmp, Webp };

struct ImageBytesCheck {
  ImageFormat format = ImageFormat::Unknown;
  std::string problem;             // "" when the bytes may go to the decoder
  int64_t width = 0, height = 0;   // from the header (for WebP: the VP8, VP8L or VP8X one)
};

// The largest image decoded. A side: OpenCV's own limit (CV_IO_MAX_IMAGE_WIDTH/HEIGHT). In
// all: 2^28 pixels (16384 x 16384, every WebP fits), a quarter of OpenCV's 2^30, because a
// 50-byte lossless WebP can validly claim its maximum size and a decoded image costs 3-4
// bytes a pixel, then a copy per conversion, in every loader worker at once.
constexpr int64_t kMaxImageSide = int64_t{1} << 20;
constexpr int64_t kMaxImagePixels = int64_t{1} << 28;
// Bytes of output a byte of deflate data can hold at most (258-byte matches in 2 bits).
constexpr int64_t kMaxDeflateRatio = 1032;

// Checks size bytes of an encoded JPEG, PNG, BMP or WebP file without decoding pixels.
// Besides the structure, the size in the header must fit kMaxImageSide/kMaxImagePixels,
// and where the format bounds how much image a byte can hold, the compressed data must be
// able to hold it: a PNG's IDAT data at most kMaxDeflateRatio bytes of pixels per byte, a
// Huffman-coded JPEG's scans at least one bit per 8x8 block. (A header that claims a large
// image over a few bytes of data made the decoders allocate and fill it: 2.7 GB and a
// grey picture for a 652-byte JPEG.)
// The format comes from the content (a PNG named .jpg is a PNG). problem says what is
// wrong in words that need no file name: "truncated PNG: ...", "is not a JPEG, PNG, BMP or
// WebP file ...".
ImageBytesCheck check_image_bytes(const uint8_t* data, size_t size);

// A PNG that passed check_image_bytes, with only the chunks that decide the pixels OpenCV
// returns (IHDR, PLTE, tRNS, IDAT, IEND). The others (gAMA, iCCP, tEXt, ...) are what
// libpng warns about ("iCCP: known incorrect sRGB profile", "tEXt: CRC error") and OpenCV
// ignores. Empty when there is nothing to remove.
std::vector<uint8_t> png_without_ancillary_chunks(const uint8_t* data, size_t size);

}  // namespace can::data
