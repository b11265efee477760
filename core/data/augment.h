#pragma once
// Two-view augmentation (docs/method.md step 1): the SimCLR recipe, or the MAE preset.
// Split in two so tests can check the random draws without looking at pixels:
// sample_params() makes every random decision for one view, apply_augment() executes them.

#include <array>
#include <cstdint>
#include <vector>

#include "core/data/data_config.h"
#include "core/data/image_ops.h"
#include "core/data/sample_rng.h"

namespace can::data {

// Every random decision of one view.
struct AugmentParams {
  CropBox crop;                      // source region, taken at source resolution
  bool flip = false;                 // horizontal flip
  bool jitter = false;               // colour jitter applied (probability jitter_prob)
  float brightness = 1, contrast = 1, saturation = 1, hue = 0;  // jitter factors (1/1/1/0 = identity)
  std::array<int, 4> jitter_order{0, 1, 2, 3};  // 0 brightness, 1 contrast, 2 saturation, 3 hue; random like torchvision
  bool grayscale = false;            // drawn even for 1-channel data, where it changes nothing
  bool blur = false;                 // Gaussian blur (never for outputs under blur_min_size)
  float blur_sigma = 0;              // output pixels
  int64_t blur_kernel = 0;           // odd kernel side, output pixels
};

// torchvision's RandomResizedCrop.get_params: 10 tries of area ~ U(scale) * area and
// log-uniform aspect ratio, then a centre crop clamped to the ratio range.
CropBox random_resized_crop(int64_t src_h, int64_t src_w, const AugmentConfig& cfg, SampleRng& rng);

AugmentParams sample_params(const AugmentConfig& cfg, int64_t src_h, int64_t src_w, int64_t out_size, SampleRng& rng);

// Crop + resize to out_size x out_size, flip, jitter, grayscale, blur; values in [0, 1].
FloatImage apply_augment(const Image& src, const AugmentParams& params, int64_t out_size);

// Writes (x - mean[c]) / std[c] into dst in CHW order (dst holds c*h*w floats).
void write_normalized(const FloatImage& img, const std::vector<float>& mean, const std::vector<float>& std, float* dst);

}  // namespace can::data
