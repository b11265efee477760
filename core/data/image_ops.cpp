#include "core/data/image_ops.h"

#include <algorithm>
#include <cmath>

#include "core/data/hue_rotation.h"

#if CAN_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace can::data {

namespace {
inline float clamp01(float x) { return x < 0.f ? 0.f : (x > 1.f ? 1.f : x); }
inline float luma(float r, float g, float b) { return 0.299f * r + 0.587f * g + 0.114f * b; }
}  // namespace

FloatImage crop_resize_bilinear(const Image& src, const CropBox& box, int64_t out_h, int64_t out_w) {
  FloatImage out{out_h, out_w, src.c, std::vector<float>(static_cast<size_t>(out_h * out_w * src.c))};
  const float sy = static_cast<float>(box.h) / static_cast<float>(out_h);
  const float sx = static_cast<float>(box.w) / static_cast<float>(out_w);
  for (int64_t y = 0; y < out_h; ++y) {
    const float fy = std::clamp((static_cast<float>(y) + 0.5f) * sy - 0.5f, 0.f, static_cast<float>(box.h - 1));
    const int64_t y0 = static_cast<int64_t>(fy), y1 = std::min(y0 + 1, box.h - 1);
    const float wy = fy - static_cast<float>(y0);
    for (int64_t x = 0; x < out_w; ++x) {
      const float fx = std::clamp((static_cast<float>(x) + 0.5f) * sx - 0.5f, 0.f, static_cast<float>(box.w - 1));
      const int64_t x0 = static_cast<int64_t>(fx), x1 = std::min(x0 + 1, box.w - 1);
      const float wx = fx - static_cast<float>(x0);
      for (int64_t ch = 0; ch < src.c; ++ch) {
        const float a = src.at(box.y + y0, box.x + x0, ch), b = src.at(box.y + y0, box.x + x1, ch);
        const float c = src.at(box.y + y1, box.x + x0, ch), d = src.at(box.y + y1, box.x + x1, ch);
        const float top = a + (b - a) * wx, bottom = c + (d - c) * wx;
        out.at(y, x, ch) = (top + (bottom - top) * wy) * (1.f / 255.f);
      }
    }
  }
  return out;
}

