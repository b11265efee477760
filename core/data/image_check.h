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
  int64_t width = 0, height = 0;   // from the header; 0 when not read (WebP)
};

// OpenCV's own limits on what it decodes (CV_IO_MAX_IMAGE_WIDTH/HEIGHT/PIXELS).
constexpr int64_t kMaxImageSide = int64_t{1} << 20;
constexpr int64_t kMaxImagePixels = int64_t{1} << 30;

// Checks size bytes of an encoded JPEG, PNG, BMP or WebP file without decoding pixels.
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
