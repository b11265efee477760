#include "core/analysis/analysis_figures.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace can::analysis {

namespace {

using Rgb = std::array<uint8_t, 3>;

void put(data::Image& img, int64_t x, int64_t y, const Rgb& c) {
  if (x < 0 || y < 0 || x >= img.w || y >= img.h) return;
  for (int k = 0; k < 3; ++k) img.at(y, x, k) = c[static_cast<size_t>(k)];
}

// A 2-pixel-thick line (Bresenham).
void line(data::Image& img, int64_t x0, int64_t y0, int64_t x1, int64_t y1, const Rgb& c) {
  const int64_t dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0);
  const int64_t sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
  int64_t err = dx + dy;
  while (true) {
    put(img, x0, y0, c);
    put(img, x0 + 1, y0, c);
    put(img, x0, y0 + 1, c);
    if (x0 == x1 && y0 == y1) break;
    const int64_t e2 = 2 * err;
    if (e2 >= dy) err += dy, x0 += sx;
    if (e2 <= dx) err += dx, y0 += sy;
  }
}

void panel(data::Image& img, int64_t left, int64_t w, int64_t h, const std::vector<double>& sigma,
           const std::vector<const std::vector<double>*>& curves, const std::vector<Rgb>& colours) {
  const int64_t m = 16;  // margin
  const Rgb axis{0, 0, 0};
  line(img, left + m, h - m, left + w - m, h - m, axis);
  line(img, left + m, m, left + m, h - m, axis);
  double top = 0;
  for (const auto* c : curves)
    for (double v : *c) top = std::max(top, v);
  if (!(top > 0) || sigma.size() < 2) return;
  const double smax = sigma.back();
  auto px = [&](double s) { return left + m + static_cast<int64_t>(std::lround((s / smax) * double(w - 2 * m))); };
  auto py = [&](double v) { return h - m - static_cast<int64_t>(std::lround((v / top) * double(h - 2 * m))); };
  line(img, px(smax / 2), h - m, px(smax / 2), h - m + 6, axis);  // sigma_max
  for (size_t c = 0; c < curves.size(); ++c)
    for (size_t k = 1; k < sigma.size(); ++k)
      line(img, px(sigma[k - 1]), py((*curves[c])[k - 1]), px(sigma[k]), py((*curves[c])[k]), colours[c]);
}

}  // namespace

data::Image sweep_figure(const SigmaSweep& s, int64_t w, int64_t h) {
  data::Image img(h, 2 * w, 3);
  std::fill(img.pixels.begin(), img.pixels.end(), uint8_t{255});
  // Drawn last on top: true (blue) over wrong (red) over zero (grey), so coinciding curves show blue.
  const std::vector<Rgb> colours{{160, 160, 160}, {220, 40, 40}, {30, 80, 220}};
  panel(img, 0, w, h, s.sigma, {&s.zero_sigma.denoise, &s.wrong_sigma.denoise, &s.true_sigma.denoise}, colours);
  if (s.has_rec) panel(img, w, w, h, s.sigma, {&s.zero_sigma.rec, &s.wrong_sigma.rec, &s.true_sigma.rec}, colours);
  return img;
}

data::Image attention_overlay(const torch::Tensor& image, const std::vector<float>& mean, const std::vector<float>& std,
                              const torch::Tensor& map, const torch::Tensor& masked, int64_t zoom) {
  const int64_t c = image.size(0), hgt = image.size(1), wid = image.size(2);
  const int64_t t = map.numel(), g = static_cast<int64_t>(std::lround(std::sqrt(double(t))));
  if (g * g != t || hgt % g != 0 || wid != hgt || static_cast<int64_t>(mean.size()) != c ||
      static_cast<int64_t>(std.size()) != c)
    throw std::invalid_argument("attention_overlay: needs a square image, a square patch grid and C mean/std values");
  const int64_t p = hgt / g;
  auto img = image.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  auto mp = map.detach().to(torch::kCPU, torch::kFloat32).contiguous().flatten();
  auto mk = masked.detach().to(torch::kCPU, torch::kFloat32).contiguous().flatten();
  const float top = std::max(mp.max().item<float>(), 1e-12f);
  auto ia = img.accessor<float, 3>();
  auto ma = mp.accessor<float, 1>(), ka = mk.accessor<float, 1>();
  data::Image out(hgt * zoom, wid * zoom, 3);
  for (int64_t y = 0; y < hgt; ++y)
    for (int64_t x = 0; x < wid; ++x) {
      const int64_t patch = (y / p) * g + x / p;
      const float a = 0.7f * ma[patch] / top;
      const bool hidden = ka[patch] > 0.5f;
      std::array<float, 3> rgb{};
      for (int64_t k = 0; k < 3; ++k) {
        const int64_t ch = c == 1 ? 0 : k;
        const float v = ia[ch][y][x] * std[static_cast<size_t>(ch)] + mean[static_cast<size_t>(ch)];
        rgb[static_cast<size_t>(k)] = std::clamp(v, 0.0f, 1.0f) * (hidden ? 0.25f : 1.0f);
      }
      rgb[0] = (1 - a) * rgb[0] + a;  // red heat
      rgb[1] = (1 - a) * rgb[1];
      rgb[2] = (1 - a) * rgb[2];
      for (int64_t dy = 0; dy < zoom; ++dy)
        for (int64_t dx = 0; dx < zoom; ++dx)
          for (int64_t k = 0; k < 3; ++k)
            out.at(y * zoom + dy, x * zoom + dx, k) =
                static_cast<uint8_t>(std::lround(255.0f * rgb[static_cast<size_t>(k)]));
    }
  return out;
}

}  // namespace can::analysis
