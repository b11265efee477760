#pragma once
// Turns the trainer's Snapshot (CPU tensors in normalised pixel units) into the Qt images the
// panels draw. Runs on the worker thread: QImage may be built there, QPixmap may not.

#include "core/train/observer.h"
#include "widgets/snapshot_images.h"

struct SnapshotContext {
  double maskRatio = 0.0;
  double sigmaMax = 0.0;
  bool normPix = false;
  bool hasDenoise = false;
};

SnapshotImages toSnapshotImages(const can::Snapshot& snapshot, const SnapshotContext& context);

// [C, H, W] normalised tensor -> RGB32 image of x * std + mean, clamped to [0, 1] (C is 1 or 3).
QImage toPixelImage(const torch::Tensor& chw, const std::vector<float>& mean, const std::vector<float>& std);
// [C, H, W] signed values -> diverging colours: -scale blue, 0 white, +scale red (channels averaged).
QImage toNoiseImage(const torch::Tensor& chw, double scale);
