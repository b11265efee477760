#include "core/data/image_ops.h"

#include <algorithm>
#include <cmath>

#if CAN_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace can::data {

namespace {
inline float clamp01(float x) { return x < 0.f ? 0.f : (x > 1.f ? 1.f : x); }
inline float luma(const float* p) { return 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]; }
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
  cv::Mat resized;
  cv::resize(roi, resized, cv::Size(static_cast<int>(out_w), static_cast<int>(out_h)), 0, 0,
             shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
  FloatImage out{out_h, out_w, src.c, std::vector<float>(static_cast<size_t>(out_h * out_w * src.c))};
  // Wrap our buffer so convertTo writes straight into it (no extra copy).
  cv::Mat dst(static_cast<int>(out_h), static_cast<int>(out_w), CV_32FC(static_cast<int>(src.c)), out.v.data());
  resized.convertTo(dst, dst.type(), 1.0 / 255.0);
  return out;
#else
  return crop_resize_bilinear(src, box, out_h, out_w);
#endif
}

void hflip(FloatImage& img) {
  for (int64_t y = 0; y < img.h; ++y)
    for (int64_t x = 0; x < img.w / 2; ++x)
      for (int64_t ch = 0; ch < img.c; ++ch) std::swap(img.at(y, x, ch), img.at(y, img.w - 1 - x, ch));
}

void adjust_brightness(FloatImage& img, float factor) {
  for (float& x : img.v) x = clamp01(x * factor);
}

void adjust_contrast(FloatImage& img, float factor) {
  // torchvision blends with the mean of the grayscale image (a single scalar).
  double sum = 0;
  const size_t n = static_cast<size_t>(img.h * img.w);
  for (size_t i = 0; i < n; ++i) {
    const float* p = img.v.data() + i * static_cast<size_t>(img.c);
    sum += img.c == 3 ? luma(p) : p[0];
  }
  const float mean = static_cast<float>(sum / static_cast<double>(std::max<size_t>(n, 1)));
  for (float& x : img.v) x = clamp01((x - mean) * factor + mean);
}

void adjust_saturation(FloatImage& img, float factor) {
  if (img.c != 3) return;
  const size_t n = static_cast<size_t>(img.h * img.w);
  for (size_t i = 0; i < n; ++i) {
    float* p = img.v.data() + i * 3;
    const float g = luma(p);
    for (int ch = 0; ch < 3; ++ch) p[ch] = clamp01((p[ch] - g) * factor + g);
  }
}

void adjust_hue(FloatImage& img, float shift) {
  if (img.c != 3) return;
  const size_t n = static_cast<size_t>(img.h * img.w);
  for (size_t i = 0; i < n; ++i) {
    float* p = img.v.data() + i * 3;
    const float r = p[0], g = p[1], b = p[2];
    const float maxc = std::max({r, g, b}), minc = std::min({r, g, b});
    const float v = maxc, delta = maxc - minc;
    if (delta <= 0.f) continue;  // gray pixels have no hue
    const float s = delta / maxc;
    float h;
    if (maxc == r) h = (g - b) / delta;
    else if (maxc == g) h = 2.f + (b - r) / delta;
    else h = 4.f + (r - g) / delta;
    h = h / 6.f + shift;
    h -= std::floor(h);  // wrap into [0, 1)
    const float h6 = h * 6.f;
    const int sector = static_cast<int>(h6) % 6;
    const float f = h6 - std::floor(h6);
    const float pv = v * (1 - s), qv = v * (1 - s * f), tv = v * (1 - s * (1 - f));
    switch (sector) {
      case 0: p[0] = v, p[1] = tv, p[2] = pv; break;
      case 1: p[0] = qv, p[1] = v, p[2] = pv; break;
      case 2: p[0] = pv, p[1] = v, p[2] = tv; break;
      case 3: p[0] = pv, p[1] = qv, p[2] = v; break;
      case 4: p[0] = tv, p[1] = pv, p[2] = v; break;
      default: p[0] = v, p[1] = pv, p[2] = qv; break;
    }
  }
}

void to_grayscale(FloatImage& img) {
  if (img.c != 3) return;
  const size_t n = static_cast<size_t>(img.h * img.w);
  for (size_t i = 0; i < n; ++i) {
    float* p = img.v.data() + i * 3;
    p[0] = p[1] = p[2] = luma(p);
  }
}

void gaussian_blur(FloatImage& img, int64_t kernel, float sigma) {
  if (kernel < 3 || img.h < 2 || img.w < 2) return;
#if CAN_WITH_OPENCV
  // Same kernel and border as the loops below, several times faster (vectorised).
  cv::Mat m(static_cast<int>(img.h), static_cast<int>(img.w), CV_32FC(static_cast<int>(img.c)), img.v.data());
  cv::GaussianBlur(m, m, cv::Size(static_cast<int>(kernel), static_cast<int>(kernel)), sigma, sigma,
                   cv::BORDER_REFLECT_101);
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
