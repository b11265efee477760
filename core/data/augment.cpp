#include "core/data/augment.h"

#include <algorithm>
#include <cmath>

namespace can::data {

CropBox random_resized_crop(int64_t src_h, int64_t src_w, const AugmentConfig& cfg, SampleRng& rng) {
  const double area = static_cast<double>(src_h * src_w);
  const double log_lo = std::log(cfg.crop_ratio_min), log_hi = std::log(cfg.crop_ratio_max);
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target = area * rng.uniform(cfg.crop_scale_min, cfg.crop_scale_max);
    const double ratio = std::exp(rng.uniform(log_lo, log_hi));
    const auto w = static_cast<int64_t>(std::lround(std::sqrt(target * ratio)));
    const auto h = static_cast<int64_t>(std::lround(std::sqrt(target / ratio)));
    if (w > 0 && w <= src_w && h > 0 && h <= src_h) {
      const int64_t y = rng.uniform_int(0, src_h - h), x = rng.uniform_int(0, src_w - w);
      return {y, x, h, w};
    }
  }
  // Fallback: the largest centre crop whose aspect ratio lies in the allowed range.
  const double in_ratio = static_cast<double>(src_w) / static_cast<double>(src_h);
  int64_t w = src_w, h = src_h;
  if (in_ratio < cfg.crop_ratio_min) h = std::max<int64_t>(1, std::lround(w / cfg.crop_ratio_min));
  else if (in_ratio > cfg.crop_ratio_max) w = std::max<int64_t>(1, std::lround(h * cfg.crop_ratio_max));
  h = std::min(h, src_h);
  w = std::min(w, src_w);
  return {(src_h - h) / 2, (src_w - w) / 2, h, w};
}

AugmentParams sample_params(const AugmentConfig& cfg, int64_t src_h, int64_t src_w, int64_t out_size, SampleRng& rng) {
  AugmentParams p;
  p.crop = cfg.random_crop ? random_resized_crop(src_h, src_w, cfg, rng) : CropBox{0, 0, src_h, src_w};
  p.flip = rng.bernoulli(cfg.hflip_prob);
  p.jitter = rng.bernoulli(cfg.jitter_prob);
  if (p.jitter) {
    auto factor = [&rng](double amount) {
      return static_cast<float>(rng.uniform(std::max(0.0, 1.0 - amount), 1.0 + amount));
    };
    p.brightness = factor(cfg.brightness);
    p.contrast = factor(cfg.contrast);
    p.saturation = factor(cfg.saturation);
    p.hue = static_cast<float>(rng.uniform(-cfg.hue, cfg.hue));
    for (int i = 3; i > 0; --i) std::swap(p.jitter_order[i], p.jitter_order[rng.uniform_int(0, i)]);  // Fisher-Yates
  }
  p.grayscale = rng.bernoulli(cfg.grayscale_prob);
  // Drawn even when blur is off by size, so the other draws do not shift with out_size.
  const bool blur = rng.bernoulli(cfg.blur_prob);
  const double sigma = rng.uniform(cfg.blur_sigma_min, cfg.blur_sigma_max);
  if (blur && out_size >= cfg.blur_min_size) {
    p.blur = true;
    p.blur_sigma = static_cast<float>(sigma);
    const auto k = static_cast<int64_t>(cfg.blur_kernel_frac * static_cast<double>(out_size));
    p.blur_kernel = std::max<int64_t>(3, k | 1);  // odd, at least 3
  }
  return p;
}

FloatImage apply_augment(const Image& src, const AugmentParams& p, int64_t out_size) {
  FloatImage img = crop_resize(src, p.crop, out_size, out_size);
  if (p.flip) hflip(img);
  if (p.jitter) {
    for (int op : p.jitter_order) {
      switch (op) {
        case 0: if (p.brightness != 1.f) adjust_brightness(img, p.brightness); break;
        case 1: if (p.contrast != 1.f) adjust_contrast(img, p.contrast); break;
        case 2: if (p.saturation != 1.f) adjust_saturation(img, p.saturation); break;  // no-op on gray data
        default: if (p.hue != 0.f) adjust_hue(img, p.hue); break;                      // no-op on gray data
      }
    }
  }
  if (p.grayscale) to_grayscale(img);
  if (p.blur) gaussian_blur(img, p.blur_kernel, p.blur_sigma);
  return img;
}

void write_normalized(const FloatImage& img, const std::vector<float>& mean, const std::vector<float>& std, float* dst) {
  const int64_t plane = img.h * img.w;
  for (int64_t ch = 0; ch < img.c; ++ch) {
    const float m = mean[static_cast<size_t>(ch)], inv = 1.f / std[static_cast<size_t>(ch)];
    float* out = dst + ch * plane;
    const float* in = img.plane(ch);
    for (int64_t i = 0; i < plane; ++i) out[i] = (in[i] - m) * inv;
  }
}

}  // namespace can::data