FloatImage crop_resize(const Image& src, const CropBox& box, int64_t out_h, int64_t out_w) {
#if CAN_WITH_OPENCV
  const int type = CV_8UC(static_cast<int>(src.c));
  const cv::Mat whole(static_cast<int>(src.h), static_cast<int>(src.w), type, const_cast<uint8_t*>(src.pixels.data()));
  const cv::Mat roi = whole(cv::Rect(static_cast<int>(box.x), static_cast<int>(box.y), static_cast<int>(box.w),
                                     static_cast<int>(box.h)));
  const bool shrink = box.h > out_h || box.w > out_w;
  // Resizing the 8-bit pixels moves a quarter of the bytes float would.
  cv::Mat resized;
  cv::resize(roi, resized, cv::Size(static_cast<int>(out_w), static_cast<int>(out_h)), 0, 0,
             shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
  std::vector<cv::Mat> planes(static_cast<size_t>(src.c));
  cv::split(resized, planes);  // HWC -> one 8-bit plane per channel
  FloatImage out{out_h, out_w, src.c, std::vector<float>(static_cast<size_t>(out_h * out_w * src.c))};
  for (int64_t ch = 0; ch < src.c; ++ch) {
    // Wrap our plane so convertTo writes straight into it (no extra copy).
    cv::Mat dst(static_cast<int>(out_h), static_cast<int>(out_w), CV_32F, out.plane(ch));
    planes[static_cast<size_t>(ch)].convertTo(dst, CV_32F, 1.0 / 255.0);
  }
  return out;
#else
  return crop_resize_bilinear(src, box, out_h, out_w);
#endif
}

void hflip(FloatImage& img) {
  for (int64_t ch = 0; ch < img.c; ++ch)
    for (int64_t y = 0; y < img.h; ++y) {
      float* row = img.plane(ch) + y * img.w;
      std::reverse(row, row + img.w);
    }
}

void adjust_brightness(FloatImage& img, float factor) {
  for (float& x : img.v) x = clamp01(x * factor);
}

void adjust_contrast(FloatImage& img, float factor) {
  // torchvision blends with the mean of the grayscale image (a single scalar). Summed in
  // pixel order into a double: the order fixes the rounding, and so the values.
  const int64_t n = img.h * img.w;
  double sum = 0;
  if (img.c == 3) {
    const float *r = img.plane(0), *g = img.plane(1), *b = img.plane(2);
    for (int64_t i = 0; i < n; ++i) sum += luma(r[i], g[i], b[i]);
  } else {
    const float* p = img.plane(0);
    for (int64_t i = 0; i < n; ++i) sum += p[i];
  }
  const float mean = static_cast<float>(sum / static_cast<double>(std::max<int64_t>(n, 1)));
  for (float& x : img.v) x = clamp01((x - mean) * factor + mean);
}

void adjust_saturation(FloatImage& img, float factor) {
  if (img.c != 3) return;
  const int64_t n = img.h * img.w;
  float *r = img.plane(0), *g = img.plane(1), *b = img.plane(2);
  for (int64_t i = 0; i < n; ++i) {
    const float gray = luma(r[i], g[i], b[i]);
    r[i] = clamp01((r[i] - gray) * factor + gray);
    g[i] = clamp01((g[i] - gray) * factor + gray);
    b[i] = clamp01((b[i] - gray) * factor + gray);
  }
}

void adjust_hue(FloatImage& img, float shift) {
  if (img.c != 3) return;
  rotate_hue(img.plane(0), img.plane(1), img.plane(2), img.h * img.w, shift);
}

void to_grayscale(FloatImage& img) {
  if (img.c != 3) return;
  const int64_t n = img.h * img.w;
  float *r = img.plane(0), *g = img.plane(1), *b = img.plane(2);
  for (int64_t i = 0; i < n; ++i) r[i] = g[i] = b[i] = luma(r[i], g[i], b[i]);
}

void gaussian_blur(FloatImage& img, int64_t kernel, float sigma) {
  if (kernel < 3 || img.h < 2 || img.w < 2) return;
#if CAN_WITH_OPENCV
  // Same kernel and border as the loops below, several times faster (vectorised).
  for (int64_t ch = 0; ch < img.c; ++ch) {
    cv::Mat m(static_cast<int>(img.h), static_cast<int>(img.w), CV_32F, img.plane(ch));
    cv::GaussianBlur(m, m, cv::Size(static_cast<int>(kernel), static_cast<int>(kernel)), sigma, sigma,
                     cv::BORDER_REFLECT_101);
  }
  return;
#endif
  const int64_t r = kernel / 2;
  std::vector<float> k(static_cast<size_t>(2 * r + 1));
  float sum = 0;
  for (int64_t i = -r; i <= r; ++i) sum += k[static_cast<size_t>(i + r)] = std::exp(-0.5f * float(i * i) / (sigma * sigma));
  for (float& x : k) x /= sum;
  // Reflect without repeating the edge pixel (torch "reflect" = OpenCV BORDER_REFLECT_101).
  auto reflect = [](int64_t i, int64_t n) {
    while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
    return i;
  };
  FloatImage tmp = img;
  for (int64_t y = 0; y < img.h; ++y)  // horizontal pass: img -> tmp
    for (int64_t x = 0; x < img.w; ++x)
      for (int64_t ch = 0; ch < img.c; ++ch) {
        float acc = 0;
        for (int64_t i = -r; i <= r; ++i) acc += k[static_cast<size_t>(i + r)] * img.at(y, reflect(x + i, img.w), ch);
        tmp.at(y, x, ch) = acc;
      }
  for (int64_t y = 0; y < img.h; ++y)  // vertical pass: tmp -> img
    for (int64_t x = 0; x < img.w; ++x)
      for (int64_t ch = 0; ch < img.c; ++ch) {
        float acc = 0;
        for (int64_t i = -r; i <= r; ++i) acc += k[static_cast<size_t>(i + r)] * tmp.at(reflect(y + i, img.h), x, ch);
        img.at(y, x, ch) = acc;
      }
}

}  // namespace can::data
