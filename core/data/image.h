#pragma once
// An 8-bit image in HWC order (row, column, channel), channels RGB or gray.

#include <cstdint>
#include <vector>

namespace can::data {

struct Image {
  int64_t h = 0;                // rows
  int64_t w = 0;                // columns
  int64_t c = 0;                // channels: 1 (gray) or 3 (RGB)
  std::vector<uint8_t> pixels;  // h*w*c bytes, HWC

  Image() = default;
  Image(int64_t h_, int64_t w_, int64_t c_)
      : h(h_), w(w_), c(c_), pixels(static_cast<size_t>(h_ * w_ * c_)) {}

  uint8_t at(int64_t y, int64_t x, int64_t ch) const { return pixels[static_cast<size_t>((y * w + x) * c + ch)]; }
  uint8_t& at(int64_t y, int64_t x, int64_t ch) { return pixels[static_cast<size_t>((y * w + x) * c + ch)]; }
};

// Swaps the first and third channel of every pixel in place (OpenCV decodes to BGR; the
// engine is RGB everywhere). A 1-channel image is left as it is.
void bgr_to_rgb(Image& img);

// Converts between 1 and 3 channels: gray -> RGB repeats the value, RGB -> gray uses the
// ITU-R 601 luma weights (0.299, 0.587, 0.114), as torchvision's Grayscale does.
Image convert_channels(const Image& img, int64_t channels);

}  // namespace can::data
