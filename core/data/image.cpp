#include "core/data/image.h"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace can::data {

void bgr_to_rgb(Image& img) {
  if (img.c < 3) return;
  const size_t n = static_cast<size_t>(img.h * img.w);
  for (size_t i = 0; i < n; ++i) {
    uint8_t* p = img.pixels.data() + i * static_cast<size_t>(img.c);
    std::swap(p[0], p[2]);
  }
}

Image convert_channels(const Image& img, int64_t channels) {
  if (img.c == channels) return img;
  if (channels != 1 && channels != 3)
    throw std::invalid_argument("convert_channels: channels must be 1 or 3, got " + std::to_string(channels));
  Image out(img.h, img.w, channels);
  const size_t n = static_cast<size_t>(img.h * img.w);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* s = img.pixels.data() + i * static_cast<size_t>(img.c);
    uint8_t* d = out.pixels.data() + i * static_cast<size_t>(channels);
    if (channels == 3) {
      d[0] = d[1] = d[2] = s[0];
    } else {
      const float y = 0.299f * s[0] + 0.587f * s[1] + 0.114f * s[2];
      d[0] = static_cast<uint8_t>(std::lround(std::min(255.0f, y)));
    }
  }
  return out;
}

}  // namespace can::data
