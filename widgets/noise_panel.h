#pragma once
// What the encoder saw before masking: each view plus sigma*e (docs/method.md step 2), captioned
// with its sigma, and the spread of sigma over the whole batch.

#include <QImage>
#include <QVector>
#include <QWidget>

#include "widgets/snapshot_images.h"

class ImageGrid;
class QLabel;
class SigmaHistogram;

class NoisePanel : public QWidget {
  Q_OBJECT

 public:
  explicit NoisePanel(QWidget* parent = nullptr);

  // One row per sample, one column per view, each tile captioned "σ = 0.123"; the histogram
  // counts sigmaBatch over [0, sigmaMax]. An inconsistent snapshot clears the panel.
  void setSnapshot(const SnapshotImages& snapshot);
  void clear();
  ImageGrid* grid() const { return grid_; }
  SigmaHistogram* histogram() const { return histogram_; }

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void showTexts();

  ImageGrid* grid_ = nullptr;
  QLabel* histogramTitle_ = nullptr;
  SigmaHistogram* histogram_ = nullptr;
  bool hasSnapshot_ = false;
  int numViews_ = 0;
  int numSamples_ = 0;
  double sigmaMax_ = 0.0;
  int batchSize_ = 0;      // entries of sigmaBatch
  QVector<QImage> noisy_;  // [V*k]
  QVector<double> sigma_;  // [V*k]
};
