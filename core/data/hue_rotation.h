#pragma once
// Hue rotation of planar RGB pixels, the kernel of adjust_hue (colour jitter). It was the
// costliest step of a SimCLR view (a third of the time per image at 224 px), so it runs
// several pixels at a time; the values are those of torchvision's per-pixel formula.

#include <cstdint>

namespace can::data {

// Rotates the HSV hue of n pixels by shift turns, in place: r, g, b are the three planes
// (values in [0, 1]). Gray pixels (max == min) have no hue and keep their values.
void rotate_hue(float* r, float* g, float* b, int64_t n, float shift);

}  // namespace can::data
