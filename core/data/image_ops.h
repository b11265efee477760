#pragma once
// Pixel operations of the augmentation on float images in [0, 1], HWC. Formulas follow
// torchvision.transforms.functional so that views look like the references' views.

#include <cstdint>
#include <vector>

#include "core/data/image.h"

namespace can::data {

struct FloatImage {
  int64_t h = 0, w = 0, c = 0;
  std::vector<float> v;  // h*w*c values in [0, 1], HWC
  float& at(int64_t y, int64_t x, int64_t ch) { return v[static_cast<size_t>((y * w + x) * c + ch)]; }
};

struct CropBox {
  int64_t y = 0, x = 0, h = 0, w = 0;  // top, left, height, width in source pixels
};

// Cuts `box` out of src at source resolution and resizes it to out_h x out_w. With OpenCV:
// INTER_AREA when shrinking (antialiased, like torchvision's antialias=True), else bilinear.
// Without OpenCV: bilinear with half-pixel centres (align_corners=False).
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
