#pragma once
// The figures can-analyze writes (docs/bench.md), drawn into plain 8-bit images with no
// font and no GUI toolkit: the sigma sweep's two panels and attention overlays. The studio
// draws its own views with Qt from the same numbers.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/analysis/sigma_sweep.h"
#include "core/data/image.h"

namespace can::analysis {

// Two panels side by side, each w x h pixels: L_denoise (left) and L_rec (right) against
// sigma from 0 to 2 sigma_max, y from 0 to the panel's largest value; true sigma in blue,
// wrong (shuffled) in red, sigma = 0 in grey; a vertical tick at sigma_max. The rec panel
// stays empty without A.
data::Image sweep_figure(const SigmaSweep& sweep, int64_t w = 320, int64_t h = 240);

// A view with a patch map over it: image [C, H, W] normalised with mean/std (C values
// each), map [T] on the patch grid (row-major, g x g, g = H / patch), masked [T] 1 where
// the encoder saw nothing (darkened), scaled up `zoom` times. The map is shown in red,
// normalised to its maximum.
data::Image attention_overlay(const torch::Tensor& image, const std::vector<float>& mean, const std::vector<float>& std,
                              const torch::Tensor& map, const torch::Tensor& masked, int64_t zoom = 8);

}  // namespace can::analysis
