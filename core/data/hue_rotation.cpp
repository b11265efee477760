#include "core/data/hue_rotation.h"

#include <algorithm>
#include <cmath>
#include <cstring>

// The vector loop uses GCC/Clang vector extensions (portable across architectures); on
// x86-64 a second copy is compiled for AVX2 and chosen at run time, as the build itself
// targets baseline x86-64 (SSE2) only.
#if defined(__GNUC__)
#define CAN_HUE_VECTORS 1
#if defined(__x86_64__)
#define CAN_HUE_AVX2 1
#endif
#endif

namespace can::data {

namespace {

// torchvision's _rgb2hsv, h += shift, _hsv2rgb for one pixel.
inline void rotate_hue_pixel(float& r_io, float& g_io, float& b_io, float shift) {
  const float r = r_io, g = g_io, b = b_io;
  const float maxc = std::max({r, g, b}), minc = std::min({r, g, b});
  const float v = maxc, delta = maxc - minc;
  if (delta <= 0.f) return;  // gray pixels have no hue
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
    case 0: r_io = v, g_io = tv, b_io = pv; break;
    case 1: r_io = qv, g_io = v, b_io = pv; break;
    case 2: r_io = pv, g_io = v, b_io = tv; break;
    case 3: r_io = pv, g_io = qv, b_io = v; break;
    case 4: r_io = tv, g_io = pv, b_io = v; break;
    default: r_io = v, g_io = pv, b_io = qv; break;
  }
}

#if CAN_HUE_VECTORS
// Float and int32 vectors of W lanes; comparisons give int32 masks (-1 true, 0 false).
// (Spelled out per width: GCC 12 does not take a vector_size that depends on W.)
template <int W>
struct Lanes;
template <>
struct Lanes<4> {
  using F = float __attribute__((vector_size(16)));
  using I = int32_t __attribute__((vector_size(16)));
};
template <>
struct Lanes<8> {
  using F = float __attribute__((vector_size(32)));
  using I = int32_t __attribute__((vector_size(32)));
};

// rotate_hue_pixel on W pixels at a time, for the whole vectors of n; returns how many
// pixels it did. The branches of the per-pixel formula cost more than its arithmetic (the
// sector is unpredictable), and the compiler does not vectorise them, so here every case is
// computed and the right one selected with masks. Each result is made by the same IEEE
// operations in the same order as in rotate_hue_pixel (no fused multiply-add: neither the
// build nor the AVX2 copy enables FMA), so the values are identical (tested).
template <int W>
__attribute__((always_inline)) inline int64_t rotate_hue_lanes(float* pr, float* pg, float* pb, int64_t n, float shift) {
  using F = typename Lanes<W>::F;
  using I = typename Lanes<W>::I;
  const F zero = {}, one = zero + 1.f;
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    F r, g, b;
    std::memcpy(&r, pr + i, sizeof r);  // unaligned vector loads
    std::memcpy(&g, pg + i, sizeof g);
    std::memcpy(&b, pb + i, sizeof b);
    const F max_rg = r > g ? r : g, min_rg = r < g ? r : g;
    const F maxc = max_rg > b ? max_rg : b, minc = min_rg < b ? min_rg : b;
    const F v = maxc, delta = maxc - minc;
    const F s = delta / maxc;  // gray pixels (delta 0) give NaNs here; they are discarded below
    // One division for the three cases of h: numerator and offset are selected first.
    const I max_r = maxc == r, max_g = maxc == g;
    const F q = (max_r ? g - b : max_g ? b - r : r - g) / delta;
    F h = max_r ? q : (max_g ? zero + 2.f : zero + 4.f) + q;
    h = h / 6.f + shift;
    const F whole_h = __builtin_convertvector(__builtin_convertvector(h, I), F);  // rounds toward zero
    h = h - (whole_h > h ? whole_h - 1.f : whole_h);                               // h - floor(h)
    const F h6 = h * 6.f;                           // in [0, 6]
    const I whole = __builtin_convertvector(h6, I);  // floor, as h6 >= 0
    const F f = h6 - __builtin_convertvector(whole, F);
    const I sector = whole == 6 ? 0 : whole;         // whole % 6
    const F pv = v * (one - s), qv = v * (one - s * f), tv = v * (one - s * (one - f));
    // (r, g, b) by sector: 0 (v,t,p) 1 (q,v,p) 2 (p,v,t) 3 (p,q,v) 4 (t,p,v) 5 (v,p,q)
    const F r2 = ((sector == 0) | (sector == 5)) ? v : sector == 1 ? qv : sector == 4 ? tv : pv;
    const F g2 = ((sector == 1) | (sector == 2)) ? v : sector == 0 ? tv : sector == 3 ? qv : pv;
    const F b2 = ((sector == 3) | (sector == 4)) ? v : sector == 2 ? tv : sector == 5 ? qv : pv;
    const I colour = delta > 0.f;
    r = colour ? r2 : r;
    g = colour ? g2 : g;
    b = colour ? b2 : b;
    std::memcpy(pr + i, &r, sizeof r);
    std::memcpy(pg + i, &g, sizeof g);
    std::memcpy(pb + i, &b, sizeof b);
  }
  return i;
}
#endif

#if CAN_HUE_AVX2
// Eight lanes with AVX2's 256-bit registers: 3x faster than four lanes of SSE2 here (AVX2
// also has a one-instruction blend for the selects).
__attribute__((target("avx2"))) int64_t rotate_hue_avx2(float* r, float* g, float* b, int64_t n, float shift) {
  return rotate_hue_lanes<8>(r, g, b, n, shift);
}
#endif

}  // namespace

void rotate_hue(float* r, float* g, float* b, int64_t n, float shift) {
  int64_t i = 0;
#if CAN_HUE_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
  i = avx2 ? rotate_hue_avx2(r, g, b, n, shift) : rotate_hue_lanes<4>(r, g, b, n, shift);
#elif CAN_HUE_VECTORS
  i = rotate_hue_lanes<4>(r, g, b, n, shift);
#endif
  for (; i < n; ++i) rotate_hue_pixel(r[i], g[i], b[i], shift);
}

}  // namespace can::data
