#pragma once
// Pixel operations of the augmentation on float images in [0, 1]. Formulas follow
// torchvision.transforms.functional so that views look like the references' views.
//
// Float images are planar (CHW, the layout of the batch tensors): every per-pixel loop
// then reads each channel from its own contiguous plane, which the compiler vectorises,
// and the last step (normalisation into the batch) is a contiguous copy per channel.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/data/image.h"

namespace can::data {

struct FloatImage {
  int64_t h = 0, w = 0, c = 0;
  std::vector<float> v;  // c*h*w values in [0, 1], CHW (planar)
  float& at(int64_t y, int64_t x, int64_t ch) { return v[static_cast<size_t>((ch * h + y) * w + x)]; }
  float at(int64_t y, int64_t x, int64_t ch) const { return v[static_cast<size_t>((ch * h + y) * w + x)]; }
  float* plane(int64_t ch) { return v.data() + ch * h * w; }
  const float* plane(int64_t ch) const { return v.data() + ch * h * w; }
};

struct CropBox {
  int64_t y = 0, x = 0, h = 0, w = 0;  // top, left, height, width in source pixels
};

// Cuts `box` out of src at source resolution and resizes it to out_h x out_w. With OpenCV:
// INTER_AREA when shrinking (antialiased, like torchvision's antialias=True), else bilinear,
// on the 8-bit pixels, then / 255. Without OpenCV: bilinear with half-pixel centres
// (align_corners=False).
FloatImage crop_resize(const Image& src, const CropBox& box, int64_t out_h, int64_t out_w);
// The bilinear path above, always available (used without OpenCV; tested directly).
FloatImage crop_resize_bilinear(const Image& src, const CropBox& box, int64_t out_h, int64_t out_w);

void hflip(FloatImage& img);
void adjust_brightness(FloatImage& img, float factor);  // x * f
void adjust_contrast(FloatImage& img, float factor);    // (x - mean(gray)) * f + mean(gray)
void adjust_saturation(FloatImage& img, float factor);  // blend with the pixel's gray; RGB only
void adjust_hue(FloatImage& img, float shift);          // rotate HSV hue by shift turns; RGB only
void to_grayscale(FloatImage& img);                     // every channel = luma (0.299, 0.587, 0.114)
// Separable Gaussian, kernel side odd, reflect padding (torchvision's gaussian_blur).
void gaussian_blur(FloatImage& img, int64_t kernel, float sigma);

}  // namespace can::data
