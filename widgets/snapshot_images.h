#pragma once
// What the image panels draw: one training snapshot (core/train/observer.h Snapshot) turned
// into Qt images on the worker thread (app/snapshot_images.cpp). Plain data, no LibTorch,
// so every panel can be tested with hand-made images.
//
// Indexing: V views (2 with the contrastive term, else 1) and k samples; per-view vectors
// hold V*k entries, entry v*k + i is view v of sample i.

#include <QBitArray>
#include <QImage>
#include <QMetaType>
#include <QVector>

struct SnapshotImages {
  qint64 step = 0;
  int numViews = 0;        // V
  int numSamples = 0;      // k
  int patchSize = 0;       // p, in image pixels
  int gridWidth = 0;       // W/p patches per row
  int gridHeight = 0;      // H/p patches per column
  double maskRatio = 0.0;  // m in effect for this step
  bool hasDecoder = false; // A or N on: reconstruction / noise prediction exist
  bool hasDenoise = false; // N on: predictedNoise / denoised exist
  bool normPix = false;    // predictions were per-patch normalised (shown re-scaled)

  QVector<QImage> originals;       // [k] un-augmented images, RGB32
  QVector<QImage> views;           // [V*k] clean augmented views (= the reconstruction target)
  QVector<QBitArray> masks;        // [V*k] gridWidth*gridHeight bits, row-major, true = masked
  QVector<QImage> noisy;           // [V*k] view + sigma*e, what the encoder saw
  QVector<double> sigma;           // [V*k] noise level of each shown view
  QVector<double> sigmaBatch;      // every sigma of the batch (all views), for the histogram
  double sigmaMax = 0.0;           // sigma_max in effect (histogram range)
  QVector<QImage> prediction;      // [V*k] decoder's image: masked patches hold the predicted
                                   //   pixels (already mapped back when normPix); others unused
  QVector<QImage> trueNoise;       // [V*k] sigma*e in a diverging colour map
  QVector<QImage> predictedNoise;  // [V*k] predicted noise, same colour scale as trueNoise
  QVector<double> noiseScale;      // [V*k] the largest |true noise| on visible pixels: full colour in both
  QVector<QImage> denoised;        // [V*k] noisy - predicted noise on visible patches
  QVector<double> denoiseError;    // [V*k] mean squared error of predicted vs true noise on
                                   //   visible patches (pixel units of the normalised data)

  int index(int view, int sample) const { return view * numSamples + sample; }
  bool isMasked(int view, int sample, int patchRow, int patchCol) const {
    return masks[index(view, sample)].testBit(patchRow * gridWidth + patchCol);
  }
};

Q_DECLARE_METATYPE(SnapshotImages)
